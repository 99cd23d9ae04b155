//! The saved questions of `queries/`, built into the binary, and how the server runs
//! them: `VALUES` lines set to what was asked (written by oxigraph, so a client's text
//! cannot change a query), rows as JSON objects.

use super::{ApiError, Shared};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use regex::Regex;
use serde_json::{Map, Value};

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
    ("overview", include_str!("../../queries/overview.rq")),
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

/// Sets `VALUES ?var { ... }` of a query to one value.
pub fn with_values(query: &str, var: &str, value: &Term) -> String {
    let re = Regex::new(&format!(r"VALUES\s+\?{var}\s*\{{[^}}]*\}}")).expect("valid pattern");
    assert!(re.is_match(query), "saved query has no VALUES ?{var}");
    re.replace(query, format!("VALUES ?{var} {{ {value} }}").as_str())
        .into_owned()
}

/// Runs a saved SELECT with its `VALUES` set, rows as JSON objects: IRIs and strings as
/// strings, integers as numbers.
pub async fn select(
    state: &Shared,
    name: &str,
    values: &[(&str, Term)],
) -> Result<Vec<Value>, ApiError> {
    let mut query = saved(name).to_string();
    for (var, value) in values {
        query = with_values(&query, var, value);
    }
    run_select(state, query).await
}

/// Runs any SELECT; rows as JSON objects.
pub async fn run_select(state: &Shared, query: String) -> Result<Vec<Value>, ApiError> {
    let st = state.clone();
    state
        .runner
        .run(move |token| {
            let QueryResults::Solutions(solutions) = st.store.query(&query, Some(token))? else {
                return Err(ApiError::Internal("not a SELECT".into()));
            };
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(|e| ApiError::Internal(e.to_string()))?;
                let mut row = Map::new();
                for (var, term) in solution.iter() {
                    row.insert(var.as_str().to_string(), json_of(term));
                }
                rows.push(Value::Object(row));
            }
            Ok(rows)
        })
        .await
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
