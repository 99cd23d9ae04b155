//! Answers as JSON for people who do not write SPARQL, each backed by a saved question
//! of `queries/` with its `VALUES` line bound to the entity asked about.
//!
//! Every list is paged (`?page=N`, [`PAGE_SIZE`] rows a page; every list of an answer
//! at once), so that an answer's size does not grow with the collection: the answer
//! says its `page`, `pageSize` and each list's `total`, and `Link` headers point at the
//! pages before and after.

use super::queries::{select_page, PageNo, Paged, PAGE_SIZE};
use super::{ApiError, Shared};
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

/// A row of `state-statements.rq`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatementRow {
    report: String,
    meeting: Option<String>,
    meeting_label: Option<String>,
    agenda_item: Option<String>,
    agenda_title: Option<String>,
    role: String,
    paragraph: String,
    text: String,
}

/// A row of `state-topics.rq`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TopicRow {
    topic: String,
    topic_label: Option<String>,
    class: String,
    reports: i64,
    paragraphs: i64,
    example: Option<String>,
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
    let statements: Paged<StatementRow> = select_page(&state, "state-statements", &v, page).await?;
    let topics: Paged<TopicRow> = select_page(&state, "state-topics", &v, page).await?;
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

/// A row of `states-on-crime-type.rq`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpeakerRow {
    topic: String,
    state: String,
    state_label: String,
    reports: i64,
    paragraphs: i64,
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
    let states: Paged<SpeakerRow> =
        select_page(&state, "states-on-crime-type", &[("topic", iri)], page).await?;
    let body = CrimeTypeAnswer {
        crime_type: described,
        paging: Paging::new(page, &[("states", states.total)]),
        states: states.rows,
    };
    let href = |n: usize| format!("/api/crime-types/{slug}/states?page={n}");
    Ok(body.paging.respond(&body, href))
}

/// A row of `instrument-crimes.rq`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CrimeRow {
    crime: String,
    crime_label: Option<String>,
    paragraphs: i64,
    reports: i64,
    example: Option<String>,
}

/// A row of `entity-evidence.rq`: one mention and its paragraph.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MentionRow {
    report: String,
    p: String,
    number: String,
    anchor: String,
    method: String,
    begin: i64,
    end: i64,
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InstrumentAnswer {
    instrument: Described,
    #[serde(flatten)]
    paging: Paging,
    crime_types: Vec<CrimeRow>,
    evidence: Vec<MentionRow>,
}

async fn instrument_profile(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let (iri, described) = entity(&state, EntityKind::Instrument, &slug)?;
    let crimes: Paged<CrimeRow> = select_page(
        &state,
        "instrument-crimes",
        &[("instrument", iri.clone())],
        page,
    )
    .await?;
    let evidence: Paged<MentionRow> =
        select_page(&state, "entity-evidence", &[("entity", iri)], page).await?;
    let body = InstrumentAnswer {
        instrument: described,
        paging: Paging::new(
            page,
            &[("crimeTypes", crimes.total), ("evidence", evidence.total)],
        ),
        crime_types: crimes.rows,
        evidence: evidence.rows,
    };
    let href = |n: usize| format!("/api/instruments/{slug}?page={n}");
    Ok(body.paging.respond(&body, href))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    page: Option<String>,
}

/// A row of `search.rq`.
#[derive(Serialize, Deserialize)]
struct SearchRow {
    entity: String,
    label: String,
    class: String,
    score: i64,
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
