//! The topic summary: for each speaker and each entity named in the reports where it
//! made statements, how many reports and paragraphs, kept in graph `id:graph/summary`.
//!
//! Why: "one State's topics" counts every statement that State made, so answered from
//! the reports it grows with the corpus (139x from 1,000 to 100,000 reports,
//! BENCHMARKS.md); answered from these counts it reads one node per topic. The store
//! keeps them in step with every write (`store::summary`); this module only says what
//! a graph contributes and how a count is written. Pure: no store.
//!
//! A graph contributes, for each report `r` in it (`?p dcterms:isPartOf r`), each
//! speaker of a `cg:Statement` with `cg:inReport r`, and each entity `t` that a
//! paragraph of `r` `cg:mentions`: one report, and the number of such paragraphs.
//! Summed over graphs, that is what `queries/state-topics.rq` used to compute from the
//! reports themselves (`COUNT(DISTINCT ?report)`, `COUNT(DISTINCT ?p)`), as long as
//! a report's statements and paragraphs share its graph, as ingest writes them.

use super::{IriBase, DCTERMS};
use crate::reference::cg;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A speaker and an entity named where it spoke.
pub type Key = (NamedNode, NamedNode);

/// What some reports contribute to one [`Key`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Count {
    pub reports: i64,
    pub paragraphs: i64,
    /// One paragraph that names the entity in a report where the speaker spoke (in a
    /// tally, the least IRI of those in the graphs tallied).
    pub example: Option<NamedNode>,
}

/// Counts by key: what one graph contributes, or a sum of graphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: HashMap<Key, Count>,
}

impl Tally {
    /// What one graph's quads contribute (the graph name of each quad is ignored).
    pub fn of_graph<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Tally {
        let (statement, speaker, in_report, mentions, is_part_of) = (
            cg("Statement"),
            cg("speaker"),
            cg("inReport"),
            cg("mentions"),
            NamedNode::new_unchecked(format!("{DCTERMS}isPartOf")),
        );
        let mut statements: HashSet<NamedOrBlankNodeRef<'a>> = HashSet::new();
        let mut speakers: HashMap<NamedOrBlankNodeRef<'a>, Vec<NamedNodeRef<'a>>> = HashMap::new();
        let mut in_reports: Vec<(NamedOrBlankNodeRef<'a>, TermRef<'a>)> = Vec::new();
        let mut part_of: HashMap<NamedOrBlankNodeRef<'a>, Vec<TermRef<'a>>> = HashMap::new();
        let mut mentioned: Vec<(NamedOrBlankNodeRef<'a>, NamedNodeRef<'a>)> = Vec::new();
        for q in quads {
            if q.predicate == rdf::TYPE {
                if q.object == TermRef::NamedNode(statement.as_ref()) {
                    statements.insert(q.subject);
                }
            } else if q.predicate == speaker {
                if let TermRef::NamedNode(s) = q.object {
                    speakers.entry(q.subject).or_default().push(s);
                }
            } else if q.predicate == in_report {
                in_reports.push((q.subject, q.object));
            } else if q.predicate == is_part_of {
                part_of.entry(q.subject).or_default().push(q.object);
            } else if q.predicate == mentions {
                if let TermRef::NamedNode(t) = q.object {
                    mentioned.push((q.subject, t));
                }
            }
        }
        // Speakers by report.
        let mut spoke: HashMap<TermRef<'a>, BTreeSet<NamedNodeRef<'a>>> = HashMap::new();
        for (s, report) in &in_reports {
            if !statements.contains(s) {
                continue;
            }
            for who in speakers.get(s).into_iter().flatten() {
                spoke.entry(*report).or_default().insert(*who);
            }
        }
        // Paragraphs by report and entity.
        let mut named: HashMap<(TermRef<'a>, NamedNodeRef<'a>), BTreeSet<&'a str>> = HashMap::new();
        for (p, topic) in &mentioned {
            let NamedOrBlankNodeRef::NamedNode(paragraph) = p else {
                continue;
            };
            for report in part_of.get(p).into_iter().flatten() {
                if spoke.contains_key(report) {
                    named
                        .entry((*report, *topic))
                        .or_default()
                        .insert(paragraph.as_str());
                }
            }
        }
        let mut tally = Tally::default();
        for ((report, topic), paragraphs) in named {
            for who in &spoke[&report] {
                let c = tally
                    .counts
                    .entry((who.into_owned(), topic.into_owned()))
                    .or_default();
                c.reports += 1;
                c.paragraphs += paragraphs.len() as i64;
                let first = paragraphs.first().expect("a paragraph named it");
                if c.example.as_ref().is_none_or(|e| e.as_str() > *first) {
                    c.example = Some(NamedNode::new_unchecked(*first));
                }
            }
        }
        tally
    }

    /// Adds another tally in (the least example stays).
    pub fn add(&mut self, other: Tally) {
        for (key, c) in other.counts {
            let mine = self.counts.entry(key).or_default();
            mine.reports += c.reports;
            mine.paragraphs += c.paragraphs;
            if let Some(e) = c.example {
                if mine
                    .example
                    .as_ref()
                    .is_none_or(|m| m.as_str() > e.as_str())
                {
                    mine.example = Some(e);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Where the counts live: `id:graph/summary`.
pub fn summary_graph(base: &IriBase) -> NamedNode {
    base.id("graph/summary")
}

/// The node of one key: `id:topic-count/{hash}`, the hash of the two IRIs (so the
/// same key has the same node in every store, under any base).
pub fn node(base: &IriBase, (speaker, topic): &Key) -> NamedNode {
    let mut h = Sha256::new();
    h.update(speaker.as_str());
    h.update("\n");
    h.update(topic.as_str());
    let hex: String = h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    base.id(&format!("topic-count/{hex}"))
}

/// What the store knows of an entity that the count repeats, so that the question
/// reads one node per topic: its classes and one label.
#[derive(Debug, Clone, Default)]
pub struct TopicFacts {
    pub classes: Vec<NamedNode>,
    pub label: Option<Literal>,
}

/// The quads of one count (`cg:TopicCount`).
pub fn count_quads(base: &IriBase, key: &Key, count: &Count, facts: &TopicFacts) -> Vec<Quad> {
    let graph = GraphName::NamedNode(summary_graph(base));
    let n = node(base, key);
    let int = |v: i64| Literal::new_typed_literal(v.to_string(), xsd::INTEGER);
    let mut out = vec![
        Quad::new(n.clone(), rdf::TYPE, cg("TopicCount"), graph.clone()),
        Quad::new(n.clone(), cg("ofSpeaker"), key.0.clone(), graph.clone()),
        Quad::new(n.clone(), cg("ofTopic"), key.1.clone(), graph.clone()),
        Quad::new(
            n.clone(),
            cg("reportCount"),
            int(count.reports),
            graph.clone(),
        ),
        Quad::new(
            n.clone(),
            cg("paragraphCount"),
            int(count.paragraphs),
            graph.clone(),
        ),
    ];
    if let Some(e) = &count.example {
        out.push(Quad::new(
            n.clone(),
            cg("exampleParagraph"),
            e.clone(),
            graph.clone(),
        ));
    }
    for c in &facts.classes {
        out.push(Quad::new(
            n.clone(),
            cg("topicClass"),
            c.clone(),
            graph.clone(),
        ));
    }
    if let Some(l) = &facts.label {
        out.push(Quad::new(n.clone(), rdfs::LABEL, l.clone(), graph.clone()));
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

    /// Graph `http://x/graph/{key}`: statements by `speakers` in report `http://x/{key}`,
    /// and its paragraphs `{key}/p{n}` naming `topics` (typed as crime types, as a
    /// report types the names it mints).
    pub fn report(key: &str, speakers: &[&str], paragraphs: &[&[&str]]) -> (NamedNode, Vec<Quad>) {
        let g = iri(&format!("graph/{key}"));
        let name = GraphName::NamedNode(g.clone());
        let r = iri(key);
        let mut q = Vec::new();
        for (i, s) in speakers.iter().enumerate() {
            let st = iri(&format!("{key}/s{i}"));
            q.push(Quad::new(
                st.clone(),
                rdf::TYPE,
                cg("Statement"),
                name.clone(),
            ));
            q.push(Quad::new(st.clone(), cg("speaker"), iri(s), name.clone()));
            q.push(Quad::new(st, cg("inReport"), r.clone(), name.clone()));
        }
        let part_of = NamedNode::new_unchecked(format!("{DCTERMS}isPartOf"));
        for (n, topics) in paragraphs.iter().enumerate() {
            let p = iri(&format!("{key}/p{n}"));
            q.push(Quad::new(
                p.clone(),
                part_of.clone(),
                r.clone(),
                name.clone(),
            ));
            for t in *topics {
                q.push(Quad::new(p.clone(), cg("mentions"), iri(t), name.clone()));
                q.push(Quad::new(iri(t), rdf::TYPE, cg("CrimeType"), name.clone()));
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

    #[test]
    fn a_graph_counts_reports_and_paragraphs_per_speaker_and_topic() {
        let t = tally(
            "r1",
            &["egy", "fra", "egy"],
            &[&["tip", "untoc"], &["tip"], &[]],
        );
        let c = &t.counts[&(iri("egy"), iri("tip"))];
        assert_eq!((c.reports, c.paragraphs), (1, 2));
        assert_eq!(c.example, Some(iri("r1/p0")));
        assert_eq!(t.counts[&(iri("fra"), iri("untoc"))].paragraphs, 1);
        assert_eq!(t.counts.len(), 4);
    }

    #[test]
    fn no_statement_no_count() {
        assert!(tally("r1", &[], &[&["tip"]]).is_empty());
    }

    #[test]
    fn tallies_add_up_and_keep_the_least_example() {
        let mut a = tally("r2", &["egy"], &[&["tip"]]);
        a.add(tally("r1", &["egy"], &[&["tip"], &["tip"]]));
        let c = &a.counts[&(iri("egy"), iri("tip"))];
        assert_eq!((c.reports, c.paragraphs), (2, 3));
        assert_eq!(c.example, Some(iri("r1/p0")));
    }

    #[test]
    fn nodes_are_stable_and_distinct() {
        let base = IriBase::default();
        let k1 = (iri("egy"), iri("tip"));
        let k2 = (iri("tip"), iri("egy"));
        assert_eq!(node(&base, &k1), node(&base, &k1));
        assert_ne!(node(&base, &k1), node(&base, &k2));
        assert!(node(&base, &k1)
            .as_str()
            .starts_with("https://w3id.org/crimegraph/id/topic-count/"));
    }
}
