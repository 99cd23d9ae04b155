//! Paragraph search for people: `GET /api/paragraphs` (JSON) and the paragraph hits of
//! the `/search` page, over the store's full-text index (`store::search`). The search
//! runs through the query runner, like every read: a slot, the deadline.

use super::queries::PageNo;
use super::{ApiError, Shared};
use crate::store::search::{Facet, FacetCount, Hit, SearchAnswer, SearchError, SearchRequest};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use serde::{Deserialize, Serialize};

/// Hits a page shows.
pub const HITS_PAGE: usize = 20;

pub fn router() -> Router<Shared> {
    Router::new().route("/api/paragraphs", get(paragraphs))
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            e @ SearchError::Query { .. } => ApiError::BadRequest(e.to_string()),
            e @ SearchError::Off => ApiError::NotFound(e.to_string()),
            e => ApiError::Internal(e.to_string()),
        }
    }
}

/// The parameters of a search: the words, a page, and a value per facet.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SearchParams {
    pub q: Option<String>,
    #[serde(skip_serializing)]
    pub page: Option<String>,
    pub state: Option<String>,
    pub org: Option<String>,
    pub instrument: Option<String>,
    pub crime: Option<String>,
    pub speaker: Option<String>,
    pub meeting: Option<String>,
    pub congress: Option<String>,
    pub region: Option<String>,
    pub year: Option<String>,
}

impl SearchParams {
    fn given(&self) -> [(Facet, Option<&String>); 9] {
        [
            (Facet::State, self.state.as_ref()),
            (Facet::Org, self.org.as_ref()),
            (Facet::Instrument, self.instrument.as_ref()),
            (Facet::Crime, self.crime.as_ref()),
            (Facet::Speaker, self.speaker.as_ref()),
            (Facet::Meeting, self.meeting.as_ref()),
            (Facet::Congress, self.congress.as_ref()),
            (Facet::Region, self.region.as_ref()),
            (Facet::Year, self.year.as_ref()),
        ]
    }

    /// Whether anything was asked: words or a facet.
    pub fn is_empty(&self) -> bool {
        self.q.as_deref().unwrap_or("").trim().is_empty()
            && self
                .given()
                .iter()
                .all(|(_, v)| v.is_none_or(|v| v.is_empty()))
    }

    /// The same search on page `n` (for links), as a query string.
    pub fn href(&self, path: &str, n: usize) -> String {
        let mut query = serde_urlencoded::to_string(self).unwrap_or_default();
        if n > 1 {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("page={n}"));
        }
        format!("{path}?{query}")
    }

    /// The same search narrowed by one more facet value.
    pub fn narrowed(&self, facet: Facet, value: &str) -> String {
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(&serde_urlencoded::to_string(self).unwrap_or_default())
                .unwrap_or_default();
        pairs.retain(|(k, _)| k != facet.name());
        pairs.push((facet.name().to_string(), value.to_string()));
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// One named thing of a hit or a facet: its IRI and label.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub iri: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundHit {
    pub paragraph: String,
    pub report: String,
    pub number: String,
    pub score: f32,
    pub snippet: String,
    pub snippet_html: String,
    pub meeting: Option<Named>,
    pub congress: Option<u64>,
    pub region: Option<String>,
    pub year: Option<u64>,
    pub entities: Vec<Named>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FoundFacet {
    pub facet: Facet,
    /// The value to narrow by (`?state=EGY`).
    pub value: String,
    pub count: u64,
    #[serde(flatten)]
    pub named: Named,
}

/// A page of a search, its entities named.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Found {
    pub q: String,
    pub page: usize,
    pub page_size: usize,
    pub total: usize,
    pub hits: Vec<FoundHit>,
    pub facets: Vec<FoundFacet>,
    /// The hits the facets counted: `total`, or the best 5,000 of a larger search.
    pub facets_counted: usize,
}

/// Runs the search `params` asks for, page `page`, with counts per facet.
pub async fn find(state: &Shared, params: &SearchParams, page: PageNo) -> Result<Found, ApiError> {
    let base = state.pipeline.base().clone();
    let mut filters = Vec::new();
    for (facet, value) in params.given() {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            let v = facet
                .indexed_value(v, &base)
                .map_err(ApiError::BadRequest)?;
            filters.push((facet, v));
        }
    }
    let q = params.q.clone().unwrap_or_default();
    let request = SearchRequest {
        query: q.clone(),
        filters,
        offset: page.start(HITS_PAGE),
        limit: HITS_PAGE,
        facets: true,
    };
    // One slot for the search and the labels of what it found.
    let st = state.clone();
    let (total, hits, facets, facets_counted) = state
        .runner
        .run(move |token| {
            let answer: SearchAnswer = st.store.text_index().search(&request)?;
            let namer = Namer { state: &st };
            let mut hits = Vec::with_capacity(answer.hits.len());
            for hit in answer.hits {
                if token.is_cancelled() {
                    return Err(ApiError::Cancelled);
                }
                hits.push(namer.hit(hit)?);
            }
            let facets = answer
                .facets
                .into_iter()
                .map(|f| namer.facet(f))
                .collect::<Result<_, _>>()?;
            Ok((answer.total, hits, facets, answer.facets_counted))
        })
        .await?;
    Ok(Found {
        q,
        page: page.number(),
        page_size: HITS_PAGE,
        total,
        hits,
        facets,
        facets_counted,
    })
}

/// Names what hits and facets hold by id path: the reference data's label, else the
/// store's `rdfs:label` (a meeting, an unlisted body), else the path.
struct Namer<'a> {
    state: &'a Shared,
}

impl Namer<'_> {
    fn named(&self, path: &str) -> Result<Named, ApiError> {
        let iri = self.state.pipeline.base().id(path);
        if let Some(e) = self.state.pipeline.vocabulary().get(iri.as_str()) {
            return Ok(Named {
                iri: Some(iri.into_string()),
                label: e.label.clone(),
            });
        }
        let node = NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(iri.as_str()));
        let label = match self.state.store.label_of(&node)? {
            Some(Term::Literal(l)) => l.value().to_string(),
            _ => path.rsplit('/').next().unwrap_or(path).to_string(),
        };
        Ok(Named {
            iri: Some(iri.into_string()),
            label,
        })
    }

    fn hit(&self, hit: Hit) -> Result<FoundHit, ApiError> {
        let base = self.state.pipeline.base();
        let meeting = match hit.meeting.as_deref().and_then(|m| base.path_of(m)) {
            Some(path) => Some(self.named(path)?),
            None => None,
        };
        let entities = hit
            .entities
            .iter()
            .map(|e| self.named(e))
            .collect::<Result<_, _>>()?;
        Ok(FoundHit {
            paragraph: hit.paragraph,
            report: hit.report,
            number: hit.number,
            score: hit.score,
            snippet: hit.snippet,
            snippet_html: hit.snippet_html,
            meeting,
            congress: hit.congress,
            region: hit.region,
            year: hit.year,
            entities,
        })
    }

    fn facet(&self, f: FacetCount) -> Result<FoundFacet, ApiError> {
        let named = if f.facet.is_entity() {
            self.named(&f.value)?
        } else {
            Named {
                iri: None,
                label: f.value.clone(),
            }
        };
        // The value to narrow by, as a person types it: the key after the segment
        // (`EGY`), but a speaker keeps `org/` to tell it from a State.
        let value = match f.facet {
            Facet::Speaker => f
                .value
                .strip_prefix("state/")
                .unwrap_or(&f.value)
                .to_string(),
            _ if f.facet.is_entity() => f
                .value
                .split_once('/')
                .map_or(f.value.clone(), |(_, k)| k.to_string()),
            _ => f.value.clone(),
        };
        Ok(FoundFacet {
            facet: f.facet,
            value,
            count: f.count,
            named,
        })
    }
}

/// `GET /api/paragraphs?q=…&state=EGY&crime=cybercrime&congress=15&page=N`.
async fn paragraphs(
    State(state): State<Shared>,
    Query(params): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(params.page.as_deref())?;
    if params.is_empty() {
        return Err(ApiError::BadRequest(
            "give 'q' (words, \"a phrase\", prefix*, AND, OR, NOT) or a facet (state, org, \
             instrument, crime, speaker, meeting, congress, region, year)"
                .into(),
        ));
    }
    let found = find(&state, &params, page).await?;
    let pages = found.total.div_ceil(HITS_PAGE).max(1);
    let mut links = Vec::new();
    if page.number() < pages {
        links.push(format!(
            "<{}>; rel=\"next\"",
            params.href("/api/paragraphs", page.number() + 1)
        ));
    }
    if page.number() > 1 {
        let prev = (page.number() - 1).min(pages);
        links.push(format!(
            "<{}>; rel=\"prev\"",
            params.href("/api/paragraphs", prev)
        ));
    }
    let mut response = Json(found).into_response();
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        if !links.is_empty() {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
}
