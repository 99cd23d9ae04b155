//! The SPARQL page: the saved questions as examples, results as a table with IRIs shown
//! by label, CONSTRUCT results as Turtle, errors next to the query. Runs on the server,
//! through the query runner like every other route.

use super::{render, saved_list};
use crate::map::{DCTERMS, PROV, SCHEMA};
use crate::reference::{CG, SKOS};
use crate::serve::queries::SAVED;
use crate::serve::{ApiError, Shared};
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::Value as Jv;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// What the JavaScript editor (YASGUI, `static/editor-yasgui.js`) is given: the
/// prefixes a query here uses, the ontology's classes and properties to complete, the
/// saved questions as examples, and the query to open with.
#[derive(serde::Serialize)]
struct EditorSetup<'a> {
    endpoint: &'static str,
    prefixes: Vec<(&'static str, String)>,
    classes: &'a [String],
    properties: &'a [String],
    examples: Vec<(String, &'static str)>,
    query: &'a str,
}

/// The classes and properties of `ontology/crimegraph.ttl`, and the standard ones the
/// data model uses, each once: read from the built-in Turtle at first use.
static TERMS: std::sync::LazyLock<(Vec<String>, Vec<String>)> = std::sync::LazyLock::new(|| {
    let mut classes = BTreeSet::new();
    // The standard properties the mapping writes (`map`), under the namespaces it uses.
    let standard = [
        (RDF, "type"),
        (RDF, "value"),
        (RDFS, "label"),
        (SKOS, "altLabel"),
        (SKOS, "broader"),
        (DCTERMS, "title"),
        (DCTERMS, "issued"),
        (DCTERMS, "identifier"),
        (DCTERMS, "isPartOf"),
        (PROV, "wasDerivedFrom"),
        (OWL, "sameAs"),
        (SCHEMA, "location"),
        (SCHEMA, "startDate"),
        (SCHEMA, "endDate"),
    ];
    let mut properties: BTreeSet<String> = standard
        .iter()
        .map(|(ns, local)| format!("{ns}{local}"))
        .collect();
    for triple in oxttl::TurtleParser::new().for_slice(crate::reference::SCHEMA_TTL.as_bytes()) {
        let Ok(t) = triple else { continue };
        let (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
            (&t.subject, &t.object)
        else {
            continue;
        };
        if t.predicate != oxigraph::model::vocab::rdf::TYPE || !s.as_str().starts_with(CG) {
            continue;
        }
        match o.as_str().strip_prefix(OWL) {
            Some("Class") => classes.insert(s.as_str().to_string()),
            Some("ObjectProperty" | "DatatypeProperty") => {
                properties.insert(s.as_str().to_string())
            }
            _ => false,
        };
    }
    (
        classes.into_iter().collect(),
        properties.into_iter().collect(),
    )
});

/// The setup of the JavaScript editor as JSON, for a `<script type="application/json">`
/// (data, not script: the Content-Security-Policy runs no inline script).
fn editor_setup(state: &Shared, query: &str) -> String {
    let id = state.pipeline.base().id("");
    let prefixes = vec![
        ("cg", CG.to_string()),
        ("id", id.as_str().to_string()),
        ("rdf", RDF.into()),
        ("rdfs", RDFS.into()),
        ("skos", SKOS.into()),
        ("dcterms", DCTERMS.into()),
        ("prov", PROV.into()),
        ("schema", SCHEMA.into()),
        ("owl", OWL.into()),
        ("xsd", "http://www.w3.org/2001/XMLSchema#".into()),
    ];
    let examples = saved_list()
        .into_iter()
        .filter_map(|s| {
            let text = SAVED.iter().find(|(n, _)| *n == s.name)?.1;
            Some((s.question, text))
        })
        .collect();
    let setup = EditorSetup {
        endpoint: "/sparql",
        prefixes,
        classes: &TERMS.0,
        properties: &TERMS.1,
        examples,
        query,
    };
    // No `<` in the JSON as written into the page (`</script>` or `<!--` could end or
    // change the script element): JSON reads `\u003c` as the same character.
    serde_json::to_string(&setup)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[derive(Deserialize)]
pub(super) struct EditorParams {
    name: Option<String>,
    query: Option<String>,
}

/// The SPARQL page: the saved questions as examples, results as a table with IRIs shown
/// by label, CONSTRUCT results as Turtle, errors next to the query. Runs on the server.
pub(super) async fn sparql_editor(
    State(state): State<Shared>,
    Query(p): Query<EditorParams>,
) -> Result<Response, ApiError> {
    let name = p.name.clone().unwrap_or_default();
    let query = match p.query.filter(|q| !q.trim().is_empty()) {
        Some(q) => q,
        None => SAVED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, q)| q.to_string())
            .unwrap_or_default(),
    };
    let ran = !query.trim().is_empty();
    let mut ctx = BTreeMap::new();
    ctx.insert("saved", Jv::from_serialize(saved_list()));
    ctx.insert("name", Jv::from(name));
    ctx.insert("query", Jv::from(query.clone()));
    ctx.insert("ran", Jv::from(ran));
    ctx.insert("setup", Jv::from(editor_setup(&state, &query)));
    ctx.insert("boolean", Jv::from(()));
    if ran {
        let st = state.clone();
        let outcome = state
            .runner
            .run(move |token| -> Result<Result<Outcome, String>, ApiError> {
                let results = match st.store.query(&query, Some(token.clone())) {
                    Ok(r) => r,
                    Err(e) => return Ok(Err(ApiError::from(e).to_string())),
                };
                Ok(outcome_of(&st, results, token).map_err(|e| e.to_string()))
            })
            .await;
        // Past the time limit the editor says so, with the query still in its box.
        let outcome = match outcome {
            Err(e @ ApiError::Timeout(_)) => Ok(Err(e.to_string())),
            other => other,
        };
        match outcome? {
            Ok(Outcome::Table { columns, rows }) => {
                ctx.insert("columns", Jv::from_serialize(columns));
                ctx.insert("rows", Jv::from_serialize(rows));
            }
            Ok(Outcome::Boolean(b)) => {
                ctx.insert("boolean", Jv::from(b));
            }
            Ok(Outcome::Turtle(t)) => {
                ctx.insert("turtle", Jv::from(t));
            }
            Err(e) => {
                ctx.insert("error", Jv::from(e));
            }
        }
    }
    let mut page = render(&state, "sparql.html", Jv::from_serialize(&ctx))?;
    page.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(EDITOR_CSP),
    );
    Ok(page)
}

/// The site's policy, but for inline style: YASGUI (CodeMirror, its result table) writes
/// `style` attributes as it lays out the editor. Scripts stay same-origin and never inline.
const EDITOR_CSP: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

enum Outcome {
    Table {
        columns: Vec<String>,
        rows: Vec<Vec<Value>>,
    },
    Boolean(bool),
    Turtle(String),
}

/// Results for the page: IRIs shown by their labels, fetched in one more query.
/// `token` is the editor query's own: the label lookup runs within its time limit.
fn outcome_of(
    state: &Shared,
    results: QueryResults<'static>,
    token: oxigraph::sparql::CancellationToken,
) -> Result<Outcome, Box<dyn std::error::Error>> {
    match results {
        QueryResults::Boolean(b) => Ok(Outcome::Boolean(b)),
        QueryResults::Graph(triples) => {
            let mut s = RdfSerializer::from_format(RdfFormat::Turtle)
                .with_prefix("cg", CG)?
                .with_prefix("id", state.pipeline.base().id("").as_str())?
                .for_writer(Vec::new());
            for t in triples.take(10_000) {
                s.serialize_triple(&t?)?;
            }
            Ok(Outcome::Turtle(String::from_utf8(s.finish()?)?))
        }
        QueryResults::Solutions(solutions) => {
            let columns: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_string())
                .collect();
            let mut raw: Vec<Vec<Option<Term>>> = Vec::new();
            for s in solutions.take(5_000) {
                let s = s?;
                raw.push(columns.iter().map(|c| s.get(c.as_str()).cloned()).collect());
            }
            let iris: BTreeSet<String> = raw
                .iter()
                .flatten()
                .filter_map(|t| match t {
                    Some(Term::NamedNode(n)) => Some(n.as_str().to_string()),
                    _ => None,
                })
                .collect();
            let mut labels: HashMap<String, String> = HashMap::new();
            if !iris.is_empty() && iris.len() <= 2_000 {
                let values: String = iris.iter().map(|i| format!("<{i}> ")).collect();
                let q = format!("SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?x {{ {values} }} ?x <{RDFS_LABEL}> ?l }} GROUP BY ?x");
                if let QueryResults::Solutions(ls) = state.store.query(&q, Some(token))? {
                    for s in ls {
                        let s = s?;
                        if let (Some(Term::NamedNode(x)), Some(Term::Literal(l))) =
                            (s.get("x"), s.get("label"))
                        {
                            labels.insert(x.as_str().to_string(), l.value().to_string());
                        }
                    }
                }
            }
            let rows = raw
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|t| match t {
                            Some(Term::NamedNode(n)) => serde_json::json!({
                                "text": labels.get(n.as_str()).cloned().unwrap_or_else(|| n.as_str().to_string()),
                                "href": state.pages.links().href(n.as_str()),
                                "iri": n.as_str(),
                            }),
                            Some(Term::Literal(l)) => serde_json::json!({ "text": l.value() }),
                            Some(t) => serde_json::json!({ "text": t.to_string() }),
                            None => serde_json::json!({ "text": "" }),
                        })
                        .collect()
                })
                .collect();
            Ok(Outcome::Table { columns, rows })
        }
    }
}
