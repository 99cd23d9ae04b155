//! The summary: counts kept in graph `id:graph/summary` that the pages and answers
//! read instead of scanning the reports. Each is keyed ([`Key`]) and additive: what a
//! collection holds is the sum of what each report graph contributes, so a write adds
//! what its graphs contribute after it and takes off what they contributed before.
//!
//! Why: a question answered from the reports grows with the collection (one State's
//! topics 139x from 1,000 to 100,000 reports; the matrix and a crime type's page gave
//! no answer in two minutes at 10,000, BENCHMARKS.md); answered from counts it reads a
//! node per row shown. The store keeps them in step with every write (`store::summary`);
//! this module only says what a graph contributes and how a count is written. Pure.
//!
//! What a graph contributes, for each report `r` in it (paragraphs `?p dcterms:isPartOf
//! r`, statements `cg:inReport r`):
//! - [`Key::Topic`]: each speaker of a statement in `r` and each entity a paragraph of `r`
//!   names: one report and the number of such paragraphs (`queries/state-topics.rq`);
//! - [`Key::Matrix`]: each State that spoke in `r` and each crime type named outside its
//!   proceedings, in each [`Scope`] `r`'s meeting falls in (the matrix, a crime type's
//!   States);
//! - [`Key::Together`]: each two entities one paragraph of the deliberations names
//!   (outside the proceedings, whose lists of speakers would pair every State with
//!   every other: 97,000 quads of counts for five real reports of 8,500 triples);
//!   related entities, the crime types named with an instrument;
//! - [`Key::Trend`]: each entity by the Congress and region of `r`'s meeting;
//! - [`Key::Entity`], [`Key::Speaker`], [`Key::Meeting`], [`Key::Collection`]: how
//!   much of the collection names an entity, a speaker made, a meeting has, and in all
//!   (list totals, the home page, VoID).
//!
//! Counted per report, summed over graphs, as long as a report's statements and
//! paragraphs share its graph, as ingest writes them.

use super::{IriBase, DCTERMS};
use crate::reference::cg;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Which meetings a matrix count covers: the matrix's filters, each one count. A
/// meeting is its Congress and region ("Congress" for the Congress itself): the process
/// holds one preparatory meeting per region and cycle, so the meeting filter reads the
/// counts of its Congress and region rather than a scope of its own (which would add
/// a count per State, crime type and meeting: a third of the summary).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    All,
    Congress(i64),
    Region(String),
    CongressRegion(i64, String),
}

/// The region of a Congress's own meeting in [`Scope::CongressRegion`] and trends.
pub const CONGRESS_REGION: &str = "Congress";

impl Scope {
    /// The value of `cg:scope` on the count: what a query binds to pick one scope.
    pub fn literal(&self) -> Literal {
        Literal::from(match self {
            Scope::All => "all".to_string(),
            Scope::Congress(n) => format!("congress {n}"),
            Scope::Region(r) => format!("region {r}"),
            Scope::CongressRegion(n, r) => format!("congress {n}, region {r}"),
        })
    }

    /// The scopes a report of this meeting falls in.
    fn of_meeting(meeting: &Meeting<'_>) -> Vec<Scope> {
        let mut scopes = vec![Scope::All];
        if let Some(r) = &meeting.region {
            scopes.push(Scope::Region(r.clone()));
        }
        if let Some(n) = meeting.congress {
            scopes.push(Scope::Congress(n));
            let region = meeting.region.as_deref().unwrap_or(CONGRESS_REGION);
            scopes.push(Scope::CongressRegion(n, region.to_string()));
        }
        scopes
    }
}

/// What a count is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A speaker and an entity named in a report where it spoke (`cg:TopicCount`).
    Topic {
        speaker: NamedNode,
        topic: NamedNode,
    },
    /// A State that spoke in a report and a crime type named outside its proceedings,
    /// in one scope (`cg:MatrixCount`, with `cg:ofState` and `cg:ofCrime`: properties of
    /// its own, so that a speaker's topics, `cg:ofSpeaker`, do not read a State's
    /// counts in every scope).
    Matrix {
        state: NamedNode,
        crime: NamedNode,
        scope: Scope,
    },
    /// Two entities named in one paragraph outside the proceedings, each way round
    /// (`cg:CooccurrenceCount`).
    Together { entity: NamedNode, other: NamedNode },
    /// An entity named in the reports of meetings of one Congress and region, the
    /// region "Congress" for the Congress itself (`cg:TrendCount`).
    Trend {
        entity: NamedNode,
        congress: i64,
        region: String,
    },
    /// An entity named anywhere (`cg:EntityCount`).
    Entity(NamedNode),
    /// A speaker of statements (`cg:SpeakerCount`).
    Speaker(NamedNode),
    /// A meeting, with what its reports say of it (`cg:MeetingCount`).
    Meeting {
        meeting: NamedNode,
        congress: Option<i64>,
        region: Option<String>,
        label: Option<String>,
    },
    /// The whole collection (`cg:CollectionCount`).
    Collection,
}

impl Key {
    /// The entities whose facts (classes, label) the store looks up for this count: to
    /// decide whether it is kept ([`Key::Topic`], [`Key::Matrix`]) or to show it.
    pub fn entities(&self) -> Vec<&NamedNode> {
        match self {
            Key::Topic { topic, .. } => vec![topic],
            Key::Matrix { state, crime, .. } => vec![state, crime],
            Key::Together { other, .. } => vec![other],
            Key::Speaker(s) => vec![s],
            _ => Vec::new(),
        }
    }

    /// The entity whose facts the count repeats, so a list reads one node per row.
    pub fn shown(&self) -> Option<&NamedNode> {
        match self {
            Key::Topic { topic, .. } => Some(topic),
            Key::Together { other, .. } => Some(other),
            Key::Speaker(s) => Some(s),
            _ => None,
        }
    }

    /// The entities an example paragraph of this count names (none: no example).
    pub fn example_names(&self) -> Vec<&NamedNode> {
        match self {
            Key::Topic { topic, .. } => vec![topic],
            Key::Together { entity, other } => vec![entity, other],
            _ => Vec::new(),
        }
    }
}

/// What some reports contribute to one [`Key`]; a field a key does not count stays 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Count {
    pub reports: i64,
    pub paragraphs: i64,
    pub statements: i64,
    pub mentions: i64,
    pub triples: i64,
    /// One paragraph that the count is about (in a tally, the least IRI of those in
    /// the graphs tallied), for [`Key::Topic`] and [`Key::Together`].
    pub example: Option<NamedNode>,
}

impl Count {
    fn add(&mut self, c: &Count) {
        self.reports += c.reports;
        self.paragraphs += c.paragraphs;
        self.statements += c.statements;
        self.mentions += c.mentions;
        self.triples += c.triples;
        if let Some(e) = &c.example {
            self.offer_example(e.as_ref());
        }
    }

    /// Keeps the least example: the same whatever order graphs are added in.
    fn offer_example(&mut self, e: NamedNodeRef<'_>) {
        if self
            .example
            .as_ref()
            .is_none_or(|m| m.as_str() > e.as_str())
        {
            self.example = Some(e.into_owned());
        }
    }
}

/// Counts by key: what one graph contributes, or a sum of graphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: HashMap<Key, Count>,
}

/// A meeting as one report graph describes it.
struct Meeting<'a> {
    iri: NamedNodeRef<'a>,
    congress: Option<i64>,
    region: Option<String>,
    label: Option<String>,
}

/// One report graph's quads, sorted by what the counts need.
#[derive(Default)]
struct Parsed<'a> {
    quads: i64,
    reports: BTreeSet<NamedNodeRef<'a>>,
    statements: HashSet<NamedOrBlankNodeRef<'a>>,
    mention_nodes: i64,
    paragraphs: HashSet<NamedNodeRef<'a>>,
    proceedings: HashSet<NamedNodeRef<'a>>,
    speakers: HashMap<NamedOrBlankNodeRef<'a>, Vec<NamedNodeRef<'a>>>,
    in_report: Vec<(NamedOrBlankNodeRef<'a>, NamedNodeRef<'a>)>,
    part_of: HashMap<NamedNodeRef<'a>, Vec<NamedNodeRef<'a>>>,
    mentions: Vec<(NamedNodeRef<'a>, NamedNodeRef<'a>)>,
    report_of: HashMap<NamedNodeRef<'a>, NamedNodeRef<'a>>,
    congress: HashMap<NamedNodeRef<'a>, i64>,
    region: HashMap<NamedNodeRef<'a>, &'a str>,
    label: HashMap<NamedNodeRef<'a>, &'a str>,
}

impl<'a> Parsed<'a> {
    fn of(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Self {
        let p = Predicates::new();
        let mut g = Parsed::default();
        for q in quads {
            g.quads += 1;
            g.take(&p, q);
        }
        g
    }

    fn take(&mut self, p: &Predicates, q: QuadRef<'a>) {
        let named = |t: TermRef<'a>| match t {
            TermRef::NamedNode(n) => Some(n),
            _ => None,
        };
        let subject = match q.subject {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        };
        let predicate = q.predicate;
        if predicate == rdf::TYPE {
            let class = named(q.object);
            if class == Some(p.statement.as_ref()) {
                self.statements.insert(q.subject);
            } else if class == Some(p.mention.as_ref()) {
                self.mention_nodes += 1;
            } else if let Some(s) = subject {
                if class == Some(p.report.as_ref()) {
                    self.reports.insert(s);
                } else if class == Some(p.paragraph.as_ref()) {
                    self.paragraphs.insert(s);
                }
            }
            return;
        }
        if predicate == p.speaker {
            if let Some(o) = named(q.object) {
                self.speakers.entry(q.subject).or_default().push(o);
            }
            return;
        }
        if predicate == p.in_report {
            if let Some(o) = named(q.object) {
                self.in_report.push((q.subject, o));
            }
            return;
        }
        let (Some(s), object) = (subject, q.object) else {
            return;
        };
        if predicate == p.is_part_of {
            if let Some(o) = named(object) {
                self.part_of.entry(s).or_default().push(o);
            }
        } else if predicate == p.mentions {
            if let Some(o) = named(object) {
                self.mentions.push((s, o));
            }
        } else if predicate == p.section {
            if named(object) == Some(p.proceedings.as_ref()) {
                self.proceedings.insert(s);
            }
        } else if predicate == p.report_of {
            if let Some(o) = named(object) {
                self.report_of.insert(s, o);
            }
        } else if let TermRef::Literal(l) = object {
            if predicate == p.congress {
                if let Ok(n) = l.value().parse() {
                    self.congress.insert(s, n);
                }
            } else if predicate == p.region {
                self.region.insert(s, l.value());
            } else if predicate == rdfs::LABEL {
                self.label.insert(s, l.value());
            }
        }
    }

    /// The meeting of report `r`, as this graph describes it.
    fn meeting_of(&self, r: NamedNodeRef<'a>) -> Option<Meeting<'a>> {
        let m = *self.report_of.get(&r)?;
        Some(Meeting {
            iri: m,
            congress: self.congress.get(&m).copied(),
            region: self.region.get(&m).map(|s| s.to_string()),
            label: self.label.get(&m).map(|s| s.to_string()),
        })
    }

    /// The reports of this graph's paragraph `p` (a paragraph typed as one).
    fn reports_of(&self, p: NamedNodeRef<'a>) -> impl Iterator<Item = NamedNodeRef<'a>> + '_ {
        self.part_of
            .get(&p)
            .into_iter()
            .flatten()
            .copied()
            .filter(|r| self.reports.contains(r))
    }
}

/// The predicates and classes [`Parsed`] sorts by, made once per graph.
struct Predicates {
    statement: NamedNode,
    mention: NamedNode,
    report: NamedNode,
    paragraph: NamedNode,
    speaker: NamedNode,
    in_report: NamedNode,
    is_part_of: NamedNode,
    mentions: NamedNode,
    section: NamedNode,
    proceedings: NamedNode,
    report_of: NamedNode,
    congress: NamedNode,
    region: NamedNode,
}

impl Predicates {
    fn new() -> Self {
        Predicates {
            statement: cg("Statement"),
            mention: cg("Mention"),
            report: cg("Report"),
            paragraph: cg("Paragraph"),
            speaker: cg("speaker"),
            in_report: cg("inReport"),
            is_part_of: NamedNode::new_unchecked(format!("{DCTERMS}isPartOf")),
            mentions: cg("mentions"),
            section: cg("section"),
            proceedings: cg("Proceedings"),
            report_of: cg("reportOf"),
            congress: cg("congressNumber"),
            region: cg("region"),
        }
    }
}

/// Per report: who spoke, and per paragraph what it names.
struct ByReport<'a> {
    /// Speakers of statements, each once per report.
    spoke: HashMap<NamedNodeRef<'a>, BTreeSet<NamedNodeRef<'a>>>,
    /// Statements per report and speaker.
    statements: HashMap<(NamedNodeRef<'a>, NamedNodeRef<'a>), i64>,
    /// Paragraphs per report and entity named.
    named: HashMap<(NamedNodeRef<'a>, NamedNodeRef<'a>), BTreeSet<NamedNodeRef<'a>>>,
    /// The same, outside the proceedings.
    discussed: HashMap<(NamedNodeRef<'a>, NamedNodeRef<'a>), BTreeSet<NamedNodeRef<'a>>>,
    /// Entities per paragraph outside the proceedings, with the paragraph's report.
    in_paragraph: HashMap<NamedNodeRef<'a>, (NamedNodeRef<'a>, BTreeSet<NamedNodeRef<'a>>)>,
}

impl<'a> ByReport<'a> {
    fn of(g: &Parsed<'a>) -> Self {
        let mut by = ByReport {
            spoke: HashMap::new(),
            statements: HashMap::new(),
            named: HashMap::new(),
            discussed: HashMap::new(),
            in_paragraph: HashMap::new(),
        };
        for (s, report) in &g.in_report {
            if !g.statements.contains(s) || !g.reports.contains(report) {
                continue;
            }
            for who in g.speakers.get(s).into_iter().flatten() {
                by.spoke.entry(*report).or_default().insert(*who);
                *by.statements.entry((*report, *who)).or_default() += 1;
            }
        }
        for (p, entity) in &g.mentions {
            if !g.paragraphs.contains(p) {
                continue;
            }
            for report in g.reports_of(*p) {
                by.named.entry((report, *entity)).or_default().insert(*p);
                if g.proceedings.contains(p) {
                    continue;
                }
                by.discussed
                    .entry((report, *entity))
                    .or_default()
                    .insert(*p);
                by.in_paragraph
                    .entry(*p)
                    .or_insert_with(|| (report, BTreeSet::new()))
                    .1
                    .insert(*entity);
            }
        }
        by
    }
}

impl Tally {
    /// What one graph's quads contribute (the graph name of each quad is ignored).
    pub fn of_graph<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Tally {
        let g = Parsed::of(quads);
        let by = ByReport::of(&g);
        let mut tally = Tally::default();
        tally.collection(&g);
        tally.meetings_and_speakers(&g, &by);
        tally.topics(&by);
        tally.matrix(&g, &by);
        tally.entities(&g, &by);
        tally.together(&by);
        tally
    }

    fn bump(&mut self, key: Key, count: Count) {
        self.counts.entry(key).or_default().add(&count);
    }

    fn collection(&mut self, g: &Parsed<'_>) {
        let count = Count {
            reports: g.reports.len() as i64,
            paragraphs: g.paragraphs.len() as i64,
            statements: g.statements.len() as i64,
            mentions: g.mention_nodes,
            triples: g.quads,
            example: None,
        };
        if count != Count::default() {
            self.bump(Key::Collection, count);
        }
    }

    fn meetings_and_speakers(&mut self, g: &Parsed<'_>, by: &ByReport<'_>) {
        for r in &g.reports {
            let Some(m) = g.meeting_of(*r) else { continue };
            let statements = by
                .statements
                .iter()
                .filter(|((report, _), _)| report == r)
                .map(|(_, n)| n)
                .sum();
            let key = Key::Meeting {
                meeting: m.iri.into_owned(),
                congress: m.congress,
                region: m.region,
                label: m.label,
            };
            let paragraphs = g
                .part_of
                .iter()
                .filter(|(p, rs)| g.paragraphs.contains(*p) && rs.contains(r));
            let count = Count {
                reports: 1,
                statements,
                paragraphs: paragraphs.count() as i64,
                ..Count::default()
            };
            self.bump(key, count);
        }
        for ((_, who), n) in &by.statements {
            let count = Count {
                reports: 1,
                statements: *n,
                ..Count::default()
            };
            self.bump(Key::Speaker(who.into_owned()), count);
        }
    }

    fn topics(&mut self, by: &ByReport<'_>) {
        for ((report, topic), paragraphs) in &by.named {
            for who in by.spoke.get(report).into_iter().flatten() {
                let key = Key::Topic {
                    speaker: who.into_owned(),
                    topic: topic.into_owned(),
                };
                self.bump(key, per_report(paragraphs));
            }
        }
    }

    fn matrix(&mut self, g: &Parsed<'_>, by: &ByReport<'_>) {
        for ((report, crime), paragraphs) in &by.discussed {
            let scopes = match g.meeting_of(*report) {
                Some(meeting) => Scope::of_meeting(&meeting),
                None => vec![Scope::All],
            };
            for who in by.spoke.get(report).into_iter().flatten() {
                for scope in &scopes {
                    let key = Key::Matrix {
                        state: who.into_owned(),
                        crime: crime.into_owned(),
                        scope: scope.clone(),
                    };
                    self.bump(key, per_report(paragraphs).without_example());
                }
            }
        }
    }

    fn entities(&mut self, g: &Parsed<'_>, by: &ByReport<'_>) {
        for ((report, entity), paragraphs) in &by.named {
            let count = per_report(paragraphs).without_example();
            self.bump(Key::Entity(entity.into_owned()), count.clone());
            let Some(m) = g.meeting_of(*report) else {
                continue;
            };
            let Some(congress) = m.congress else { continue };
            let key = Key::Trend {
                entity: entity.into_owned(),
                congress,
                region: m.region.unwrap_or_else(|| CONGRESS_REGION.to_string()),
            };
            self.bump(key, count);
        }
    }

    fn together(&mut self, by: &ByReport<'_>) {
        let mut pairs: HashMap<(NamedNodeRef<'_>, NamedNodeRef<'_>), Vec<_>> = HashMap::new();
        for (p, (report, named)) in &by.in_paragraph {
            for a in named {
                for b in named {
                    if a != b {
                        pairs.entry((*a, *b)).or_default().push((*report, *p));
                    }
                }
            }
        }
        for ((a, b), found) in pairs {
            let reports: BTreeSet<_> = found.iter().map(|(r, _)| *r).collect();
            let example = found.iter().map(|(_, p)| *p).min();
            let count = Count {
                reports: reports.len() as i64,
                paragraphs: found.len() as i64,
                example: example.map(NamedNodeRef::into_owned),
                ..Count::default()
            };
            let key = Key::Together {
                entity: a.into_owned(),
                other: b.into_owned(),
            };
            self.bump(key, count);
        }
    }

    /// Adds another tally in (the least example stays).
    pub fn add(&mut self, other: Tally) {
        for (key, c) in other.counts {
            self.counts.entry(key).or_default().add(&c);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// One report and its paragraphs that name something, the least as the example.
fn per_report(paragraphs: &BTreeSet<NamedNodeRef<'_>>) -> Count {
    Count {
        reports: 1,
        paragraphs: paragraphs.len() as i64,
        example: paragraphs.first().map(|p| p.into_owned()),
        ..Count::default()
    }
}

impl Count {
    fn without_example(mut self) -> Count {
        self.example = None;
        self
    }
}

/// Where the counts live: `id:graph/summary`.
pub fn summary_graph(base: &IriBase) -> NamedNode {
    base.id("graph/summary")
}

/// The node of one key: a hash of what it is about, so the same key has the same node
/// in every store, under any base. A topic count keeps the address it always had,
/// `id:topic-count/{hash}`; the others are `id:count/{hash}`.
pub fn node(base: &IriBase, key: &Key) -> NamedNode {
    let mut h = Sha256::new();
    let (prefix, parts) = match key {
        Key::Topic { speaker, topic } => (
            "topic-count",
            vec![speaker.as_str().to_string(), topic.as_str().to_string()],
        ),
        other => ("count", identity(other)),
    };
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h.update("\n");
        }
        h.update(part.as_bytes());
    }
    let hex: String = h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    base.id(&format!("{prefix}/{hex}"))
}

/// Bands a factor of two in paragraphs is cut into (see [`band`]).
const BANDS_PER_OCTAVE: f64 = 4.0;

/// The band of a co-occurrence count of `paragraphs`: `floor(4 log2 n)`, so every
/// count in a higher band is larger. A page ranks what is named with an entity by
/// reading its bands from the highest down until it has enough rows: it reads the
/// counts it shows and one band more, not every count the entity has (468 for a
/// State at 100,000 reports, and growing with the names the collection holds).
pub fn band(paragraphs: i64) -> u32 {
    if paragraphs < 1 {
        return 0;
    }
    // Exact for the powers of two, where rounding could move a count down a band.
    let b = (BANDS_PER_OCTAVE * (paragraphs as f64).log2() + 1e-9).floor();
    b as u32
}

/// The node that stands for band `k` of the co-occurrence counts of `entity`
/// (`cg:inBand`): a hash of the entity, as for the counts' own nodes.
pub fn band_node(base: &IriBase, entity: &NamedNode, k: u32) -> NamedNode {
    let hex: String = Sha256::digest(entity.as_str().as_bytes())[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    base.id(&format!("count/band/{hex}/{k}"))
}

/// What tells one count from another, the kind first.
fn identity(key: &Key) -> Vec<String> {
    let s = |n: &NamedNode| n.as_str().to_string();
    match key {
        Key::Topic { speaker, topic } => vec!["topic".into(), s(speaker), s(topic)],
        Key::Matrix {
            state,
            crime,
            scope,
        } => vec![
            "matrix".into(),
            s(state),
            s(crime),
            scope.literal().value().to_string(),
        ],
        Key::Together { entity, other } => vec!["together".into(), s(entity), s(other)],
        Key::Trend {
            entity,
            congress,
            region,
        } => vec![
            "trend".into(),
            s(entity),
            congress.to_string(),
            region.clone(),
        ],
        Key::Entity(e) => vec!["entity".into(), s(e)],
        Key::Speaker(e) => vec!["speaker".into(), s(e)],
        Key::Meeting {
            meeting,
            congress,
            region,
            label,
        } => vec![
            "meeting".into(),
            s(meeting),
            format!("{congress:?}"),
            format!("{region:?}"),
            format!("{label:?}"),
        ],
        Key::Collection => vec!["collection".into()],
    }
}

/// What the store knows of an entity that a count repeats, so that a list reads one
/// node per row: its classes and one label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicFacts {
    pub classes: Vec<NamedNode>,
    pub label: Option<Literal>,
}

/// The class and the properties that say what a count is about.
fn about(key: &Key) -> (&'static str, Vec<(&'static str, Term)>) {
    let iri = |n: &NamedNode| Term::NamedNode(n.clone());
    let int = |v: i64| Term::Literal(Literal::from(v));
    let text = |v: &str| Term::Literal(Literal::from(v));
    match key {
        Key::Topic { speaker, topic } => (
            "TopicCount",
            vec![("ofSpeaker", iri(speaker)), ("ofTopic", iri(topic))],
        ),
        Key::Matrix {
            state,
            crime,
            scope,
        } => (
            "MatrixCount",
            vec![
                ("ofState", iri(state)),
                ("ofCrime", iri(crime)),
                ("scope", Term::Literal(scope.literal())),
            ],
        ),
        Key::Together { entity, other } => (
            "CooccurrenceCount",
            vec![("ofEntity", iri(entity)), ("withEntity", iri(other))],
        ),
        Key::Trend {
            entity,
            congress,
            region,
        } => (
            "TrendCount",
            vec![
                ("ofEntity", iri(entity)),
                ("trendOf", iri(entity)),
                ("countCongress", int(*congress)),
                ("countRegion", text(region)),
            ],
        ),
        Key::Entity(e) => ("EntityCount", vec![("ofEntity", iri(e))]),
        Key::Speaker(s) => ("SpeakerCount", vec![("ofSpeaker", iri(s))]),
        Key::Meeting {
            meeting,
            congress,
            region,
            label,
        } => {
            let mut props = vec![("ofMeeting", iri(meeting))];
            props.extend(congress.map(|n| ("countCongress", int(n))));
            props.extend(region.as_deref().map(|r| ("countRegion", text(r))));
            props.extend(label.as_deref().map(|l| ("meetingLabel", text(l))));
            ("MeetingCount", props)
        }
        Key::Collection => ("CollectionCount", Vec::new()),
    }
}

/// The count properties, in the order they are written and read.
pub const COUNT_PROPERTIES: [&str; 5] = [
    "reportCount",
    "paragraphCount",
    "statementCount",
    "mentionCount",
    "tripleCount",
];

impl Count {
    fn values(&self) -> [i64; 5] {
        [
            self.reports,
            self.paragraphs,
            self.statements,
            self.mentions,
            self.triples,
        ]
    }

    /// Sets the field that the count property `local` (a `cg:` name) holds.
    pub fn set(&mut self, local: &str, v: i64) {
        match local {
            "reportCount" => self.reports = v,
            "paragraphCount" => self.paragraphs = v,
            "statementCount" => self.statements = v,
            "mentionCount" => self.mentions = v,
            "tripleCount" => self.triples = v,
            _ => {}
        }
    }

    /// `self - before + after`, field by field (the example is left to the caller).
    pub fn moved(&self, before: &Count, after: &Count) -> Count {
        Count {
            reports: self.reports - before.reports + after.reports,
            paragraphs: self.paragraphs - before.paragraphs + after.paragraphs,
            statements: self.statements - before.statements + after.statements,
            mentions: self.mentions - before.mentions + after.mentions,
            triples: self.triples - before.triples + after.triples,
            example: None,
        }
    }

    /// Whether nothing is left to count.
    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|v| *v <= 0)
    }
}

/// The quads of one count. `facts`: those of [`Key::shown`], repeated on the node.
pub fn count_quads(
    base: &IriBase,
    key: &Key,
    count: &Count,
    facts: Option<&TopicFacts>,
) -> Vec<Quad> {
    let graph = GraphName::NamedNode(summary_graph(base));
    let n = node(base, key);
    let quad = |p: NamedNode, o: Term| Quad::new(n.clone(), p, o, graph.clone());
    let (class, props) = about(key);
    let mut out = vec![quad(rdf::TYPE.into_owned(), cg(class).into())];
    out.extend(props.into_iter().map(|(p, o)| quad(cg(p), o)));
    for (i, (p, v)) in COUNT_PROPERTIES.iter().zip(count.values()).enumerate() {
        // Reports and paragraphs always; the others where a key counts them.
        if i < 2 || v != 0 {
            let v = Literal::new_typed_literal(v.to_string(), xsd::INTEGER);
            out.push(quad(cg(p), v.into()));
        }
    }
    if let Some(e) = &count.example {
        out.push(quad(cg("exampleParagraph"), e.clone().into()));
    }
    if let Key::Together { entity, .. } = key {
        let k = band(count.paragraphs);
        out.push(quad(cg("inBand"), band_node(base, entity, k).into()));
    }
    if let Some(facts) = facts {
        for c in &facts.classes {
            out.push(quad(cg("topicClass"), c.clone().into()));
        }
        if let Some(l) = &facts.label {
            out.push(quad(rdfs::LABEL.into_owned(), l.clone().into()));
        }
    }
    out
}

/// Report graphs for tests here and in `store`.
#[cfg(test)]
pub(crate) mod test_report {
    use super::*;

    pub fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://x/{s}"))
    }

    /// Graph `http://x/graph/{key}`: report `http://x/{key}` of meeting `http://x/m15`
    /// (Fifteenth Congress, region Africa), statements by `speakers`, and its paragraphs
    /// `{key}/p{n}` naming `topics` (typed as crime types, as a report types the names it
    /// mints). A paragraph whose first topic is `"!"` is in the proceedings.
    pub fn report(key: &str, speakers: &[&str], paragraphs: &[&[&str]]) -> (NamedNode, Vec<Quad>) {
        let g = iri(&format!("graph/{key}"));
        let name = GraphName::NamedNode(g.clone());
        let r = iri(key);
        let m = iri("m15");
        let mut q = Vec::new();
        let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
            q.push(Quad::new(s.clone(), p, o, name.clone()));
        };
        add(&r, rdf::TYPE.into_owned(), cg("Report").into());
        add(&r, cg("reportOf"), m.clone().into());
        add(&m, cg("congressNumber"), Literal::from(15).into());
        add(&m, cg("region"), Literal::from("Africa").into());
        for (i, s) in speakers.iter().enumerate() {
            let st = iri(&format!("{key}/s{i}"));
            add(&st, rdf::TYPE.into_owned(), cg("Statement").into());
            add(&st, cg("speaker"), iri(s).into());
            add(&st, cg("inReport"), r.clone().into());
        }
        let part_of = NamedNode::new_unchecked(format!("{DCTERMS}isPartOf"));
        for (n, topics) in paragraphs.iter().enumerate() {
            let p = iri(&format!("{key}/p{n}"));
            add(&p, rdf::TYPE.into_owned(), cg("Paragraph").into());
            add(&p, part_of.clone(), r.clone().into());
            for t in *topics {
                if *t == "!" {
                    add(&p, cg("section"), cg("Proceedings").into());
                    continue;
                }
                add(&p, cg("mentions"), iri(t).into());
                add(&iri(t), rdf::TYPE.into_owned(), cg("CrimeType").into());
            }
        }
        (g, q)
    }
}

#[cfg(test)]
mod tests {
    use super::test_report::{iri, report};
    use super::*;

    fn tally(key: &str, speakers: &[&str], paragraphs: &[&[&str]]) -> Tally {
        let (_, q) = report(key, speakers, paragraphs);
        Tally::of_graph(q.iter().map(Quad::as_ref))
    }

    fn topic(speaker: &str, topic: &str) -> Key {
        Key::Topic {
            speaker: iri(speaker),
            topic: iri(topic),
        }
    }

    fn of_kind(t: &Tally, f: impl Fn(&Key) -> bool) -> usize {
        t.counts.keys().filter(|k| f(k)).count()
    }

    #[test]
    fn a_graph_counts_reports_and_paragraphs_per_speaker_and_topic() {
        let t = tally(
            "r1",
            &["egy", "fra", "egy"],
            &[&["tip", "untoc"], &["tip"], &[]],
        );
        let c = &t.counts[&topic("egy", "tip")];
        assert_eq!((c.reports, c.paragraphs), (1, 2));
        assert_eq!(c.example, Some(iri("r1/p0")));
        assert_eq!(t.counts[&topic("fra", "untoc")].paragraphs, 1);
        assert_eq!(of_kind(&t, |k| matches!(k, Key::Topic { .. })), 4);
    }

    #[test]
    fn no_statement_no_topic_count() {
        let t = tally("r1", &[], &[&["tip"]]);
        assert_eq!(of_kind(&t, |k| matches!(k, Key::Topic { .. })), 0);
        assert_eq!(t.counts[&Key::Entity(iri("tip"))].paragraphs, 1);
    }

    #[test]
    fn tallies_add_up_and_keep_the_least_example() {
        let mut a = tally("r2", &["egy"], &[&["tip"]]);
        a.add(tally("r1", &["egy"], &[&["tip"], &["tip"]]));
        let c = &a.counts[&topic("egy", "tip")];
        assert_eq!((c.reports, c.paragraphs), (2, 3));
        assert_eq!(c.example, Some(iri("r1/p0")));
        let all = &a.counts[&Key::Collection];
        assert_eq!((all.reports, all.paragraphs, all.statements), (2, 3, 2));
    }

    #[test]
    fn the_matrix_counts_outside_the_proceedings_in_every_scope() {
        let t = tally("r1", &["egy"], &[&["!", "tip"], &["sm"], &["sm"]]);
        let key = |crime: &str, scope: Scope| Key::Matrix {
            state: iri("egy"),
            crime: iri(crime),
            scope,
        };
        assert!(!t.counts.contains_key(&key("tip", Scope::All)));
        for scope in [
            Scope::All,
            Scope::Congress(15),
            Scope::Region("Africa".into()),
            Scope::CongressRegion(15, "Africa".into()),
        ] {
            let c = &t.counts[&key("sm", scope)];
            assert_eq!((c.reports, c.paragraphs), (1, 2));
        }
        // The topic count takes the proceedings in.
        assert_eq!(t.counts[&topic("egy", "tip")].paragraphs, 1);
    }

    #[test]
    fn entities_named_together_trend_and_meetings() {
        let t = tally("r1", &["egy", "fra"], &[&["tip", "sm"], &["tip"]]);
        let with = Key::Together {
            entity: iri("tip"),
            other: iri("sm"),
        };
        let c = &t.counts[&with];
        assert_eq!((c.reports, c.paragraphs), (1, 1));
        assert_eq!(c.example, Some(iri("r1/p0")));
        assert!(!t.counts.contains_key(&Key::Together {
            entity: iri("tip"),
            other: iri("tip"),
        }));
        let trend = Key::Trend {
            entity: iri("tip"),
            congress: 15,
            region: "Africa".into(),
        };
        assert_eq!(t.counts[&trend].paragraphs, 2);
        let meeting = Key::Meeting {
            meeting: iri("m15"),
            congress: Some(15),
            region: Some("Africa".into()),
            label: None,
        };
        let c = &t.counts[&meeting];
        assert_eq!((c.reports, c.statements, c.paragraphs), (1, 2, 2));
        assert_eq!(t.counts[&Key::Speaker(iri("fra"))].statements, 1);
    }

    #[test]
    fn the_proceedings_pair_no_entities() {
        let t = tally("r1", &["egy"], &[&["!", "egy", "fra"], &["egy", "tip"]]);
        let pairs: Vec<&Key> = t
            .counts
            .keys()
            .filter(|k| matches!(k, Key::Together { .. }))
            .collect();
        assert_eq!(pairs.len(), 2, "egy-tip both ways, not egy-fra: {pairs:?}");
        // Still named there: the entity counts take the proceedings in.
        assert_eq!(t.counts[&Key::Entity(iri("fra"))].paragraphs, 1);
    }

    #[test]
    fn nodes_are_stable_and_distinct() {
        let base = IriBase::default();
        let (k1, k2) = (topic("egy", "tip"), topic("tip", "egy"));
        assert_eq!(node(&base, &k1), node(&base, &k1));
        assert_ne!(node(&base, &k1), node(&base, &k2));
        assert!(node(&base, &k1)
            .as_str()
            .starts_with("https://w3id.org/crimegraph/id/topic-count/"));
        let together = Key::Together {
            entity: iri("egy"),
            other: iri("tip"),
        };
        assert_ne!(node(&base, &together), node(&base, &k1));
    }
    #[test]
    fn bands_rank_counts_and_split_each_doubling_in_four() {
        assert_eq!(band(0), 0);
        assert_eq!(band(1), 0);
        for k in 0..40u32 {
            assert_eq!(band(1i64 << k), 4 * k, "2^{k} opens its band");
        }
        let mut last = 0;
        for n in 1..20_000i64 {
            let b = band(n);
            assert!(b >= last, "a larger count is never in a lower band ({n})");
            last = b;
        }
        assert_eq!(band(3), 6);
    }

    #[test]
    fn a_co_occurrence_count_is_in_its_entitys_band() {
        let base = IriBase::default();
        let key = Key::Together {
            entity: iri("egy"),
            other: iri("tip"),
        };
        let count = Count {
            reports: 2,
            paragraphs: 9,
            ..Count::default()
        };
        let quads = count_quads(&base, &key, &count, None);
        let bands: Vec<_> = quads
            .iter()
            .filter(|q| q.predicate == cg("inBand"))
            .map(|q| q.object.clone())
            .collect();
        assert_eq!(bands, vec![Term::from(band_node(&base, &iri("egy"), 12))]);
        assert_ne!(
            band_node(&base, &iri("egy"), 12),
            band_node(&base, &iri("tip"), 12)
        );
    }
}
