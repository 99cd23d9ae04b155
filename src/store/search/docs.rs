//! What the text index keeps of one report graph: a row per paragraph with its text,
//! where it stands (report, meeting, Congress, region, year) and what it names, read
//! from the graph's own quads (`data-model.md`: a report graph holds its paragraphs,
//! its report, its meeting and its statements, so each graph is indexed alone).

use crate::map::IriBase;
use crate::reference::CG;
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_VALUE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";
const IS_PART_OF: &str = "http://purl.org/dc/terms/isPartOf";
const ISSUED: &str = "http://purl.org/dc/terms/issued";

/// One paragraph as the index keeps it. Entity values are id paths (`state/EGY`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParagraphDoc {
    pub graph: String,
    pub paragraph: String,
    pub report: String,
    pub number: String,
    pub text: String,
    /// What the paragraph names (`cg:mentions`), each once.
    pub mentions: BTreeSet<String>,
    /// Who made statements in its report.
    pub speakers: BTreeSet<String>,
    pub meeting: Option<String>,
    pub congress: Option<u64>,
    pub region: Option<String>,
    pub year: Option<u64>,
}

/// What one report graph says of its paragraphs, report and meeting.
#[derive(Default)]
struct GraphFacts {
    /// Every subject with a paragraph's facts; only those typed `cg:Paragraph` are kept.
    paragraphs: BTreeMap<String, ParagraphDoc>,
    typed: BTreeSet<String>,
    report_meeting: Option<String>,
    year: Option<u64>,
    speakers: BTreeSet<String>,
    congress: BTreeMap<String, u64>,
    region: BTreeMap<String, String>,
}

/// The paragraphs of one report graph (`graph`), from its quads; none when it holds
/// no `cg:Paragraph` with text.
pub fn paragraphs_of(graph: &str, quads: &[Quad], base: &IriBase) -> Vec<ParagraphDoc> {
    let mut facts = GraphFacts::default();
    let paragraph_class = format!("{CG}Paragraph");
    for quad in quads {
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            continue;
        };
        let subject = subject.as_str();
        let p = quad.predicate.as_str();
        if p == RDF_TYPE && term_iri(&quad.object) == Some(paragraph_class.as_str()) {
            facts.typed.insert(subject.to_string());
        } else {
            facts.fact(subject, p, &quad.object, base);
        }
    }
    facts.finish(graph)
}

impl GraphFacts {
    fn paragraph(&mut self, iri: &str) -> &mut ParagraphDoc {
        self.paragraphs
            .entry(iri.to_string())
            .or_insert_with(|| ParagraphDoc {
                paragraph: iri.to_string(),
                ..ParagraphDoc::default()
            })
    }

    fn fact(&mut self, subject: &str, p: &str, object: &Term, base: &IriBase) {
        let Some(local) = p.strip_prefix(CG) else {
            return self.other_fact(subject, p, object);
        };
        match (local, object) {
            ("mentions", Term::NamedNode(n)) => {
                if let Some(path) = base.path_of(n.as_str()) {
                    self.paragraph(subject).mentions.insert(path.to_string());
                }
            }
            ("number", Term::Literal(l)) => self.paragraph(subject).number = l.value().into(),
            ("speaker", Term::NamedNode(n)) => {
                if let Some(path) = base.path_of(n.as_str()) {
                    self.speakers.insert(path.to_string());
                }
            }
            ("reportOf", Term::NamedNode(n)) => self.report_meeting = Some(n.as_str().into()),
            ("congressNumber", Term::Literal(l)) => {
                if let Ok(n) = l.value().parse() {
                    self.congress.insert(subject.to_string(), n);
                }
            }
            ("region", Term::Literal(l)) => {
                self.region.insert(subject.to_string(), l.value().into());
            }
            _ => {}
        }
    }

    fn other_fact(&mut self, subject: &str, p: &str, object: &Term) {
        match (p, object) {
            (RDF_VALUE, Term::Literal(l)) => self.paragraph(subject).text = l.value().into(),
            (IS_PART_OF, Term::NamedNode(n)) => self.paragraph(subject).report = n.as_str().into(),
            (ISSUED, Term::Literal(l)) => {
                self.year = l.value().get(..4).and_then(|y| y.parse().ok())
            }
            _ => {}
        }
    }

    /// The paragraphs with text, each told where it stands. A paragraph's facts may
    /// come before its type: they are kept for every subject, and the subjects that
    /// are not paragraphs dropped here.
    fn finish(self, graph: &str) -> Vec<ParagraphDoc> {
        let meeting = self.report_meeting;
        let congress = meeting.as_ref().and_then(|m| self.congress.get(m).copied());
        let region = meeting.as_ref().and_then(|m| self.region.get(m).cloned());
        let typed = self.typed;
        self.paragraphs
            .into_values()
            .filter(|p| !p.text.is_empty() && typed.contains(&p.paragraph))
            .map(|mut p| {
                p.graph = graph.to_string();
                p.speakers = self.speakers.clone();
                p.meeting = meeting.clone();
                p.congress = congress;
                p.region = region.clone();
                p.year = self.year;
                p
            })
            .collect()
    }
}

fn term_iri(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode};

    fn quad(s: &str, p: &str, o: Term) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(s),
            NamedNode::new_unchecked(p),
            o,
            GraphName::NamedNode(NamedNode::new_unchecked(
                "https://w3id.org/crimegraph/id/graph/report/r",
            )),
        )
    }

    #[test]
    fn a_report_graph_gives_its_paragraphs_with_where_they_stand() {
        let id = "https://w3id.org/crimegraph/id/";
        let iri = |p: &str| Term::NamedNode(NamedNode::new_unchecked(format!("{id}{p}")));
        let lit = |v: &str| Term::Literal(Literal::new_simple_literal(v));
        let (p1, report, meeting) = (
            format!("{id}report/r/p/1"),
            format!("{id}report/r"),
            format!("{id}meeting/congress-15"),
        );
        let quads = vec![
            // isPartOf before the type: order in a graph is the index's, not the map's.
            quad(&p1, IS_PART_OF, iri("report/r")),
            quad(
                &p1,
                RDF_TYPE,
                Term::NamedNode(NamedNode::new_unchecked(format!("{CG}Paragraph"))),
            ),
            quad(&p1, RDF_VALUE, lit("Egypt spoke on cybercrime.")),
            quad(&p1, &format!("{CG}number"), lit("1")),
            quad(&p1, &format!("{CG}mentions"), iri("state/EGY")),
            quad(&p1, &format!("{CG}mentions"), iri("crime/cybercrime")),
            quad(
                &report,
                &format!("{CG}reportOf"),
                iri("meeting/congress-15"),
            ),
            quad(&report, ISSUED, lit("2021-03-12")),
            quad(&meeting, &format!("{CG}congressNumber"), lit("15")),
            quad(&meeting, &format!("{CG}region"), lit("Congress")),
            quad(
                &format!("{id}report/r/s/1"),
                &format!("{CG}speaker"),
                iri("state/JPN"),
            ),
            // A paragraph without text is not a row.
            quad(
                &format!("{id}report/r/p/2"),
                RDF_TYPE,
                Term::NamedNode(NamedNode::new_unchecked(format!("{CG}Paragraph"))),
            ),
        ];
        let docs = paragraphs_of("g", &quads, &IriBase::default());
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.report, report);
        assert_eq!(d.number, "1");
        assert_eq!(
            d.mentions,
            BTreeSet::from(["crime/cybercrime".into(), "state/EGY".into()])
        );
        assert_eq!(d.speakers, BTreeSet::from(["state/JPN".to_string()]));
        assert_eq!(d.meeting.as_deref(), Some(meeting.as_str()));
        assert_eq!((d.congress, d.year), (Some(15), Some(2021)));
        assert_eq!(d.region.as_deref(), Some("Congress"));
    }
}
