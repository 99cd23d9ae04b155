//! Answers as JSON for people who do not write SPARQL, each backed by a saved question
//! of `queries/` with its `VALUES` line bound to the entity asked about.
//!
//! Every list is paged (`?page=N`, [`PAGE_SIZE`] rows a page; every list of an answer
//! at once), so that an answer's size does not grow with the collection: the answer
//! says its `page`, `pageSize` and each list's `total`, and `Link` headers point at the
//! pages before and after.

use super::queries::{
    crimes_with_instrument, select_items, select_page, state_statements, states_on_crime_type,
    summary_count, PageNo, Paged, PAGE_SIZE,
};
use super::rows::{CrimeRow, MentionRow, SearchRow, SpeakerRow, StatementRow, TopicRow};
use super::{ApiError, Shared};
use crate::map::summary::Key;
use crate::reference::EntityKind;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use oxigraph::model::{Literal, Term};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/states/{iso3}", get(state_profile))
        .route("/api/crime-types/{slug}/states", get(crime_type_states))
        .route("/api/instruments/{slug}", get(instrument_profile))
        .route("/api/search", get(search))
}

/// The entity of a kind with this key, from the reference data: a key from the path
/// never becomes an IRI by itself, so an unknown or hostile one is a 404.
fn entity(state: &Shared, kind: EntityKind, key: &str) -> Result<(Term, Described), ApiError> {
    let valid = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let vocab = state.pipeline.vocabulary();
    let found = valid
        .then(|| {
            vocab
                .entities
                .iter()
                .find(|e| e.kind == kind && e.key() == key)
        })
        .flatten()
        .ok_or_else(|| ApiError::NotFound(format!("no {} {key:?}", kind.segment())))?;
    let iri = state.pipeline.base().rebase(&found.iri);
    let described = Described {
        iri: iri.as_str().to_string(),
        label: found.label.clone(),
    };
    Ok((Term::NamedNode(iri), described))
}

#[derive(Serialize)]
struct Described {
    iri: String,
    label: String,
}

/// Where an answer is in its lists; `total` has one count per list.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Paging {
    page: usize,
    page_size: usize,
    total: BTreeMap<&'static str, usize>,
}

impl Paging {
    fn new(page: PageNo, totals: &[(&'static str, usize)]) -> Self {
        Paging {
            page: page.number(),
            page_size: PAGE_SIZE,
            total: totals.iter().copied().collect(),
        }
    }

    /// The answer as JSON with `Link` headers: `next` while a list has rows past this
    /// page, `prev` (to the last page that has rows, when asked past the end) from page
    /// 2 on. `href` is the address of page `n` of the same answer.
    fn respond(&self, body: impl Serialize, href: impl Fn(usize) -> String) -> Response {
        let longest = self.total.values().copied().max().unwrap_or(0);
        let last = longest.div_ceil(PAGE_SIZE).max(1);
        let mut links = Vec::new();
        if self.page < last {
            links.push(format!("<{}>; rel=\"next\"", href(self.page + 1)));
        }
        if self.page > 1 {
            let prev = (self.page - 1).min(last);
            links.push(format!("<{}>; rel=\"prev\"", href(prev)));
        }
        let mut response = Json(body).into_response();
        if !links.is_empty() {
            // Built from keys checked against the reference data and a URL-encoded `q`.
            if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
                response.headers_mut().insert(header::LINK, value);
            }
        }
        response
    }
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
}

#[derive(Serialize)]
struct StateAnswer {
    state: Described,
    #[serde(flatten)]
    paging: Paging,
    statements: Vec<StatementRow>,
    topics: Vec<TopicRow>,
}

async fn state_profile(
    State(state): State<Shared>,
    Path(iso3): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let key = iso3.to_ascii_uppercase();
    let (iri, described) = entity(&state, EntityKind::State, &key)?;
    let v = [("state", iri)];
    // How many: the summary's count of the State's statements (counting them took
    // 0.2 s of 0.3 at 100,000 reports).
    let Term::NamedNode(node) = &v[0].1 else {
        return Err(ApiError::Internal("a State that is not an IRI".into()));
    };
    // The two lists are independent questions: asked at once, each in its own slot.
    let (statements, topics) = tokio::try_join!(
        state_statements(&state, node, "state-statements", page, PAGE_SIZE),
        select_page::<TopicRow>(&state, "state-topics", &v, page),
    )?;
    let paging = Paging::new(
        page,
        &[("statements", statements.total), ("topics", topics.total)],
    );
    let href = |n: usize| format!("/api/states/{key}?page={n}");
    let body = StateAnswer {
        state: described,
        statements: statements.rows,
        topics: topics.rows,
        paging,
    };
    Ok(body.paging.respond(&body, href))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CrimeTypeAnswer {
    crime_type: Described,
    #[serde(flatten)]
    paging: Paging,
    states: Vec<SpeakerRow>,
}

async fn crime_type_states(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let (iri, described) = entity(&state, EntityKind::CrimeType, &slug)?;
    let Term::NamedNode(crime) = &iri else {
        return Err(ApiError::Internal("a crime type that is not an IRI".into()));
    };
    let states: Paged<SpeakerRow> = page.cut(states_on_crime_type(&state, crime).await?);
    let body = CrimeTypeAnswer {
        crime_type: described,
        paging: Paging::new(page, &[("states", states.total)]),
        states: states.rows,
    };
    let href = |n: usize| format!("/api/crime-types/{slug}/states?page={n}");
    Ok(body.paging.respond(&body, href))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InstrumentAnswer {
    instrument: Described,
    #[serde(flatten)]
    paging: Paging,
    crime_types: Vec<CrimeRow>,
    /// One page of the paragraphs that name it, each with its mentions of it.
    evidence: Vec<EvidenceParagraph>,
}

/// A paragraph that names an entity, with where it does.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EvidenceParagraph {
    report: String,
    p: String,
    number: String,
    text: String,
    mentions: Vec<MentionSpan>,
}

/// One mention in an [`EvidenceParagraph`]: its text, how it was found, its offsets.
#[derive(Serialize)]
struct MentionSpan {
    anchor: String,
    method: String,
    begin: i64,
    end: i64,
}

impl EvidenceParagraph {
    /// Mention rows grouped by paragraph, paragraphs by report and IRI, mentions by
    /// offset.
    fn of(rows: Vec<MentionRow>) -> Vec<Self> {
        let mut by_p: BTreeMap<(String, String), EvidenceParagraph> = BTreeMap::new();
        for r in rows {
            let entry = by_p
                .entry((r.report.clone(), r.p.clone()))
                .or_insert_with(|| EvidenceParagraph {
                    report: r.report,
                    p: r.p,
                    number: r.number,
                    text: r.text,
                    mentions: Vec::new(),
                });
            entry.mentions.push(MentionSpan {
                anchor: r.anchor,
                method: r.method,
                begin: r.begin,
                end: r.end,
            });
        }
        let mut out: Vec<Self> = by_p.into_values().collect();
        for p in &mut out {
            p.mentions.sort_by_key(|m| (m.begin, m.end));
        }
        out
    }
}

async fn instrument_profile(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let (iri, described) = entity(&state, EntityKind::Instrument, &slug)?;
    let Term::NamedNode(node) = &iri else {
        return Err(ApiError::Internal(
            "an instrument that is not an IRI".into(),
        ));
    };
    // The crime types named with it, and a page of the paragraphs that name it, each
    // with its mentions (how many there are, from the summary): asked at once.
    let evidence_v = [("entity", iri.clone())];
    let (all_crimes, named, rows) = tokio::try_join!(
        crimes_with_instrument(&state, node),
        summary_count(&state, Key::Entity(node.clone())),
        select_items::<MentionRow>(&state, "entity-evidence", &evidence_v, page, PAGE_SIZE),
    )?;
    let crimes = page.cut(all_crimes);
    let evidence = EvidenceParagraph::of(rows);
    let body = InstrumentAnswer {
        instrument: described,
        paging: Paging::new(
            page,
            &[
                ("crimeTypes", crimes.total),
                ("evidence", named.paragraphs.max(0) as usize),
            ],
        ),
        crime_types: crimes.rows,
        evidence,
    };
    let href = |n: usize| format!("/api/instruments/{slug}?page={n}");
    Ok(body.paging.respond(&body, href))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct SearchAnswer<'a> {
    q: &'a str,
    #[serde(flatten)]
    paging: Paging,
    results: Vec<SearchRow>,
}

async fn search(
    State(state): State<Shared>,
    Query(params): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(params.page.as_deref())?;
    let q = params.q.unwrap_or_default();
    let q = q.trim();
    if q.is_empty() {
        return Err(ApiError::BadRequest("missing 'q'".into()));
    }
    if q.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "'q' is longer than 200 characters".into(),
        ));
    }
    let v = [("q", Term::Literal(Literal::from(q)))];
    let results: Paged<SearchRow> = select_page(&state, "search", &v, page).await?;
    let body = SearchAnswer {
        q,
        paging: Paging::new(page, &[("results", results.total)]),
        results: results.rows,
    };
    let href = |n: usize| {
        let query = serde_urlencoded::to_string([("q", q), ("page", &n.to_string())]);
        format!("/api/search?{}", query.unwrap_or_default())
    };
    Ok(body.paging.respond(&body, href))
}
