//! Linked data: every IRI under the base dereferences here (`/id/...`, `/ontology`),
//! as HTML for browsers and as RDF by `Accept` or by extension (`/id/state/FRA.ttl`);
//! dumps streamed as they are written; a VoID description.

use super::negotiate::{negotiate, rdf_format_of_extension, Format, RDF_FORMATS};
use super::{ApiError, Shared};
use crate::reference::CG;
use crate::store::write_results;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::RdfFormat;
use oxigraph::model::Triple;
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::QueryResults;
use std::io::Write;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/id/{*path}", get(resource))
        .route("/ontology", get(ontology))
        .route("/ontology.{ext}", get(ontology_ext))
        .route(
            "/dump.nq",
            get(|s: State<Shared>| dump(s, RdfFormat::NQuads)),
        )
        .route(
            "/dump.trig",
            get(|s: State<Shared>| dump(s, RdfFormat::TriG)),
        )
        .route("/.well-known/void", get(void))
}

/// Splits a known RDF extension off the last segment.
fn split_extension(path: &str) -> (&str, Option<RdfFormat>) {
    if let Some((stem, ext)) = path.rsplit_once('.') {
        if !stem.is_empty() && !ext.contains('/') {
            if let Some(f) = rdf_format_of_extension(ext) {
                return (stem, Some(f));
            }
        }
    }
    (path, None)
}

fn pick(headers: &HeaderMap, by_extension: Option<RdfFormat>) -> Result<Format, ApiError> {
    if let Some(f) = by_extension {
        return Ok(Format::Rdf(f));
    }
    let mut offers = vec![Format::Rdf(RdfFormat::Turtle), Format::Html];
    offers.extend(RDF_FORMATS.iter().skip(1).map(|f| Format::Rdf(*f)));
    negotiate(
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
        &offers,
    )
}

async fn resource(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let (path, ext) = split_extension(&path);
    if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(ApiError::NotFound("no such resource".into()));
    }
    let iri = state.pipeline.base().id(path);
    let format = pick(&headers, ext)?;
    describe(
        state,
        iri.as_str().to_string(),
        format,
        format!("/id/{path}"),
    )
    .await
}

async fn ontology(State(state): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let format = pick(&headers, None)?;
    describe_ontology(state, format).await
}

async fn ontology_ext(
    State(state): State<Shared>,
    Path(ext): Path<String>,
) -> Result<Response, ApiError> {
    let f = rdf_format_of_extension(&ext)
        .ok_or_else(|| ApiError::NotFound(format!("no format .{ext}")))?;
    describe_ontology(state, Format::Rdf(f)).await
}

/// A resource's own triples, the triples that point at it, and the labels of everything
/// they name: one query.
fn describe_query(iri: &str) -> String {
    format!(
        r#"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ <{iri}> ?p ?o . ?o rdfs:label ?ol . ?s ?q <{iri}> . ?s rdfs:label ?sl . }}
WHERE {{
  {{ <{iri}> ?p ?o . OPTIONAL {{ ?o rdfs:label ?ol }} }}
  UNION
  {{ ?s ?q <{iri}> . OPTIONAL {{ ?s rdfs:label ?sl }} }}
}}"#
    )
}

async fn describe(
    state: Shared,
    iri: String,
    format: Format,
    local: String,
) -> Result<Response, ApiError> {
    let triples = construct(&state, describe_query(&iri)).await?;
    if triples.is_empty() {
        return Err(ApiError::NotFound(format!(
            "nothing is known about <{iri}>"
        )));
    }
    respond(state, &iri, triples, format, &local).await
}

async fn describe_ontology(state: Shared, format: Format) -> Result<Response, ApiError> {
    let graph = state.pipeline.base().reference_graph();
    let query = format!(
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{}> {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{}\")) }} }}",
        graph.as_str(),
        CG.trim_end_matches('#')
    );
    let triples = construct(&state, query).await?;
    let iri = CG.trim_end_matches('#').to_string();
    respond(state, &iri, triples, format, "/ontology").await
}

/// Runs a CONSTRUCT and collects its triples.
async fn construct(state: &Shared, query: String) -> Result<Vec<Triple>, ApiError> {
    let st = state.clone();
    state
        .runner
        .run(move |token| {
            let QueryResults::Graph(triples) = st.store.query(&query, Some(token))? else {
                return Err(ApiError::Internal("not a CONSTRUCT".into()));
            };
            triples
                .collect::<Result<Vec<Triple>, _>>()
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await
}

async fn respond(
    state: Shared,
    iri: &str,
    triples: Vec<Triple>,
    format: Format,
    local: &str,
) -> Result<Response, ApiError> {
    match format {
        Format::Rdf(f) => {
            let mut s = oxigraph::io::RdfSerializer::from_format(f).for_writer(Vec::new());
            for t in &triples {
                s.serialize_triple(t)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
            }
            let body = s.finish().map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(([(header::CONTENT_TYPE, f.media_type())], body).into_response())
        }
        Format::Html => super::pages::entity(state, iri, &triples, local).await,
        _ => Err(ApiError::NotAcceptable("unsupported format".into())),
    }
}

/// Streams a dump: the store is written on a blocking thread into a channel, chunk by
/// chunk, never whole in memory.
async fn dump(State(state): State<Shared>, format: RdfFormat) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(16);
    tokio::task::spawn_blocking(move || {
        let writer = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(1 << 16),
        };
        let result = state.store.export(format, None, writer).and_then(|mut w| {
            w.flush()?;
            Ok(())
        });
        if let Err(e) = result {
            tracing::error!(error = %e, "dump failed");
            let _ = tx.blocking_send(Err(std::io::Error::other("dump failed")));
        }
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    ([(header::CONTENT_TYPE, format.media_type())], body).into_response()
}

struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 1 << 16 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(1 << 16));
            self.tx.blocking_send(Ok(chunk)).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away")
            })?;
        }
        Ok(())
    }
}

/// VoID (and DCAT) description of the dataset.
async fn void(State(state): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let offers: Vec<Format> = RDF_FORMATS.iter().map(|f| Format::Rdf(*f)).collect();
    let Format::Rdf(format) = negotiate(
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
        &offers,
    )?
    else {
        unreachable!()
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    let id = state.pipeline.base().id("").as_str().to_string();
    let st = state.clone();
    let body = state.runner.run(move |token| {
        let triples = st.store.len()?;
        let query = format!(
            r#"PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT {{
  <{id}dataset> a void:Dataset, dcat:Dataset ;
    dcterms:title "crimegraph" ;
    dcterms:description "Reports of the United Nations crime-prevention process as a knowledge graph." ;
    void:triples {triples} ;
    void:sparqlEndpoint <http://{host}/sparql> ;
    void:dataDump <http://{host}/dump.nq>, <http://{host}/dump.trig> ;
    void:uriSpace "{id}" ;
    void:vocabulary <https://w3id.org/crimegraph/ontology#>, <http://www.w3.org/2004/02/skos/core#>, <http://purl.org/dc/terms/>, <http://schema.org/>, <http://www.w3.org/ns/prov#> ;
    dcat:distribution <http://{host}/dump.nq> ;
    void:subset ?graph .
  ?graph a void:Dataset .
}} WHERE {{ OPTIONAL {{ GRAPH ?graph {{ }} }} }}"#
        );
        let results = st.store.query(&query, Some(token))?;
        Ok(write_results(results, QueryResultsFormat::Json, format, Vec::new())?)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, format.media_type())], body).into_response())
}
