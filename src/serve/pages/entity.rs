//! Entity pages: the HTML face of every `/id/...` IRI. The facts come from the
//! resource's description (read by `linked`); the tables by class, from saved questions
//! that read the summary's counts (`map::summary`) or one page of a list:
//! - a State, crime type, instrument or organization: its own tables, what is named
//!   with it (the 50 most often), its trend, and a page of the paragraphs naming it;
//! - a report: its paragraphs with every mention marked (a report is bounded);
//! - a meeting: a page of its reports with who spoke;
//! - anything else: what points at it (the description's bounded sample).

use super::text::{paragraphs_of, Cell, Paragraph, Table};
use super::{render, short, Links, Pager};
use crate::map::summary::{band, band_node, Key};
use crate::serve::queries::{
    crimes_with_instrument, select_as, select_items, select_ranked, shown, state_statements,
    states_on_crime_type, summary_count, with_labels, PageNo,
};
use crate::serve::rows::{MarkRow, MeetingChoiceRow, MeetingRow, RelatedRow, TopicRow, TrendRow};
use crate::serve::{ApiError, Shared};
use axum::response::Response;
use minijinja::Value as Jv;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// Paragraphs a page of evidence shows; reports a page of a meeting shows; statements a
/// page of a State's shows (a page for reading: the JSON answer pages by 100).
const PARAGRAPHS_PAGE: usize = 20;
const REPORTS_PAGE: usize = 10;
const STATEMENTS_PAGE: usize = 50;
/// What is named with an entity: the most often named, at most.
const RELATED: usize = 50;

/// What the page shows besides the facts.
#[derive(Serialize, Default)]
struct Sections {
    tables: Vec<Table>,
    paragraphs: Vec<Paragraph>,
    paragraphs_title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    trend: Option<Vec<TrendRow>>,
    sparql: String,
    pager: Option<Pager>,
}

/// One property of the resource and its values.
#[derive(Serialize)]
struct Fact {
    name: String,
    values: Vec<Cell>,
}

/// Where the page is and which page of its lists it shows.
struct Place<'a> {
    local: &'a str,
    page: PageNo,
}

impl Place<'_> {
    fn href(&self, n: usize) -> String {
        format!("{}?page={n}", self.local)
    }
}

/// The HTML face of an `/id/...` IRI: facts from its description, then tables by class;
/// `page` is the page of its lists (`?page=N`).
pub async fn entity(
    state: Shared,
    iri: &str,
    triples: &[Triple],
    local: &str,
    page: PageNo,
) -> Result<Response, ApiError> {
    // The IRI is built from the request's path: checked before it is bound in a query.
    let node =
        NamedNode::new(iri).map_err(|_| ApiError::NotFound(format!("{iri:?} is not an IRI")))?;
    let links = state.pages.links().clone();
    let about = About::of(&node, triples);
    let place = Place { local, page };
    let sections = match Tables::of(&about) {
        Some(Tables::Entity) => entity_sections(&state, &node, &about, &place).await?,
        Some(Tables::Report) => report_sections(&state, &node).await?,
        Some(Tables::Meeting) => meeting_sections(&state, &node, &place).await?,
        None => referred_to(&links, &about, &node, triples),
    };
    let link_headers = sections
        .pager
        .as_ref()
        .map(Pager::link_headers)
        .unwrap_or_default();
    let page = EntityPage {
        title: about.title(),
        kind: about.kind(),
        local,
        facts: about.facts(&links),
        search: search_link(&state, &node),
        sections,
    };
    let mut response = render(&state, "entity.html", Jv::from_serialize(&page))?;
    for value in link_headers {
        response
            .headers_mut()
            .append(axum::http::header::LINK, value);
    }
    Ok(response)
}

/// Whether the page of `node`, described by its own triples `own`, shows tables of its
/// own (a State, crime type, instrument, organization, report or meeting) rather than
/// what points at it: such a page needs no sample of the triples pointing at it, which
/// at 100,000 reports cost a meeting's page 35 ms for 500 reports it never showed.
pub fn shows_own_tables(node: &NamedNode, own: &[Triple]) -> bool {
    Tables::of(&About::of(node, own)).is_some()
}

/// The tables of its own a page shows, by the resource's class; `None`: what points at
/// it instead. `entity` and `shows_own_tables` both read it, so the description a page
/// is given always holds what the page shows.
enum Tables {
    /// A State, crime type, instrument or organization.
    Entity,
    Report,
    Meeting,
}

impl Tables {
    fn of(about: &About<'_>) -> Option<Self> {
        if about.is_any(&["State", "CrimeType", "Instrument", "Organization"]) {
            Some(Tables::Entity)
        } else if about.is("Report") {
            Some(Tables::Report)
        } else if about.is("Meeting") {
            Some(Tables::Meeting)
        } else {
            None
        }
    }
}

/// Everything `entity.html` shows.
#[derive(Serialize)]
struct EntityPage<'a> {
    title: String,
    kind: String,
    local: &'a str,
    facts: Vec<Fact>,
    /// `/search` narrowed to the paragraphs that name it (a State, organization,
    /// instrument or crime type).
    search: Option<String>,
    #[serde(flatten)]
    sections: Sections,
}

fn search_link(state: &Shared, node: &NamedNode) -> Option<String> {
    let path = state.pipeline.base().path_of(node.as_str())?;
    let (segment, key) = path.split_once('/')?;
    let facet = match segment {
        "state" | "org" | "instrument" | "crime" => segment,
        _ => return None,
    };
    let query = serde_urlencoded::to_string([(facet, key)]).ok()?;
    Some(format!("/search?{query}"))
}

/// What the description says of the resource: labels of what it names, its classes.
struct About<'a> {
    node: &'a NamedNode,
    triples: &'a [Triple],
    labels: HashMap<&'a str, &'a str>,
    classes: Vec<String>,
}

impl<'a> About<'a> {
    fn of(node: &'a NamedNode, triples: &'a [Triple]) -> Self {
        let labels = triples
            .iter()
            .filter(|t| t.predicate.as_str() == RDFS_LABEL)
            .filter_map(|t| match (&t.subject, &t.object) {
                (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) => Some((s.as_str(), l.value())),
                _ => None,
            })
            .collect();
        let classes = triples
            .iter()
            .filter(|t| {
                t.subject.as_ref() == node.as_ref().into() && t.predicate.as_str() == RDF_TYPE
            })
            .filter_map(|t| match &t.object {
                Term::NamedNode(n) => Some(short(n.as_str())),
                _ => None,
            })
            .collect();
        About {
            node,
            triples,
            labels,
            classes,
        }
    }

    fn is(&self, class: &str) -> bool {
        self.classes.iter().any(|k| k == class)
    }

    fn is_any(&self, classes: &[&str]) -> bool {
        classes.iter().any(|c| self.is(c))
    }

    fn label(&self, iri: &str) -> String {
        self.labels
            .get(iri)
            .map_or_else(|| short(iri), |l| l.to_string())
    }

    fn title(&self) -> String {
        self.label(self.node.as_str())
    }

    fn kind(&self) -> String {
        self.classes
            .iter()
            .find(|c| c.as_str() != "Concept")
            .cloned()
            .unwrap_or_default()
    }

    /// The resource's own properties, IRIs shown by label; narrower concepts (those
    /// pointing at it with `skos:broader`) too.
    fn facts(&self, links: &Links) -> Vec<Fact> {
        let mut facts: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
        let me = NamedOrBlankNode::NamedNode(self.node.clone());
        for t in self.triples.iter().filter(|t| t.subject == me) {
            let p = t.predicate.as_str();
            if p == RDF_TYPE
                || p == RDFS_LABEL
                || p.ends_with("#value")
                || p.ends_with("tripleCount")
            {
                continue;
            }
            let cell = match &t.object {
                Term::NamedNode(n) => Cell::link(links, Some(&self.label(n.as_str())), n.as_str()),
                Term::Literal(l) => Cell::text(l.value()),
                o => Cell::text(o),
            };
            facts.entry(self.label(p)).or_default().push(cell);
        }
        let term = Term::NamedNode(self.node.clone());
        for t in self
            .triples
            .iter()
            .filter(|t| t.object == term && t.predicate.as_str().ends_with("core#broader"))
        {
            if let NamedOrBlankNode::NamedNode(s) = &t.subject {
                let cell = Cell::link(links, Some(&self.label(s.as_str())), s.as_str());
                facts.entry("narrower".into()).or_default().push(cell);
            }
        }
        facts
            .into_iter()
            .map(|(name, values)| Fact { name, values })
            .collect()
    }
}

/// A State, crime type, instrument or organization. The parts are independent questions,
/// asked at once (each in its own query slot, under the request's one deadline): at
/// 100,000 reports a State's page waited on nine questions in turn.
async fn entity_sections(
    state: &Shared,
    node: &NamedNode,
    about: &About<'_>,
    place: &Place<'_>,
) -> Result<Sections, ApiError> {
    // How many paragraphs name it: the evidence's total, and the highest band any
    // count of what is named with it can be in (no paragraph names both more often).
    let named = summary_count(state, Key::Entity(node.clone())).await?;
    let total = usize::try_from(named.paragraphs).unwrap_or(0);
    let v = [("entity", Term::NamedNode(node.clone()))];
    let (own, related, trend, evidence) = tokio::try_join!(
        own_tables(state, node, about, place),
        related_table(state, node, named.paragraphs),
        select_as(state, "entity-trend", &v),
        evidence(state, node, about, place, total),
    )?;
    let mut tables = own.tables;
    tables.push(related);
    tables.extend(evidence.calls);
    let pages = own.pages.max(evidence.pages);
    Ok(Sections {
        tables,
        paragraphs: evidence.paragraphs,
        paragraphs_title: evidence.title,
        trend: Some(trend),
        sparql: own.sparql.unwrap_or_else(|| shown("entity-evidence", &v)),
        pager: Some(Pager::new(place.page.number(), pages, |n| place.href(n))),
    })
}

/// The tables of an entity's own class, the saved question shown with them, and how
/// many pages its lists take.
#[derive(Default)]
struct OwnTables {
    tables: Vec<Table>,
    sparql: Option<String>,
    pages: usize,
}

async fn own_tables(
    state: &Shared,
    node: &NamedNode,
    about: &About<'_>,
    place: &Place<'_>,
) -> Result<OwnTables, ApiError> {
    let term = Term::NamedNode(node.clone());
    let mut own = OwnTables {
        pages: 1,
        ..OwnTables::default()
    };
    if about.is("State") {
        let (statements, topics) = tokio::try_join!(
            statements_table(state, node, place),
            topics_table(state, &term)
        )?;
        own.pages = statements.1;
        own.tables.extend([statements.0, topics]);
        own.sparql = Some(shown("state-topics", &[("state", term.clone())]));
    }
    if about.is("CrimeType") {
        own.tables.push(crime_type_table(state, node).await?);
        own.sparql = Some(shown("states-on-crime-type", &[("topic", term.clone())]));
    }
    if about.is("Instrument") {
        own.tables.push(instrument_table(state, node).await?);
        own.sparql = Some(shown("instrument-crimes", &[("instrument", term)]));
    }
    Ok(own)
}

/// The States that spoke where a crime type was discussed.
async fn crime_type_table(state: &Shared, node: &NamedNode) -> Result<Table, ApiError> {
    let links = state.pages.links();
    let rows = states_on_crime_type(state, node).await?;
    Ok(Table::new(
        "States that spoke where it was discussed",
        vec!["State", "Reports", "Paragraphs"],
        &rows,
        |r| {
            vec![
                Cell::link(links, Some(&r.state_label), &r.state),
                Cell::text(r.reports),
                Cell::text(r.paragraphs),
            ]
        },
    ))
}

/// What is named in the same paragraphs, the most often first: read by band, from the
/// highest band a count can be in (`paragraphs`, how many paragraphs name the entity).
async fn related_table(
    state: &Shared,
    node: &NamedNode,
    paragraphs: i64,
) -> Result<Table, ApiError> {
    let links = state.pages.links();
    let base = state.pipeline.base();
    let bands: Vec<Term> = (0..=band(paragraphs))
        .rev()
        .map(|k| Term::NamedNode(band_node(base, node, k)))
        .collect();
    let related: Vec<RelatedRow> =
        select_ranked(state, "entity-related", "band", bands, RELATED).await?;
    Ok(Table::new(
        "Named in the same paragraphs",
        vec!["Name", "Kind", "Paragraphs"],
        &related,
        |r| {
            vec![
                Cell::link(links, Some(&r.label), &r.other),
                Cell::text(short(&r.class)),
                Cell::text(r.paragraphs),
            ]
        },
    )
    .with_note(
        (related.len() == RELATED).then(|| format!("The {RELATED} named with it most often.")),
    ))
}

/// A page of a State's statements, and how many pages they take.
async fn statements_table(
    state: &Shared,
    node: &NamedNode,
    place: &Place<'_>,
) -> Result<(Table, usize), ApiError> {
    let links = state.pages.links();
    let statements = state_statements(
        state,
        node,
        "state-statement-rows",
        place.page,
        STATEMENTS_PAGE,
    )
    .await?;
    let first = place.page.start(STATEMENTS_PAGE);
    // The page's lists turn together: past the last page of statements, none.
    let note = match statements.rows.len() {
        0 => format!("{} statements; none on this page.", statements.total),
        n => format!(
            "{}–{} of {} statements.",
            first + 1,
            first + n,
            statements.total
        ),
    };
    let table = Table::new(
        "Statements",
        vec!["Meeting", "Agenda item", "Role", "Recorded in"],
        &statements.rows,
        |r| {
            vec![
                Cell::maybe_link(links, r.meeting_label.as_deref(), r.meeting.as_deref()),
                Cell::maybe_link(links, r.agenda_title.as_deref(), r.agenda_item.as_deref()),
                Cell::text(short(&r.role)),
                Cell::link(links, None, &r.paragraph),
            ]
        },
    )
    .with_note(Some(note));
    Ok((table, statements.total.div_ceil(STATEMENTS_PAGE).max(1)))
}

/// The topics of the meetings where a State spoke.
async fn topics_table(state: &Shared, term: &Term) -> Result<Table, ApiError> {
    let links = state.pages.links();
    let topics: Vec<TopicRow> =
        select_as(state, "state-topics", &[("state", term.clone())]).await?;
    Ok(Table::new(
        "Topics of the meetings where it spoke",
        vec!["Topic", "Kind", "Reports", "Paragraphs"],
        &topics,
        |r| {
            vec![
                Cell::link(links, r.topic_label.as_deref(), &r.topic),
                Cell::text(short(&r.class)),
                Cell::text(r.reports),
                Cell::text(r.paragraphs),
            ]
        },
    ))
}

/// The crime types named with an instrument.
async fn instrument_table(state: &Shared, node: &NamedNode) -> Result<Table, ApiError> {
    let links = state.pages.links();
    let rows = crimes_with_instrument(state, node).await?;
    Ok(Table::new(
        "Crime types named with it",
        vec!["Crime type", "Paragraphs", "Reports", "Example"],
        &rows,
        |r| {
            vec![
                Cell::link(links, r.crime_label.as_deref(), &r.crime),
                Cell::text(r.paragraphs),
                Cell::text(r.reports),
                Cell::maybe_link(
                    links,
                    r.example.as_deref().map(short).as_deref(),
                    r.example.as_deref(),
                ),
            ]
        },
    ))
}

/// A page of the paragraphs that name an entity, and for an instrument those of them
/// that call for ratification or implementation; how many pages the paragraphs take.
struct Evidence {
    paragraphs: Vec<Paragraph>,
    title: String,
    calls: Option<Table>,
    pages: usize,
}

/// A page of the `total` paragraphs that name the entity (how many, from the summary).
async fn evidence(
    state: &Shared,
    node: &NamedNode,
    about: &About<'_>,
    place: &Place<'_>,
    total: usize,
) -> Result<Evidence, ApiError> {
    let links = state.pages.links();
    let rows: Vec<MarkRow> = if total == 0 {
        Vec::new()
    } else {
        let v = [("entity", Term::NamedNode(node.clone()))];
        select_items(state, "entity-evidence", &v, place.page, PARAGRAPHS_PAGE).await?
    };
    let paragraphs = paragraphs_of(links, &rows, |r| short(r.report.as_deref().unwrap_or("")));
    let first = place.page.start(PARAGRAPHS_PAGE);
    let title = format!(
        "Paragraphs that name it: {}–{} of {total}",
        (first + 1).min(total),
        first + paragraphs.len()
    );
    let calls = about.is("Instrument").then(|| {
        let calls = calls_to_act(&rows);
        Table::new(
            "Paragraphs on this page calling for ratification or implementation",
            vec!["Paragraph", "Report"],
            &calls,
            |r| {
                vec![
                    Cell::link(links, Some(&r.number), &r.p),
                    Cell::maybe_link(links, None, r.report.as_deref()),
                ]
            },
        )
    });
    Ok(Evidence {
        paragraphs,
        title,
        calls,
        pages: total.div_ceil(PARAGRAPHS_PAGE).max(1),
    })
}

/// The paragraphs among `rows` whose text calls for ratifying, acceding to or
/// implementing something, each once.
fn calls_to_act(rows: &[MarkRow]) -> Vec<MarkRow> {
    const WORDS: [&str; 6] = [
        "ratif",
        "implement",
        "accede",
        "accession",
        "signing",
        "sign ",
    ];
    let mut seen = BTreeSet::new();
    rows.iter()
        .filter(|r| {
            let t = r.text.to_lowercase();
            WORDS.iter().any(|w| t.contains(w))
        })
        .filter(|r| seen.insert(r.p.clone()))
        .cloned()
        .collect()
}

/// A report: its paragraphs with every mention marked.
async fn report_sections(state: &Shared, node: &NamedNode) -> Result<Sections, ApiError> {
    let v = [("report", Term::NamedNode(node.clone()))];
    let rows: Vec<MarkRow> = select_as(state, "report-paragraphs", &v).await?;
    Ok(Sections {
        paragraphs: paragraphs_of(state.pages.links(), &rows, |_| String::new()),
        paragraphs_title: "Paragraphs, with every mention marked".into(),
        sparql: shown("report-paragraphs", &v),
        ..Sections::default()
    })
}

/// A meeting: a page of its reports, with who spoke in each.
async fn meeting_sections(
    state: &Shared,
    node: &NamedNode,
    place: &Place<'_>,
) -> Result<Sections, ApiError> {
    let links = state.pages.links();
    let meetings: Vec<MeetingChoiceRow> = select_as(state, "meetings", &[]).await?;
    let total: i64 = meetings
        .iter()
        .filter(|m| m.meeting == node.as_str())
        .map(|m| m.reports)
        .sum();
    let total = usize::try_from(total).unwrap_or(0);
    let v = [("meeting", Term::NamedNode(node.clone()))];
    let mut rows: Vec<MeetingRow> = if total == 0 {
        Vec::new()
    } else {
        select_items(state, "meeting-reports", &v, place.page, REPORTS_PAGE).await?
    };
    with_labels(state, &mut rows).await?;
    let reports: BTreeSet<&str> = rows.iter().map(|r| r.report.as_str()).collect();
    let first = place.page.start(REPORTS_PAGE);
    let note = format!(
        "Reports {}–{} of {total}.",
        (first + 1).min(total),
        first + reports.len()
    );
    let table = Table::new(
        "Statements",
        vec!["Speaker", "Role", "Agenda item", "Report"],
        &rows,
        |r| {
            vec![
                Cell::maybe_link(links, r.speaker_label.as_deref(), r.speaker.as_deref()),
                Cell::text(r.role.as_deref().map(short).unwrap_or_default()),
                Cell::maybe_link(links, r.agenda_title.as_deref(), r.agenda_item.as_deref()),
                Cell::link(links, None, &r.report),
            ]
        },
    )
    .with_note(Some(note));
    let pages = total.div_ceil(REPORTS_PAGE).max(1);
    Ok(Sections {
        tables: vec![table],
        sparql: shown("meeting-reports", &v),
        pager: Some(Pager::new(place.page.number(), pages, |n| place.href(n))),
        ..Sections::default()
    })
}

/// A resource of no class with a page of its own: what points at it, from the
/// description's sample.
fn referred_to(links: &Links, about: &About<'_>, node: &NamedNode, triples: &[Triple]) -> Sections {
    let term = Term::NamedNode(node.clone());
    let me = NamedOrBlankNode::NamedNode(node.clone());
    let rows: Vec<(&NamedNode, &NamedNode)> = triples
        .iter()
        .filter(|t| t.object == term && t.subject != me)
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(s) => Some((s, &t.predicate)),
            _ => None,
        })
        .collect();
    let table = Table::new("Referred to by", vec!["Resource", "As"], &rows, |(s, p)| {
        vec![
            Cell::link(links, Some(&about.label(s.as_str())), s.as_str()),
            Cell::text(short(p.as_str())),
        ]
    });
    Sections {
        tables: vec![table],
        sparql: format!("DESCRIBE <{}>", node.as_str()),
        ..Sections::default()
    }
}
