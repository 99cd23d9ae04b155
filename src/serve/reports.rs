//! Ingest over HTTP: `POST /reports` stores a report file atomically (through the same
//! `ingest` pipeline as the CLI), `GET /reports` lists them a page at a time
//! (`?page=N`, [`PAGE_SIZE`] a page, with `Link` headers), `DELETE /reports/{key}`
//! removes one.

use super::queries::PageNo;
use super::{authorize, blocking, ApiError, Shared};
use crate::ingest::{report_key, IngestError};
use crate::map::summary::Key;
use crate::store::bind::set_slice;
use crate::store::{Backend, StoreError};
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use oxigraph::model::Term;
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution, QuerySolutionIter};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::LazyLock;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/reports", get(list).post(create))
        .route("/reports/{key}", delete(remove))
}

/// The file name: `?name=`, else `Content-Disposition: ...; filename="..."`.
fn file_name(headers: &HeaderMap, raw: Option<String>) -> Result<String, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&raw.unwrap_or_default()).unwrap_or_default();
    if let Some((_, n)) = pairs.into_iter().find(|(k, _)| k == "name") {
        return Ok(n);
    }
    let disposition = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    disposition
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("filename="))
        .map(|f| f.trim_matches('"').to_string())
        .next()
        .ok_or_else(|| ApiError::BadRequest("name the report: ?name=FILE.txt or Content-Disposition: attachment; filename=\"FILE.txt\"".into()))
}

async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let name = file_name(&headers, raw)?;
    // Only the base name is used: a client cannot point at a path.
    let name = std::path::Path::new(&name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let st = state.clone();
    let summary = blocking(move || {
        st.pipeline
            .ingest_bytes(&*st.store, &name, &body)
            .map_err(|e| match e {
                IngestError::Store { source, .. } => source.into(),
                e => ApiError::Unprocessable(e.to_string()),
            })
    })
    .await?;
    let iri = state.pipeline.base().report(&summary.key);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/reports/{}", summary.key))],
        Json(json!({
            "key": summary.key,
            "iri": iri.as_str(),
            "graph": state.pipeline.base().report_graph(&summary.key).as_str(),
            "paragraphs": summary.paragraphs,
            "statements": summary.statements,
            "mentions": summary.mentions,
            "triples": summary.triples,
            "warnings": summary.warnings,
        })),
    )
        .into_response())
}

/// Reports on a page of `/reports` and `/reports.html`: a page costs the same whatever
/// the size of the collection (at 10,000 reports the unpaged list took 9.5 s and 3.5 MB,
/// a page takes 60 ms). Pages follow the store's index order, not the file names: a sort
/// of every report by name cost 1 s a page at 10,000 (see `queries/reports.rq`).
pub(super) const PAGE_SIZE: usize = 100;

/// `queries/reports.rq`, parsed once; each page sets its sub-select's slice.
static PAGE_QUERY: LazyLock<spargebra::Query> = LazyLock::new(|| {
    spargebra::SparqlParser::new()
        .parse_query(super::queries::saved("reports"))
        .expect("queries/reports.rq parses (a unit test checks it)")
});

/// `?page=N`, read by the one rule of every paged list (`queries::PageNo`).
#[derive(Deserialize)]
pub(super) struct PageParams {
    pub page: Option<String>,
}

/// One row of `/reports`: what `queries/reports.rq` selects, typed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReportRow {
    report: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting: Option<String>,
    paragraphs: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    triples: Option<i64>,
}

/// A page of reports with what a client needs to walk the rest.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReportPage {
    pub reports: Vec<ReportRow>,
    /// Reports over all pages.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    pub pages: usize,
    pub page_size: usize,
}

impl ReportPage {
    /// The page before this one, if any.
    pub fn prev(&self) -> Option<usize> {
        (self.page > 1).then(|| self.page - 1)
    }

    /// The page after this one, if any.
    pub fn next(&self) -> Option<usize> {
        (self.page < self.pages).then(|| self.page + 1)
    }

    /// `Link` header values for `path` (`/reports`): `rel="next"`, `rel="prev"`.
    pub fn links(&self, path: &str) -> Vec<String> {
        let mut links = Vec::new();
        if let Some(n) = self.next() {
            links.push(format!("<{path}?page={n}>; rel=\"next\""));
        }
        if let Some(p) = self.prev() {
            links.push(format!("<{path}?page={p}>; rel=\"prev\""));
        }
        links
    }
}

/// `GET /reports`: one page as JSON, with `Link` headers to its neighbours.
async fn list(
    State(state): State<Shared>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let page = page(&state, PageNo::parse(p.page.as_deref())?).await?;
    let mut response = Json(json!({
        "reports": page.reports,
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "pageSize": page.page_size,
        "next": page.next().map(|n| format!("/reports?page={n}")),
        "prev": page.prev().map(|n| format!("/reports?page={n}")),
    }))
    .into_response();
    for link in page.links("/reports") {
        if let Ok(value) = header::HeaderValue::from_str(&link) {
            response.headers_mut().append(header::LINK, value);
        }
    }
    Ok(response)
}

/// Reads one page of the reports: the count and the page's rows in one turn of the
/// query runner (one slot, one deadline). 404 past the last page.
pub(super) async fn page(state: &Shared, page: PageNo) -> Result<ReportPage, ApiError> {
    let page = page.number();
    let offset = (page - 1) * PAGE_SIZE;
    let st = state.clone();
    let (total, reports) = state
        .runner
        .run(move |token| read_page(&*st.store, offset, token))
        .await?;
    let pages = total.div_ceil(PAGE_SIZE);
    if page > pages.max(1) {
        return Err(ApiError::NotFound(format!(
            "there is no page {page}: {total} reports make {pages} pages of {PAGE_SIZE}"
        )));
    }
    Ok(ReportPage {
        reports,
        total,
        page,
        pages,
        page_size: PAGE_SIZE,
    })
}

/// The number of reports and the rows of the page from `offset`; on a query thread.
fn read_page(
    store: &dyn Backend,
    offset: usize,
    token: CancellationToken,
) -> Result<(usize, Vec<ReportRow>), ApiError> {
    // How many there are: the summary's count, one lookup (counting the type index
    // took 12 ms at 10,000 reports, growing with them).
    let total = store.summary_count(&Key::Collection)?.reports.max(0);
    let rows = solutions(store.query_parsed(page_query(offset), token)?)?
        .map(|s| s.map(|s| report_row(&s)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(evaluation)?;
    Ok((usize::try_from(total).unwrap_or(0), rows))
}

fn solutions(results: QueryResults<'static>) -> Result<QuerySolutionIter<'static>, ApiError> {
    match results {
        QueryResults::Solutions(s) => Ok(s),
        _ => Err(ApiError::Internal("a reports query is not a SELECT".into())),
    }
}

/// An error met while reading results: a cancelled query stays a cancellation (503).
fn evaluation(e: oxigraph::sparql::QueryEvaluationError) -> ApiError {
    ApiError::from(StoreError::from(e))
}

/// The saved page query with its sub-select's slice set to `PAGE_SIZE` reports from
/// `offset`: set in the parsed query, so no query text is built from the request.
fn page_query(offset: usize) -> spargebra::Query {
    let mut query = PAGE_QUERY.clone();
    let spargebra::Query::Select { pattern, .. } = &mut query else {
        unreachable!("queries/reports.rq is a SELECT")
    };
    assert!(
        set_slice(pattern, offset, PAGE_SIZE),
        "queries/reports.rq has a LIMIT/OFFSET"
    );
    query
}

fn report_row(s: &QuerySolution) -> ReportRow {
    let text = |v: &str| match s.get(v) {
        Some(Term::NamedNode(n)) => Some(n.as_str().to_string()),
        Some(Term::Literal(l)) => Some(l.value().to_string()),
        Some(other) => Some(other.to_string()),
        None => None,
    };
    ReportRow {
        report: text("report").unwrap_or_default(),
        source_file: text("sourceFile"),
        title: text("title"),
        issued: text("issued"),
        meeting: text("meeting"),
        paragraphs: integer(s, "paragraphs").unwrap_or(0),
        triples: integer(s, "triples"),
    }
}

fn integer(s: &QuerySolution, var: &str) -> Option<i64> {
    match s.get(var) {
        Some(Term::Literal(l)) => l.value().parse().ok(),
        _ => None,
    }
}

async fn remove(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let key = report_key(&format!("{key}.txt")).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let st = state.clone();
    let existed = blocking(move || Ok(st.pipeline.remove(&*st.store, &key)?)).await?;
    Ok(if existed {
        StatusCode::NO_CONTENT.into_response()
    } else {
        ApiError::NotFound("no such report".into()).into_response()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every page sets the sub-select's slice, not another.
    #[test]
    fn a_page_sets_the_sub_selects_slice() {
        let text = page_query(300).to_string();
        assert!(
            text.contains("LIMIT 100") && text.contains("OFFSET 300"),
            "{text}"
        );
    }
}
