//! axum: the SPARQL endpoint. Oxigraph calls block, so they run in
//! `spawn_blocking`; a query past its time limit is cancelled with oxigraph's
//! `CancellationToken`.

use crate::store::{write_results, GraphStore, StoreError};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::CancellationToken;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub store: GraphStore,
    pub query_timeout: Duration,
}

/// One error type for every handler: user mistakes get a 4xx and a message that helps;
/// internal failures a 500 with no internals (logged).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("the query ran longer than {0:?} and was stopped")]
    Timeout(Duration),
    #[error("internal error")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{self}\n"),
        )
            .into_response()
    }
}

/// The application: every route, so tests can drive it without `main`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/sparql", get(sparql_get).post(sparql_post))
        .layer(DefaultBodyLimit::max(1 << 20))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(Arc::new(state))
}

#[derive(Deserialize)]
struct QueryParams {
    query: Option<String>,
}

async fn sparql_get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<QueryParams>,
) -> Result<Response, ApiError> {
    let query = params
        .query
        .ok_or_else(|| ApiError::BadRequest("missing 'query' parameter".into()))?;
    run_query(state, query, &headers).await
}

async fn sparql_post(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let query = match content_type.as_str() {
        "application/sparql-query" => String::from_utf8(body.to_vec()).map_err(|_| ApiError::BadRequest("the query is not UTF-8".into()))?,
        "application/x-www-form-urlencoded" => {
            let params: QueryParams = serde_urlencoded::from_bytes(&body).map_err(|e| ApiError::BadRequest(format!("bad form body: {e}")))?;
            params.query.ok_or_else(|| ApiError::BadRequest("missing 'query' parameter".into()))?
        }
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "unsupported content type {other:?}: send application/sparql-query or application/x-www-form-urlencoded"
            )))
        }
    };
    run_query(state, query, &headers).await
}

async fn run_query(
    state: Arc<AppState>,
    query: String,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let token = CancellationToken::new();
    let timeout = state.query_timeout;
    let cancel = token.clone();
    let task = tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, String), ApiError> {
        let query_error = |e| query_error(e, timeout);
        let results = state
            .store
            .query(&query, Some(cancel))
            .map_err(query_error)?;
        let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
        let (results_format, graph_format, content_type) = negotiate(&accept, is_graph)?;
        let body = write_results(results, results_format, graph_format, Vec::new())
            .map_err(query_error)?;
        Ok((body, content_type))
    });
    let guard = tokio::spawn(async move {
        tokio::time::sleep(timeout).await;
        token.cancel();
    });
    let outcome = task.await.map_err(|e| ApiError::Internal(e.to_string()));
    guard.abort();
    let (body, content_type) = outcome??;
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

fn query_error(e: StoreError, timeout: Duration) -> ApiError {
    match e {
        StoreError::Syntax(e) => ApiError::BadRequest(format!("SPARQL syntax error: {e}")),
        StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::Cancelled) => {
            ApiError::Timeout(timeout)
        }
        e => ApiError::Internal(e.to_string()),
    }
}

/// Picks the results format from `Accept`: SPARQL JSON by default, 406 when nothing offered fits.
fn negotiate(
    accept: &str,
    is_graph: bool,
) -> Result<(QueryResultsFormat, RdfFormat, String), ApiError> {
    let offered: Vec<&str> = accept
        .split(',')
        .map(|s| s.split(';').next().unwrap_or("").trim())
        .filter(|s| !s.is_empty())
        .collect();
    if is_graph {
        for media in &offered {
            if matches!(*media, "*/*" | "text/*") {
                break;
            }
            if let Some(f) = RdfFormat::from_media_type(media) {
                return Ok((QueryResultsFormat::Json, f, f.media_type().to_string()));
            }
        }
        if offered.is_empty()
            || offered
                .iter()
                .any(|m| matches!(*m, "*/*" | "text/*" | "application/*"))
        {
            return Ok((
                QueryResultsFormat::Json,
                RdfFormat::Turtle,
                RdfFormat::Turtle.media_type().to_string(),
            ));
        }
    } else {
        for media in &offered {
            if let Some(f) = QueryResultsFormat::from_media_type(media) {
                return Ok((f, RdfFormat::Turtle, f.media_type().to_string()));
            }
        }
        if offered.is_empty()
            || offered
                .iter()
                .any(|m| matches!(*m, "*/*" | "application/*" | "application/json"))
        {
            return Ok((
                QueryResultsFormat::Json,
                RdfFormat::Turtle,
                QueryResultsFormat::Json.media_type().to_string(),
            ));
        }
    }
    Err(ApiError::NotAcceptable(format!(
        "cannot answer in any of {accept:?}"
    )))
}
