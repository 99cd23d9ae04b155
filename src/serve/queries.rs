//! The saved questions of `queries/`, built into the binary, and how the server runs
//! them. Each is parsed once; a request's values are bound in the parsed algebra (never
//! pasted into query text), and JSON lists are cut into pages by the query itself.

use super::rows::{CrimeRow, Labelled, SpeakerRow, StatementRow};
use super::{ApiError, Shared};
use crate::map::summary::{Count, Key, Scope};
use crate::reference::EntityKind;
use crate::store::bind::{pattern_mut, set_slice, set_values, wrap_slice};
use crate::store::StoreError;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{CancellationToken, QueryResults};
use regex::Regex;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use spargebra::algebra::{AggregateExpression, GraphPattern};
use spargebra::term::GroundTerm;
use spargebra::{Query, SparqlParser};
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// Every file of `queries/`, by name (a test checks the folder and this list agree).
pub const SAVED: &[(&str, &str)] = &[
    (
        "statements-by-report",
        include_str!("../../queries/statements-by-report.rq"),
    ),
    (
        "states-on-crime-type",
        include_str!("../../queries/states-on-crime-type.rq"),
    ),
    (
        "instrument-crime-cooccurrence",
        include_str!("../../queries/instrument-crime-cooccurrence.rq"),
    ),
    (
        "entity-evidence",
        include_str!("../../queries/entity-evidence.rq"),
    ),
    (
        "state-topics",
        include_str!("../../queries/state-topics.rq"),
    ),
    (
        "state-statements",
        include_str!("../../queries/state-statements.rq"),
    ),
    (
        "state-statement-rows",
        include_str!("../../queries/state-statement-rows.rq"),
    ),
    (
        "instrument-crimes",
        include_str!("../../queries/instrument-crimes.rq"),
    ),
    ("search", include_str!("../../queries/search.rq")),
    ("reports", include_str!("../../queries/reports.rq")),
    ("matrix", include_str!("../../queries/matrix.rq")),
    (
        "matrix-evidence",
        include_str!("../../queries/matrix-evidence.rq"),
    ),
    (
        "report-paragraphs",
        include_str!("../../queries/report-paragraphs.rq"),
    ),
    (
        "entity-trend",
        include_str!("../../queries/entity-trend.rq"),
    ),
    (
        "entity-related",
        include_str!("../../queries/entity-related.rq"),
    ),
    ("band-sizes", include_str!("../../queries/band-sizes.rq")),
    ("overview", include_str!("../../queries/overview.rq")),
    ("meetings", include_str!("../../queries/meetings.rq")),
    (
        "meeting-reports",
        include_str!("../../queries/meeting-reports.rq"),
    ),
];

pub fn saved(name: &str) -> &'static str {
    SAVED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, q)| *q)
        .unwrap_or_else(|| panic!("no saved query {name}"))
}

/// The first comment line of a saved query: the question it answers.
pub fn question(query: &str) -> String {
    query
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('#')
        .trim()
        .to_string()
}

/// Rows in one page of a JSON list: fixed, so that no answer grows with the collection.
pub const PAGE_SIZE: usize = 100;

/// The saved queries, parsed once, at first use: a request's values never reach the
/// SPARQL parser. The unit test below parses every one, so a bad file fails the tests,
/// not a request.
static PARSED: LazyLock<HashMap<&'static str, Query>> = LazyLock::new(|| {
    SAVED
        .iter()
        .map(|(name, text)| {
            let query = SparqlParser::new()
                .parse_query(text)
                .unwrap_or_else(|e| panic!("queries/{name}.rq: {e}"));
            (*name, query)
        })
        .collect()
});

/// A saved query with `values` bound: the `VALUES ?var { ... }` table of the parsed
/// query gets `value` as its one row.
///
/// Why the `VALUES` table and not oxigraph's `substitute_variable`: a substitution is an
/// initial binding of the *projected* variables only (spareval refuses the others), and
/// most saved queries group away the variable they are asked about (`?instrument` in
/// `instrument-crimes`); it would be joined with the example row that the `.rq` files
/// keep on their `VALUES` line (so that they run as they are in the editor), giving
/// nothing for any other value; and the planner would not see it, whereas the saved
/// queries were tuned (see their comments) with the value as a constant table to start
/// from. Replacing the table's rows in the parsed algebra keeps those plans, and the
/// value stays an RDF term: no text is built from it.
pub fn bind(name: &str, values: &[(&str, Term)]) -> Result<Query, ApiError> {
    let mut query = PARSED
        .get(name)
        .unwrap_or_else(|| panic!("no saved query {name}"))
        .clone();
    let pattern = pattern_mut(&mut query);
    for (var, value) in values {
        let value = match value {
            Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
            Term::Literal(l) => GroundTerm::Literal(l.clone()),
            other => return Err(ApiError::Internal(format!("cannot bind {other}"))),
        };
        if !set_values(pattern, &Variable::new_unchecked(*var), &[value]) {
            return Err(ApiError::Internal(format!(
                "saved query {name} has no VALUES ?{var}"
            )));
        }
    }
    Ok(query)
}

/// The text of a saved query with its `VALUES` lines showing `values`, for the "Open in
/// SPARQL" links and the editor: the reader sees the query whose answer the page shows,
/// comments and layout kept. Display only; the server runs [`bind`]'s algebra.
pub fn shown(name: &str, values: &[(&str, Term)]) -> String {
    let mut text = saved(name).to_string();
    for (var, value) in values {
        let re = Regex::new(&format!(r"VALUES\s+\?{var}\s*\{{[^}}]*\}}")).expect("valid pattern");
        let line = format!("VALUES ?{var} {{ {value} }}");
        text = re.replace(&text, regex::NoExpand(&line)).into_owned();
    }
    text
}

/// Which page of a list a request asks for: `?page=N`, from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageNo(usize);

impl Default for PageNo {
    /// The first page.
    fn default() -> Self {
        PageNo(1)
    }
}

impl PageNo {
    /// Far past any real list; keeps `OFFSET` arithmetic away from overflow.
    const MAX: usize = 1_000_000;

    /// `None` (no `page` parameter) is the first page; anything but 1..=1,000,000 is a 400.
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        let Some(raw) = raw else { return Ok(PageNo(1)) };
        match raw.parse::<usize>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(PageNo(n)),
            _ => Err(ApiError::BadRequest(format!(
                "'page' is a number from 1 to {}, not {raw:?}",
                Self::MAX
            ))),
        }
    }

    pub fn number(self) -> usize {
        self.0
    }

    /// The first row of this page, counted from 0, in pages of `length` rows.
    pub fn start(self, length: usize) -> usize {
        (self.0 - 1).saturating_mul(length)
    }

    /// This page of a whole list read at once (one bounded by the reference data, not
    /// by the collection).
    pub fn cut<T>(self, all: Vec<T>) -> Paged<T> {
        let total = all.len();
        let rows = all
            .into_iter()
            .skip(self.start(PAGE_SIZE))
            .take(PAGE_SIZE)
            .collect();
        Paged { total, rows }
    }
}

/// One page of a list, and how many rows the whole list has.
pub struct Paged<T> {
    pub total: usize,
    pub rows: Vec<T>,
}

/// Runs a saved SELECT with `values` bound for one page of its rows, typed, and counts
/// all its rows: `LIMIT`/`OFFSET` and the count are added to the parsed query, so the
/// answer holds at most [`PAGE_SIZE`] rows however large the list. Both queries share
/// one slot and one deadline.
pub async fn select_page<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    values: &[(&str, Term)],
    page: PageNo,
) -> Result<Paged<T>, ApiError> {
    let query = bind(name, values)?;
    let count = counted(&query);
    page_of(state, name, query, page, count).await
}

/// Runs `query` for one page (`LIMIT`/`OFFSET` on the parsed query) and `count`, the
/// size of its whole list, in one slot.
async fn page_of<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    mut query: Query,
    page: PageNo,
    count: Query,
) -> Result<Paged<T>, ApiError> {
    wrap_slice(pattern_mut(&mut query), page.start(PAGE_SIZE), PAGE_SIZE);
    let (st, name) = (state.clone(), name.to_string());
    state
        .runner
        .run(move |token| {
            let total = total_of(st.store.query_parsed(count, token.clone())?)?;
            let rows = typed(&name, rows_of(st.store.query_parsed(query, token)?)?)?;
            Ok(Paged { total, rows })
        })
        .await
}

/// Runs a saved SELECT with `values` bound; rows typed.
pub async fn select_as<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    values: &[(&str, Term)],
) -> Result<Vec<T>, ApiError> {
    let query = bind(name, values)?;
    run_typed(state, name, query).await
}

/// Runs one page of a saved SELECT whose items are picked by its own sub-select with a
/// `LIMIT` (the paragraphs that name an entity, the reports of a meeting): that
/// sub-select is moved to page `page` of `length` items, and the rest of the query
/// reads what the page shows of them. The list's total comes from the summary
/// ([`summary_count`]): nothing here counts it, so a page costs what it shows (and the
/// items it passes over), not the whole list.
pub async fn select_items<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    values: &[(&str, Term)],
    page: PageNo,
    length: usize,
) -> Result<Vec<T>, ApiError> {
    let mut query = bind(name, values)?;
    let start = page.start(length);
    if !set_slice(pattern_mut(&mut query), start, length) {
        return Err(ApiError::Internal(format!(
            "saved query {name} has no LIMIT"
        )));
    }
    run_typed(state, name, query).await
}

/// The first `enough` rows (or fewer, if that is all) of a saved SELECT over a list
/// kept in bands by size (`cg:inBand`), `bands` from the highest down, in one turn of
/// the runner. Every row of a band outranks every row of the bands below it, so the rows
/// come in the query's order from the top bands. How many rows each band holds is asked
/// first (`band-sizes`, an index count), and then the rows of as few bands from the top
/// as hold `enough`, bound to `?{var}` in one question; more only if the query's own
/// filter left too few. A page reads about the rows it shows however long the list is,
/// in two or three questions (a remote store's round trips).
pub async fn select_ranked<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    var: &str,
    bands: Vec<Term>,
    enough: usize,
) -> Result<Vec<T>, ApiError> {
    let template = bind(name, &[])?;
    let (st, name, var) = (
        state.clone(),
        name.to_string(),
        Variable::new_unchecked(var),
    );
    state
        .runner
        .run(move |token| {
            let bands: Vec<GroundTerm> = bands.iter().filter_map(ground).collect();
            let sizes = band_sizes(&st, &bands, &token)?;
            let mut rest: Vec<(GroundTerm, usize)> = bands
                .into_iter()
                .filter_map(|b| sizes.get(&b).map(|&n| (b, n)))
                .collect();
            let mut rows = Vec::new();
            while rows.len() < enough && !rest.is_empty() {
                let window = bands_holding(&rest, enough - rows.len());
                let values: Vec<GroundTerm> = rest.drain(..window).map(|(b, _)| b).collect();
                let mut query = template.clone();
                if !set_values(pattern_mut(&mut query), &var, &values) {
                    return Err(ApiError::Internal(format!(
                        "saved query {name} has no VALUES ?{var}"
                    )));
                }
                rows.extend(rows_of(st.store.query_parsed(query, token.clone())?)?);
            }
            rows.truncate(enough);
            typed(&name, rows)
        })
        .await
}

/// How many rows each of `bands` holds; the empty ones are left out.
fn band_sizes(
    state: &Shared,
    bands: &[GroundTerm],
    token: &CancellationToken,
) -> Result<HashMap<GroundTerm, usize>, ApiError> {
    let mut query = bind("band-sizes", &[])?;
    if !set_values(
        pattern_mut(&mut query),
        &Variable::new_unchecked("band"),
        bands,
    ) {
        return Err(ApiError::Internal("band-sizes has no VALUES ?band".into()));
    }
    let mut sizes = HashMap::new();
    for row in rows_of(state.store.query_parsed(query, token.clone())?)? {
        if let (Some(Value::String(band)), Some(Value::Number(n))) =
            (row.get("band"), row.get("rows"))
        {
            let band = GroundTerm::NamedNode(NamedNode::new_unchecked(band.as_str()));
            sizes.insert(band, n.as_u64().unwrap_or(0) as usize);
        }
    }
    Ok(sizes)
}

/// How many of `bands` (with their sizes), from the first, hold at least `need` rows;
/// all of them if they hold fewer.
fn bands_holding(bands: &[(GroundTerm, usize)], need: usize) -> usize {
    let mut held = 0;
    bands
        .iter()
        .position(|(_, n)| {
            held += n;
            held >= need
        })
        .map_or(bands.len(), |i| i + 1)
}

/// A term a `VALUES` row can hold.
fn ground(term: &Term) -> Option<GroundTerm> {
    match term {
        Term::NamedNode(n) => Some(GroundTerm::NamedNode(n.clone())),
        Term::Literal(l) => Some(GroundTerm::Literal(l.clone())),
        _ => None,
    }
}

/// Runs a parsed query in a slot of the runner; rows typed.
async fn run_typed<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    query: Query,
) -> Result<Vec<T>, ApiError> {
    let (st, name) = (state.clone(), name.to_string());
    state
        .runner
        .run(move |token| {
            let rows = rows_of(st.store.query_parsed(query, token)?)?;
            typed(&name, rows)
        })
        .await
}

/// A page of `length` statements of a State by `query` (`state-statements` with the
/// paragraphs' text, for the JSON answer; `state-statement-rows` without, for the
/// State's page), in document order, with the labels they show; the total is the
/// summary's count, asked beside the page (the two are independent).
pub async fn state_statements(
    state: &Shared,
    node: &NamedNode,
    query: &str,
    page: PageNo,
    length: usize,
) -> Result<Paged<StatementRow>, ApiError> {
    let v = [("state", Term::NamedNode(node.clone()))];
    let (spoke, mut rows) = tokio::try_join!(
        summary_count(state, Key::Speaker(node.clone())),
        select_slice::<StatementRow>(state, query, &v, page, length),
    )?;
    // The list is in index order (no sort over every statement); a page in document order.
    rows.sort_by(|a, b| (&a.report, &a.paragraph).cmp(&(&b.report, &b.paragraph)));
    with_labels(state, &mut rows).await?;
    let total = usize::try_from(spoke.statements).unwrap_or(0);
    Ok(Paged { total, rows })
}

/// Sets the labels `rows` show ([`Labelled`]), each looked up once (any graph's label:
/// every report of a meeting repeats the same), all in one turn of the runner and one
/// request to a remote store (`Backend::labels_of`).
pub async fn with_labels<T: Labelled>(state: &Shared, rows: &mut [T]) -> Result<(), ApiError> {
    let iris: BTreeSet<String> = rows
        .iter()
        .flat_map(|r| r.label_iris())
        .map(str::to_string)
        .collect();
    if iris.is_empty() {
        return Ok(());
    }
    let nodes: Vec<NamedOrBlankNode> = iris
        .iter()
        .filter_map(|iri| NamedNode::new(iri.as_str()).ok())
        .map(NamedOrBlankNode::from)
        .collect();
    let st = state.clone();
    let found = state
        .runner
        .run(move |_| Ok(st.store.labels_of(&nodes)?))
        .await?;
    let labels: HashMap<String, String> = found
        .into_iter()
        .filter_map(|(node, label)| match (node, label) {
            (NamedOrBlankNode::NamedNode(n), Term::Literal(l)) => {
                Some((n.into_string(), l.value().to_string()))
            }
            _ => None,
        })
        .collect();
    for row in rows {
        row.set_labels(&labels);
    }
    Ok(())
}

/// One count of the summary (`map::summary`), zero when the store has none: the
/// totals of the lists pages show, read from one node.
pub async fn summary_count(state: &Shared, key: Key) -> Result<Count, ApiError> {
    let st = state.clone();
    state
        .runner
        .run(move |_| Ok(st.store.summary_count(&key)?))
        .await
}

/// Each entity of `kind` in the reference data (its IRI on this server and its label)
/// with its count in the summary under `key`, all read by key in one turn of the runner
/// (one request to a remote store): a list bounded by the reference data, whatever the
/// collection's size.
async fn counts_by_key(
    state: &Shared,
    kind: EntityKind,
    key: impl Fn(&NamedNode) -> Key,
) -> Result<Vec<(NamedNode, String, Count)>, ApiError> {
    let base = state.pipeline.base();
    let entities: Vec<(NamedNode, String)> = state
        .pipeline
        .vocabulary()
        .entities
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| (base.rebase(&e.iri), e.label.clone()))
        .collect();
    let keys: Vec<Key> = entities.iter().map(|(e, _)| key(e)).collect();
    let st = state.clone();
    let counts = state
        .runner
        .run(move |_| Ok(st.store.summary_counts(&keys)?))
        .await?;
    Ok(entities
        .into_iter()
        .zip(counts)
        .map(|((e, label), c)| (e, label, c))
        .collect())
}

/// The crime types named with `instrument`, most paragraphs first (what
/// `instrument-crimes.rq` asks): each crime type's co-occurrence count with the
/// instrument, by key ([`counts_by_key`]). The saved query reads every count of the
/// instrument, of every class, to keep the crime types': about 300 at 100,000 reports
/// against 80 at 1,000 (its time grew 2.2x).
pub async fn crimes_with_instrument(
    state: &Shared,
    instrument: &NamedNode,
) -> Result<Vec<CrimeRow>, ApiError> {
    let counts = counts_by_key(state, EntityKind::CrimeType, |crime| Key::Together {
        entity: instrument.clone(),
        other: crime.clone(),
    })
    .await?;
    let mut rows: Vec<CrimeRow> = counts
        .into_iter()
        .filter(|(_, _, c)| c.paragraphs > 0)
        .map(|(crime, label, c)| CrimeRow {
            crime: crime.into_string(),
            crime_label: Some(label),
            paragraphs: c.paragraphs,
            reports: c.reports,
            example: c.example.map(NamedNode::into_string),
        })
        .collect();
    rows.sort_by(|a, b| (b.paragraphs, &a.crime_label).cmp(&(a.paragraphs, &b.crime_label)));
    Ok(rows)
}

/// The States that spoke where `crime` was discussed, most reports first (what
/// `states-on-crime-type.rq` asks): each State's count for the crime type over all
/// meetings, by key ([`counts_by_key`]). The saved query joins every count of the crime
/// type, in every scope, with every count over all meetings: about 18,000 index entries
/// at 100,000 reports.
pub async fn states_on_crime_type(
    state: &Shared,
    crime: &NamedNode,
) -> Result<Vec<SpeakerRow>, ApiError> {
    let counts = counts_by_key(state, EntityKind::State, |s| Key::Matrix {
        state: s.clone(),
        crime: crime.clone(),
        scope: Scope::All,
    })
    .await?;
    let mut rows: Vec<SpeakerRow> = counts
        .into_iter()
        .filter(|(_, _, c)| c.reports > 0)
        .map(|(s, label, c)| SpeakerRow {
            topic: crime.as_str().to_string(),
            state: s.into_string(),
            state_label: label,
            reports: c.reports,
            paragraphs: c.paragraphs,
        })
        .collect();
    rows.sort_by(|a, b| (b.reports, &a.state_label).cmp(&(a.reports, &b.state_label)));
    Ok(rows)
}

/// JSON rows as `T`s.
fn typed<T: DeserializeOwned>(name: &str, rows: Vec<Value>) -> Result<Vec<T>, ApiError> {
    rows.into_iter()
        .map(serde_json::from_value)
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| ApiError::Internal(format!("a row of {name}: {e}")))
}

/// Rows `length (page - 1) + 1` to `length page` of a saved SELECT, typed: the caller
/// knows the whole list's size (a count the summary keeps), so only the page is read.
async fn select_slice<T: DeserializeOwned + Send + 'static>(
    state: &Shared,
    name: &str,
    values: &[(&str, Term)],
    page: PageNo,
    length: usize,
) -> Result<Vec<T>, ApiError> {
    let mut query = bind(name, values)?;
    wrap_slice(pattern_mut(&mut query), page.start(length), length);
    run_typed(state, name, query).await
}

fn empty() -> GraphPattern {
    GraphPattern::Bgp {
        patterns: Vec::new(),
    }
}

/// `SELECT (COUNT(*) AS ?total) WHERE { query }`, without the query's sort.
fn counted(query: &Query) -> Query {
    let mut query = query.clone();
    let pattern = pattern_mut(&mut query);
    let total = Variable::new_unchecked("total");
    let inner = unordered(std::mem::replace(pattern, empty()));
    *pattern = GraphPattern::Project {
        inner: Box::new(GraphPattern::Group {
            inner: Box::new(inner),
            variables: Vec::new(),
            aggregates: vec![(
                total.clone(),
                AggregateExpression::CountSolutions { distinct: false },
            )],
        }),
        variables: vec![total],
    };
    query
}

/// The pattern without its outermost `ORDER BY`: a count needs no sort. Not looked for
/// below a `LIMIT` (a `Slice`), whose rows depend on the order; kept there.
fn unordered(pattern: GraphPattern) -> GraphPattern {
    match pattern {
        GraphPattern::OrderBy { inner, .. } => *inner,
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: Box::new(unordered(*inner)),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct {
            inner: Box::new(unordered(*inner)),
        },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced {
            inner: Box::new(unordered(*inner)),
        },
        other => other,
    }
}

fn total_of(results: QueryResults<'static>) -> Result<usize, ApiError> {
    let QueryResults::Solutions(mut solutions) = results else {
        return Err(ApiError::Internal("a count that is not a SELECT".into()));
    };
    let solution = solutions.next().transpose().map_err(evaluation)?;
    match solution.as_ref().and_then(|s| s.get("total")) {
        Some(Term::Literal(l)) => l
            .value()
            .parse()
            .map_err(|_| ApiError::Internal(format!("count {l}"))),
        _ => Err(ApiError::Internal("a count without a number".into())),
    }
}

/// An error met while reading results: a cancelled query stays a cancellation (503).
fn evaluation(e: oxigraph::sparql::QueryEvaluationError) -> ApiError {
    ApiError::from(StoreError::from(e))
}

/// A SELECT's rows as JSON objects.
fn rows_of(results: QueryResults<'static>) -> Result<Vec<Value>, ApiError> {
    let QueryResults::Solutions(solutions) = results else {
        return Err(ApiError::Internal("not a SELECT".into()));
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(evaluation)?;
        let mut row = Map::new();
        for (var, term) in solution.iter() {
            row.insert(var.as_str().to_string(), json_of(term));
        }
        rows.push(Value::Object(row));
    }
    Ok(rows)
}

pub fn json_of(term: &Term) -> Value {
    match term {
        Term::NamedNode(n) => Value::String(n.as_str().to_string()),
        Term::Literal(l) if l.datatype().as_str().ends_with("#integer") => l
            .value()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(l.value().to_string())),
        Term::Literal(l) => Value::String(l.value().to_string()),
        other => Value::String(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    /// Every (query, variable) the server binds.
    const BOUND: &[(&str, &str)] = &[
        ("state-statements", "state"),
        ("state-statement-rows", "state"),
        ("state-topics", "state"),
        ("states-on-crime-type", "topic"),
        ("instrument-crimes", "instrument"),
        ("entity-evidence", "entity"),
        ("entity-related", "band"),
        ("band-sizes", "band"),
        ("entity-trend", "entity"),
        ("report-paragraphs", "report"),
        ("meeting-reports", "meeting"),
        ("matrix-evidence", "state"),
        ("matrix-evidence", "crime"),
        ("matrix", "scope"),
        ("search", "q"),
    ];

    #[test]
    fn binding_replaces_the_example_row_in_the_algebra() {
        let fra = Term::NamedNode(NamedNode::new_unchecked(
            "https://w3id.org/crimegraph/id/state/FRA",
        ));
        for (name, var) in BOUND {
            let bound = bind(name, &[(var, fra.clone())])
                .unwrap_or_else(|_| panic!("{name} has VALUES ?{var}"))
                .to_string();
            assert!(bound.contains("state/FRA"), "{name}: {bound}");
            if *var == "state" {
                assert!(!bound.contains("state/EGY"), "{name}: {bound}");
            }
        }
        assert!(bind("search", &[("nothere", fra)]).is_err());
        // Text that would close the query is one literal in the algebra.
        let hostile = Term::Literal(Literal::from("\" } } DROP ALL #"));
        let bound = bind("search", &[("q", hostile)]).ok().unwrap();
        let Query::Select { pattern, .. } = bound else {
            panic!("still a SELECT")
        };
        assert!(pattern.to_string().contains(r#""\" } } DROP ALL #""#));
    }

    /// A ranked page binds the fewest top bands that hold the rows it still needs.
    #[test]
    fn the_bands_bound_are_the_fewest_that_hold_the_rows() {
        let band = |k: u32| GroundTerm::NamedNode(NamedNode::new_unchecked(format!("urn:b:{k}")));
        let sizes = [(band(9), 3), (band(7), 40), (band(6), 200), (band(2), 9)];
        assert_eq!(bands_holding(&sizes, 3), 1);
        assert_eq!(bands_holding(&sizes, 4), 2);
        assert_eq!(bands_holding(&sizes, 100), 3);
        assert_eq!(bands_holding(&sizes, 1000), 4);
        assert_eq!(bands_holding(&[], 10), 0);
    }

    #[test]
    fn the_shown_text_holds_the_value_as_given() {
        let q = Term::Literal(Literal::from("$1 and ${q}"));
        assert!(shown("search", &[("q", q)]).contains(r#"VALUES ?q { "$1 and ${q}" }"#));
    }

    #[test]
    fn every_file_in_queries_is_built_in_and_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .path()
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        let mut names: Vec<String> = SAVED.iter().map(|(n, _)| n.to_string()).collect();
        names.sort();
        assert_eq!(files, names);
        for (name, q) in SAVED {
            let _ = oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(q)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!question(q).is_empty(), "{name} says what it asks");
        }
    }
}
