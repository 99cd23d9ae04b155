//! Keeps the topic summary (`map::summary`, graph `id:graph/summary`) in step with
//! every write, inside the write's own transaction: what the touched graphs
//! contributed before the write is taken off, what they contribute after is added.
//!
//! A bulk load is not a transaction: it adds to stored counts in a transaction before
//! its commit and puts its new counts in with a second bulk load after it, and a
//! [`LoadMark`] file says so meanwhile: a crash in between leaves the mark, which
//! [`super::GraphStore::open`] sees and recounts from.

use super::StoreError;
use crate::map::summary::{
    band, band_node, count_quads, node, summary_graph, Count, Key, Tally, TopicFacts,
    COUNT_PROPERTIES,
};
use crate::map::IriBase;
use crate::reference::{cg, CG};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
    TermRef,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Transaction;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The graphs a write touches: some, or (`All`) any it likes.
#[derive(Debug, Clone)]
pub(super) enum Touched {
    Graphs(HashSet<GraphName>),
    All,
}

/// The summary of one store: its graph and the reference graph its facts come from.
#[derive(Debug, Clone)]
pub(super) struct Summarizer {
    base: IriBase,
    graph: NamedNode,
}

/// `cg:summaryState` of the summary graph: `"current 5"` once it exists with every
/// kind of count and the links pages read them by (`cg:trendOf`, `cg:inBand`). (A
/// store whose summary says `"current 4"` was made by the version before, without those
/// links, and has them added when opened; one that says anything else, such as
/// `"current"` with topic counts alone, is recounted.)
pub(in crate::store) const STATE: &str = "summaryState";
pub(in crate::store) const CURRENT: &str = "current 5";
/// The state of the version before, whose counts [`Summarizer::add_links`] brings up.
const PREVIOUS: &str = "current 4";
/// The classes whose entities are counted as topics.
const TOPIC_CLASSES: [&str; 2] = ["CrimeType", "Instrument"];

impl Summarizer {
    pub(super) fn new(base: &IriBase) -> Self {
        Summarizer {
            base: base.clone(),
            graph: summary_graph(base),
        }
    }

    /// What `graph` contributes as the transaction sees it.
    pub(super) fn tally(
        &self,
        tx: &Transaction<'_>,
        graph: GraphNameRef<'_>,
    ) -> Result<Tally, StoreError> {
        if graph == GraphNameRef::NamedNode(self.graph.as_ref()) {
            return Ok(Tally::default());
        }
        let quads: Vec<Quad> = tx
            .quads_for_pattern(None, None, None, Some(graph))
            .collect::<Result<_, _>>()?;
        Ok(Tally::of_graph(quads.iter().map(Quad::as_ref)))
    }

    /// What the touched graphs contribute now; `None` when any graph may be touched
    /// (the summary is then rebuilt after the write).
    pub(super) fn tally_touched(
        &self,
        tx: &Transaction<'_>,
        touched: &Touched,
    ) -> Result<Option<Tally>, StoreError> {
        let Touched::Graphs(graphs) = touched else {
            return Ok(None);
        };
        let mut total = Tally::default();
        for g in graphs {
            total.add(self.tally(tx, g.as_ref())?);
        }
        Ok(Some(total))
    }

    /// What a write's graphs hold before it, for [`Self::after_write`]: what they
    /// contribute, and, when the write is to the reference data alone, what it says of
    /// each entity.
    pub(super) fn before_write(
        &self,
        tx: &Transaction<'_>,
        touched: &Touched,
    ) -> Result<Before, StoreError> {
        let reference = match touched {
            Touched::Graphs(g) if g.len() == 1 && g.contains(&self.reference_name()) => {
                Some(self.reference_facts(tx)?)
            }
            _ => None,
        };
        Ok(Before {
            tally: self.tally_touched(tx, touched)?,
            reference,
        })
    }

    /// Finishes a write of `touched` graphs that held `before`: adds what they
    /// contribute now, and after a change of the reference data relabels the counts of
    /// the entities it changed ([`Self::after_reference_change`]). When the write could
    /// touch any graph, or touched the summary itself, or changed which entities are
    /// counted, it writes nothing and answers `true`: the caller recounts after its
    /// commit ([`Self::recount`]).
    pub(super) fn after_write(
        &self,
        tx: &mut Transaction<'_>,
        touched: &Touched,
        before: Before,
    ) -> Result<bool, StoreError> {
        let (Touched::Graphs(g), Some(tally)) = (touched, before.tally) else {
            return Ok(true);
        };
        // Only the reference data, when it comes with what it said before
        // ([`Self::before_write`]); never the summary itself.
        let reference_alone = before.reference.is_some();
        if g.contains(&self.graph_name())
            || (g.contains(&self.reference_name()) && !reference_alone)
        {
            return Ok(true);
        }
        if let Some(facts) = before.reference {
            if !self.after_reference_change(tx, facts)? {
                return Ok(true);
            }
        }
        let after = self.tally_touched(tx, touched)?.unwrap_or_default();
        self.apply(tx, &tally, &after)?;
        Ok(false)
    }

    /// After the reference data changed from `old`: the counts that show an entity it
    /// now says otherwise of take its new classes and label. Whether that was all: not
    /// when an entity the reports name changed sort (became or stopped being a topic,
    /// a State or a crime type), whose counts only a recount finds.
    ///
    /// Why not recount on every change: a recount reads every graph, about an hour at
    /// 100,000 reports, where this reads the few hundred counts of the changed entities.
    fn after_reference_change(
        &self,
        tx: &mut Transaction<'_>,
        old: HashMap<NamedNode, TopicFacts>,
    ) -> Result<bool, StoreError> {
        let new = self.reference_facts(tx)?;
        let entities: HashSet<&NamedNode> = old.keys().chain(new.keys()).collect();
        for e in entities {
            let (was, now) = (old.get(e), new.get(e));
            if was == now {
                continue;
            }
            let reported = |tx: &Transaction<'_>| self.reported_facts_of(tx, e.as_ref());
            let was = was.cloned().map_or_else(|| reported(tx), Ok)?;
            let now = now.cloned().map_or_else(|| reported(tx), Ok)?;
            if sort_of(&was) != sort_of(&now) && self.named_in_reports(tx, e)? {
                return Ok(false);
            }
            self.relabel(tx, e, &now)?;
        }
        Ok(true)
    }

    /// The classes and label of every entity the reference graph types.
    fn reference_facts(
        &self,
        tx: &Transaction<'_>,
    ) -> Result<HashMap<NamedNode, TopicFacts>, StoreError> {
        let g = self.reference_name();
        let of = |p: NamedNodeRef<'_>| -> Result<HashMap<NamedNode, Vec<Term>>, StoreError> {
            let mut out: HashMap<NamedNode, Vec<Term>> = HashMap::new();
            for q in tx.quads_for_pattern(None, Some(p), None, Some(g.as_ref())) {
                let q = q?;
                if let NamedOrBlankNode::NamedNode(s) = q.subject {
                    out.entry(s).or_default().push(q.object);
                }
            }
            Ok(out)
        };
        let (classes, mut labels) = (of(rdf::TYPE)?, of(rdfs::LABEL)?);
        Ok(classes
            .into_iter()
            .map(|(e, c)| {
                let l = labels.remove(&e).unwrap_or_default();
                (e, facts_from(c, l))
            })
            .collect())
    }

    /// Whether a graph other than the reference data and the summary names `e`.
    fn named_in_reports(&self, tx: &Transaction<'_>, e: &NamedNode) -> Result<bool, StoreError> {
        let ours = [self.reference_name(), self.graph_name()];
        for q in tx.quads_for_pattern(None, None, Some(e.as_ref().into()), None) {
            if !ours.contains(&q?.graph_name) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Gives the counts that show `e` (as a topic, a co-occurring entity or a speaker)
    /// the classes and label of `facts`.
    fn relabel(
        &self,
        tx: &mut Transaction<'_>,
        e: &NamedNode,
        facts: &TopicFacts,
    ) -> Result<(), StoreError> {
        let g = self.graph_name();
        let mut nodes = Vec::new();
        for p in ["ofTopic", "withEntity", "ofSpeaker"] {
            for q in tx.quads_for_pattern(
                None,
                Some(cg(p).as_ref()),
                Some(e.as_ref().into()),
                Some(g.as_ref()),
            ) {
                let n = q?.subject;
                let speaker_count = Quad::new(n.clone(), rdf::TYPE, cg("SpeakerCount"), g.clone());
                if p != "ofSpeaker" || tx.contains(&speaker_count)? {
                    nodes.push(n);
                }
            }
        }
        for n in nodes {
            for p in [cg("topicClass"), rdfs::LABEL.into_owned()] {
                let old: Vec<Quad> = tx
                    .quads_for_pattern(Some(n.as_ref()), Some(p.as_ref()), None, Some(g.as_ref()))
                    .collect::<Result<_, _>>()?;
                for q in &old {
                    tx.remove(q);
                }
            }
            let quad = |p: NamedNode, o: Term| Quad::new(n.clone(), p, o, g.clone());
            for c in &facts.classes {
                tx.insert(&quad(cg("topicClass"), c.clone().into()));
            }
            if let Some(l) = &facts.label {
                tx.insert(&quad(rdfs::LABEL.into_owned(), l.clone().into()));
            }
        }
        Ok(())
    }

    fn reference_name(&self) -> GraphName {
        GraphName::NamedNode(self.base.reference_graph())
    }

    fn graph_name(&self) -> GraphName {
        GraphName::NamedNode(self.graph.clone())
    }

    /// Takes `before` off the stored counts and adds `after`, key by key, and marks
    /// the summary current.
    pub(super) fn apply(
        &self,
        tx: &mut Transaction<'_>,
        before: &Tally,
        after: &Tally,
    ) -> Result<(), StoreError> {
        let keys: HashSet<&Key> = before.counts.keys().chain(after.counts.keys()).collect();
        let mut facts = Facts::default();
        let none = Count::default();
        for key in keys {
            let (b, a) = (
                before.counts.get(key).unwrap_or(&none),
                after.counts.get(key).unwrap_or(&none),
            );
            if b != a {
                self.apply_one(tx, &mut facts, key, b, a)?;
            }
        }
        self.set_current(tx);
        Ok(())
    }

    /// One key of [`Self::apply`]: the stored count, less `b`, plus `a`.
    fn apply_one(
        &self,
        tx: &mut Transaction<'_>,
        facts: &mut Facts,
        key: &Key,
        b: &Count,
        a: &Count,
    ) -> Result<(), StoreError> {
        let n = node(&self.base, key);
        let old = self.node_quads(tx, n.as_ref())?;
        // Topics are crime types and instruments, the matrix's rows States and its
        // columns crime types. (A count kept already is kept up, even if the report
        // that typed its minted entity is going.)
        if !self.wanted(tx, facts, key)? && old.is_empty() {
            return Ok(());
        }
        let current = stored_count(&old);
        let mut count = current.moved(b, a);
        if count.is_zero() {
            for q in &old {
                tx.remove(q);
            }
            return Ok(());
        }
        // The example stays while its paragraph still names what the count is about;
        // otherwise one of the write's own, or any other.
        count.example = match current.example {
            Some(e) if names_all(tx, e.as_ref(), &key.example_names())? => Some(e),
            _ => match &a.example {
                Some(e) => Some(e.clone()),
                None => find_example(tx, key)?,
            },
        };
        let shown = match key.shown() {
            Some(e) => Some(facts.of(self, tx, e)?.clone()),
            None => None,
        };
        // Only what changed is written: mostly a count or two of a node's quads (a
        // write to a transaction costs several times a read).
        let new = count_quads(&self.base, key, &count, shown.as_ref());
        let (old_set, new_set): (HashSet<&Quad>, HashSet<&Quad>) =
            (old.iter().collect(), new.iter().collect());
        for q in old_set.difference(&new_set) {
            tx.remove(*q);
        }
        for q in new_set.difference(&old_set) {
            tx.insert(*q);
        }
        Ok(())
    }

    /// Whether a count of `key` is kept, by the classes of what it is about.
    fn wanted(
        &self,
        tx: &Transaction<'_>,
        facts: &mut Facts,
        key: &Key,
    ) -> Result<bool, StoreError> {
        Ok(match key {
            Key::Topic { topic, .. } => is_topic(facts.of(self, tx, topic)?),
            Key::Matrix { state, crime, .. } => {
                has_class(facts.of(self, tx, state)?, "State")
                    && has_class(facts.of(self, tx, crime)?, "CrimeType")
            }
            _ => true,
        })
    }

    /// Splits what a bulk load adds into counts to add to stored ones (for
    /// [`Self::apply`]) and new ones (for [`Self::new_count_quads`]).
    pub(super) fn split_stored(
        &self,
        tx: &Transaction<'_>,
        added: Tally,
    ) -> Result<(Tally, Tally), StoreError> {
        let (mut stored, mut new) = (Tally::default(), Tally::default());
        for (key, count) in added.counts {
            let n = node(&self.base, &key);
            let to = if self.node_quads(tx, n.as_ref())?.is_empty() {
                &mut new
            } else {
                &mut stored
            };
            to.counts.insert(key, count);
        }
        Ok((stored, new))
    }

    /// The quads of counts the store lacks, for a bulk load, of those kept
    /// ([`Self::wanted`]). Read once the reports are in: an entity's class and label may
    /// come with them (a name a report mints, or the reference graph in a fresh store's
    /// first load).
    ///
    /// Why a bulk load: a transaction writes each quad through RocksDB's indexed write
    /// batch and memtable, several times slower than the loader's sorted files; after
    /// 1,000 fresh reports, 18,000 new counts took 9 s that way.
    pub(super) fn new_count_quads(
        &self,
        tx: &Transaction<'_>,
        new: Tally,
    ) -> Result<Vec<Quad>, StoreError> {
        let mut facts = Facts::default();
        let mut quads = Vec::new();
        for (key, count) in new.counts {
            if count.is_zero() || !self.wanted(tx, &mut facts, &key)? {
                continue;
            }
            let shown = match key.shown() {
                Some(e) => Some(facts.of(self, tx, e)?.clone()),
                None => None,
            };
            quads.extend(count_quads(&self.base, &key, &count, shown.as_ref()));
        }
        Ok(quads)
    }

    /// Recounts every graph and writes what differs from the stored summary; how many
    /// quads it removed and added.
    ///
    /// Why not in the write's transaction (as it once was): a transaction's reads go
    /// through its write batch, and clearing the summary (150,000 quads at any size,
    /// BENCHMARKS.md) then adding it back key by key made every read crawl: four
    /// minutes at 1,000 reports, unfinished after many at 100,000, on the first open
    /// after any change of the reference data. Here the graphs are read with nothing
    /// written, and the write holds the difference alone, mostly nothing or a few
    /// labels. The caller holds the write lock and leaves a [`LoadMark`] until it is
    /// done, so a crash in between is recounted on the next open.
    pub(super) fn recount(
        &self,
        store: &oxigraph::store::Store,
    ) -> Result<(usize, usize), StoreError> {
        let read = store.start_transaction()?;
        let mut total = self.tally(&read, GraphNameRef::DefaultGraph)?;
        let graphs: Vec<NamedOrBlankNode> = read.named_graphs().collect::<Result<_, _>>()?;
        for g in graphs {
            let g = match g {
                NamedOrBlankNode::NamedNode(n) => GraphName::NamedNode(n),
                NamedOrBlankNode::BlankNode(b) => GraphName::BlankNode(b),
            };
            total.add(self.tally(&read, g.as_ref())?);
        }
        let mut new: HashSet<Quad> = self.new_count_quads(&read, total)?.into_iter().collect();
        new.insert(self.state_quad(CURRENT));
        let old: HashSet<Quad> = read
            .quads_for_pattern(None, None, None, Some(self.graph_name().as_ref()))
            .collect::<Result<_, _>>()?;
        drop(read);
        let mut tx = store.start_transaction()?;
        let (mut removed, mut added) = (0, 0);
        for q in old.difference(&new) {
            tx.remove(q);
            removed += 1;
        }
        for q in new.difference(&old) {
            tx.insert(q);
            added += 1;
        }
        tx.commit()?;
        Ok((removed, added))
    }

    /// The topic's classes and one label: from the reference graph, or else from the
    /// first graph that types it (a name minted in a report).
    fn facts_of(
        &self,
        tx: &Transaction<'_>,
        topic: NamedNodeRef<'_>,
    ) -> Result<TopicFacts, StoreError> {
        let reference = self.reference_name();
        let classes = of(tx, topic, rdf::TYPE, reference.as_ref())?;
        if classes.is_empty() {
            return self.reported_facts_of(tx, topic);
        }
        Ok(facts_from(
            classes,
            of(tx, topic, rdfs::LABEL, reference.as_ref())?,
        ))
    }

    /// The topic's classes and label from the first graph that types it.
    fn reported_facts_of(
        &self,
        tx: &Transaction<'_>,
        topic: NamedNodeRef<'_>,
    ) -> Result<TopicFacts, StoreError> {
        let reference = self.reference_name();
        let typed = tx
            .quads_for_pattern(Some(topic.into()), Some(rdf::TYPE), None, None)
            .find(|q| q.as_ref().map_or(true, |q| q.graph_name != reference))
            .transpose()?;
        let Some(q) = typed else {
            return Ok(TopicFacts::default());
        };
        let g = q.graph_name.as_ref();
        Ok(facts_from(
            of(tx, topic, rdf::TYPE, g)?,
            of(tx, topic, rdfs::LABEL, g)?,
        ))
    }

    fn node_quads(
        &self,
        tx: &Transaction<'_>,
        n: NamedNodeRef<'_>,
    ) -> Result<Vec<Quad>, StoreError> {
        Ok(tx
            .quads_for_pattern(
                Some(n.into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(self.graph.as_ref())),
            )
            .collect::<Result<_, _>>()?)
    }

    /// The stored count of `key` (zero when the store has none), read from its node.
    pub(super) fn stored(
        &self,
        store: &oxigraph::store::Store,
        key: &Key,
    ) -> Result<Count, StoreError> {
        let n = node(&self.base, key);
        let quads: Vec<Quad> = store
            .quads_for_pattern(
                Some(n.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(self.graph.as_ref())),
            )
            .collect::<Result<_, _>>()?;
        Ok(stored_count(&quads))
    }

    /// Marks the summary current (it then exists, even with no counts).
    fn set_current(&self, tx: &mut Transaction<'_>) {
        tx.insert(&self.state_quad(CURRENT));
    }

    fn state_quad(&self, state: &str) -> Quad {
        Quad::new(
            self.graph.clone(),
            cg(STATE),
            Literal::from(state),
            self.graph_name(),
        )
    }

    /// What the summary needs before the store is used ([`Upkeep`]): nothing; the
    /// links the previous version did not write; or a recount, when the summary is
    /// missing from a store that holds graphs (made by a version without it) or a bulk
    /// load of an earlier version left its mark (marks are files now, [`LoadMark`]).
    pub(super) fn upkeep(&self, store: &oxigraph::store::Store) -> Result<Upkeep, StoreError> {
        let g = self.graph.as_ref();
        let (mut current, mut previous) = (false, false);
        for q in store.quads_for_pattern(
            Some(g.into()),
            Some(cg(STATE).as_ref()),
            None,
            Some(GraphNameRef::NamedNode(g)),
        ) {
            match q?.object {
                Term::Literal(l) if l.value() == CURRENT => current = true,
                Term::Literal(l) if l.value() == PREVIOUS => previous = true,
                _ => return Ok(Upkeep::Recount),
            }
        }
        Ok(if previous {
            // Also with both states: a link-up cut short between its load and the
            // removal of the old state, which does it again (it only adds).
            Upkeep::Links
        } else if !current && store.named_graphs().next().is_some() {
            Upkeep::Recount
        } else {
            Upkeep::Nothing
        })
    }

    /// Brings a summary of the previous version up to this one: adds the links its
    /// counts lacked (a co-occurrence count's band, a trend count's entity), read from
    /// the stored counts, with the bulk loader, then marks it current. Why not a
    /// recount: it reads every quad of every graph, about an hour at 100,000 reports,
    /// where this reads the summary alone.
    pub(super) fn add_links(&self, store: &oxigraph::store::Store) -> Result<usize, StoreError> {
        let g = GraphNameRef::NamedNode(self.graph.as_ref());
        let subjects = |class: &str| -> Result<HashSet<NamedOrBlankNode>, StoreError> {
            store
                .quads_for_pattern(
                    None,
                    Some(rdf::TYPE),
                    Some(cg(class).as_ref().into()),
                    Some(g),
                )
                .map(|q| Ok(q?.subject))
                .collect()
        };
        let of = |p: &str| -> Result<HashMap<NamedOrBlankNode, Term>, StoreError> {
            store
                .quads_for_pattern(None, Some(cg(p).as_ref()), None, Some(g))
                .map(|q| q.map(|q| (q.subject, q.object)).map_err(StoreError::from))
                .collect()
        };
        let (together, trends) = (subjects("CooccurrenceCount")?, subjects("TrendCount")?);
        let (entities, paragraphs) = (of("ofEntity")?, of("paragraphCount")?);
        let mut quads = Vec::new();
        for (count, entity) in &entities {
            let Term::NamedNode(entity) = entity else {
                continue;
            };
            let link = if together.contains(count) {
                let n = match paragraphs.get(count) {
                    Some(Term::Literal(l)) => l.value().parse::<i64>().unwrap_or(0),
                    _ => 0,
                };
                ("inBand", band_node(&self.base, entity, band(n)))
            } else if trends.contains(count) {
                ("trendOf", entity.clone())
            } else {
                continue;
            };
            quads.push(Quad::new(
                count.clone(),
                cg(link.0),
                link.1,
                self.graph_name(),
            ));
        }
        let added = quads.len();
        quads.push(self.state_quad(CURRENT));
        let mut loader = store.bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
        store.remove(&self.state_quad(PREVIOUS))?;
        Ok(added)
    }
}

/// What a write's graphs held before it ([`Summarizer::before_write`]).
pub(super) struct Before {
    tally: Option<Tally>,
    /// What the reference data said of each entity, when the write is to it alone.
    reference: Option<HashMap<NamedNode, TopicFacts>>,
}

/// The objects of `topic p ?o` in graph `g`.
fn of(
    tx: &Transaction<'_>,
    topic: NamedNodeRef<'_>,
    p: NamedNodeRef<'_>,
    g: GraphNameRef<'_>,
) -> Result<Vec<Term>, StoreError> {
    tx.quads_for_pattern(Some(topic.into()), Some(p), None, Some(g))
        .map(|q| q.map(|q| q.object).map_err(StoreError::from))
        .collect()
}

/// What decides whether an entity's counts are kept ([`Summarizer::wanted`]): a topic,
/// a State, a crime type.
fn sort_of(facts: &TopicFacts) -> (bool, bool, bool) {
    (
        is_topic(facts),
        has_class(facts, "State"),
        has_class(facts, "CrimeType"),
    )
}

/// What a summary needs when its store is opened ([`Summarizer::upkeep`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Upkeep {
    Nothing,
    /// Made by the previous version: its counts are right, the links pages read them
    /// by are missing ([`Summarizer::add_links`]).
    Links,
    Recount,
}

/// A file in the store's directory that says a bulk load is under way: made before
/// the load's commit and removed once its counts are in, so a crash in between leaves
/// it for [`super::GraphStore::open`] to find and recount from. A file, not a quad:
/// removing a quad is a write, and a write after a large commit waits until RocksDB
/// has compacted it (minutes after 100,000 reports).
pub(super) struct LoadMark {
    path: Option<PathBuf>,
}

const MARK_PREFIX: &str = "crimegraph-summary-loading-";

impl LoadMark {
    /// Makes the mark on disk (none for a store in memory, which no crash outlives).
    pub(super) fn set(dir: Option<&Path>) -> Result<Self, StoreError> {
        static LOADS: AtomicU64 = AtomicU64::new(0);
        let Some(dir) = dir else {
            return Ok(LoadMark { path: None });
        };
        let n = LOADS.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{MARK_PREFIX}{}-{n}", std::process::id()));
        std::fs::File::create(&path)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::File::open(dir)?.sync_all())
            .map_err(mark_error(&path))?;
        Ok(LoadMark { path: Some(path) })
    }

    /// Removes the mark: the load's counts are in (or it loaded nothing, or the
    /// summary was recounted).
    pub(super) fn clear(self) -> Result<(), StoreError> {
        match self.path {
            Some(path) => std::fs::remove_file(&path).map_err(mark_error(&path)),
            None => Ok(()),
        }
    }

    /// The marks that loads in `dir` left behind.
    pub(super) fn left_in(dir: &Path) -> Result<Vec<LoadMark>, StoreError> {
        let mut left = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(mark_error(dir))? {
            let entry = entry.map_err(mark_error(dir))?;
            if entry.file_name().to_string_lossy().starts_with(MARK_PREFIX) {
                left.push(LoadMark {
                    path: Some(entry.path()),
                });
            }
        }
        Ok(left)
    }
}

fn mark_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Mark {
        path: path.display().to_string(),
        source,
    }
}

/// The facts of the entities counts are about, each looked up once per write.
#[derive(Default)]
struct Facts(HashMap<NamedNode, TopicFacts>);

impl Facts {
    fn of(
        &mut self,
        summarizer: &Summarizer,
        tx: &Transaction<'_>,
        entity: &NamedNode,
    ) -> Result<&TopicFacts, StoreError> {
        if !self.0.contains_key(entity) {
            let f = summarizer.facts_of(tx, entity.as_ref())?;
            self.0.insert(entity.clone(), f);
        }
        Ok(&self.0[entity])
    }
}

/// An entity's facts from its `rdf:type` and `rdfs:label` values: its classes, and
/// one label (English first).
pub(in crate::store) fn facts_from(classes: Vec<Term>, labels: Vec<Term>) -> TopicFacts {
    let label = labels
        .iter()
        .find_map(|t| match t {
            Term::Literal(l) if l.language() == Some("en") => Some(l.clone()),
            _ => None,
        })
        .or_else(|| {
            labels.into_iter().find_map(|t| match t {
                Term::Literal(l) => Some(l),
                _ => None,
            })
        });
    let mut classes: Vec<NamedNode> = classes
        .into_iter()
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n),
            _ => None,
        })
        .collect();
    classes.sort();
    classes.dedup();
    TopicFacts { classes, label }
}

/// The counts (and the example) a count node holds.
pub(in crate::store) fn stored_count(quads: &[Quad]) -> Count {
    let mut current = Count::default();
    for q in quads {
        let Some(local) = q.predicate.as_str().strip_prefix(CG) else {
            continue;
        };
        match &q.object {
            Term::Literal(l) if COUNT_PROPERTIES.contains(&local) => {
                current.set(local, l.value().parse::<i64>().unwrap_or(0));
            }
            Term::NamedNode(e) if local == "exampleParagraph" => {
                current.example = Some(e.clone());
            }
            _ => {}
        }
    }
    current
}

/// Whether the summary counts an entity with these facts as a topic.
pub(in crate::store) fn is_topic(facts: &TopicFacts) -> bool {
    TOPIC_CLASSES.iter().any(|c| has_class(facts, c))
}

/// Whether the entity is of class `cg:{local}`.
pub(in crate::store) fn has_class(facts: &TopicFacts, local: &str) -> bool {
    facts
        .classes
        .iter()
        .any(|c| c.as_str().strip_prefix(CG) == Some(local))
}

/// Whether paragraph `p` still names every one of `entities` (none: no example kept).
fn names_all(
    tx: &Transaction<'_>,
    p: NamedNodeRef<'_>,
    entities: &[&NamedNode],
) -> Result<bool, StoreError> {
    if entities.is_empty() {
        return Ok(false);
    }
    for e in entities {
        let found = tx
            .quads_for_pattern(
                Some(p.into()),
                Some(cg("mentions").as_ref()),
                Some(TermRef::NamedNode(e.as_ref())),
                None,
            )
            .next()
            .transpose()?
            .is_some();
        if !found {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Any paragraph a count could show as its example: for a topic, one that names the
/// topic in a report where the speaker spoke; for two entities, one naming both. The
/// IRIs come from the store's own counts, not from a request.
fn find_example(tx: &Transaction<'_>, key: &Key) -> Result<Option<NamedNode>, StoreError> {
    let Some(query) = example_query(key) else {
        return Ok(None);
    };
    let mut prepared = SparqlEvaluator::new().for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    if let QueryResults::Solutions(mut s) = prepared.on_transaction(tx).execute()? {
        if let Some(row) = s.next() {
            if let Some(Term::NamedNode(p)) = row?.get("p") {
                return Ok(Some(p.clone()));
            }
        }
    }
    Ok(None)
}

/// The question that finds a paragraph a count of `key` can show as its example
/// (`?p`), for the keys that keep one. The key's IRIs are set in the parsed algebra.
pub(in crate::store) fn example_query(key: &Key) -> Option<spargebra::Query> {
    static TOPIC: std::sync::LazyLock<spargebra::Query> = std::sync::LazyLock::new(|| {
        parse_example(&format!(
            "SELECT ?p WHERE {{ VALUES ?speaker {{ <urn:x> }} VALUES ?topic {{ <urn:x> }} \
             ?s <{CG}speaker> ?speaker ; <{CG}inReport> ?r ; a <{CG}Statement> . \
             ?p <http://purl.org/dc/terms/isPartOf> ?r ; <{CG}mentions> ?topic }} LIMIT 1"
        ))
    });
    static TOGETHER: std::sync::LazyLock<spargebra::Query> = std::sync::LazyLock::new(|| {
        parse_example(&format!(
            "SELECT ?p WHERE {{ VALUES ?entity {{ <urn:x> }} VALUES ?other {{ <urn:x> }} \
             ?p <{CG}mentions> ?entity, ?other }} LIMIT 1"
        ))
    });
    let (mut query, values) = match key {
        Key::Topic { speaker, topic } => (TOPIC.clone(), [("speaker", speaker), ("topic", topic)]),
        Key::Together { entity, other } => {
            (TOGETHER.clone(), [("entity", entity), ("other", other)])
        }
        _ => return None,
    };
    let pattern = super::bind::pattern_mut(&mut query);
    for (var, value) in values {
        let row = [spargebra::term::GroundTerm::NamedNode(value.clone())];
        super::bind::set_values(
            pattern,
            &spargebra::term::Variable::new_unchecked(var),
            &row,
        );
    }
    Some(query)
}

fn parse_example(text: &str) -> spargebra::Query {
    spargebra::SparqlParser::new()
        .parse_query(text)
        .expect("the example questions parse")
}

/// The graphs a SPARQL Update can write: those its operations name, or `All` when a
/// template's graph is a variable or it clears or drops many graphs at once.
pub(super) fn touched_by(update: &spargebra::Update) -> Touched {
    use spargebra::algebra::GraphTarget;
    use spargebra::term::GraphNamePattern;
    use spargebra::GraphUpdateOperation as Op;
    let mut graphs = HashSet::new();
    let named =
        |n: &spargebra::term::NamedNode| GraphName::NamedNode(NamedNode::new_unchecked(n.as_str()));
    let pattern = |g: &GraphNamePattern| match g {
        GraphNamePattern::NamedNode(n) => Some(named(n)),
        GraphNamePattern::DefaultGraph => Some(GraphName::DefaultGraph),
        GraphNamePattern::Variable(_) => None,
    };
    let from_name = |g: &spargebra::term::GraphName| match g {
        spargebra::term::GraphName::NamedNode(n) => named(n),
        spargebra::term::GraphName::DefaultGraph => GraphName::DefaultGraph,
    };
    for op in &update.operations {
        let some: Vec<Option<GraphName>> = match op {
            Op::InsertData { data } => data
                .iter()
                .map(|q| Some(from_name(&q.graph_name)))
                .collect(),
            Op::DeleteData { data } => data
                .iter()
                .map(|q| Some(from_name(&q.graph_name)))
                .collect(),
            Op::DeleteInsert { delete, insert, .. } => delete
                .iter()
                .map(|q| pattern(&q.graph_name))
                .chain(insert.iter().map(|q| pattern(&q.graph_name)))
                .collect(),
            Op::Load { destination, .. } => vec![Some(from_name(destination))],
            Op::Clear { graph, .. } | Op::Drop { graph, .. } => match graph {
                GraphTarget::NamedNode(n) => vec![Some(named(n))],
                GraphTarget::DefaultGraph => vec![Some(GraphName::DefaultGraph)],
                GraphTarget::NamedGraphs | GraphTarget::AllGraphs => vec![None],
            },
            Op::Create { .. } => Vec::new(),
        };
        for g in some {
            match g {
                Some(g) => {
                    graphs.insert(g);
                }
                None => return Touched::All,
            }
        }
    }
    Touched::Graphs(graphs)
}
