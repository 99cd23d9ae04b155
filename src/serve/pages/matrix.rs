//! The States x crime types matrix and the evidence behind each cell, read from the
//! matrix counts of the summary (`map::summary::Key::Matrix`): one node per cell in
//! each scope, so the page costs what it shows, not what the collection holds.

use super::text::{paragraphs_of, Paragraph};
use super::{render, short, Pager};
use crate::map::summary::{Key, Scope, CONGRESS_REGION};
use crate::reference::CG;
use crate::serve::queries::{select_as, select_items, shown, summary_count, with_labels, PageNo};
use crate::serve::rows::{MarkRow, MatrixRow, MeetingChoiceRow};
use crate::serve::{ApiError, Shared};
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::context;
use oxigraph::model::{NamedNode, Term};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Deserialize, Default, Serialize)]
pub(super) struct MatrixFilter {
    congress: Option<String>,
    region: Option<String>,
    meeting: Option<String>,
    group: Option<String>,
}

/// The filters, checked: a Congress is a number, a meeting an IRI (400 otherwise).
struct Filters {
    congress: Option<i64>,
    region: Option<String>,
    meeting: Option<NamedNode>,
    group: Option<String>,
}

impl Filters {
    fn parse(f: &MatrixFilter) -> Result<Self, ApiError> {
        let given = |v: &Option<String>| v.as_deref().filter(|v| !v.is_empty()).map(str::to_string);
        let congress = match given(&f.congress) {
            Some(c) => Some(
                c.parse()
                    .map_err(|_| ApiError::BadRequest("congress is a number".into()))?,
            ),
            None => None,
        };
        let meeting = match given(&f.meeting) {
            Some(m) => Some(
                NamedNode::new(m).map_err(|_| ApiError::BadRequest("meeting is an IRI".into()))?,
            ),
            None => None,
        };
        Ok(Filters {
            congress,
            region: given(&f.region),
            meeting,
            group: given(&f.group),
        })
    }

    /// The scope whose counts answer these filters, or `None` when no meeting can
    /// match. A meeting stands for its Congress and region (`map::summary::Scope`); one
    /// of another Congress or region than the one asked for matches nothing, and so
    /// does one without a Congress.
    fn scope(&self, meetings: &[MeetingChoiceRow]) -> Option<Scope> {
        let (mut congress, mut region) = (self.congress, self.region.clone());
        if let Some(m) = &self.meeting {
            let c = meetings.iter().find(|c| c.meeting == m.as_str())?;
            let its_region = c.region.clone().unwrap_or_else(|| CONGRESS_REGION.into());
            if congress.is_some_and(|n| c.congress != Some(n))
                || region.as_ref().is_some_and(|r| *r != its_region)
            {
                return None;
            }
            congress = Some(c.congress?);
            region = Some(its_region);
        }
        Some(match (congress, region) {
            (Some(n), Some(r)) => Scope::CongressRegion(n, r),
            (Some(n), None) => Scope::Congress(n),
            (None, Some(r)) => Scope::Region(r),
            (None, None) => Scope::All,
        })
    }

    /// The values `matrix.rq` is run with.
    fn values(&self, scope: &Scope) -> Vec<(&'static str, Term)> {
        vec![("scope", Term::Literal(scope.literal()))]
    }
}

/// What the reference data says of the matrix's States and crime types: labels, and
/// each State's UN regional group (by the IRIs the store uses).
struct Facts {
    labels: HashMap<String, String>,
    groups: HashMap<String, String>,
}

impl Facts {
    fn of(state: &Shared) -> Self {
        let (vocab, base) = (state.pipeline.vocabulary(), state.pipeline.base());
        let labels = vocab
            .entities
            .iter()
            .map(|e| (base.rebase(&e.iri).as_str().to_string(), e.label.clone()))
            .collect();
        let group = format!("{CG}unRegionalGroup");
        let groups = vocab
            .triples
            .iter()
            .filter(|t| t.predicate.as_str() == group)
            .filter_map(|t| match (&t.subject, &t.object) {
                (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::Literal(l)) => Some((
                    base.rebase(s.as_str()).as_str().to_string(),
                    l.value().to_string(),
                )),
                _ => None,
            })
            .collect();
        Facts { labels, groups }
    }

    fn label(&self, iri: &str) -> String {
        self.labels.get(iri).cloned().unwrap_or_else(|| short(iri))
    }
}

/// A State or crime type of the matrix, by label.
#[derive(Serialize)]
struct Heading {
    iri: String,
    label: String,
}

/// `/matrix`: States x crime types, filtered by Congress, meeting region, meeting and
/// the State's regional group.
pub(super) async fn matrix(
    State(state): State<Shared>,
    Query(f): Query<MatrixFilter>,
) -> Result<Response, ApiError> {
    let filters = Filters::parse(&f)?;
    let meetings: Vec<MeetingChoiceRow> = select_as(&state, "meetings", &[]).await?;
    let (rows, query) = match filters.scope(&meetings) {
        Some(scope) => {
            let values = filters.values(&scope);
            let rows: Vec<MatrixRow> = select_as(&state, "matrix", &values).await?;
            (rows, shown("matrix", &values))
        }
        None => (Vec::new(), shown("matrix", &[])),
    };
    let congresses: BTreeSet<i64> = meetings.iter().filter_map(|m| m.congress).collect();
    let regions: BTreeSet<&str> = meetings
        .iter()
        .filter_map(|m| m.region.as_deref())
        .collect();
    let choices: BTreeMap<&str, &str> = meetings
        .iter()
        .map(|m| (m.meeting.as_str(), m.label.as_deref().unwrap_or(&m.meeting)))
        .collect();
    let facts = Facts::of(&state);
    let rows: Vec<MatrixRow> = match &filters.group {
        Some(g) => rows
            .into_iter()
            .filter(|r| facts.groups.get(&r.state) == Some(g))
            .collect(),
        None => rows,
    };
    let grid = Grid::of(&rows, &facts);
    render(
        &state,
        "matrix.html",
        context! {
            f => f,
            congresses => congresses,
            regions => regions,
            meetings => choices.into_iter().map(|(iri, label)| Heading { iri: iri.into(), label: label.into() }).collect::<Vec<_>>(),
            groups => facts.groups.values().collect::<BTreeSet<_>>(),
            states => grid.states,
            crimes => grid.crimes,
            cells => grid.cells,
            max => grid.max,
            sparql => query,
        },
    )
}

/// The matrix's rows, columns and cells: States by label, crime types by how often
/// they come up.
struct Grid {
    states: Vec<Heading>,
    crimes: Vec<Heading>,
    cells: HashMap<String, i64>,
    max: i64,
}

impl Grid {
    fn of(rows: &[MatrixRow], facts: &Facts) -> Self {
        let mut states: BTreeMap<&str, String> = BTreeMap::new();
        let mut crimes: HashMap<&str, (String, i64)> = HashMap::new();
        let mut cells = HashMap::new();
        let mut max = 1;
        for r in rows {
            states
                .entry(&r.state)
                .or_insert_with(|| facts.label(&r.state));
            crimes
                .entry(&r.crime)
                .or_insert_with(|| (facts.label(&r.crime), 0))
                .1 += r.reports;
            cells.insert(format!("{} {}", r.state, r.crime), r.reports);
            max = max.max(r.reports);
        }
        let mut states: Vec<Heading> = states
            .into_iter()
            .map(|(iri, label)| Heading {
                iri: iri.into(),
                label,
            })
            .collect();
        states.sort_by(|a, b| a.label.cmp(&b.label));
        let mut crimes: Vec<(&str, (String, i64))> = crimes.into_iter().collect();
        crimes.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.1 .0.cmp(&b.1 .0)));
        Grid {
            states,
            crimes: crimes
                .into_iter()
                .map(|(iri, (label, _))| Heading {
                    iri: iri.into(),
                    label,
                })
                .collect(),
            cells,
            max,
        }
    }
}

#[derive(Deserialize)]
pub(super) struct EvidenceParams {
    state: String,
    crime: String,
    page: Option<String>,
}

/// Paragraphs of evidence a page of `/matrix/evidence` shows.
const EVIDENCE_PAGE: usize = 20;

/// `/matrix/evidence?state=&crime=`: the paragraphs behind one cell, a page at a time;
/// how many there are, from the cell's count.
pub(super) async fn evidence(
    State(state): State<Shared>,
    Query(p): Query<EvidenceParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let (st, st_label) = known(&state, &p.state)?;
    let (cr, cr_label) = known(&state, &p.crime)?;
    let values = [
        ("state", Term::NamedNode(st.clone())),
        ("crime", Term::NamedNode(cr.clone())),
    ];
    let cell = Key::Matrix {
        state: st.clone(),
        crime: cr.clone(),
        scope: Scope::All,
    };
    let total = usize::try_from(summary_count(&state, cell).await?.paragraphs).unwrap_or(0);
    let mut rows: Vec<MarkRow> = if total == 0 {
        Vec::new()
    } else {
        select_items(&state, "matrix-evidence", &values, page, EVIDENCE_PAGE).await?
    };
    with_labels(&state, &mut rows).await?;
    let links = state.pages.links();
    let paragraphs: Vec<Paragraph> = paragraphs_of(links, &rows, |r| {
        r.meeting_label.clone().unwrap_or_default()
    });
    let href = |n: usize| {
        let q = [
            ("state", st.as_str()),
            ("crime", cr.as_str()),
            ("page", &n.to_string()),
        ];
        format!(
            "/matrix/evidence?{}",
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    };
    let pager = Pager::new(page.number(), total.div_ceil(EVIDENCE_PAGE), href);
    render(
        &state,
        "evidence.html",
        context! {
            state => st.as_str(), state_label => st_label,
            crime => cr.as_str(), crime_label => cr_label,
            paragraphs => paragraphs, pager => pager,
            sparql => shown("matrix-evidence", &values),
        },
    )
}

/// An IRI from the query string: well-formed or a 400. One the reference data does not
/// know is shown as text (its evidence is then empty).
fn known(state: &Shared, s: &str) -> Result<(NamedNode, String), ApiError> {
    let iri =
        NamedNode::new(s).map_err(|_| ApiError::BadRequest(format!("{s:?} is not an IRI")))?;
    let label = state
        .pipeline
        .vocabulary()
        .entities
        .iter()
        .find(|e| state.pipeline.base().rebase(&e.iri) == iri)
        .map_or_else(|| short(iri.as_str()), |e| e.label.clone());
    Ok((iri, label))
}
