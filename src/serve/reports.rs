//! Ingest over HTTP: `POST /reports` stores a report file atomically (through the same
//! `ingest` pipeline as the CLI), `GET /reports` lists them, `DELETE /reports/{key}`
//! removes one.

use super::{authorize, blocking, ApiError, Shared};
use crate::ingest::{report_key, IngestError};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::json;

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
            .ingest_bytes(&st.store, &name, &body)
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

async fn list(State(state): State<Shared>) -> Result<Json<serde_json::Value>, ApiError> {
    let rows = super::queries::select(&state, "reports", &[]).await?;
    Ok(Json(json!({ "reports": rows })))
}

async fn remove(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let key = report_key(&format!("{key}.txt")).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let st = state.clone();
    let existed = blocking(move || Ok(st.pipeline.remove(&st.store, &key)?)).await?;
    Ok(if existed {
        StatusCode::NO_CONTENT.into_response()
    } else {
        ApiError::NotFound("no such report".into()).into_response()
    })
}
