//! Answers as JSON for people who do not write SPARQL, each backed by a saved question
//! of `queries/` with its `VALUES` line set to the entity asked about.

use super::queries::select;
use super::{ApiError, Shared};
use crate::reference::EntityKind;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use oxigraph::model::{Literal, Term};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/states/{iso3}", get(state_profile))
        .route("/api/crime-types/{slug}/states", get(crime_type_states))
        .route("/api/instruments/{slug}", get(instrument_profile))
        .route("/api/search", get(search))
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
    let statements = select(&state, "state-statements", &[("state", iri.clone())]).await?;
    let topics = select(&state, "state-topics", &[("state", iri.clone())]).await?;
    Ok(Json(
        json!({ "state": describe(&iri, &label), "statements": statements, "topics": topics }),
    ))
}

async fn crime_type_states(
    State(state): State<Shared>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (iri, label) = entity(&state, EntityKind::CrimeType, &slug)?;
    let states = select(&state, "states-on-crime-type", &[("topic", iri.clone())]).await?;
    Ok(Json(
        json!({ "crimeType": describe(&iri, &label), "states": states }),
    ))
}

async fn instrument_profile(
    State(state): State<Shared>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (iri, label) = entity(&state, EntityKind::Instrument, &slug)?;
    let crimes = select(&state, "instrument-crimes", &[("instrument", iri.clone())]).await?;
    let evidence = select(&state, "entity-evidence", &[("entity", iri.clone())]).await?;
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
    let results = select(&state, "search", &[("q", Term::Literal(Literal::from(q)))]).await?;
    Ok(Json(json!({ "q": q, "results": results })))
}
