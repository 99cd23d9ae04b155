//! The topic summary (`map::summary`) on a remote store, kept in step with every write
//! made through crimegraph: what the written graphs contributed before is taken off
//! the stored counts and what they contribute now is added, as the embedded store does
//! inside its transactions.
//!
//! Over HTTP there is no transaction around a graph's `PUT` and its counts, so the
//! summary says `cg:summaryState "pending"` from before the first graph is written
//! until the last count is in; a summary found pending (a write cut short: the store
//! went down, the process was killed) is recounted from the graphs by the next ingest
//! ([`ensure_current`]).

use super::{in_graph, RemoteError, RemoteStore};
use crate::map::summary::{count_quads, node, summary_graph, Count, Key, Tally, TopicFacts};
use crate::reference::cg;
use crate::store::summary::{
    example_query, facts_from, has_class, is_topic, stored_count, CURRENT, STATE,
};
use crate::store::StoreError;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Literal, NamedNode, Quad, Term};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

/// Count nodes read or deleted per request (a `VALUES` table of this many rows; Virtuoso
/// takes at most 4,094).
const NODES_PER_REQUEST: usize = 2_000;
/// Count quads sent per Graph Store `POST`.
const QUADS_PER_POST: usize = 50_000;

/// The classes and label of each entity a count may be about: from the reference
/// graph, and for names a report mints, from the first report written that types them.
#[derive(Default)]
pub struct FactBook(Mutex<HashMap<NamedNode, TopicFacts>>);

impl FactBook {
    pub fn of_reference(quads: &[Quad]) -> Self {
        let book = FactBook::default();
        book.learn(quads);
        book
    }

    /// Takes the facts of the entities `quads` type that are not known yet.
    pub fn learn(&self, quads: &[Quad]) {
        let mut found: HashMap<&NamedNode, (Vec<Term>, Vec<Term>)> = HashMap::new();
        for q in quads {
            let oxigraph::model::NamedOrBlankNode::NamedNode(s) = &q.subject else {
                continue;
            };
            if q.predicate == rdf::TYPE {
                found.entry(s).or_default().0.push(q.object.clone());
            } else if q.predicate == rdfs::LABEL {
                found.entry(s).or_default().1.push(q.object.clone());
            }
        }
        let mut book = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for (entity, (classes, labels)) in found {
            if !classes.is_empty() && !book.contains_key(entity) {
                book.insert(entity.clone(), facts_from(classes, labels));
            }
        }
    }

    fn of(&self, entity: &NamedNode) -> TopicFacts {
        let book = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        book.get(entity).cloned().unwrap_or_default()
    }

    /// Whether a count of `key` is kept (the rule of the embedded store's summary).
    fn wanted(&self, key: &Key) -> bool {
        match key {
            Key::Topic { topic, .. } => is_topic(&self.of(topic)),
            Key::Matrix { state, crime, .. } => {
                has_class(&self.of(state), "State") && has_class(&self.of(crime), "CrimeType")
            }
            _ => true,
        }
    }
}

/// One graph to write: its new quads, or `None` to remove it.
pub struct GraphWrite {
    pub graph: NamedNode,
    pub quads: Option<Vec<Quad>>,
    /// Whether the store may hold the graph already (its old counts are then read
    /// from it first); false for a report known to be new.
    pub may_exist: bool,
}

/// What writes took off the summary and added to it, not yet applied: a run adds up its
/// groups of reports and applies the sum once (a key many reports share is then
/// rewritten once, not once a group).
#[derive(Default)]
pub struct Delta {
    before: Tally,
    after: Tally,
}

/// Writes the graphs (in parallel, one request each), once the summary is marked
/// pending ([`mark_pending`]). Each graph's own outcome comes back, with what the
/// graphs written contributed to the summary before and after.
pub fn put_all(
    remote: &RemoteStore,
    writes: Vec<GraphWrite>,
) -> (Vec<Result<(), StoreError>>, Delta) {
    let done: Vec<(Result<(), StoreError>, Tally, Tally)> = writes
        .into_par_iter()
        .map(|w| match write_one(remote, &w) {
            Ok((before, after)) => (Ok(()), before, after),
            Err(e) => (Err(e), Tally::default(), Tally::default()),
        })
        .collect();
    let mut delta = Delta::default();
    let mut outcomes = Vec::with_capacity(done.len());
    for (outcome, b, a) in done {
        delta.before.add(b);
        delta.after.add(a);
        outcomes.push(outcome);
    }
    (outcomes, delta)
}

impl Delta {
    pub fn add(&mut self, other: Delta) {
        self.before.add(other.before);
        self.after.add(other.after);
    }
}

/// Marks the summary pending: graphs are about to be written.
pub fn mark_pending(remote: &RemoteStore) -> Result<(), StoreError> {
    set_state(remote, PENDING)
}

/// Applies what the writes since [`mark_pending`] changed, and marks the summary current.
pub fn settle(remote: &RemoteStore, delta: &Delta, stored: Stored) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    apply(remote, &delta.before, &delta.after, stored)?;
    set_state(remote, CURRENT)?;
    tracing::info!(
        "topic summary: {} counts brought level in {:.1} s",
        delta.after.counts.len().max(delta.before.counts.len()),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// [`put_all`] with the summary marked and settled around it.
pub fn write_all(
    remote: &RemoteStore,
    writes: Vec<GraphWrite>,
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    mark_pending(remote)?;
    let (outcomes, delta) = put_all(remote, writes);
    settle(remote, &delta, Stored::Any)?;
    Ok(outcomes)
}

/// [`write_all`] for graphs whose outcome is the call's.
pub fn write_graphs(
    remote: &RemoteStore,
    writes: &[(NamedNode, Option<Vec<Quad>>)],
) -> Result<(), StoreError> {
    let writes = writes
        .iter()
        .map(|(graph, quads)| GraphWrite {
            graph: graph.clone(),
            quads: quads.clone(),
            may_exist: true,
        })
        .collect();
    write_all(remote, writes)?.into_iter().collect()
}

/// Writes one graph; what it contributed to the summary before and after.
fn write_one(remote: &RemoteStore, w: &GraphWrite) -> Result<(Tally, Tally), StoreError> {
    let before = match w.may_exist {
        true => remote
            .get_graph(&w.graph)?
            .map(|q| Tally::of_graph(q.iter().map(Quad::as_ref)))
            .unwrap_or_default(),
        false => Tally::default(),
    };
    let after = match &w.quads {
        Some(quads) => {
            remote.put_graph(&w.graph, quads)?;
            remote.facts.learn(quads);
            Tally::of_graph(quads.iter().map(Quad::as_ref))
        }
        None => {
            remote.delete_graph(&w.graph)?;
            Tally::default()
        }
    };
    Ok((before, after))
}

/// The stored count of `key`, zero when there is none.
pub fn stored(remote: &RemoteStore, key: &Key) -> Result<Count, StoreError> {
    let mut counts = stored_all(remote, std::slice::from_ref(key))?;
    Ok(counts.pop().unwrap_or_default())
}

/// The stored counts of `keys`, in order, zero where there is none: the nodes read
/// [`NODES_PER_REQUEST`] to a request.
pub fn stored_all(remote: &RemoteStore, keys: &[Key]) -> Result<Vec<Count>, StoreError> {
    let nodes: Vec<NamedNode> = keys.iter().map(|k| node(remote.base(), k)).collect();
    let read = read_nodes(remote, &nodes)?;
    Ok(nodes
        .iter()
        .map(|n| read.get(n).map(|q| stored_count(q)).unwrap_or_default())
        .collect())
}

const NODE_QUADS: &str = "SELECT ?n ?p ?v WHERE { VALUES ?n { <urn:x> } \
    GRAPH <urn:graph> { ?n ?p ?v } }";

/// The quads of each count node of `nodes` that the store holds.
fn read_nodes(
    remote: &RemoteStore,
    nodes: &[NamedNode],
) -> Result<HashMap<NamedNode, Vec<Quad>>, StoreError> {
    let mut out: HashMap<NamedNode, Vec<Quad>> = HashMap::new();
    for chunk in nodes.chunks(NODES_PER_REQUEST) {
        for q in read_chunk(remote, chunk)? {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &q.subject {
                out.entry(n.clone()).or_default().push(q);
            }
        }
    }
    Ok(out)
}

/// The stored quads of the count nodes of `nodes`, in one request.
fn read_chunk(remote: &RemoteStore, nodes: &[NamedNode]) -> Result<Vec<Quad>, StoreError> {
    let graph = summary_graph(remote.base());
    let question = in_graph(NODE_QUADS, &graph);
    let values = [("n", nodes.iter().cloned().map(Term::from).collect())];
    let rows = RemoteStore::rows(remote.ask(&question, &values, None)?, &["n", "p", "v"])?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match &row[..] {
            [Some(Term::NamedNode(n)), Some(Term::NamedNode(p)), Some(v)] => {
                Some(Quad::new(n.clone(), p.clone(), v.clone(), graph.clone()))
            }
            _ => None,
        })
        .collect())
}

const GRAPH_SIZE: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:graph> { ?s ?p ?o } }";
const GRAPH_OWN: &str = "SELECT ?p ?v WHERE { GRAPH <urn:graph> { <urn:graph> ?p ?v } }";

/// The summary graph's quads read count node by count node, each to `sink`: for a
/// store that gives no graph of its size in one answer (Virtuoso's Graph Store and
/// `CONSTRUCT` stop at a million triples, "FRVEC ... max vector length"; the summary
/// of 10,000 reports holds 2.5 million). `tally`: what the stored reference and report
/// graphs contribute, whose keys name every node the summary can hold (a node is a hash
/// of its key). The quads found are checked against the graph's own count of its
/// triples, so a node no key names (a summary another version counted) fails the
/// export with a clear error instead of shortening it. Returns the quads written.
pub fn read_by_keys(
    remote: &RemoteStore,
    tally: &Tally,
    sink: &mut dyn FnMut(&Quad) -> Result<(), StoreError>,
) -> Result<usize, StoreError> {
    let graph = summary_graph(remote.base());
    let size = RemoteStore::rows(
        remote.ask(&in_graph(GRAPH_SIZE, &graph), &[], None)?,
        &["n"],
    )?;
    let stored: usize = match size.first().and_then(|r| r[0].as_ref()) {
        Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
        _ => 0,
    };
    let own = RemoteStore::rows(
        remote.ask(&in_graph(GRAPH_OWN, &graph), &[], None)?,
        &["p", "v"],
    )?;
    let mut written = 0;
    for row in own {
        if let [Some(Term::NamedNode(p)), Some(v)] = &row[..] {
            sink(&Quad::new(
                graph.clone(),
                p.clone(),
                v.clone(),
                graph.clone(),
            ))?;
            written += 1;
        }
    }
    let nodes: Vec<NamedNode> = tally
        .counts
        .keys()
        .map(|k| node(remote.base(), k))
        .collect();
    // A few requests at a time (the store works on each with its own thread), their
    // quads to the sink in turn: the sink writes to one output.
    let requests: Vec<&[NamedNode]> = nodes.chunks(NODES_PER_REQUEST).collect();
    for batch in requests.chunks(rayon::current_num_threads().max(2)) {
        let read: Vec<Vec<Quad>> = batch
            .par_iter()
            .map(|chunk| read_chunk(remote, chunk))
            .collect::<Result<_, _>>()?;
        for q in read.iter().flatten() {
            sink(q)?;
            written += 1;
        }
    }
    if written != stored {
        return Err(RemoteError::Answer(format!(
            "the summary graph holds {stored} triples and {written} were found by the keys \
             of the stored graphs' counts: it was not counted by this version; \
             `crimegraph ingest` recounts it"
        ))
        .into());
    }
    Ok(written)
}

/// Takes `before` off the stored counts and adds `after`, key by key: the nodes that
/// change are deleted and written again.
/// Which counts the store may hold already, to read (and take out) before writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Any.
    Any,
    /// Only those of the reference graph: the store held no report before the writes
    /// (a first ingest), so reading the others would find nothing, a request per 500.
    ReferenceOnly,
    /// None: the summary graph was just taken out.
    Nothing,
}

fn apply(
    remote: &RemoteStore,
    before: &Tally,
    after: &Tally,
    may_exist: Stored,
) -> Result<(), StoreError> {
    let none = Count::default();
    let keys: Vec<&Key> = before
        .counts
        .keys()
        .chain(after.counts.keys())
        .collect::<HashSet<_>>()
        .into_iter()
        .filter(|k| before.counts.get(*k) != after.counts.get(*k))
        .collect();
    let nodes: Vec<NamedNode> = keys.iter().map(|k| node(remote.base(), k)).collect();
    let to_read: Vec<NamedNode> = match may_exist {
        Stored::Any => nodes.clone(),
        Stored::ReferenceOnly => keys
            .iter()
            .zip(&nodes)
            .filter(|(k, _)| remote.reference_keys.contains(**k))
            .map(|(_, n)| n.clone())
            .collect(),
        Stored::Nothing => Vec::new(),
    };
    let stored = read_nodes(remote, &to_read)?;
    let mut quads = Vec::new();
    for (key, n) in keys.iter().zip(&nodes) {
        let old = stored.get(n).map(Vec::as_slice).unwrap_or_default();
        if old.is_empty() && !remote.facts.wanted(key) {
            continue;
        }
        let (b, a) = (
            before.counts.get(*key).unwrap_or(&none),
            after.counts.get(*key).unwrap_or(&none),
        );
        let current = stored_count(old);
        let mut count = current.moved(b, a);
        if count.is_zero() {
            continue;
        }
        // The least of the stored example and the written graphs' own, as a sum of
        // counts keeps (so the order reports arrive in does not change it). One that
        // came from a graph written now stays while its paragraph still names what the
        // count is about, as on the embedded store.
        count.example = match current.example {
            Some(e) if b.example.as_ref() != Some(&e) => match &a.example {
                Some(n) if n.as_str() < e.as_str() => Some(n.clone()),
                _ => Some(e),
            },
            Some(e) if names_all(remote, &e, &key.example_names())? => Some(e),
            _ => match &a.example {
                Some(e) => Some(e.clone()),
                None => find_example(remote, key)?,
            },
        };
        let shown = key.shown().map(|e| remote.facts.of(e));
        quads.extend(count_quads(remote.base(), key, &count, shown.as_ref()));
    }
    let existing: Vec<NamedNode> = nodes
        .into_iter()
        .filter(|n| stored.contains_key(n))
        .collect();
    delete_nodes(remote, &existing)?;
    let graph = summary_graph(remote.base());
    for chunk in quads.chunks(QUADS_PER_POST) {
        remote.post_graph(&graph, chunk)?;
    }
    Ok(())
}

const NAMED_BY: &str = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { VALUES ?p { <urn:x> } \
    VALUES ?m { <urn:x> } VALUES ?e { <urn:x> } ?p ?m ?e }";

/// Whether paragraph `p` still names every one of `entities` (none: no example kept).
fn names_all(
    remote: &RemoteStore,
    p: &NamedNode,
    entities: &[&NamedNode],
) -> Result<bool, StoreError> {
    if entities.is_empty() {
        return Ok(false);
    }
    let values = [
        ("p", vec![p.clone().into()]),
        ("m", vec![cg("mentions").into()]),
        ("e", entities.iter().map(|e| (*e).clone().into()).collect()),
    ];
    let rows = RemoteStore::rows(remote.ask(NAMED_BY, &values, None)?, &["n"])?;
    Ok(match rows.first().and_then(|r| r[0].as_ref()) {
        Some(Term::Literal(l)) => l.value().parse() == Ok(entities.len()),
        _ => false,
    })
}

/// A paragraph the store holds that a count of `key` can show, if it keeps one.
fn find_example(remote: &RemoteStore, key: &Key) -> Result<Option<NamedNode>, StoreError> {
    let Some(query) = example_query(key) else {
        return Ok(None);
    };
    let answer = remote.send_query(&query, &crate::store::QueryOptions::default())?;
    let rows = RemoteStore::rows(answer, &["p"])?;
    Ok(rows.into_iter().find_map(|mut r| match r.remove(0) {
        Some(Term::NamedNode(p)) => Some(p),
        _ => None,
    }))
}

const DELETE_NODES: &str = "DELETE { GRAPH <urn:graph> { ?n ?p ?v } } WHERE { \
    VALUES ?n { <urn:x> } GRAPH <urn:graph> { ?n ?p ?v } }";

fn delete_nodes(remote: &RemoteStore, nodes: &[NamedNode]) -> Result<(), StoreError> {
    let delete = in_graph(DELETE_NODES, &summary_graph(remote.base()));
    for chunk in nodes.chunks(NODES_PER_REQUEST) {
        let values = [("n", chunk.iter().cloned().map(Term::from).collect())];
        remote.change(&delete, &values)?;
    }
    Ok(())
}

const SET_STATE: &str = "DELETE { GRAPH <urn:graph> { <urn:graph> ?state ?old } } \
    INSERT { GRAPH <urn:graph> { <urn:graph> ?state ?new } } \
    WHERE { VALUES ?state { <urn:x> } VALUES ?new { <urn:x> } \
    OPTIONAL { GRAPH <urn:graph> { <urn:graph> ?state ?old } } }";

/// The summary's state while graphs are written and until their counts are in.
const PENDING: &str = "pending";

/// Says what state the summary is in ([`PENDING`] while a write is under way).
fn set_state(remote: &RemoteStore, state: &str) -> Result<(), StoreError> {
    let update = in_graph(SET_STATE, &summary_graph(remote.base()));
    let values = [
        ("state", vec![cg(STATE).into()]),
        ("new", vec![Literal::from(state).into()]),
    ];
    remote.change(&update, &values)
}

const STATE_OF: &str = "SELECT ?s WHERE { VALUES ?state { <urn:x> } \
    GRAPH <urn:graph> { <urn:graph> ?state ?s } }";
/// Recounts the summary from every graph when a write was cut short (or there is
/// none yet, with graphs in the store); whether it did.
pub fn ensure_current(remote: &RemoteStore) -> Result<bool, StoreError> {
    let graph = summary_graph(remote.base());
    let values = [("state", vec![cg(STATE).into()])];
    let question = in_graph(STATE_OF, &graph);
    let states = RemoteStore::rows(remote.ask(&question, &values, None)?, &["s"])?;
    let current = states
        .iter()
        .any(|r| matches!(&r[0], Some(Term::Literal(l)) if l.value() == CURRENT));
    let graphs = remote.report_graphs()?;
    if current && states.len() == 1 || states.is_empty() && graphs.is_empty() {
        return Ok(false);
    }
    let pending = states
        .iter()
        .any(|r| matches!(&r[0], Some(Term::Literal(l)) if l.value() == PENDING));
    let why = match (pending, states.is_empty()) {
        (true, _) => "a write was cut short",
        (false, true) => "there is none yet",
        // "current 4" and before: counted without what this version adds to them.
        (false, false) => "another version of crimegraph wrote it",
    };
    tracing::warn!(
        "the remote store's topic summary is not current ({why}): \
         recounting it from {} report graphs",
        graphs.len()
    );
    let mut all = graphs;
    all.push(remote.base().reference_graph());
    let total = tally_of(remote, &all)?;
    // Taken out and written again in parts: one request of millions of quads outlasts
    // a store's time limit. The mark stays pending until the last part is in.
    remote.delete_graph(&graph)?;
    set_state(remote, PENDING)?;
    apply(remote, &Tally::default(), &total, Stored::Nothing)?;
    set_state(remote, CURRENT)?;
    Ok(true)
}

impl From<RemoteError> for StoreError {
    fn from(e: RemoteError) -> Self {
        StoreError::Remote(e)
    }
}

/// What `graphs` contribute to the summary, each read whole (in parallel); the facts
/// of the entities they type are learnt on the way.
pub fn tally_of(remote: &RemoteStore, graphs: &[NamedNode]) -> Result<Tally, StoreError> {
    let tallies: Vec<Tally> = graphs
        .par_iter()
        .map(|g| {
            let quads = remote.get_graph(g)?.unwrap_or_default();
            remote.facts.learn(&quads);
            Ok(Tally::of_graph(quads.iter().map(Quad::as_ref)))
        })
        .collect::<Result<_, StoreError>>()?;
    let mut total = Tally::default();
    for t in tallies {
        total.add(t);
    }
    Ok(total)
}

/// Runs `write`, which changes the named `graphs` (and only those) by means other than
/// whole-graph writes (a SPARQL Update), with the summary marked pending around it:
/// what the graphs contributed is read before and after, and the difference applied.
pub fn observe(
    remote: &RemoteStore,
    graphs: &[NamedNode],
    write: impl FnOnce() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    mark_pending(remote)?;
    let before = tally_of(remote, graphs)?;
    write()?;
    let after = tally_of(remote, graphs)?;
    settle(remote, &Delta { before, after }, Stored::Any)
}

/// Runs `write`, whose graphs cannot be told beforehand, with the summary marked
/// pending, then recounts the summary from the report graphs.
pub fn recount_after(
    remote: &RemoteStore,
    write: impl FnOnce() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    mark_pending(remote)?;
    write()?;
    ensure_current(remote).map(|_| ())
}
