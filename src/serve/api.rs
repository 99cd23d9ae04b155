//! Answers as JSON for people who do not write SPARQL, each backed by a saved question
//! of `queries/` with its `VALUES` line set to the entity asked about.

use super::{blocking, ApiError, Shared};
use crate::reference::EntityKind;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::QueryResults;
use regex::Regex;
use serde::Deserialize;
use serde_json::{json, Map, Value};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/states/{iso3}", get(state_profile))
        .route("/api/crime-types/{slug}/states", get(crime_type_states))
        .route("/api/instruments/{slug}", get(instrument_profile))
        .route("/api/search", get(search))
}

/// Sets `VALUES ?var { ... }` of a saved query to one value (an IRI or a literal,
/// written by oxigraph, so a client's text cannot change the query).
fn with_values(query: &str, var: &str, value: &Term) -> String {
    let re = Regex::new(&format!(r"VALUES\s+\?{var}\s*\{{[^}}]*\}}")).expect("valid pattern");
    assert!(re.is_match(query), "saved query has no VALUES ?{var}");
    re.replace(query, format!("VALUES ?{var} {{ {value} }}").as_str())
        .into_owned()
}

/// Runs a SELECT and gives its rows as JSON objects: IRIs and strings as strings,
/// numbers as numbers.
pub(crate) async fn select(
    state: &Shared,
    query: &str,
    values: &[(&str, Term)],
) -> Result<Vec<Value>, ApiError> {
    let mut query = query.to_string();
    for (var, value) in values {
        query = with_values(&query, var, value);
    }
    let st = state.clone();
    blocking(move || {
        let QueryResults::Solutions(solutions) = st.store.query(&query, None)? else {
            return Err(ApiError::Internal("saved question is not a SELECT".into()));
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

fn json_of(term: &Term) -> Value {
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

/// The entity of a kind with this key, from the reference data.
fn entity(state: &Shared, kind: EntityKind, key: &str) -> Result<(Term, String), ApiError> {
    let valid = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let vocab = state.pipeline.vocabulary();
    let found = valid
        .then(|| {
            vocab
                .entities
                .iter()
                .find(|e| e.kind == kind && e.key() == key)
        })
        .flatten()
        .ok_or_else(|| ApiError::NotFound(format!("no {} {key:?}", kind.segment())))?;
    let iri = state.pipeline.base().rebase(&found.iri);
    Ok((Term::NamedNode(iri), found.label.clone()))
}

fn describe(term: &Term, label: &str) -> Value {
    let iri = match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        t => t.to_string(),
    };
    json!({ "iri": iri, "label": label })
}

async fn state_profile(
    State(state): State<Shared>,
    Path(iso3): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (iri, label) = entity(&state, EntityKind::State, &iso3.to_ascii_uppercase())?;
    let statements = select(
        &state,
        include_str!("../../queries/state-statements.rq"),
        &[("state", iri.clone())],
    )
    .await?;
    let topics = select(
        &state,
        include_str!("../../queries/state-topics.rq"),
        &[("state", iri.clone())],
    )
    .await?;
    Ok(Json(
        json!({ "state": describe(&iri, &label), "statements": statements, "topics": topics }),
    ))
}

async fn crime_type_states(
    State(state): State<Shared>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (iri, label) = entity(&state, EntityKind::CrimeType, &slug)?;
    let states = select(
        &state,
        include_str!("../../queries/states-on-crime-type.rq"),
        &[("topic", iri.clone())],
    )
    .await?;
    Ok(Json(
        json!({ "crimeType": describe(&iri, &label), "states": states }),
    ))
}

async fn instrument_profile(
    State(state): State<Shared>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (iri, label) = entity(&state, EntityKind::Instrument, &slug)?;
    let crimes = select(
        &state,
        include_str!("../../queries/instrument-crimes.rq"),
        &[("instrument", iri.clone())],
    )
    .await?;
    let evidence = select(
        &state,
        include_str!("../../queries/entity-evidence.rq"),
        &[("entity", iri.clone())],
    )
    .await?;
    Ok(Json(
        json!({ "instrument": describe(&iri, &label), "crimeTypes": crimes, "evidence": evidence }),
    ))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
}

async fn search(
    State(state): State<Shared>,
    Query(params): Query<SearchParams>,
) -> Result<Json<Value>, ApiError> {
    let q = params.q.unwrap_or_default();
    let q = q.trim();
    if q.is_empty() {
        return Err(ApiError::BadRequest("missing 'q'".into()));
    }
    if q.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "'q' is longer than 200 characters".into(),
        ));
    }
    let results = select(
        &state,
        include_str!("../../queries/search.rq"),
        &[("q", Term::Literal(Literal::from(q)))],
    )
    .await?;
    Ok(Json(json!({ "q": q, "results": results })))
}
