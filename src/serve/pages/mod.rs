//! Web pages where people look instead of writing SPARQL: home, search, the States x
//! crime types matrix and its evidence, entity pages (the HTML face of every `/id/...`
//! IRI), reports, and a SPARQL page. Rendered on the server with minijinja; plain CSS;
//! no JavaScript needed. Every table is one saved query (no query per row).
//!
//! IRIs come from the request and from the data, so either can be `javascript:...`:
//! [`href`] alone decides what may become a link, and every response carries a
//! Content-Security-Policy ([`security_headers`]) that forbids inline script and style,
//! so the few lines of JavaScript and all CSS are files under `/static/`.

use super::queries::{question, run_select, select, shown, SAVED};
use super::{ApiError, Shared};
use crate::reference::CG;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{context, Environment, Value as Jv};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::QueryResults;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("home.html", include_str!("templates/home.html")),
    ("search.html", include_str!("templates/search.html")),
    ("matrix.html", include_str!("templates/matrix.html")),
    ("evidence.html", include_str!("templates/evidence.html")),
    ("entity.html", include_str!("templates/entity.html")),
    ("sparql.html", include_str!("templates/sparql.html")),
    ("reports.html", include_str!("templates/reports.html")),
];
/// Files under `/static/`: (name, media type, content). Kept out of the HTML because
/// the Content-Security-Policy lets no inline script or style run.
const STATIC: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("static/style.css"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_str!("static/editor.js"),
    ),
];
/// Same origin only, nothing inline, no plugins; `base-uri`, `form-action` and
/// `frame-ancestors` are not covered by `default-src`, so they are named too.
const CSP: &str =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The id base the templates' `local` filter strips, set once at first render.
static ID_BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source).expect("template parses");
    }
    env.add_filter("href", |iri: Option<String>| iri.as_deref().and_then(href));
    env.add_filter("short", |iri: String| short(&iri));
    env
});

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/matrix", get(matrix))
        .route("/matrix/evidence", get(matrix_evidence))
        .route("/reports.html", get(reports))
        .route("/sparql-editor", get(sparql_editor))
        .route("/static/{file}", get(static_file))
}

async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match STATIC.iter().find(|(name, _, _)| *name == file) {
        Some((_, media, body)) => ([(header::CONTENT_TYPE, *media)], *body).into_response(),
        None => ApiError::NotFound(format!("no static file {file:?}")).into_response(),
    }
}

/// Where a link to `iri` may point, or `None` when it must be shown as text: an IRI
/// under the id base becomes its local path (`/id/state/EGY`), an `http(s)://` IRI
/// stays as it is, a path of this server (`/...`) stays; anything else (`javascript:`,
/// `data:`, `vbscript:`, `mailto:`, `urn:`, `//other.host`) is not a link, because the
/// IRI may come from the request or from ingested data. The one rule for every href
/// the pages render, in Rust and in the templates (the `href` filter).
pub(super) fn href(iri: &str) -> Option<String> {
    if let Some(rest) = ID_BASE.get().and_then(|b| iri.strip_prefix(b.as_str())) {
        return Some(format!("/id/{rest}"));
    }
    // Browsers drop tabs and newlines inside a URL and read `\` as `/`, so a path
    // with them could turn into `//other.host` or a scheme: such paths are not links.
    let own_path = iri.starts_with('/')
        && !iri[1..].starts_with(['/', '\\'])
        && !iri.chars().any(|c| c.is_control() || c.is_whitespace());
    let web = iri.split_once("://").is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
    });
    (own_path || web).then(|| iri.to_string())
}

/// `Content-Security-Policy` and `X-Content-Type-Options: nosniff` on every response
/// (pages, static files, API and SPARQL results alike): should an IRI ever slip into a
/// page as markup, the browser still runs no inline script; and no response is sniffed
/// into HTML. A handler that sets its own policy keeps it.
pub(super) async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(header::HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

fn short(iri: &str) -> String {
    iri.rsplit(['/', '#']).next().unwrap_or(iri).to_string()
}

/// Sets the id base [`href`] strips; called before any IRI of a request is turned into
/// a link, so that the first page served links `/id/...` paths too.
fn remember_base(state: &Shared) {
    let _ = ID_BASE.set(state.pipeline.base().id("").as_str().to_string());
}

fn render(state: &Shared, name: &str, ctx: Jv) -> Result<Response, ApiError> {
    remember_base(state);
    let html = ENV
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| ApiError::Internal(format!("template {name}: {e:#}")))?;
    Ok(Html(html).into_response())
}

fn saved_list() -> Vec<Value> {
    let mut list: Vec<Value> = SAVED
        .iter()
        .filter(|(name, _)| {
            !matches!(
                *name,
                "matrix"
                    | "matrix-evidence"
                    | "report-paragraphs"
                    | "overview"
                    | "search"
                    | "entity-trend"
            )
        })
        .map(|(name, q)| serde_json::json!({ "name": name, "question": question(q) }))
        .collect();
    list.sort_by_key(|v| v["question"].as_str().unwrap_or("").to_string());
    list
}

async fn home(State(state): State<Shared>) -> Result<Response, ApiError> {
    let overview = select(&state, "overview", &[]).await?;
    let o = overview.into_iter().next().unwrap_or(Value::Null);
    render(
        &state,
        "home.html",
        context! { o => o, saved => saved_list() },
    )
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
}

async fn search(
    State(state): State<Shared>,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let q: String = p.q.unwrap_or_default().trim().chars().take(200).collect();
    let results = if q.is_empty() {
        Vec::new()
    } else {
        select(
            &state,
            "search",
            &[("q", Term::Literal(Literal::from(q.as_str())))],
        )
        .await?
    };
    render(
        &state,
        "search.html",
        context! { q => q, results => results },
    )
}

#[derive(Deserialize, Default, Serialize)]
struct MatrixFilter {
    congress: Option<String>,
    region: Option<String>,
    meeting: Option<String>,
    group: Option<String>,
}

/// The matrix's filters as values of its `?f...` variables: a Congress is a number, a
/// meeting an IRI (400 otherwise), a region and a group are matched as plain strings.
fn matrix_values(f: &MatrixFilter) -> Result<Vec<(&'static str, Term)>, ApiError> {
    let given = |v: &Option<String>| v.as_deref().filter(|v| !v.is_empty()).map(str::to_string);
    let mut values = Vec::new();
    if let Some(c) = given(&f.congress) {
        let n: i64 = c
            .parse()
            .map_err(|_| ApiError::BadRequest("congress is a number".into()))?;
        values.push(("fCongress", Term::Literal(Literal::from(n))));
    }
    if let Some(r) = given(&f.region) {
        values.push(("fRegion", Term::Literal(Literal::from(r))));
    }
    if let Some(m) = given(&f.meeting) {
        let iri =
            NamedNode::new(m).map_err(|_| ApiError::BadRequest("meeting is an IRI".into()))?;
        values.push(("fMeeting", Term::NamedNode(iri)));
    }
    if let Some(g) = given(&f.group) {
        values.push(("fGroup", Term::Literal(Literal::from(g))));
    }
    Ok(values)
}

async fn matrix(
    State(state): State<Shared>,
    Query(f): Query<MatrixFilter>,
) -> Result<Response, ApiError> {
    let values = matrix_values(&f)?;
    let rows = select(&state, "matrix", &values).await?;
    let query = shown("matrix", &values);
    // The filters' choices: one query.
    let choices = run_select(
        &state,
        format!(
            "PREFIX cg: <{CG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             SELECT DISTINCT ?meeting ?label ?congress ?region WHERE {{
               ?r cg:reportOf ?meeting . ?meeting cg:congressNumber ?congress .
               OPTIONAL {{ ?meeting rdfs:label ?label }} OPTIONAL {{ ?meeting cg:region ?region }} }}"
        ),
    )
    .await?;
    let mut congresses = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let mut meetings = BTreeMap::new();
    for c in &choices {
        if let Some(n) = c["congress"].as_i64() {
            congresses.insert(n);
        }
        if let Some(r) = c["region"].as_str() {
            regions.insert(r.to_string());
        }
        if let Some(m) = c["meeting"].as_str() {
            meetings.insert(m.to_string(), c["label"].as_str().unwrap_or(m).to_string());
        }
    }
    let groups: BTreeSet<String> = state
        .pipeline
        .vocabulary()
        .triples
        .iter()
        .filter(|t| t.predicate.as_str() == format!("{CG}unRegionalGroup"))
        .filter_map(|t| match &t.object {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        })
        .collect();
    let mut states: BTreeMap<String, String> = BTreeMap::new();
    let mut crime_totals: HashMap<String, (String, i64)> = HashMap::new();
    let mut cells: HashMap<String, i64> = HashMap::new();
    let mut max = 1;
    for r in &rows {
        let (s, c) = (
            r["state"].as_str().unwrap_or(""),
            r["crime"].as_str().unwrap_or(""),
        );
        let n = r["meetings"].as_i64().unwrap_or(0);
        states.insert(
            s.to_string(),
            r["stateLabel"].as_str().unwrap_or(s).to_string(),
        );
        let e = crime_totals
            .entry(c.to_string())
            .or_insert((r["crimeLabel"].as_str().unwrap_or(c).to_string(), 0));
        e.1 += n;
        cells.insert(format!("{s} {c}"), n);
        max = max.max(n);
    }
    let mut states: Vec<(String, String)> = states.into_iter().collect();
    states.sort_by(|a, b| a.1.cmp(&b.1));
    let mut crimes: Vec<(String, (String, i64))> = crime_totals.into_iter().collect();
    crimes.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.1 .0.cmp(&b.1 .0)));
    render(
        &state,
        "matrix.html",
        context! {
            f => f,
            congresses => congresses.into_iter().collect::<Vec<_>>(),
            regions => regions.into_iter().collect::<Vec<_>>(),
            meetings => meetings.into_iter().map(|(iri, label)| serde_json::json!({"iri": iri, "label": label})).collect::<Vec<_>>(),
            groups => groups.into_iter().collect::<Vec<_>>(),
            states => states.into_iter().map(|(iri, label)| serde_json::json!({"iri": iri, "label": label})).collect::<Vec<_>>(),
            crimes => crimes.into_iter().map(|(iri, (label, _))| serde_json::json!({"iri": iri, "label": label})).collect::<Vec<_>>(),
            cells => cells,
            max => max,
            sparql => query,
        },
    )
}

#[derive(Deserialize)]
struct EvidenceParams {
    state: String,
    crime: String,
}

async fn matrix_evidence(
    State(state): State<Shared>,
    Query(p): Query<EvidenceParams>,
) -> Result<Response, ApiError> {
    // IRIs from the query string: well-formed or a 400. One the reference data does not
    // know is shown as text (the evidence is then empty).
    let known = |s: &str| -> Result<(NamedNode, String), ApiError> {
        let iri =
            NamedNode::new(s).map_err(|_| ApiError::BadRequest(format!("{s:?} is not an IRI")))?;
        let vocab = state.pipeline.vocabulary();
        let label = vocab
            .entities
            .iter()
            .find(|e| state.pipeline.base().rebase(&e.iri) == iri)
            .map_or_else(|| short(iri.as_str()), |e| e.label.clone());
        Ok((iri, label))
    };
    let ((st, st_label), (cr, cr_label)) = (known(&p.state)?, known(&p.crime)?);
    remember_base(&state);
    let values = [
        ("state", Term::NamedNode(st.clone())),
        ("crime", Term::NamedNode(cr.clone())),
    ];
    let rows = select(&state, "matrix-evidence", &values).await?;
    let query = shown("matrix-evidence", &values);
    let paragraphs = paragraphs_of(&rows, |r| {
        r["meetingLabel"].as_str().unwrap_or("").to_string()
    });
    render(
        &state,
        "evidence.html",
        context! {
            state => st.as_str(), state_label => st_label,
            crime => cr.as_str(), crime_label => cr_label,
            paragraphs => paragraphs, sparql => query,
        },
    )
}

/// `/reports.html?page=N`: one page of the reports (`reports::PAGE_SIZE`), with links
/// to the pages before and after.
async fn reports(
    State(state): State<Shared>,
    Query(p): Query<super::reports::PageParams>,
) -> Result<Response, ApiError> {
    let page = super::queries::PageNo::parse(p.page.as_deref())?;
    let page = super::reports::page(&state, page).await?;
    let first = (page.page - 1) * page.page_size + 1;
    let ctx = context! {
        first => first,
        last => first + page.reports.len() - 1,
        next => page.next(),
        prev => page.prev(),
        ..Jv::from_serialize(&page)
    };
    render(&state, "reports.html", ctx)
}

/// Groups mention rows (`p`, `text`, `number`, `report`, `begin`, `end`) by paragraph
/// and highlights the mentions.
fn paragraphs_of(rows: &[Value], heading: impl Fn(&Value) -> String) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut by_p: HashMap<String, (Value, Vec<Span>)> = HashMap::new();
    for r in rows {
        let p = r["p"].as_str().unwrap_or("").to_string();
        let entry = by_p.entry(p.clone()).or_insert_with(|| {
            order.push(p.clone());
            (r.clone(), Vec::new())
        });
        if let (Some(b), Some(e)) = (r["begin"].as_i64(), r["end"].as_i64()) {
            entry.1.push(Span {
                begin: b as usize,
                end: e as usize,
                href: r["entity"].as_str().and_then(href),
                class: r["class"].as_str().map(short).unwrap_or_default(),
                title: r["label"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    order.sort_by_key(|p| {
        let row = &by_p[p].0;
        (
            row["report"].as_str().unwrap_or("").to_string(),
            number_key(row["number"].as_str().unwrap_or("")),
        )
    });
    order
        .into_iter()
        .map(|p| {
            let (row, spans) = &by_p[&p];
            let number = row["number"].as_str().unwrap_or("");
            let anchor = format!("p-{}", number.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>());
            let h = heading(row);
            serde_json::json!({
                "anchor": anchor,
                "number": number,
                "report": row["report"],
                "meeting": h,
                "heading": if h.is_empty() { format!("Paragraph {number}") } else { format!("{h} · paragraph {number}") },
                "html": highlight(row["text"].as_str().unwrap_or(""), spans),
            })
        })
        .collect()
}

struct Span {
    begin: usize,
    end: usize,
    href: Option<String>,
    class: String,
    title: String,
}

/// The paragraph text, escaped, with each mention (char offsets) marked and linked;
/// a mention inside one already marked is left to the outer one.
fn highlight(text: &str, spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<&Span> = spans
        .iter()
        .filter(|s| s.begin < s.end && s.end <= chars.len())
        .collect();
    spans.sort_by_key(|s| (s.begin, std::cmp::Reverse(s.end)));
    let mut out = String::new();
    let mut pos = 0;
    for s in spans {
        if s.begin < pos {
            continue;
        }
        out.push_str(&escape(&chars[pos..s.begin].iter().collect::<String>()));
        let inner = escape(&chars[s.begin..s.end].iter().collect::<String>());
        match &s.href {
            Some(h) => out.push_str(&format!(
                "<a class=\"m {}\" href=\"{}\" title=\"{}\">{inner}</a>",
                escape(&s.class),
                escape(h),
                escape(&s.title)
            )),
            None => out.push_str(&format!("<mark>{inner}</mark>")),
        }
        pos = s.end;
    }
    out.push_str(&escape(&chars[pos..].iter().collect::<String>()));
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Serialize)]
struct Cell {
    text: String,
    href: Option<String>,
}

#[derive(Serialize)]
struct Table {
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// A table of a saved query's rows: `cols` are (heading, value column, link column).
fn table(title: &str, rows: &[Value], cols: &[(&str, &str, Option<&str>)]) -> Table {
    Table {
        title: title.to_string(),
        columns: cols.iter().map(|(h, _, _)| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                cols.iter()
                    .map(|(_, v, l)| {
                        let text = match &r[*v] {
                            Value::String(s) if s.starts_with("http") => short(s),
                            Value::String(s) => s.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        Cell {
                            text,
                            href: l.and_then(|l| r[l].as_str()).and_then(href),
                        }
                    })
                    .collect()
            })
            .collect(),
    }
}

/// The HTML face of an `/id/...` IRI: facts from its description, then tables by class.
pub async fn entity(
    state: Shared,
    iri: &str,
    triples: &[Triple],
    local_path: &str,
) -> Result<Response, ApiError> {
    remember_base(&state);
    // The IRI is built from the request's path: checked before it is bound in a query.
    let node =
        NamedNode::new(iri).map_err(|_| ApiError::NotFound(format!("{iri:?} is not an IRI")))?;
    let me = NamedOrBlankNode::NamedNode(node.clone());
    let term = Term::NamedNode(node);
    let labels: HashMap<String, String> = triples
        .iter()
        .filter(|t| t.predicate.as_str() == RDFS_LABEL)
        .filter_map(|t| match (&t.subject, &t.object) {
            (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) => {
                Some((s.as_str().to_string(), l.value().to_string()))
            }
            _ => None,
        })
        .collect();
    let classes: Vec<String> = triples
        .iter()
        .filter(|t| t.subject == me && t.predicate.as_str() == RDF_TYPE)
        .filter_map(|t| match &t.object {
            Term::NamedNode(n) => Some(short(n.as_str())),
            _ => None,
        })
        .collect();
    let is = |c: &str| classes.iter().any(|k| k == c);
    let title = labels.get(iri).cloned().unwrap_or_else(|| short(iri));
    let kind = classes
        .iter()
        .find(|c| c.as_str() != "Concept")
        .cloned()
        .unwrap_or_default();

    // Facts: the resource's own properties, IRIs shown by label.
    let mut facts: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for t in triples.iter().filter(|t| t.subject == me) {
        let p = t.predicate.as_str();
        if p == RDF_TYPE || p == RDFS_LABEL || p.ends_with("#value") || p.ends_with("tripleCount") {
            continue;
        }
        let name = labels.get(p).cloned().unwrap_or_else(|| short(p));
        let cell = match &t.object {
            Term::NamedNode(n) => Cell {
                text: labels
                    .get(n.as_str())
                    .cloned()
                    .unwrap_or_else(|| short(n.as_str())),
                href: href(n.as_str()),
            },
            Term::Literal(l) => Cell {
                text: l.value().to_string(),
                href: None,
            },
            o => Cell {
                text: o.to_string(),
                href: None,
            },
        };
        facts.entry(name).or_default().push(cell);
    }
    // Narrower concepts point at this one with skos:broader.
    for t in triples
        .iter()
        .filter(|t| t.object == term && t.predicate.as_str().ends_with("core#broader"))
    {
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            facts.entry("narrower".into()).or_default().push(Cell {
                text: labels
                    .get(s.as_str())
                    .cloned()
                    .unwrap_or_else(|| short(s.as_str())),
                href: href(s.as_str()),
            });
        }
    }
    let facts: Vec<Value> = facts
        .into_iter()
        .map(|(name, values)| serde_json::json!({ "name": name, "values": values }))
        .collect();

    let mut tables: Vec<Table> = Vec::new();
    let mut paragraphs: Vec<Value> = Vec::new();
    let mut paragraphs_title = String::from("Paragraphs that name it");
    let mut trend: Option<Vec<Value>> = None;
    let mut sparql = shown("entity-evidence", &[("entity", term.clone())]);
    let v = |var: &'static str| [(var, term.clone())];
    if is("State") || is("CrimeType") || is("Instrument") || is("Organization") {
        let evidence = select(&state, "entity-evidence", &v("entity")).await?;
        if is("State") {
            let st = select(&state, "state-statements", &v("state")).await?;
            tables.push(table(
                "Statements",
                &st,
                &[
                    ("Meeting", "meetingLabel", Some("meeting")),
                    ("Agenda item", "agendaTitle", Some("agendaItem")),
                    ("Role", "role", None),
                    ("Recorded in", "paragraph", Some("paragraph")),
                ],
            ));
            let topics = select(&state, "state-topics", &v("state")).await?;
            tables.push(table(
                "Topics of the meetings where it spoke",
                &topics,
                &[
                    ("Topic", "topicLabel", Some("topic")),
                    ("Kind", "class", None),
                    ("Reports", "reports", None),
                    ("Paragraphs", "paragraphs", None),
                ],
            ));
            sparql = shown("state-topics", &v("state"));
        }
        if is("CrimeType") {
            let st = select(&state, "states-on-crime-type", &v("topic")).await?;
            tables.push(table(
                "States that spoke where it was discussed",
                &st,
                &[
                    ("State", "stateLabel", Some("state")),
                    ("Reports", "reports", None),
                    ("Paragraphs", "paragraphs", None),
                ],
            ));
            sparql = shown("states-on-crime-type", &v("topic"));
        }
        if is("Instrument") {
            let cr = select(&state, "instrument-crimes", &v("instrument")).await?;
            tables.push(table(
                "Crime types named with it",
                &cr,
                &[
                    ("Crime type", "crimeLabel", Some("crime")),
                    ("Paragraphs", "paragraphs", None),
                    ("Reports", "reports", None),
                    ("Example", "example", Some("example")),
                ],
            ));
            let calls: Vec<Value> = evidence
                .iter()
                .filter(|r| {
                    let t = r["text"].as_str().unwrap_or("").to_lowercase();
                    [
                        "ratif",
                        "implement",
                        "accede",
                        "accession",
                        "signing",
                        "sign ",
                    ]
                    .iter()
                    .any(|w| t.contains(w))
                })
                .cloned()
                .collect();
            let mut seen = BTreeSet::new();
            let calls: Vec<Value> = calls
                .into_iter()
                .filter(|r| seen.insert(r["p"].as_str().unwrap_or("").to_string()))
                .collect();
            tables.push(table(
                "Paragraphs calling for ratification or implementation",
                &calls,
                &[
                    ("Paragraph", "number", Some("p")),
                    ("Report", "report", Some("report")),
                ],
            ));
            sparql = shown("instrument-crimes", &v("instrument"));
        }
        let related = select(&state, "entity-related", &v("entity")).await?;
        tables.push(table(
            "Named in the same paragraphs",
            &related,
            &[
                ("Name", "label", Some("other")),
                ("Kind", "class", None),
                ("Paragraphs", "paragraphs", None),
            ],
        ));
        trend = Some(select(&state, "entity-trend", &v("entity")).await?);
        paragraphs = paragraphs_of(&evidence, |r| short(r["report"].as_str().unwrap_or("")));
    } else if is("Report") {
        let rows = select(&state, "report-paragraphs", &[("report", term.clone())]).await?;
        paragraphs = paragraphs_of(&rows, |_| String::new());
        paragraphs_title = "Paragraphs, with every mention marked".into();
        sparql = shown("report-paragraphs", &[("report", term.clone())]);
    } else if is("Meeting") {
        let rows = select(&state, "meeting-reports", &[("meeting", term.clone())]).await?;
        tables.push(table(
            "Statements",
            &rows,
            &[
                ("Speaker", "speakerLabel", Some("speaker")),
                ("Role", "role", None),
                ("Agenda item", "agendaTitle", Some("agendaItem")),
                ("Report", "report", Some("report")),
            ],
        ));
        sparql = shown("meeting-reports", &[("meeting", term.clone())]);
    }
    if tables.is_empty() && paragraphs.is_empty() {
        // Other resources: what points at them.
        let rows: Vec<Value> = triples
            .iter()
            .filter(|t| t.object == term && t.subject != me)
            .filter_map(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(s) => Some(serde_json::json!({
                    "s": s.as_str(), "label": labels.get(s.as_str()).cloned().unwrap_or_else(|| short(s.as_str())), "p": short(t.predicate.as_str()),
                })),
                _ => None,
            })
            .collect();
        tables.push(table(
            "Referred to by",
            &rows,
            &[("Resource", "label", Some("s")), ("As", "p", None)],
        ));
        sparql = format!("DESCRIBE <{iri}>");
    }
    let mut ctx = BTreeMap::new();
    ctx.insert("title", Jv::from(title));
    ctx.insert("kind", Jv::from(kind));
    ctx.insert("local", Jv::from(local_path));
    ctx.insert("sparql", Jv::from(sparql));
    ctx.insert("facts", Jv::from_serialize(&facts));
    ctx.insert("tables", Jv::from_serialize(&tables));
    ctx.insert("paragraphs", Jv::from_serialize(&paragraphs));
    ctx.insert("paragraphs_title", Jv::from(paragraphs_title));
    if let Some(t) = trend {
        ctx.insert("trend", Jv::from_serialize(&t));
    }
    render(&state, "entity.html", Jv::from_serialize(&ctx))
}

/// Paragraphs in document order: 2 < 10 < 10(a) < 11.
fn number_key(n: &str) -> (u32, String) {
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    (
        digits.parse().unwrap_or(u32::MAX),
        n[digits.len()..].to_string(),
    )
}

#[derive(Deserialize)]
struct EditorParams {
    name: Option<String>,
    query: Option<String>,
}

/// The SPARQL page: the saved questions as examples, results as a table with IRIs shown
/// by label, CONSTRUCT results as Turtle, errors next to the query. Runs on the server.
async fn sparql_editor(
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
    remember_base(&state);
    let mut ctx = BTreeMap::new();
    ctx.insert("saved", Jv::from_serialize(saved_list()));
    ctx.insert("name", Jv::from(name));
    ctx.insert("query", Jv::from(query.clone()));
    ctx.insert("ran", Jv::from(ran));
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
    render(&state, "sparql.html", Jv::from_serialize(&ctx))
}

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
                                "href": href(n.as_str()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_and_escapes() {
        let spans = [
            Span {
                begin: 0,
                end: 5,
                href: Some("/id/org/unodc".into()),
                class: "Organization".into(),
                title: "UNODC".into(),
            },
            Span {
                begin: 8,
                end: 14,
                href: None,
                class: String::new(),
                title: String::new(),
            },
        ];
        assert_eq!(
            highlight("UNODC & <b>Türkiye", &spans),
            "<a class=\"m Organization\" href=\"/id/org/unodc\" title=\"UNODC\">UNODC</a> &amp; <mark>&lt;b&gt;Tür</mark>kiye"
        );
    }

    #[test]
    fn paragraph_order() {
        let mut n = vec!["10", "2", "10(a)", "1(b)", "1"];
        n.sort_by_key(|s| number_key(s));
        assert_eq!(n, ["1", "1(b)", "2", "10", "10(a)"]);
    }

    /// What may become a link: `(IRI, href)`; `None` is shown as text.
    #[test]
    fn only_web_iris_and_own_paths_are_links() {
        let table: &[(&str, Option<&str>)] = &[
            ("https://example.org/a", Some("https://example.org/a")),
            ("http://example.org/a#b", Some("http://example.org/a#b")),
            ("HTTPS://example.org/", Some("HTTPS://example.org/")),
            ("/id/state/EGY", Some("/id/state/EGY")),
            ("/sparql-editor?query=x", Some("/sparql-editor?query=x")),
            ("javascript:alert(document.domain)", None),
            ("JaVaScRiPt:alert(1)", None),
            ("javascript://%0aalert(1)", None),
            (" javascript:alert(1)", None),
            ("java\tscript:alert(1)", None),
            ("data:text/html,<script>alert(1)</script>", None),
            ("vbscript:msgbox(1)", None),
            ("mailto:someone@example.org", None),
            ("urn:isbn:0451450523", None),
            ("//evil.example/", None),
            ("/\\evil.example/", None),
            ("/\t/evil.example/", None),
            ("x-http://example.org/", None),
            ("", None),
        ];
        for (iri, want) in table {
            assert_eq!(href(iri).as_deref(), *want, "{iri:?}");
        }
    }

    #[test]
    fn link_macro_shows_a_hostile_iri_as_text() {
        let mut env = ENV.clone();
        let source = r#"{% import "macros.html" as m %}{{ m.link(iri, text, "p-1") }}"#;
        env.add_template("t.html", source).unwrap();
        let t = env.get_template("t.html").unwrap();
        let hostile = t
            .render(context! { iri => "javascript:alert(1)", text => "<b>x</b>" })
            .unwrap();
        assert_eq!(
            hostile,
            r#"<span class="iri">&lt;b&gt;x&lt;&#x2f;b&gt;</span>"#
        );
        let web = t
            .render(context! { iri => "https://example.org/a", text => "A" })
            .unwrap();
        assert_eq!(
            web,
            r#"<a href="https:&#x2f;&#x2f;example.org&#x2f;a#p-1">A</a>"#
        );
    }

    #[test]
    fn templates_parse() {
        for (name, _) in TEMPLATES {
            ENV.get_template(name).unwrap();
        }
    }
}
