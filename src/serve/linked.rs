//! Linked data: every IRI under the base dereferences here (`/id/...`, `/ontology`),
//! as HTML for browsers and as RDF by `Accept` or by extension (`/id/state/FRA.ttl`);
//! dumps streamed as they are written; a VoID description.

use super::answer::Writer;
use super::negotiate::{negotiate, rdf_format_of_extension, Format, RDF_FORMATS};
use super::queries::PageNo;
use super::{ApiError, Shared};
use crate::map::summary::Key;
use crate::reference::CG;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple,
};
use oxigraph::sparql::{CancellationToken, QueryResults};
use serde::Deserialize;
use std::collections::HashSet;
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

/// `?page=N` of a description: which sample of the triples pointing at it.
#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
}

async fn resource(
    State(state): State<Shared>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(path): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let (path, ext) = split_extension(&path);
    if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(ApiError::NotFound("no such resource".into()));
    }
    // The path becomes an IRI only if it is one (`/id/x%3E%20y` is not): checked before
    // any use, then read through the store's indexes (and bound in the parsed queries of
    // the HTML page), never written into query text.
    let iri = NamedNode::new(format!("{}{path}", state.pipeline.base().id("").as_str()))
        .map_err(|_| ApiError::NotFound("no such resource".into()))?;
    let page = PageNo::parse(p.page.as_deref())?;
    let format = pick(&headers, ext)?;
    let here = Here {
        local: format!("/id/{path}"),
        // As the client wrote it (still percent-encoded, so ASCII): the pages' links.
        path: uri.path().to_string(),
        page,
    };
    describe(state, iri, format, here).await
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

/// Triples pointing at a resource that one page of its description carries: a crime
/// type is the object of every mention of it (2.9 MB of Turtle at 10,000 reports before
/// this bound), so the rest is a `Link: <…?page=2>; rel="next"` away.
const INCOMING_PAGE: usize = 500;
/// A resource's own triples kept at most: a guard, none has nearly as many.
const OWN_LIMIT: usize = 2_000;
const SKOS_BROADER: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#broader");

/// Where a description was asked for.
struct Here {
    /// `/id/state/EGY`, without extension: the HTML page's own path.
    local: String,
    /// The request path, extension included, percent-encoded: where the pages are.
    path: String,
    page: PageNo,
}

/// What one page of a description holds.
struct Description {
    triples: Vec<Triple>,
    /// Whether another page of triples pointing at the resource follows.
    more: bool,
    /// Whether this page has any triple pointing at the resource.
    any_incoming: bool,
}

/// A resource's own triples, a page of the triples that point at it, and the labels of
/// everything they name, read from the store's indexes (no query text), with `Link`
/// headers to the pages before and after; the description names the next page with
/// `rdfs:seeAlso`, for clients that read no headers.
async fn describe(
    state: Shared,
    iri: NamedNode,
    format: Format,
    here: Here,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let subject = iri.clone();
    // A page of a description is a page of the triples pointing at it; the HTML page's
    // `?page=N` pages its own lists instead, over the first sample.
    let page = if format == Format::Html {
        1
    } else {
        here.page.number()
    };
    let html = format == Format::Html;
    let mut d = state
        .runner
        .run(move |token| read_description(&st, &subject, page, html, &token))
        .await?;
    if d.triples.is_empty() || (page > 1 && !d.any_incoming) {
        return Err(ApiError::NotFound(if page > 1 {
            format!("<{iri}> has no page {page} of triples pointing at it")
        } else {
            format!("nothing is known about <{iri}>")
        }));
    }
    let next = format!("{}?page={}", here.path, page + 1);
    if d.more {
        let public = state.config.public_url.as_deref().unwrap_or("");
        if let Ok(more) = NamedNode::new(format!("{public}{next}")) {
            d.triples
                .push(Triple::new(iri.clone(), rdfs::SEE_ALSO, more));
        }
    }
    let mut response = respond(state, iri.as_str(), d.triples, format, &here).await?;
    let mut links = Vec::new();
    if d.more {
        links.push(format!("<{next}>; rel=\"next\""));
    }
    if page > 1 {
        links.push(format!("<{}?page={}>; rel=\"prev\"", here.path, page - 1));
    }
    for link in links {
        if let Ok(value) = header::HeaderValue::from_str(&link) {
            response.headers_mut().append(header::LINK, value);
        }
    }
    Ok(response)
}

/// Reads one page of a description; runs on a query thread. For an HTML page whose
/// tables say what points at the resource (`pages::shows_own_tables`), the triples
/// pointing at it are only its narrower concepts (`skos:broader`), all of them: in a
/// sample of everything pointing at a crime type, mentions crowded them out.
fn read_description(
    state: &Shared,
    iri: &NamedNode,
    page: usize,
    html: bool,
    token: &CancellationToken,
) -> Result<Description, ApiError> {
    let store = &state.store;
    let mut triples = store.triples_with_subject(iri, OWN_LIMIT)?;
    let (incoming, more) = if html && super::pages::shows_own_tables(iri, &triples) {
        let (narrower, _) =
            store.triples_with_object(iri, Some(&SKOS_BROADER.into_owned()), 0, OWN_LIMIT)?;
        (narrower, false)
    } else {
        let skip = (page - 1).saturating_mul(INCOMING_PAGE);
        store.triples_with_object(iri, None, skip, INCOMING_PAGE)?
    };
    let any_incoming = !incoming.is_empty();
    triples.extend(incoming);
    // The labels of what the triples name, each looked up once.
    let mut seen = HashSet::new();
    let named: Vec<NamedOrBlankNode> = triples
        .iter()
        .flat_map(|t| {
            let object = match &t.object {
                Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
                Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
                _ => None,
            };
            [Some(t.subject.clone()), object]
        })
        .flatten()
        .filter(|n| n.as_ref() != NamedOrBlankNodeRef::from(iri.as_ref()))
        .filter(|n| seen.insert(n.clone()))
        .collect();
    if token.is_cancelled() {
        return Err(ApiError::Cancelled);
    }
    let labels = store.labels_of(&named)?;
    for node in named {
        if let Some(label) = labels.get(&node) {
            triples.push(Triple::new(node, rdfs::LABEL, label.clone()));
        }
    }
    Ok(Description {
        triples,
        more,
        any_incoming,
    })
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
    let here = Here {
        local: "/ontology".into(),
        path: "/ontology".into(),
        page: PageNo::default(),
    };
    respond(state, &iri, triples, format, &here).await
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
    here: &Here,
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
        Format::Html => super::pages::entity(state, iri, &triples, &here.local, here.page).await,
        _ => Err(ApiError::NotAcceptable("unsupported format".into())),
    }
}

/// Streams a dump through the dumps' runner (`AppState::dumps`): a slot of its own, its
/// own time limit (`--dump-timeout`), never whole in memory; a client that leaves stops
/// the writing at its next chunk, and one past the time limit is cut, as a streamed
/// answer is (`answer`).
async fn dump(State(state): State<Shared>, format: RdfFormat) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let (media, body) = state
        .dumps
        .run_streamed(move |_token| {
            let write: Writer = Box::new(move |out: &mut dyn Write| {
                store.export(format, None, out)?;
                Ok(())
            });
            Ok((format.media_type(), write))
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

/// The triples VoID counts: every graph's but the summary's (counts derived from the
/// others), kept by the summary itself (`map::summary::Key::Collection`): one lookup,
/// where summing the reports' `cg:tripleCount` took 0.44 s at 10,000 reports.
fn dataset_triples(state: &Shared) -> Result<usize, ApiError> {
    let all = state.store.summary_count(&Key::Collection)?;
    Ok(usize::try_from(all.triples).unwrap_or(0))
}

/// VoID (and DCAT) description of the dataset: its own facts, made in Rust. Addresses
/// come from `--public-url`, never from the request (a `Host` header is the client's
/// to forge); there is no list of graphs (one per report, 2.3 MB at 10,000 reports):
/// `/reports` pages through them.
async fn void(State(state): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let offers: Vec<Format> = RDF_FORMATS.iter().map(|f| Format::Rdf(*f)).collect();
    let Format::Rdf(format) = negotiate(
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
        &offers,
    )?
    else {
        unreachable!()
    };
    let st = state.clone();
    let count = state.runner.run(move |_| dataset_triples(&st)).await?;
    let public = state
        .config
        .public_url
        .as_deref()
        .unwrap_or("http://localhost");
    let triples = void_triples(state.pipeline.base().id("").as_str(), public, count)
        .map_err(|e| ApiError::Internal(format!("--public-url: {e}")))?;
    let mut s = oxigraph::io::RdfSerializer::from_format(format).for_writer(Vec::new());
    for t in &triples {
        s.serialize_triple(t)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let body = s.finish().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, format.media_type())], body).into_response())
}

/// The VoID / DCAT triples of the dataset `{id}dataset` served at `public`.
fn void_triples(
    id: &str,
    public: &str,
    count: usize,
) -> Result<Vec<Triple>, oxigraph::model::IriParseError> {
    const VOID: &str = "http://rdfs.org/ns/void#";
    const DCAT: &str = "http://www.w3.org/ns/dcat#";
    const DCTERMS: &str = "http://purl.org/dc/terms/";
    let iri = |s: String| NamedNode::new(s);
    let dataset = iri(format!("{id}dataset"))?;
    let at = |path: &str| iri(format!("{public}{path}"));
    let mut t = Vec::new();
    let mut add = |p: String, o: Term| {
        t.push(Triple::new(dataset.clone(), NamedNode::new_unchecked(p), o));
    };
    add(
        rdf::TYPE.as_str().to_string(),
        iri(format!("{VOID}Dataset"))?.into(),
    );
    add(
        rdf::TYPE.as_str().to_string(),
        iri(format!("{DCAT}Dataset"))?.into(),
    );
    add(
        format!("{DCTERMS}title"),
        Literal::from("crimegraph").into(),
    );
    add(
        format!("{DCTERMS}description"),
        Literal::from(
            "Reports of the United Nations crime-prevention process as a knowledge graph.",
        )
        .into(),
    );
    add(format!("{VOID}triples"), Literal::from(count as i64).into());
    add(format!("{VOID}sparqlEndpoint"), at("/sparql")?.into());
    add(format!("{VOID}dataDump"), at("/dump.nq")?.into());
    add(format!("{VOID}dataDump"), at("/dump.trig")?.into());
    add(format!("{DCAT}distribution"), at("/dump.nq")?.into());
    add(format!("{VOID}uriSpace"), Literal::from(id).into());
    // The reports, each a graph of its own, a page at a time.
    add(rdfs::SEE_ALSO.as_str().to_string(), at("/reports")?.into());
    for vocabulary in [
        "https://w3id.org/crimegraph/ontology#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://purl.org/dc/terms/",
        "http://schema.org/",
        "http://www.w3.org/ns/prov#",
    ] {
        add(format!("{VOID}vocabulary"), iri(vocabulary.into())?.into());
    }
    Ok(t)
}
