//! The SPARQL 1.1 Graph Store HTTP Protocol at `/store` (`?graph=IRI` or `?default`):
//! GET for anyone, PUT / POST / DELETE with the update token.

use super::answer::Writer;
use super::negotiate::{negotiate, Format, RDF_FORMATS};
use super::{authorize, blocking, ApiError, Shared};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;

pub fn router() -> Router<Shared> {
    Router::new().route(
        "/store",
        get(get_graph)
            .put(put_graph)
            .post(post_graph)
            .delete(delete_graph),
    )
}

/// `None` for the default graph.
fn target(raw: Option<String>) -> Result<Option<NamedNode>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw.unwrap_or_default())
        .map_err(|e| ApiError::BadRequest(format!("bad parameters: {e}")))?;
    if let Some((_, g)) = pairs.iter().find(|(k, _)| k == "graph") {
        return NamedNode::new(g.as_str())
            .map(Some)
            .map_err(|e| ApiError::BadRequest(format!("graph {g:?} is not an IRI: {e}")));
    }
    if pairs.iter().any(|(k, _)| k == "default") {
        return Ok(None);
    }
    Err(ApiError::BadRequest(
        "name the graph: ?graph=IRI or ?default".into(),
    ))
}

async fn get_graph(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let graph = target(raw)?;
    let offers: Vec<Format> = RDF_FORMATS
        .iter()
        .filter(|f| !f.supports_datasets() || matches!(f, RdfFormat::JsonLd { .. }))
        .map(|f| Format::Rdf(*f))
        .collect();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let Format::Rdf(format) = negotiate(accept, &offers)? else {
        unreachable!()
    };
    // Through the query runner, streamed: a graph (the topic summary's, the reference
    // data) can be far larger than an answer should be held whole, and reading it is a
    // query like any other (a slot, the time limit, the memory budget).
    let shared = state.clone();
    let (media, body) = shared
        .runner
        .run_streamed(move |_token| {
            if let Some(g) = &graph {
                if !state.store.contains_graph(g)? {
                    return Err(ApiError::NotFound(format!("no graph <{g}>")));
                }
            }
            let write: Writer = Box::new(move |out: &mut dyn std::io::Write| {
                state.store.export_graph(format, graph.as_ref(), out)?;
                Ok(())
            });
            Ok((format.media_type(), write))
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

fn body_format(headers: &HeaderMap) -> Result<RdfFormat, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = ct.split(';').next().unwrap_or("").trim();
    RdfFormat::from_media_type(media)
        .filter(|f| !f.supports_datasets() || matches!(f, RdfFormat::JsonLd { .. }))
        .ok_or_else(|| {
            ApiError::UnsupportedMediaType(format!(
                "cannot read {media:?} as a graph: send Turtle, N-Triples, RDF/XML or JSON-LD"
            ))
        })
}

async fn write_graph(
    state: Shared,
    headers: HeaderMap,
    raw: Option<String>,
    body: Bytes,
    append: bool,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let graph = target(raw)?;
    let format = body_format(&headers)?;
    blocking(move || {
        state
            .store
            .load_graph(graph.as_ref(), format, &body, append)
            .map_err(|e| match e {
                crate::store::StoreError::Load(e) => ApiError::BadRequest(format!("bad RDF: {e}")),
                e => e.into(),
            })
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn put_graph(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    write_graph(state, headers, raw, body, false).await
}

async fn post_graph(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    write_graph(state, headers, raw, body, true).await
}

async fn delete_graph(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let graph =
        target(raw)?.ok_or_else(|| ApiError::BadRequest("DELETE takes ?graph=IRI".into()))?;
    let existed = blocking(move || Ok(state.store.remove_graph(&graph)?)).await?;
    Ok(if existed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
    .into_response())
}
