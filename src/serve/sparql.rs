//! The SPARQL 1.1 Protocol at `/sparql` (and `/query`, `/update` as Oxigraph names
//! them), with a service description on GET without a query.

use super::negotiate::{negotiate, Format, RDF_FORMATS, RESULT_FORMATS};
use super::{authorize, blocking, on_query_thread, ApiError, Shared};
use crate::store::{write_results, QueryOptions, StoreError};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{vocab::rdf, BlankNode, Literal, NamedNode, Triple};
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/sparql", get(query_get).post(query_or_update_post))
        .route("/query", get(query_get).post(query_post))
        .route("/update", post(update_post))
}

/// The protocol's parameters, from a query string or a form body.
#[derive(Debug, Default)]
struct Params {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    /// `format=csv|json|xml|tsv|ttl|nt|nq|trig|rdf|jsonld`: overrides `Accept`, for links
    /// that download results.
    format: Option<String>,
}

fn parse_params(encoded: &[u8]) -> Result<Params, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded)
        .map_err(|e| ApiError::BadRequest(format!("bad parameters: {e}")))?;
    let mut p = Params::default();
    for (k, v) in pairs {
        match k.as_str() {
            "query" => p.query = Some(v),
            "update" => p.update = Some(v),
            "default-graph-uri" | "using-graph-uri" => p.default_graphs.push(v),
            "named-graph-uri" | "using-named-graph-uri" => p.named_graphs.push(v),
            "format" => p.format = Some(v),
            _ => {}
        }
    }
    Ok(p)
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn accept(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn query_get(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = parse_params(raw.unwrap_or_default().as_bytes())?;
    match params.query.clone() {
        Some(q) => run_query(state, q, params, accept(&headers)).await,
        None => service_description(&state, accept(&headers).as_deref()),
    }
}

/// Reads a POSTed query or update: a form, or the operation as the body.
fn read_post(
    headers: &HeaderMap,
    raw: Option<String>,
    body: &[u8],
    direct: &str,
) -> Result<Params, ApiError> {
    let mut params = parse_params(raw.unwrap_or_default().as_bytes())?;
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::BadRequest("the body is not UTF-8".into()))
    };
    match content_type(headers).as_str() {
        "application/x-www-form-urlencoded" => {
            let form = parse_params(body)?;
            params.query = form.query.or(params.query);
            params.update = form.update.or(params.update);
            params.default_graphs.extend(form.default_graphs);
            params.named_graphs.extend(form.named_graphs);
            params.format = form.format.or(params.format);
        }
        "application/sparql-query" if direct == "query" => params.query = Some(text()?),
        "application/sparql-update" if direct == "update" => params.update = Some(text()?),
        "application/sparql-query" | "application/sparql-update" => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "this endpoint takes a SPARQL {direct}, not {}",
                content_type(headers)
            )))
        }
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "unsupported content type {other:?}: send application/sparql-{direct} or application/x-www-form-urlencoded"
            )))
        }
    }
    Ok(params)
}

async fn query_post(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params = read_post(&headers, raw, &body, "query")?;
    let q = params
        .query
        .clone()
        .ok_or_else(|| ApiError::BadRequest("missing 'query'".into()))?;
    run_query(state, q, params, accept(&headers)).await
}

/// `/sparql` takes both: a direct update body or a form with `update=` is an update.
async fn query_or_update_post(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let direct = if content_type(&headers) == "application/sparql-update" {
        "update"
    } else {
        "query"
    };
    let params = read_post(&headers, raw, &body, direct)?;
    if let Some(u) = params.update.clone() {
        return run_update(state, &headers, u).await;
    }
    let q = params
        .query
        .clone()
        .ok_or_else(|| ApiError::BadRequest("missing 'query' or 'update'".into()))?;
    run_query(state, q, params, accept(&headers)).await
}

async fn update_post(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params = read_post(&headers, raw, &body, "update")?;
    let u = params
        .update
        .ok_or_else(|| ApiError::BadRequest("missing 'update'".into()))?;
    run_update(state, &headers, u).await
}

async fn run_update(
    state: Shared,
    headers: &HeaderMap,
    update: String,
) -> Result<Response, ApiError> {
    authorize(&state, headers)?;
    blocking(move || {
        state.store.update(&update).map_err(|e| match e {
            StoreError::Syntax(e) => ApiError::BadRequest(format!("SPARQL syntax error: {e}")),
            StoreError::Update(e) => ApiError::BadRequest(format!("update failed: {e}")),
            e => e.into(),
        })
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn iris(list: &[String], what: &str) -> Result<Vec<NamedNode>, ApiError> {
    list.iter()
        .map(|s| {
            NamedNode::new(s.as_str())
                .map_err(|e| ApiError::BadRequest(format!("{what} {s:?} is not an IRI: {e}")))
        })
        .collect()
}

async fn run_query(
    state: Shared,
    query: String,
    params: Params,
    accept: Option<String>,
) -> Result<Response, ApiError> {
    let options = QueryOptions {
        default_graphs: iris(&params.default_graphs, "default-graph-uri")?,
        named_graphs: iris(&params.named_graphs, "named-graph-uri")?,
        cancel: Some(CancellationToken::new()),
        federation: state
            .config
            .allow_federation
            .then_some(state.config.query_timeout),
    };
    let token = options.cancel.clone().unwrap();
    let waited_out = token.clone();
    let timeout = state.config.query_timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    // Cancels at the deadline even when this handler is dropped (client gone).
    let guard = tokio::spawn(async move {
        tokio::time::sleep_until(deadline).await;
        token.cancel();
    });
    let shared = state.clone();
    let work = on_query_thread(&shared, move || {
        // The wait for a query thread counts against the time limit.
        if waited_out.is_cancelled() {
            return Err(ApiError::Timeout(timeout));
        }
        let cancelled = |e: StoreError| match e {
            StoreError::Evaluation(QueryEvaluationError::Cancelled) => ApiError::Timeout(timeout),
            e => e.into(),
        };
        let results = state
            .store
            .query_with(&query, &options)
            .map_err(cancelled)?;
        let offers: Vec<Format> = match results {
            QueryResults::Graph(_) => RDF_FORMATS.iter().map(|f| Format::Rdf(*f)).collect(),
            _ => RESULT_FORMATS.iter().map(|f| Format::Results(*f)).collect(),
        };
        let format = negotiate(accept.as_deref(), &offers)?;
        let (rf, gf) = match format {
            Format::Results(f) => (f, RdfFormat::Turtle),
            Format::Rdf(f) => (QueryResultsFormat::Json, f),
            _ => unreachable!("only results and RDF formats are offered"),
        };
        let body = write_results(results, rf, gf, Vec::new()).map_err(cancelled)?;
        Ok((body, format.media_type()))
    });
    // The engine checks the token as it reads the store, which some plans (a cross
    // product over materialized sides) do rarely: the client gets its 503 at the
    // deadline all the same, and the query, cancelled, keeps its thread until it stops.
    let Ok(outcome) = tokio::time::timeout_at(deadline, work).await else {
        tracing::warn!("a query passed its time limit of {timeout:?} and is being stopped");
        return Err(ApiError::Timeout(timeout));
    };
    guard.abort();
    let (body, media) = outcome?;
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

/// A SPARQL 1.1 Service Description of this endpoint.
fn service_description(state: &Shared, accept: Option<&str>) -> Result<Response, ApiError> {
    let offers: Vec<Format> = RDF_FORMATS.iter().map(|f| Format::Rdf(*f)).collect();
    let Format::Rdf(format) = negotiate(accept, &offers)? else {
        unreachable!()
    };
    let sd = |l: &str| {
        NamedNode::new_unchecked(format!(
            "http://www.w3.org/ns/sparql-service-description#{l}"
        ))
    };
    let service = BlankNode::default();
    let dataset = BlankNode::default();
    let graph = BlankNode::default();
    let mut triples = vec![
        Triple::new(service.clone(), rdf::TYPE, sd("Service")),
        Triple::new(service.clone(), sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
        Triple::new(service.clone(), sd("defaultDataset"), dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd("Dataset")),
        Triple::new(dataset.clone(), sd("defaultGraph"), graph.clone()),
        Triple::new(graph, rdf::TYPE, sd("Graph")),
        Triple::new(
            service.clone(),
            NamedNode::new_unchecked("http://purl.org/dc/terms/description"),
            Literal::from("crimegraph: UN crime-congress reports as linked data. The default graph is the union of all graphs."),
        ),
    ];
    if state.config.update_token.is_some() {
        triples.push(Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ));
    }
    for f in RESULT_FORMATS {
        triples.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(f.iri()),
        ));
    }
    for f in RDF_FORMATS {
        triples.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(f.iri()),
        ));
    }
    let mut s = RdfSerializer::from_format(format).for_writer(Vec::new());
    for t in &triples {
        s.serialize_triple(t)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let body = s.finish().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, format.media_type())], body).into_response())
}
