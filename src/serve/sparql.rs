//! The SPARQL 1.1 Protocol at `/sparql` (and `/query`, `/update` as Oxigraph names
//! them), with a service description on GET without a query.

use super::answer::Writer;
use super::negotiate::{negotiate, Format, RDF_FORMATS, RESULT_FORMATS};
use super::{authorize, blocking, ApiError, Shared};
use crate::store::{write_results, QueryOptions, StoreError, UpdateOptions};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{vocab::rdf, BlankNode, Literal, NamedNode, Triple};
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::QueryResults;

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
    /// `default-graph-uri` / `named-graph-uri`: a query's dataset.
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    /// `using-graph-uri` / `using-named-graph-uri`: the dataset of an update's `WHERE`.
    using_graphs: Vec<String>,
    using_named_graphs: Vec<String>,
    /// `format=csv|json|xml|tsv|ttl|nt|nq|trig|rdf|jsonld`: overrides `Accept`, for links
    /// that download results.
    format: Option<String>,
}

impl Params {
    /// Adds `other` (a form body) to these (the URL's): lists add up, and an operation
    /// or a format given in both is refused like one given twice in either.
    fn merge(mut self, other: Params) -> Result<Params, ApiError> {
        for (slot, value, name) in [
            (&mut self.query, other.query, "query"),
            (&mut self.update, other.update, "update"),
            (&mut self.format, other.format, "format"),
        ] {
            if let Some(v) = value {
                set_once(slot, v, name)?;
            }
        }
        self.default_graphs.extend(other.default_graphs);
        self.named_graphs.extend(other.named_graphs);
        self.using_graphs.extend(other.using_graphs);
        self.using_named_graphs.extend(other.using_named_graphs);
        Ok(self)
    }

    /// Refuses what a query request cannot carry: an update beside it, or an update's
    /// dataset (which would otherwise be dropped without a word).
    fn check_query(&self) -> Result<(), ApiError> {
        if self.update.is_some() {
            return Err(ApiError::BadRequest(
                "both 'query' and 'update' given: send one operation per request".into(),
            ));
        }
        if !self.using_graphs.is_empty() || !self.using_named_graphs.is_empty() {
            return Err(ApiError::BadRequest(
                "using-graph-uri and using-named-graph-uri are for updates; \
                 a query's dataset is default-graph-uri and named-graph-uri"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Refuses what an update request cannot carry: a query beside it, or a query's
    /// dataset.
    fn check_update(&self) -> Result<(), ApiError> {
        if self.query.is_some() {
            return Err(ApiError::BadRequest(
                "both 'query' and 'update' given: send one operation per request".into(),
            ));
        }
        if !self.default_graphs.is_empty() || !self.named_graphs.is_empty() {
            return Err(ApiError::BadRequest(
                "default-graph-uri and named-graph-uri are for queries; \
                 an update's dataset is using-graph-uri and using-named-graph-uri"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// The protocol takes one `query` or `update` per request: running one of several
/// would be a guess at which the client meant, so several are a 400.
fn set_once(slot: &mut Option<String>, value: String, name: &str) -> Result<(), ApiError> {
    if slot.replace(value).is_some() {
        return Err(ApiError::BadRequest(format!(
            "more than one '{name}' given: send one per request"
        )));
    }
    Ok(())
}

fn parse_params(encoded: &[u8]) -> Result<Params, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded)
        .map_err(|e| ApiError::BadRequest(format!("bad parameters: {e}")))?;
    let mut p = Params::default();
    for (k, v) in pairs {
        match k.as_str() {
            "query" => set_once(&mut p.query, v, "query")?,
            "update" => set_once(&mut p.update, v, "update")?,
            "default-graph-uri" => p.default_graphs.push(v),
            "named-graph-uri" => p.named_graphs.push(v),
            "using-graph-uri" => p.using_graphs.push(v),
            "using-named-graph-uri" => p.using_named_graphs.push(v),
            "format" => set_once(&mut p.format, v, "format")?,
            _ => {}
        }
    }
    Ok(p)
}

/// `format=` as the `Accept` it stands for: a short name (the README's and the editor's
/// download links) or a media type. `json` and `xml` name the results format for
/// SELECT and ASK and the RDF syntax of the same name for CONSTRUCT and DESCRIBE; a
/// format that does not fit the query's results is a 406, as the `Accept` would be.
fn format_as_accept(format: &str) -> Result<String, ApiError> {
    let lower = format.trim().to_ascii_lowercase();
    Ok(match lower.as_str() {
        "json" => "application/sparql-results+json, application/ld+json",
        "xml" => "application/sparql-results+xml, application/rdf+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "ttl" | "turtle" => "text/turtle",
        "nt" | "ntriples" => "application/n-triples",
        "nq" | "nquads" => "application/n-quads",
        "trig" => "application/trig",
        "rdf" | "rdfxml" => "application/rdf+xml",
        "jsonld" => "application/ld+json",
        m if m.contains('/') => return Ok(lower),
        _ => {
            return Err(ApiError::BadRequest(format!(
                "unknown format={format:?}: use csv, json, xml or tsv (SELECT, ASK), \
                 ttl, nt, nq, trig, rdf or jsonld (CONSTRUCT, DESCRIBE), or a media type"
            )))
        }
    }
    .to_string())
}

/// The `Accept` a response is negotiated with: `format=` when given, else the header.
fn wanted(params: &Params, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match &params.format {
        Some(f) => format_as_accept(f).map(Some),
        None => Ok(accept(headers)),
    }
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
    // A GET must change nothing (caches, crawlers and prefetching browsers send them):
    // the protocol takes updates by POST only.
    if params.update.is_some() {
        return Err(ApiError::BadRequest(
            "a SPARQL update must be sent by POST (a form with update=, or an \
             application/sparql-update body), not by GET"
                .into(),
        ));
    }
    let accept = wanted(&params, &headers)?;
    match params.query.clone() {
        Some(q) => run_query(state, q, params, accept).await,
        None => service_description(&state, accept.as_deref()),
    }
}

/// Reads a POSTed query or update: a form, or the operation as the body (the URL then
/// carries only the dataset and `format`).
fn read_post(
    headers: &HeaderMap,
    raw: Option<String>,
    body: &[u8],
    direct: &str,
) -> Result<Params, ApiError> {
    let params = parse_params(raw.unwrap_or_default().as_bytes())?;
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::BadRequest("the body is not UTF-8".into()))
    };
    let body_only = |params: &Params| {
        if params.query.is_some() || params.update.is_some() {
            return Err(ApiError::BadRequest(format!(
                "the {direct} is the body: the URL cannot carry a query or update too"
            )));
        }
        Ok(())
    };
    match content_type(headers).as_str() {
        "application/x-www-form-urlencoded" => params.merge(parse_params(body)?),
        "application/sparql-query" if direct == "query" => {
            body_only(&params)?;
            Ok(Params {
                query: Some(text()?),
                ..params
            })
        }
        "application/sparql-update" if direct == "update" => {
            body_only(&params)?;
            Ok(Params {
                update: Some(text()?),
                ..params
            })
        }
        "application/sparql-query" | "application/sparql-update" => {
            Err(ApiError::UnsupportedMediaType(format!(
                "this endpoint takes a SPARQL {direct}, not {}",
                content_type(headers)
            )))
        }
        other => Err(ApiError::UnsupportedMediaType(format!(
            "unsupported content type {other:?}: send application/sparql-{direct} or application/x-www-form-urlencoded"
        ))),
    }
}

async fn query_post(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params = read_post(&headers, raw, &body, "query")?;
    if params.update.is_some() {
        return Err(ApiError::BadRequest(
            "this endpoint takes queries: send updates to /update (or /sparql)".into(),
        ));
    }
    let q = params
        .query
        .clone()
        .ok_or_else(|| ApiError::BadRequest("missing 'query'".into()))?;
    let accept = wanted(&params, &headers)?;
    run_query(state, q, params, accept).await
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
        return run_update(state, &headers, u, params).await;
    }
    let q = params
        .query
        .clone()
        .ok_or_else(|| ApiError::BadRequest("missing 'query' or 'update'".into()))?;
    let accept = wanted(&params, &headers)?;
    run_query(state, q, params, accept).await
}

async fn update_post(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params = read_post(&headers, raw, &body, "update")?;
    if params.query.is_some() {
        return Err(ApiError::BadRequest(
            "this endpoint takes updates: send queries to /query (or /sparql)".into(),
        ));
    }
    let u = params
        .update
        .clone()
        .ok_or_else(|| ApiError::BadRequest("missing 'update'".into()))?;
    run_update(state, &headers, u, params).await
}

/// Runs an update with the protocol's `using-graph-uri` / `using-named-graph-uri`
/// applied to it (`UpdateOptions`).
async fn run_update(
    state: Shared,
    headers: &HeaderMap,
    update: String,
    params: Params,
) -> Result<Response, ApiError> {
    authorize(&state, headers)?;
    params.check_update()?;
    let options = UpdateOptions {
        using_graphs: iris(&params.using_graphs, "using-graph-uri")?,
        using_named_graphs: iris(&params.using_named_graphs, "using-named-graph-uri")?,
    };
    blocking(move || {
        state.store.update(&update, &options).map_err(|e| match e {
            StoreError::Syntax(e) => ApiError::BadRequest(format!("SPARQL syntax error: {e}")),
            StoreError::Update(e) => ApiError::BadRequest(format!("update failed: {e}")),
            e @ StoreError::UsingConflict => ApiError::BadRequest(e.to_string()),
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
    params.check_query()?;
    let options = QueryOptions {
        default_graphs: iris(&params.default_graphs, "default-graph-uri")?,
        named_graphs: iris(&params.named_graphs, "named-graph-uri")?,
        cancel: None,
        federation: state
            .config
            .allow_federation
            .then_some(state.config.query_timeout),
    };
    let shared = state.clone();
    let (media, body) = shared
        .runner
        .run_streamed(move |token| {
            let options = QueryOptions {
                cancel: Some(token),
                ..options
            };
            let results = state.store.query_with(&query, &options)?;
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
            let write: Writer = Box::new(move |out: &mut dyn std::io::Write| {
                write_results(results, rf, gf, out)?;
                Ok(())
            });
            Ok((format.media_type(), write))
        })
        .await?;
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
