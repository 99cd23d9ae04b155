//! Report + matches -> quads: the data model of `shared/spec/data-model.md` lives here
//! and nowhere else. Pure: no store, no I/O.

use crate::extract::{Chair, EntityMatch, Method, Role, Speaker, StatementFound, Target};
use crate::read::{MeetingKind, Report, Section};
use crate::reference::{EntityKind, Vocabulary, CG, ID};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use unicode_normalization::UnicodeNormalization;

pub mod summary;

pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const SCHEMA: &str = "http://schema.org/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";

/// Where minted IRIs live. The reference data is written with the default base and
/// moved to the operator's base when it differs.
#[derive(Debug, Clone)]
pub struct IriBase {
    id: String,
}

impl Default for IriBase {
    fn default() -> Self {
        IriBase { id: ID.to_string() }
    }
}

impl IriBase {
    /// `base` is the site root, such as `https://w3id.org/crimegraph/`; IRIs are minted
    /// under `{base}id/`.
    pub fn new(base: &str) -> Self {
        let base = if base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        IriBase {
            id: format!("{base}id/"),
        }
    }

    pub fn id(&self, path: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{path}", self.id))
    }

    /// The path of a minted IRI under `{base}id/` (`state/FRA`), if it is one.
    pub fn path_of<'a>(&self, iri: &'a str) -> Option<&'a str> {
        iri.strip_prefix(self.id.as_str())
    }

    /// An IRI of the reference data, moved under this base.
    pub fn rebase(&self, iri: &str) -> NamedNode {
        match iri.strip_prefix(ID) {
            Some(rest) if self.id != ID => self.id(rest),
            _ => NamedNode::new_unchecked(iri),
        }
    }

    pub fn reference_graph(&self) -> NamedNode {
        self.id("graph/reference")
    }

    pub fn report_graph(&self, key: &str) -> NamedNode {
        self.id(&format!("graph/report/{}", encode(key)))
    }

    pub fn report(&self, key: &str) -> NamedNode {
        self.id(&format!("report/{}", encode(key)))
    }
}

/// What the extractors found in one report, in the reader's paragraph order.
#[derive(Debug, Default)]
pub struct Extraction {
    pub mentions: Vec<Vec<EntityMatch>>,
    pub statements: Vec<StatementFound>,
    pub chairs: Vec<Chair>,
}

/// Facts about the source file that the report text does not hold.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name without its extension.
    pub key: String,
    pub file_name: String,
    pub sha256: String,
    /// Which pipeline made the graph: reference data, base and program version
    /// ([`crate::ingest::Pipeline::fingerprint`]); an unchanged file read by the same
    /// pipeline gives the same graph, so ingest can skip it.
    pub pipeline: String,
}

/// The reference data's triples, in the reference graph.
pub fn reference_quads(vocab: &Vocabulary, base: &IriBase) -> Vec<Quad> {
    let graph = GraphName::NamedNode(base.reference_graph());
    vocab
        .triples
        .iter()
        .map(|t| {
            let subject = match &t.subject {
                NamedOrBlankNode::NamedNode(n) => {
                    NamedOrBlankNode::NamedNode(base.rebase(n.as_str()))
                }
                s => s.clone(),
            };
            let object = match &t.object {
                Term::NamedNode(n) => Term::NamedNode(base.rebase(n.as_str())),
                o => o.clone(),
            };
            Quad::new(subject, t.predicate.clone(), object, graph.clone())
        })
        .collect()
}

/// The quads of one report's named graph.
pub fn report_quads(
    report: &Report,
    found: &Extraction,
    vocab: &Vocabulary,
    source: &Source,
    base: &IriBase,
) -> Vec<Quad> {
    let mut q = Quads {
        graph: GraphName::NamedNode(base.report_graph(&source.key)),
        quads: Vec::new(),
    };
    let cg = |local: &str| NamedNode::new_unchecked(format!("{CG}{local}"));
    let dc = |local: &str| NamedNode::new_unchecked(format!("{DCTERMS}{local}"));
    let schema = |local: &str| NamedNode::new_unchecked(format!("{SCHEMA}{local}"));
    let entity_iri = |t: &Target| -> NamedNode {
        match t {
            Target::Known(i) => base.rebase(&vocab.entities[*i].iri),
            Target::Minted { kind, name, key } => {
                let key = key.clone().unwrap_or_else(|| slug(name));
                base.id(&format!("{}/{}", kind.segment(), key))
            }
        }
    };
    let report_iri = base.report(&source.key);
    let meeting = meeting_iri(report, vocab, base);

    // The report.
    q.add(&report_iri, rdf::TYPE, cg("Report"));
    let title = report
        .meeting
        .title
        .clone()
        .unwrap_or_else(|| source.file_name.clone());
    q.add(
        &report_iri,
        dc("title"),
        Literal::new_language_tagged_literal_unchecked(title.clone(), "en"),
    );
    if let Some(d) = report.document_date {
        q.add(&report_iri, dc("issued"), date(d));
    }
    q.add(
        &report_iri,
        cg("sourceFile"),
        Literal::from(source.file_name.as_str()),
    );
    q.add(
        &report_iri,
        cg("sha256"),
        Literal::from(source.sha256.as_str()),
    );
    q.add(
        &report_iri,
        cg("pipeline"),
        Literal::from(source.pipeline.as_str()),
    );
    // Symbol and job number are both identifiers; their own sub-properties say which.
    for (value, property) in [
        (&report.symbol, "documentSymbol"),
        (&report.job_number, "jobNumber"),
    ] {
        if let Some(v) = value {
            q.add(&report_iri, dc("identifier"), Literal::from(v.as_str()));
            q.add(&report_iri, cg(property), Literal::from(v.as_str()));
        }
    }
    if let Some(lang) = &report.language {
        q.add(&report_iri, dc("language"), Literal::from(lang.as_str()));
    }
    q.add(
        &report_iri,
        dc("format"),
        Literal::from(report.format.media_type()),
    );
    if let Some(r) = &report.rapporteur {
        q.add(
            &report_iri,
            cg("rapporteur"),
            Literal::from(r.name.as_str()),
        );
        q.add(
            &report_iri,
            cg("rapporteurTitle"),
            Literal::from(r.title.as_str()),
        );
        if let Some(state) = r.state.as_deref().and_then(|s| vocab.state_named(s)) {
            q.add(&report_iri, cg("rapporteurState"), base.rebase(&state.iri));
        }
    }

    // The meeting.
    let m = &report.meeting;
    if let Some(meeting) = &meeting {
        q.add(&report_iri, cg("reportOf"), meeting.clone());
        q.add(meeting, rdf::TYPE, cg("Meeting"));
        q.add(meeting, rdf::TYPE, cg(m.kind.class()));
        if let Some(n) = m.session_number {
            q.add(meeting, cg("sessionNumber"), Literal::from(i64::from(n)));
        }
        if let Some(organ) = &m.organ {
            q.add(meeting, cg("organ"), base.id(&format!("org/{organ}")));
        }
        if let Some(t) = &m.title {
            q.add(
                meeting,
                rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked(t.clone(), "en"),
            );
        }
        if let Some(n) = m.congress_number {
            q.add(meeting, cg("congressNumber"), Literal::from(i64::from(n)));
        }
        if let Some(r) = region(report, vocab) {
            q.add(meeting, cg("region"), Literal::from(r));
        }
        let host = m
            .country
            .as_deref()
            .and_then(|c| vocab.state_named(c))
            .or_else(|| m.city.as_deref().and_then(|c| vocab.state_of_place(c)));
        if let Some(host) = host {
            q.add(meeting, cg("hostState"), base.rebase(&host.iri));
        }
        if let Some(city) = &m.city {
            q.add(meeting, schema("location"), Literal::from(city.as_str()));
        }
        if let Some(d) = m.start_date {
            q.add(meeting, schema("startDate"), date(d));
        }
        if let Some(d) = m.end_date {
            q.add(meeting, schema("endDate"), date(d));
        }
    }
    let item_iri = |kind: &str, n: &str| -> Option<NamedNode> {
        let meeting = meeting.as_ref()?;
        Some(NamedNode::new_unchecked(format!(
            "{}/{kind}/{}",
            meeting.as_str(),
            encode(n)
        )))
    };
    for (list, kind, class, prop) in [
        (&report.agenda_items, "agenda", "AgendaItem", "agendaItem"),
        (&report.workshops, "workshop", "Workshop", "workshop"),
    ] {
        for item in list {
            let Some(iri) = item_iri(kind, &item.number) else {
                continue;
            };
            q.add(&report_iri, cg(prop), iri.clone());
            q.add(&iri, rdf::TYPE, cg(class));
            q.add(&iri, cg("number"), Literal::from(item.number.as_str()));
            q.add(&iri, dc("isPartOf"), meeting.clone().unwrap());
            if let Some(t) = &item.title {
                q.add(
                    &iri,
                    rdfs::LABEL,
                    Literal::new_language_tagged_literal_unchecked(t.clone(), "en"),
                );
            }
        }
    }

    // Paragraphs and mentions.
    let mut minted: Vec<(NamedNode, EntityKind, String)> = Vec::new();
    let para_iri =
        |key: String| NamedNode::new_unchecked(format!("{}/p/{key}", report_iri.as_str()));
    for (i, p) in report.paragraphs.iter().enumerate() {
        let iri = para_iri(p.key());
        q.add(&iri, rdf::TYPE, cg("Paragraph"));
        q.add(&iri, dc("isPartOf"), report_iri.clone());
        q.add(&iri, cg("number"), Literal::from(p.number.as_str()));
        q.add(&iri, cg("section"), cg(section_name(p.section)));
        q.add(&iri, rdf::VALUE, Literal::from(p.text.as_str()));
        let mentions = found.mentions.get(i).map(Vec::as_slice).unwrap_or_default();
        let chars = CharIndex::new(&p.text);
        for (j, m) in mentions.iter().enumerate() {
            let entity = entity_iri(&m.target);
            if let Target::Minted { kind, name, .. } = &m.target {
                if !minted.iter().any(|(e, _, _)| *e == entity) {
                    minted.push((entity.clone(), *kind, name.clone()));
                }
            }
            q.add(&iri, cg("mentions"), entity.clone());
            let node = NamedNode::new_unchecked(format!("{}/m/{}", iri.as_str(), j + 1));
            q.add(&node, rdf::TYPE, cg("Mention"));
            q.add(&node, cg("inParagraph"), iri.clone());
            q.add(&node, cg("refersTo"), entity);
            q.add(
                &node,
                cg("anchorOf"),
                Literal::from(&p.text[m.start..m.end]),
            );
            q.add(
                &node,
                cg("beginIndex"),
                Literal::from(chars.of(m.start) as i64),
            );
            q.add(&node, cg("endIndex"), Literal::from(chars.of(m.end) as i64));
            q.add(&node, cg("method"), cg(method_name(m.method)));
        }
    }

    // Statements.
    let agenda = report
        .agenda_items
        .first()
        .and_then(|a| item_iri("agenda", &a.number));
    for (i, s) in found.statements.iter().enumerate() {
        let iri = NamedNode::new_unchecked(format!("{}/statement/{}", report_iri.as_str(), i + 1));
        let speaker = match &s.speaker {
            Speaker::Entity(t) => {
                let e = entity_iri(t);
                if let Target::Minted { kind, name, .. } = t {
                    if !minted.iter().any(|(m, _, _)| *m == e) {
                        minted.push((e.clone(), *kind, name.clone()));
                    }
                }
                e
            }
            Speaker::WorkshopChair { workshop } => {
                let Some(w) = item_iri("workshop", workshop) else {
                    continue;
                };
                let chair = NamedNode::new_unchecked(format!("{}/chair", w.as_str()));
                q.add(&chair, rdf::TYPE, schema("Person"));
                q.add(
                    &chair,
                    rdfs::LABEL,
                    Literal::new_language_tagged_literal_unchecked(
                        format!("Chair of workshop {workshop}"),
                        "en",
                    ),
                );
                chair
            }
        };
        q.add(&iri, rdf::TYPE, cg("Statement"));
        q.add(&iri, cg("inReport"), report_iri.clone());
        q.add(&iri, cg("speaker"), speaker);
        q.add(&iri, cg("role"), cg(role_name(s.role)));
        if let Some(a) = &agenda {
            q.add(&iri, cg("onAgendaItem"), a.clone());
        }
        if let Some(p) = report.paragraphs.get(s.paragraph) {
            q.add(
                &iri,
                NamedNode::new_unchecked(format!("{PROV}wasDerivedFrom")),
                para_iri(p.key()),
            );
        }
    }
    for (i, c) in found.chairs.iter().enumerate() {
        let iri = NamedNode::new_unchecked(format!("{}/chair/{}", report_iri.as_str(), i + 1));
        q.add(&iri, rdf::TYPE, cg("Chairing"));
        q.add(&iri, cg("inReport"), report_iri.clone());
        q.add(&iri, cg("chairedBy"), Literal::from(c.name.as_str()));
        q.add(&iri, cg("session"), Literal::from(c.session.as_str()));
        if let Some(state) = c.state {
            q.add(
                &iri,
                cg("chairState"),
                base.rebase(&vocab.entities[state].iri),
            );
        }
        if let Some(p) = report.paragraphs.get(c.paragraph) {
            q.add(
                &iri,
                NamedNode::new_unchecked(format!("{PROV}wasDerivedFrom")),
                para_iri(p.key()),
            );
        }
    }
    for (iri, kind, name) in minted {
        let class = match kind {
            EntityKind::State => "State",
            EntityKind::Organization => "Organization",
            EntityKind::Instrument => "Instrument",
            EntityKind::CrimeType => "CrimeType",
        };
        q.add(&iri, rdf::TYPE, cg(class));
        q.add(
            &iri,
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked(name, "en"),
        );
        q.add(&iri, cg("method"), cg("Minted"));
    }
    // The store keeps a triple once: so does the count, which includes its own triple,
    // so that a reader can check the graph is whole.
    let mut seen = std::collections::HashSet::new();
    q.quads.retain(|quad| seen.insert(quad.clone()));
    let count = q.quads.len() + 1;
    q.add(&report_iri, cg("tripleCount"), Literal::from(count as i64));
    q.quads
}

struct Quads {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Quads {
    fn add(&mut self, s: &NamedNode, p: impl Into<NamedNode>, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), p.into(), o.into(), self.graph.clone()));
    }
}

/// `congress-15-western-asia` for a regional meeting, `congress-14` for a Congress,
/// `ccpcj-32` / `untoc-cop-11` for a session (its organ's key and number).
fn meeting_iri(report: &Report, vocab: &Vocabulary, base: &IriBase) -> Option<NamedNode> {
    let m = &report.meeting;
    if let (Some(organ), Some(n)) = (&m.organ, m.session_number) {
        return Some(base.id(&format!("meeting/{organ}-{n}")));
    }
    let n = m.congress_number?;
    let slug = match (&m.kind, region(report, vocab)) {
        (MeetingKind::RegionalPreparatoryMeeting, Some(region)) => {
            format!("congress-{n}-{}", slug(region))
        }
        _ => format!("congress-{n}"),
    };
    Some(base.id(&format!("meeting/{slug}")))
}

/// The canonical form of the printed region, or the printed form for a region the
/// reference data lacks.
fn region<'a>(report: &'a Report, vocab: &'a Vocabulary) -> Option<&'a str> {
    let printed = report.meeting.region.as_deref()?;
    Some(vocab.region_named(printed).unwrap_or(printed))
}

fn date(d: chrono::NaiveDate) -> Literal {
    Literal::new_typed_literal(d.format("%Y-%m-%d").to_string(), xsd::DATE)
}

fn section_name(s: Section) -> &'static str {
    match s {
        Section::Proceedings => "Proceedings",
        Section::Summary => "Summary",
        Section::Outcome => "Outcome",
        Section::Recommendations => "Recommendations",
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Representative => "Representative",
        Role::Observer => "Observer",
        Role::Secretariat => "Secretariat",
        Role::WorkshopChair => "WorkshopChair",
        Role::RightOfReply => "RightOfReply",
    }
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Label => "Label",
        Method::Alias => "Alias",
        Method::Pattern => "Pattern",
        Method::Anaphora => "Anaphora",
        Method::Coordination => "Coordination",
        Method::Minted => "Minted",
        Method::StatementList => "StatementList",
    }
}

/// A slug made from a full name: lower case, ASCII, words joined by `-`, articles dropped;
/// a possessive's apostrophe is dropped ("Children's Fund" -> `childrens-fund`, "Peoples'
/// Rights" -> `peoples-rights`), as the gold's keys do, while an elision's separates
/// ("Côte d’Ivoire" -> `cote-d-ivoire`).
pub fn slug(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let letter = |i: usize| chars.get(i).is_some_and(|c| c.is_alphabetic());
    let possessive =
        |i: usize| !letter(i + 1) || (matches!(chars[i + 1], 's' | 'S') && !letter(i + 2));
    let ascii: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| !(matches!(c, '\'' | '\u{2019}') && possessive(i)))
        .map(|(_, c)| c)
        .collect::<String>()
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect();
    ascii
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "the" | "a" | "an"))
        .collect::<Vec<_>>()
        .join("-")
}

/// Percent-encodes what may not stand in an IRI path segment.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Byte offset -> char offset, for `cg:beginIndex` / `cg:endIndex`.
struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> Self {
        CharIndex {
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    fn of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_keys() {
        assert_eq!(
            slug("The Global Initiative against Transnational Organized Crime"),
            "global-initiative-against-transnational-organized-crime"
        );
        assert_eq!(slug("Asia and the Pacific"), "asia-and-pacific");
        assert_eq!(slug("Côte d’Ivoire Institute"), "cote-d-ivoire-institute");
        assert_eq!(
            slug("United Nations Children's Fund"),
            "united-nations-childrens-fund"
        );
        assert_eq!(
            slug("African Commission on Human and Peoples’ Rights"),
            "african-commission-on-human-and-peoples-rights"
        );
        assert_eq!(encode("000_cc59 x"), "000_cc59%20x");
    }

    #[test]
    fn char_offsets_from_byte_offsets() {
        let idx = CharIndex::new("Türkiye and UNODC");
        assert_eq!(idx.of(0), 0);
        assert_eq!(idx.of("Türkiye".len()), 7);
        assert_eq!(idx.of("Türkiye and ".len()), 12);
    }

    #[test]
    fn base_moves_reference_iris() {
        let b = IriBase::new("http://localhost:7878");
        assert_eq!(
            b.rebase("https://w3id.org/crimegraph/id/state/FRA")
                .as_str(),
            "http://localhost:7878/id/state/FRA"
        );
        assert_eq!(
            b.rebase("https://w3id.org/crimegraph/ontology#State")
                .as_str(),
            "https://w3id.org/crimegraph/ontology#State"
        );
    }
}
