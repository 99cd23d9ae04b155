//! Oxigraph: open, replace one graph atomically, query, export. Knows no report text
//! and no HTTP.

mod backend;
pub mod bind;
mod federation;
pub mod nesting;
mod now;
pub mod remote;
pub mod search;
mod summary;

use crate::map::summary::{Count, Key, Tally};
use crate::map::IriBase;
pub use backend::{Backend, SharedStore, StoredReport};
pub use federation::{FederationError, HttpServiceHandler};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::{SerializerError, Store, Transaction};
use search::{Pending, PendingMark, TextIndex};
use spargebra::algebra::QueryDataset;
use spargebra::{GraphUpdateOperation, SparqlParser};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use summary::{LoadMark, Summarizer, Touched, Upkeep};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("cannot open the store in {path}: {source}")]
    Open {
        path: String,
        source: oxigraph::store::StorageError,
    },
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// Refused before parsing: it nests deeper than the parser's stack allows.
    #[error("{0}")]
    Nesting(#[from] nesting::NestingError),
    #[error("query failed: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    #[error("cannot write results: {0}")]
    Write(#[from] std::io::Error),
    #[error("{0} is not a dataset format: use N-Quads or TriG to export several graphs, or name one graph")]
    NotDataset(RdfFormat),
    #[error("SPARQL update failed: {0}")]
    Update(#[from] oxigraph::sparql::UpdateEvaluationError),
    /// The SPARQL 1.1 Protocol (2.2.3) refuses an update whose dataset is given both by
    /// the request and in its text, rather than choose one.
    #[error(
        "the update names its dataset (USING, USING NAMED or WITH) and so does the \
         request (using-graph-uri, using-named-graph-uri): give it in one place"
    )]
    UsingConflict,
    #[error("bad RDF data: {0}")]
    Load(oxigraph::store::LoaderError),
    #[error(transparent)]
    Search(#[from] search::SearchError),
    /// A store reached over HTTP (`remote`) failed or refused.
    #[error(transparent)]
    Remote(remote::RemoteError),
    /// The file that marks a bulk load under way (`summary::LoadMark`).
    #[error("cannot keep the bulk-load mark {path}: {source}")]
    Mark {
        path: String,
        source: std::io::Error,
    },
}

/// How a query is run: the protocol's dataset, and a cancellation token.
#[derive(Default, Clone)]
pub struct QueryOptions {
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
    pub cancel: Option<CancellationToken>,
    /// Call remote endpoints for `SERVICE`, with this time limit; `None` refuses them.
    pub federation: Option<std::time::Duration>,
}

/// How an update is run: the protocol's `using-graph-uri` and `using-named-graph-uri`
/// (both empty: each operation's own `USING` / `WITH`, or the store's default graph).
#[derive(Default, Clone)]
pub struct UpdateOptions {
    pub using_graphs: Vec<NamedNode>,
    pub using_named_graphs: Vec<NamedNode>,
}

impl From<SerializerError> for StoreError {
    fn from(e: SerializerError) -> Self {
        match e {
            SerializerError::Io(e) => StoreError::Write(e),
            SerializerError::Storage(e) => StoreError::Storage(e),
            SerializerError::DatasetFormatExpected(f) => StoreError::NotDataset(f),
        }
    }
}

/// The graph database: an Oxigraph store on disk (RocksDB) or in memory, with the
/// topic summary (`map::summary`) kept in step with every write.
#[derive(Clone)]
pub struct GraphStore {
    store: Store,
    summary: Summarizer,
    /// Writes go one at a time: each reads the summary counts it then rewrites.
    writes: Arc<Mutex<()>>,
    /// The store's directory, where bulk loads leave their marks; none in memory.
    dir: Option<PathBuf>,
    /// Parses every query and update, with the base IRI relative IRIs resolve against
    /// (`sparql_parser`).
    parser: SparqlParser,
    /// The full-text index of the paragraphs, kept in step with every write.
    index: TextIndex,
}

impl GraphStore {
    /// Opens (or creates) the store in `path`; `base` names the summary graph. A
    /// summary left marked by an interrupted bulk load, or missing from a store made
    /// before it existed, is rebuilt from the graphs first.
    pub fn open(path: &Path, base: &IriBase) -> Result<Self, StoreError> {
        GraphStore::open_with(path, base, true)
    }

    /// [`GraphStore::open`], with the full-text index kept or not (`text_index`: not
    /// kept, it is rebuilt by the next open that keeps it).
    pub fn open_with(path: &Path, base: &IriBase, text_index: bool) -> Result<Self, StoreError> {
        let store = Store::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        let store = GraphStore::with(store, base, Some(path.to_path_buf()), text_index)?;
        let marks = LoadMark::left_in(path)?;
        match store.summary.upkeep(&store.store)? {
            _ if !marks.is_empty() => store.recount_summary(marks)?,
            Upkeep::Recount => store.recount_summary(marks)?,
            Upkeep::Links => {
                let added = store.summary.add_links(&store.store)?;
                tracing::info!("topic summary of the version before: {added} links added");
            }
            Upkeep::Nothing => {}
        }
        store.catch_up_index(path)?;
        Ok(store)
    }

    fn recount_summary(&self, marks: Vec<LoadMark>) -> Result<(), StoreError> {
        tracing::info!("rebuilding the topic summary from every graph");
        self.rebuild_summary()?;
        for mark in marks {
            mark.clear()?;
        }
        Ok(())
    }

    pub fn memory(base: &IriBase) -> Result<Self, StoreError> {
        GraphStore::with(Store::new()?, base, None, true)
    }

    fn with(
        store: Store,
        base: &IriBase,
        dir: Option<PathBuf>,
        text_index: bool,
    ) -> Result<Self, StoreError> {
        Ok(GraphStore {
            index: TextIndex::open(dir.as_deref(), base, text_index)?,
            store,
            summary: Summarizer::new(base),
            writes: Arc::new(Mutex::new(())),
            dir,
            parser: sparql_parser(base),
        })
    }

    /// Finishes what writes cut short left for the text index (their marks), and brings
    /// it level with a store written without it (`search` says how).
    fn catch_up_index(&self, path: &Path) -> Result<(), StoreError> {
        if !self.index.is_enabled() {
            return Ok(());
        }
        let (pending, marks) = PendingMark::left_in(path)?;
        let state = self.index_state()?;
        match &pending {
            Pending::Everything => {
                tracing::info!("rebuilding the text index: a write was cut short");
                self.index.rebuild(&self.store, &state)?;
            }
            Pending::Graphs(graphs, _) => {
                tracing::info!("text index: {} graphs a write left behind", graphs.len());
                self.index.refresh(&self.store, graphs, &state)?;
            }
            Pending::Nothing => {}
        }
        // A bulk load cut short: its graphs are known only to the store.
        let cut_load = matches!(pending, Pending::Graphs(_, true));
        for mark in marks {
            mark.clear()?;
        }
        match self.index.recorded()? {
            Some(recorded) if recorded == self.index.payload(&state) && !cut_load => {}
            None if !self.index.is_empty() => {
                tracing::info!("rebuilding the text index: made by another version");
                self.index.rebuild(&self.store, &state)?;
            }
            _ => {
                let (added, removed) = self.index.level(&self.store, &state)?;
                if added + removed > 0 {
                    tracing::info!("text index: {added} report graphs added, {removed} taken out");
                }
            }
        }
        Ok(())
    }

    /// The store's state as the text index records it: the collection's counts.
    fn index_state(&self) -> Result<String, StoreError> {
        let c = self.summary_count(&Key::Collection)?;
        Ok(format!(
            "reports {}, paragraphs {}, triples {}",
            c.reports, c.paragraphs, c.triples
        ))
    }

    /// Reads every report graph into the text index again (`crimegraph reindex`); how
    /// many graphs.
    pub fn reindex(&self) -> Result<usize, StoreError> {
        if !self.index.is_enabled() {
            return Err(search::SearchError::Off.into());
        }
        let _one_at_a_time = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        let state = self.index_state()?;
        Ok(self.index.rebuild(&self.store, &state)?)
    }

    /// The full-text index of the paragraphs.
    pub fn text_index(&self) -> &TextIndex {
        &self.index
    }

    /// Runs `write` in one transaction that also brings the summary up to date for
    /// the `touched` graphs, one write at a time.
    fn write<T>(
        &self,
        touched: Touched,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_as(touched, true, write)
    }

    /// [`GraphStore::write`], with the text index brought up to date or (a recount of
    /// the summary, which changes no paragraph) not.
    fn write_as<T>(
        &self,
        touched: Touched,
        reindex: bool,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let _one_at_a_time = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        let graphs = match &touched {
            Touched::Graphs(g) => Some(search::graph_names(g)),
            Touched::All => None,
        };
        let mark = if reindex {
            Some(self.index.mark(graphs.as_ref())?)
        } else {
            None
        };
        let mut tx = self.store.start_transaction()?;
        let before = self.summary.before_write(&tx, &touched)?;
        let out = write(&mut tx)?;
        let recount = match self.summary.after_write(&mut tx, &touched, before)? {
            true => Some(LoadMark::set(self.dir.as_deref())?),
            false => None,
        };
        tx.commit()?;
        if let Some(recount) = recount {
            let started = std::time::Instant::now();
            let (removed, added) = self.summary.recount(&self.store)?;
            recount.clear()?;
            tracing::info!(
                "topic summary recounted from every graph in {:.1} s: {removed} quads \
                 removed, {added} added",
                started.elapsed().as_secs_f64()
            );
        }
        let Some(mark) = mark else {
            return Ok(out);
        };
        let state = self.index_state()?;
        match graphs {
            Some(graphs) => self.index.refresh(&self.store, &graphs, &state)?,
            None => {
                self.index.rebuild(&self.store, &state)?;
            }
        }
        mark.clear()?;
        Ok(out)
    }

    /// Recounts the topic summary from every graph (what `open` does after a crash in
    /// a bulk load, and tests to check the kept counts against).
    pub fn rebuild_summary(&self) -> Result<(), StoreError> {
        self.write_as(Touched::All, false, |_| Ok(()))
    }

    /// Replaces a named graph by `quads` in one transaction: readers see the old graph
    /// or the new one, never a mix, and a failure leaves the old graph.
    pub fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        self.write(one(GraphName::NamedNode(graph.clone())), |tx| {
            tx.clear_graph(graph)?;
            tx.extend(quads);
            Ok(())
        })
    }

    /// Adds reports with Oxigraph's bulk loader: all of them or none. Each comes with
    /// what it contributes to the summary (`Tally::of_graph` of its quads, which the
    /// caller computes where that is cheap: across cores, as the report is made).
    ///
    /// The loader sorts the quads into RocksDB table files and ingests them in one step
    /// at the end, so a crash before that leaves nothing of them; a transaction per
    /// report costs about three times as much on large batches (BENCHMARKS.md). It only
    /// adds: the caller keeps graphs that already exist out of it.
    ///
    /// Counts to add to stored ones are added in a transaction before the commit; the
    /// new counts go in after it, with a second bulk load; a mark (a file) says so
    /// meanwhile, so a crash in between is repaired when the store is next opened. No
    /// write goes through a transaction after the commit: a large commit leaves dozens
    /// of files on RocksDB's level 0, and a write then waits until compaction has
    /// merged them below RocksDB's limit (four minutes after 100,000 reports). Readers
    /// may see the added counts a moment before the reports.
    pub fn bulk_load(
        &self,
        reports: impl IntoIterator<Item = (Vec<Quad>, Tally)>,
    ) -> Result<(), StoreError> {
        // The reports are loaded without the write lock: reports read again meanwhile
        // are replaced in their own transactions (`ingest_files`). Counts are added,
        // so the order of the two does not matter.
        let mut total = Tally::default();
        let mut graphs = std::collections::BTreeSet::new();
        // The text index takes each report's paragraphs as the loader reads it (its
        // threads index while the loader sorts) and commits after the store.
        let index_mark = self.index.mark_load()?;
        let mut staging: Result<(), search::SearchError> = Ok(());
        let quads = reports.into_iter().flat_map(|(quads, tally)| {
            total.add(tally);
            if let Some(GraphName::NamedNode(g)) = quads.first().map(|q| &q.graph_name) {
                graphs.insert(g.as_str().to_string());
                if staging.is_ok() {
                    staging = self.index.stage(g.as_str(), &quads);
                }
            }
            quads
        });
        let mut loader = self.store.bulk_loader();
        let loaded = loader.load_quads(quads).map_err(StoreError::from);
        if let Err(e) = loaded.and_then(|()| staging.map_err(StoreError::from)) {
            self.index.unstage(&graphs, &self.index_state()?)?;
            index_mark.clear()?;
            return Err(e);
        }
        // From reading the stored counts to the last of them, no other write.
        let _one_at_a_time = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        let started = std::time::Instant::now();
        let mark = LoadMark::set(self.dir.as_deref())?;
        let mut tx = self.store.start_transaction()?;
        let (stored, new) = self.summary.split_stored(&tx, total)?;
        self.summary.apply(&mut tx, &Tally::default(), &stored)?;
        tx.commit()?;
        if let Err(e) = loader.commit() {
            // Nothing was loaded: the counts go back as they were, and what the index
            // staged comes out.
            let mut tx = self.store.start_transaction()?;
            self.summary.apply(&mut tx, &stored, &Tally::default())?;
            tx.commit()?;
            mark.clear()?;
            self.index.unstage(&graphs, &self.index_state()?)?;
            index_mark.clear()?;
            return Err(e.into());
        }
        let committed = started.elapsed();
        let quads = self
            .summary
            .new_count_quads(&self.store.start_transaction()?, new)?;
        let added = quads.len();
        let mut loader = self.store.bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
        mark.clear()?;
        // The text index last: a crash before its commit leaves the load's mark, and
        // the next open adds the graphs it lacks.
        let indexed = std::time::Instant::now();
        self.index.commit_staged(&self.index_state()?)?;
        index_mark.clear()?;
        tracing::info!(
            "text index: paragraphs of {} reports added in {:.1} s",
            graphs.len(),
            indexed.elapsed().as_secs_f64()
        );
        tracing::info!(
            "topic summary: {} counts updated, {added} quads of new counts added; \
             {:.1} s with the reports' commit ({:.1} s)",
            stored.counts.len(),
            started.elapsed().as_secs_f64(),
            committed.as_secs_f64()
        );
        Ok(())
    }

    /// One count of the summary (`map::summary`), zero when there is none: read from
    /// its node, so a list's total costs one lookup however long the list.
    pub fn summary_count(&self, key: &Key) -> Result<Count, StoreError> {
        self.summary.stored(&self.store, key)
    }

    /// The value of a literal `subject property ?value` in `graph`, if there is one.
    pub fn literal_of(
        &self,
        subject: &NamedNode,
        property: &NamedNode,
        graph: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        for quad in self.store.quads_for_pattern(
            Some(subject.as_ref().into()),
            Some(property.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            if let oxigraph::model::Term::Literal(l) = quad?.object {
                return Ok(Some(l.value().to_string()));
            }
        }
        Ok(None)
    }

    /// Removes a named graph; whether it was there.
    pub fn remove_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        self.write(one(GraphName::NamedNode(graph.clone())), |tx| {
            let existed = tx.contains_named_graph(graph)?;
            tx.remove_named_graph(graph)?;
            Ok(existed)
        })
    }

    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    pub fn graph_len(&self, graph: &NamedNode) -> Result<usize, StoreError> {
        Ok(self
            .store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .count())
    }

    pub fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, StoreError> {
        Ok(self.store.named_graphs().collect::<Result<_, _>>()?)
    }

    /// Runs a query parsed once by the caller (a saved query, with values set in its
    /// algebra or by `substitutions`), over the union of all graphs: no query text is
    /// built per request, so nothing a client sends is parsed as SPARQL.
    pub fn query_parsed(
        &self,
        query: spargebra::Query,
        substitutions: Vec<(oxigraph::sparql::Variable, Term)>,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(cancel)
            .for_query(query);
        for (variable, term) in substitutions {
            prepared = prepared.substitute_variable(variable, term);
        }
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// The triples whose subject is `subject`, each once, at most `limit`, from the
    /// first [`DESCRIBED_GRAPHS`] graphs that hold it. Read from the subject index: a
    /// resource's description costs what the resource holds, not what the store holds,
    /// nor how many reports repeat it.
    pub fn triples_with_subject(
        &self,
        subject: &NamedNode,
        limit: usize,
    ) -> Result<Vec<Triple>, StoreError> {
        // The graphs that hold it, from the first quads in index order (subject,
        // predicate, object, graph): a fact repeated in every report graph (a meeting's
        // label, in each of its reports) shows each graph once per fact, so reading the
        // first ones names the graphs without reading every copy of every fact.
        let mut graphs: Vec<GraphName> = Vec::new();
        let first = self
            .store
            .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
            .take(DESCRIBED_GRAPHS * 4);
        for quad in first {
            let graph = quad?.graph_name;
            if !graphs.contains(&graph) {
                graphs.push(graph);
                if graphs.len() == DESCRIBED_GRAPHS {
                    break;
                }
            }
        }
        let quads = graphs.iter().flat_map(|g| {
            self.store.quads_for_pattern(
                Some(subject.as_ref().into()),
                None,
                None,
                Some(g.as_ref()),
            )
        });
        Ok(distinct_triples(quads, 0, limit)?.0)
    }

    /// The triples whose object is `object`, each once, in index order: `skip` of them
    /// passed over, then at most `limit`; and whether more follow. The sample of what
    /// points at a resource, paged: a crime type is the object of every mention of it.
    pub fn triples_with_object(
        &self,
        object: &NamedNode,
        predicate: Option<&NamedNode>,
        skip: usize,
        limit: usize,
    ) -> Result<(Vec<Triple>, bool), StoreError> {
        let quads = self.store.quads_for_pattern(
            None,
            predicate.map(NamedNode::as_ref),
            Some(object.as_ref().into()),
            None,
        );
        distinct_triples(quads, skip, limit)
    }

    /// The first `rdfs:label` of `subject` in any graph, if it has one.
    pub fn label_of(&self, subject: &NamedOrBlankNode) -> Result<Option<Term>, StoreError> {
        let label = oxigraph::model::vocab::rdfs::LABEL;
        match self
            .store
            .quads_for_pattern(Some(subject.as_ref()), Some(label), None, None)
            .next()
        {
            Some(quad) => Ok(Some(quad?.object)),
            None => Ok(None),
        }
    }

    /// Runs a query over the union of all graphs (the SPARQL default graph here).
    pub fn query(
        &self,
        sparql: &str,
        cancel: Option<CancellationToken>,
    ) -> Result<QueryResults<'static>, StoreError> {
        self.query_with(
            sparql,
            &QueryOptions {
                cancel,
                ..QueryOptions::default()
            },
        )
    }

    /// Runs a query with a dataset given by the protocol (`default-graph-uri`,
    /// `named-graph-uri`); without one, the default graph is the union of all graphs.
    pub fn query_with(
        &self,
        sparql: &str,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError> {
        nesting::check(sparql)?;
        // Built without oxigraph's HTTP client: SERVICE is refused, never a request,
        // unless the operator allowed federation.
        let mut evaluator = SparqlEvaluator::new();
        if let Some(timeout) = options.federation {
            evaluator = evaluator.with_default_service_handler(HttpServiceHandler::new(timeout));
        }
        if let Some(token) = &options.cancel {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        let mut prepared = evaluator.for_query(self.parser.clone().parse_query(sparql)?);
        let dataset = prepared.dataset_mut();
        if !options.default_graphs.is_empty() || !options.named_graphs.is_empty() {
            dataset.set_default_graph(
                options
                    .default_graphs
                    .iter()
                    .cloned()
                    .map(GraphName::NamedNode)
                    .collect(),
            );
            dataset.set_available_named_graphs(
                options
                    .named_graphs
                    .iter()
                    .cloned()
                    .map(NamedOrBlankNode::NamedNode)
                    .collect(),
            );
        } else if dataset.is_default_dataset() {
            dataset.set_default_graph_as_union();
        }
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// Runs a SPARQL Update in one transaction, with the protocol's dataset if any.
    pub fn update(&self, sparql: &str, options: &UpdateOptions) -> Result<(), StoreError> {
        nesting::check(sparql)?;
        // Parsed once: the summary reads which graphs it names, Oxigraph runs it.
        let mut update = self.parser.clone().parse_update(sparql)?;
        apply_using(&mut update, options)?;
        let touched = summary::touched_by(&update);
        let prepared = SparqlEvaluator::new().for_update(update);
        self.write(touched, |tx| Ok(prepared.on_transaction(tx).execute()?))
    }

    /// Replaces (or, with `append`, adds to) a graph from RDF data, in one transaction.
    pub fn load_graph(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        data: &[u8],
        append: bool,
    ) -> Result<(), StoreError> {
        let target = match graph {
            Some(g) => GraphName::NamedNode(g.clone()),
            None => GraphName::DefaultGraph,
        };
        let parser = oxigraph::io::RdfParser::from_format(format)
            .with_default_graph(target.clone())
            .without_named_graphs();
        self.write(one(target.clone()), |tx| {
            if !append {
                tx.clear_graph(target.as_ref())?;
            }
            tx.load_from_slice(parser, data).map_err(StoreError::Load)
        })
    }

    /// Loads a dump (N-Quads, TriG) as it is, graphs and all.
    pub fn load_dataset(&self, format: RdfFormat, data: &[u8]) -> Result<(), StoreError> {
        // The graphs it names, read first: the summary is kept for those alone.
        let mut graphs = HashSet::new();
        for quad in oxigraph::io::RdfParser::from_format(format).for_slice(data) {
            match quad {
                Ok(q) => {
                    graphs.insert(q.graph_name);
                }
                // The load below reports it, in the store's words.
                Err(_) => break,
            }
        }
        self.write(Touched::Graphs(graphs), |tx| {
            tx.load_from_slice(format, data).map_err(StoreError::Load)
        })
    }

    pub fn contains_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.store.contains_named_graph(graph)?)
    }

    /// Streams the store (or one graph) in an RDF format.
    pub fn export<W: Write>(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: W,
    ) -> Result<W, StoreError> {
        Ok(match graph {
            Some(g) => {
                self.store
                    .dump_graph_to_writer(GraphNameRef::NamedNode(g.as_ref()), format, out)?
            }
            None => self.store.dump_to_writer(format, out)?,
        })
    }

    /// Writes one graph (`None`: the default graph) in a graph format.
    pub fn export_graph<W: Write>(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: W,
    ) -> Result<W, StoreError> {
        let name = match graph {
            Some(g) => GraphNameRef::NamedNode(g.as_ref()),
            None => GraphNameRef::DefaultGraph,
        };
        Ok(self.store.dump_graph_to_writer(name, format, out)?)
    }

    /// Compacts the store: writes in memory go to disk and the table files that bulk
    /// loads added are merged, so each index seek reads fewer files.
    pub fn optimize(&self) -> Result<(), StoreError> {
        Ok(self.store.optimize()?)
    }

    /// Flushes writes to disk; called before a clean exit.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.store.flush()?)
    }
}

/// Triples of `quads` each once (a triple may be stored in several graphs), `skip`
/// passed over, at most `limit` kept, and whether another follows. Each triple seen is
/// remembered by a 64-bit hash: 8 bytes each, so a deep page costs little memory.
/// (On disk copies come next to each other in the index order; in memory they need not.)
/// The graphs a description reads a resource's own triples from: a resource whose facts
/// every report graph repeats is described from the first of them in index order.
const DESCRIBED_GRAPHS: usize = 64;

fn distinct_triples(
    quads: impl Iterator<Item = Result<Quad, oxigraph::store::StorageError>>,
    skip: usize,
    limit: usize,
) -> Result<(Vec<Triple>, bool), StoreError> {
    use std::hash::{Hash, Hasher};
    let mut seen = HashSet::new();
    let mut passed = 0;
    let mut kept = Vec::new();
    for quad in quads {
        let triple = Triple::from(quad?);
        // Fixed keys: the same triple has the same hash on every page.
        let mut hasher = std::hash::DefaultHasher::new();
        triple.hash(&mut hasher);
        if !seen.insert(hasher.finish()) {
            continue;
        }
        passed += 1;
        if passed <= skip {
            continue;
        }
        if kept.len() == limit {
            return Ok((kept, true));
        }
        kept.push(triple);
    }
    Ok((kept, false))
}

fn one(graph: GraphName) -> Touched {
    Touched::Graphs(HashSet::from([graph]))
}

/// The parser of queries and updates. The SPARQL 1.1 Protocol lets the service choose
/// the base IRI of relative IRIs: it is the service's root, `--base`
/// (`https://w3id.org/crimegraph/` by default), so that `<id/state/FRA>` is France as
/// minted, and `<test>` is `{base}test` whichever endpoint it was sent to.
fn sparql_parser(base: &IriBase) -> SparqlParser {
    // `IriBase` keeps `{base}id/`, where entities are minted.
    let ids = base.id("");
    let root = ids.as_str().strip_suffix("id/").unwrap_or(ids.as_str());
    SparqlParser::new().with_base_iri(root).unwrap_or_else(|e| {
        tracing::warn!("the base {root:?} is not an IRI ({e}): relative IRIs are refused");
        SparqlParser::new()
    })
}

/// Gives each operation with a `WHERE` (`DELETE`/`INSERT … WHERE`, `DELETE WHERE`) the
/// protocol's `using-graph-uri` / `using-named-graph-uri`, as a `USING` / `USING NAMED`
/// in it would (SPARQL 1.1 Protocol 2.2.3): the default graph of its `WHERE` is the
/// merge of the first, its named graphs the second, and without one of the two that
/// part is empty. An operation that already has a `USING`, `USING NAMED` or `WITH`
/// (which spargebra keeps as `using`) is a conflict the protocol refuses.
fn apply_using(update: &mut spargebra::Update, options: &UpdateOptions) -> Result<(), StoreError> {
    if options.using_graphs.is_empty() && options.using_named_graphs.is_empty() {
        return Ok(());
    }
    let dataset = QueryDataset {
        default: options.using_graphs.clone(),
        named: Some(options.using_named_graphs.clone()),
    };
    for operation in &mut update.operations {
        if let GraphUpdateOperation::DeleteInsert { using, .. } = operation {
            if using.is_some() {
                return Err(StoreError::UsingConflict);
            }
            *using = Some(dataset.clone());
        }
    }
    Ok(())
}

/// Writes query results: solutions and booleans in a SPARQL results format, graphs in
/// an RDF format.
pub fn write_results<W: Write>(
    results: QueryResults<'_>,
    results_format: QueryResultsFormat,
    graph_format: RdfFormat,
    out: W,
) -> Result<W, StoreError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let mut s = QueryResultsSerializer::from_format(results_format)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
            for solution in solutions {
                s.serialize(&solution?)?;
            }
            Ok(s.finish()?)
        }
        QueryResults::Boolean(b) => Ok(QueryResultsSerializer::from_format(results_format)
            .serialize_boolean_to_writer(out, b)?),
        QueryResults::Graph(triples) => {
            let mut s = RdfSerializer::from_format(graph_format).for_writer(out);
            for t in triples {
                s.serialize_triple(&t?)?;
            }
            Ok(s.finish()?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal};

    fn quad(g: &NamedNode, o: &str) -> Quad {
        let s = NamedNode::new_unchecked("http://example.com/s");
        Quad::new(
            s.clone(),
            s,
            Literal::from(o),
            GraphName::NamedNode(g.clone()),
        )
    }

    /// A triple in several graphs is one triple of a description, and the pages of
    /// what points at a resource hold each triple once, all of them together.
    #[test]
    fn triples_pointing_at_a_resource_are_paged_each_once() {
        let store = GraphStore::memory(&IriBase::default()).unwrap();
        let target = NamedNode::new_unchecked("http://example.com/target");
        let p = NamedNode::new_unchecked("http://example.com/p");
        for g in ["http://g/a", "http://g/b"] {
            let g = NamedNode::new_unchecked(g);
            let quads: Vec<Quad> = (0..7)
                .map(|i| {
                    let s = NamedNode::new_unchecked(format!("http://example.com/s{i}"));
                    Quad::new(
                        s,
                        p.clone(),
                        target.clone(),
                        GraphName::NamedNode(g.clone()),
                    )
                })
                .collect();
            store.replace_graph(&g, &quads).unwrap();
        }
        let mut all = HashSet::new();
        for (page, (want, more)) in [(3, true), (3, true), (1, false)].into_iter().enumerate() {
            let (triples, next) = store
                .triples_with_object(&target, None, page * 3, 3)
                .unwrap();
            assert_eq!((triples.len(), next), (want, more), "page {page}");
            all.extend(triples);
        }
        assert_eq!(all.len(), 7);
        let s0 = NamedNode::new_unchecked("http://example.com/s0");
        assert_eq!(store.triples_with_subject(&s0, 10).unwrap().len(), 1);
    }

    #[test]
    fn replacing_a_graph_is_idempotent_and_leaves_others() {
        let store = GraphStore::memory(&IriBase::default()).unwrap();
        let (a, b) = (
            NamedNode::new_unchecked("http://g/a"),
            NamedNode::new_unchecked("http://g/b"),
        );
        store
            .replace_graph(&a, &[quad(&a, "1"), quad(&a, "2")])
            .unwrap();
        store.replace_graph(&b, &[quad(&b, "1")]).unwrap();
        store.replace_graph(&a, &[quad(&a, "3")]).unwrap();
        store.replace_graph(&a, &[quad(&a, "3")]).unwrap();
        assert_eq!(store.graph_len(&a).unwrap(), 1);
        // And the summary: its `cg:summaryState` and the collection's count.
        let summary = crate::map::summary::summary_graph(&IriBase::default());
        let outside = |s: &GraphStore| s.len().unwrap() - s.graph_len(&summary).unwrap();
        assert_eq!(outside(&store), 2);
        let all = store.summary_count(&Key::Collection).unwrap();
        assert_eq!(all.triples, 2);
        assert!(store.remove_graph(&b).unwrap());
        assert_eq!(outside(&store), 1);
        assert_eq!(store.summary_count(&Key::Collection).unwrap().triples, 1);
    }

    use crate::map::summary::test_report::{iri, report};

    /// The summary's counts: (speaker, topic, reports, paragraphs), sorted.
    fn counts(store: &GraphStore) -> Vec<(String, String, i64, i64)> {
        let q = "PREFIX cg: <https://w3id.org/crimegraph/ontology#> \
            SELECT ?s ?t ?r ?p WHERE { ?c cg:ofSpeaker ?s ; cg:ofTopic ?t ; \
            cg:reportCount ?r ; cg:paragraphCount ?p ; cg:exampleParagraph ?e }";
        let QueryResults::Solutions(rows) = store.query(q, None).unwrap() else {
            panic!("a SELECT");
        };
        let mut out: Vec<_> = rows
            .map(|row| {
                let row = row.unwrap();
                let text = |v: &str| match row.get(v).unwrap() {
                    oxigraph::model::Term::NamedNode(n) => n.as_str().replace("http://x/", ""),
                    oxigraph::model::Term::Literal(l) => l.value().to_string(),
                    t => t.to_string(),
                };
                (
                    text("s"),
                    text("t"),
                    text("r").parse().unwrap(),
                    text("p").parse().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Every quad of the summary graph but the examples (a kept example stays while
    /// it holds; a recount takes the least), sorted: counts of every kind.
    fn summary_quads(store: &GraphStore) -> Vec<String> {
        let g = crate::map::summary::summary_graph(&IriBase::default());
        let mut out: Vec<String> = store
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
            .map(|q| q.unwrap())
            .filter(|q| !q.predicate.as_str().ends_with("#exampleParagraph"))
            .map(|q| q.to_string())
            .collect();
        out.sort();
        out
    }

    /// The topic counts as kept, and every count checked against a recount from
    /// scratch.
    fn checked_counts(store: &GraphStore) -> Vec<(String, String, i64, i64)> {
        let (kept, all) = (counts(store), summary_quads(store));
        store.rebuild_summary().unwrap();
        assert_eq!(kept, counts(store), "kept counts differ from a recount");
        assert_eq!(
            all,
            summary_quads(store),
            "kept summary differs from a recount"
        );
        kept
    }

    fn row(s: &str, t: &str, r: i64, p: i64) -> (String, String, i64, i64) {
        (s.to_string(), t.to_string(), r, p)
    }

    #[test]
    fn only_crime_types_and_instruments_are_counted() {
        let store = GraphStore::memory(&IriBase::default()).unwrap();
        let (g, mut q) = report("r1", &["egy"], &[&["tip"]]);
        let p = iri("r1/p0");
        q.push(Quad::new(
            p,
            crate::reference::cg("mentions"),
            iri("fra"),
            GraphName::NamedNode(g.clone()),
        ));
        store.replace_graph(&g, &q).unwrap();
        assert_eq!(checked_counts(&store), vec![row("egy", "tip", 1, 1)]);
    }

    #[test]
    fn a_change_of_the_reference_data_relabels_or_recounts_as_a_recount_would() {
        let base = IriBase::default();
        let store = GraphStore::memory(&base).unwrap();
        let (g1, q1) = report("r1", &["egy", "fra"], &[&["tip"], &["tip", "untoc"]]);
        store.replace_graph(&g1, &q1).unwrap();
        let reference = base.reference_graph();
        let rg = GraphName::NamedNode(reference.clone());
        let said = |facts: &[(&str, &str, &str)]| -> Vec<Quad> {
            let mut q = Vec::new();
            for (e, class, label) in facts {
                q.push(Quad::new(
                    iri(e),
                    oxigraph::model::vocab::rdf::TYPE,
                    crate::reference::cg(class),
                    rg.clone(),
                ));
                q.push(Quad::new(
                    iri(e),
                    oxigraph::model::vocab::rdfs::LABEL,
                    oxigraph::model::Literal::new_language_tagged_literal_unchecked(*label, "en"),
                    rg.clone(),
                ));
            }
            q
        };
        let labels = |store: &GraphStore| -> Vec<String> {
            let mut out: Vec<String> = summary_quads(store)
                .into_iter()
                .filter(|q| q.contains("rdf-schema#label") && q.contains("@en"))
                .collect();
            out.dedup();
            out
        };
        // A label, then another: the counts that show the entity follow.
        for label in ["trafficking", "trafficking in persons"] {
            let q = said(&[
                ("tip", "CrimeType", label),
                ("untoc", "Instrument", "UNTOC"),
            ]);
            store.replace_graph(&reference, &q).unwrap();
            assert!(labels(&store)
                .iter()
                .any(|l| l.contains(&format!("\"{label}\"@en"))));
            checked_counts(&store);
        }
        // A class that changes what is counted (a speaker becomes a State), and an
        // entity no report names.
        let q = said(&[
            ("tip", "CrimeType", "trafficking in persons"),
            ("egy", "State", "Egypt"),
            ("nobody", "CrimeType", "piracy"),
        ]);
        store.replace_graph(&reference, &q).unwrap();
        assert!(labels(&store).iter().any(|l| l.contains("\"Egypt\"@en")));
        checked_counts(&store);
        store.replace_graph(&reference, &[]).unwrap();
        checked_counts(&store);
    }

    #[test]
    fn the_summary_follows_every_kind_of_write() {
        let store = GraphStore::memory(&IriBase::default()).unwrap();
        let (g1, q1) = report("r1", &["egy", "fra"], &[&["tip"], &["tip", "untoc"]]);
        let (g2, q2) = report("r2", &["egy"], &[&["tip"]]);
        store.replace_graph(&g1, &q1).unwrap();
        store.replace_graph(&g2, &q2).unwrap();
        assert_eq!(
            checked_counts(&store),
            vec![
                row("egy", "tip", 2, 3),
                row("egy", "untoc", 1, 1),
                row("fra", "tip", 1, 2),
                row("fra", "untoc", 1, 1),
            ]
        );
        // A report read again: France no longer speaks in it.
        let (_, q1) = report("r1", &["egy"], &[&["tip"], &["tip", "untoc"]]);
        store.replace_graph(&g1, &q1).unwrap();
        assert_eq!(checked_counts(&store).len(), 2);
        // SPARQL Update into one graph, then into any graph (a recount).
        store
            .update("DELETE WHERE { GRAPH <http://x/graph/r1> { <http://x/r1/p1> <https://w3id.org/crimegraph/ontology#mentions> <http://x/untoc> } }", &UpdateOptions::default())
            .unwrap();
        assert_eq!(checked_counts(&store), vec![row("egy", "tip", 2, 3)]);
        store
            .update("DELETE { GRAPH ?g { ?p <https://w3id.org/crimegraph/ontology#mentions> <http://x/tip> } } WHERE { GRAPH ?g { ?p <http://purl.org/dc/terms/isPartOf> <http://x/r2> } }", &UpdateOptions::default())
            .unwrap();
        assert_eq!(checked_counts(&store), vec![row("egy", "tip", 1, 2)]);
        // Graph Store Protocol: a graph put whole, then a dataset.
        let (g3, q3) = report("r3", &["egy"], &[&["tip"]]);
        let mut nt = Vec::new();
        for q in &q3 {
            writeln!(nt, "{} .", oxigraph::model::Triple::from(q.clone())).unwrap();
        }
        store
            .load_graph(Some(&g3), RdfFormat::NTriples, &nt, false)
            .unwrap();
        assert_eq!(checked_counts(&store), vec![row("egy", "tip", 2, 3)]);
        let (_, q4) = report("r4", &["fra"], &[&["untoc"]]);
        let mut nq = Vec::new();
        for q in &q4 {
            writeln!(nq, "{q} .").unwrap();
        }
        store.load_dataset(RdfFormat::NQuads, &nq).unwrap();
        assert_eq!(checked_counts(&store).len(), 2);
        // Removing reports takes their counts away.
        assert!(store.remove_graph(&g1).unwrap());
        assert!(store.remove_graph(&g3).unwrap());
        assert_eq!(checked_counts(&store), vec![row("fra", "untoc", 1, 1)]);
    }

    #[test]
    fn a_bulk_load_adds_its_counts_and_a_crash_in_it_is_repaired_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let base = IriBase::default();
        let tally = |q: &[Quad]| Tally::of_graph(q.iter().map(Quad::as_ref));
        {
            let store = GraphStore::open(dir.path(), &base).unwrap();
            // New counts only: a second bulk load after the reports' commit.
            let (_, q1) = report("r1", &["egy"], &[&["tip"]]);
            let (_, q2) = report("r2", &["egy"], &[&["tip"]]);
            let t1 = tally(&q1);
            store
                .bulk_load([(q1, t1), (q2.clone(), tally(&q2))])
                .unwrap();
            assert_eq!(checked_counts(&store), vec![row("egy", "tip", 2, 2)]);
            assert!(LoadMark::left_in(dir.path()).unwrap().is_empty());
            // A count added to a stored one (in a transaction before the commit) and a
            // new one.
            let (_, q3) = report("r3", &["egy"], &[&["tip"]]);
            let (_, q3b) = report("r3b", &["fra"], &[&["untoc"]]);
            let t3 = tally(&q3);
            store
                .bulk_load([(q3, t3), (q3b.clone(), tally(&q3b))])
                .unwrap();
            assert_eq!(
                checked_counts(&store),
                vec![row("egy", "tip", 3, 3), row("fra", "untoc", 1, 1)]
            );
            // Killed while reading its reports: nothing of that load is stored.
            let (_, q4) = report("r4", &["egy"], &[&["tip"]]);
            let t4 = tally(&q4);
            let crash = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut reports = vec![(q4, t4)].into_iter();
                store
                    .bulk_load(std::iter::from_fn(|| {
                        reports.next().or_else(|| panic!("killed"))
                    }))
                    .ok();
            }));
            assert!(crash.is_err());
            assert_eq!(checked_counts(&store).len(), 2);
            // Killed between the reports' commit and their new counts: what such a load
            // leaves is its mark and its reports.
            let (_, q5) = report("r5", &["egy"], &[&["tip"]]);
            std::mem::forget(LoadMark::set(Some(dir.path())).unwrap());
            let mut loader = store.store.bulk_loader();
            loader.load_quads(q5).unwrap();
            loader.commit().unwrap();
        }
        {
            let store = GraphStore::open(dir.path(), &base).unwrap();
            assert!(LoadMark::left_in(dir.path()).unwrap().is_empty());
            // The mark an earlier version kept in the summary graph itself.
            let g = crate::map::summary::summary_graph(&base);
            store
                .store
                .insert(oxigraph::model::QuadRef::new(
                    &g,
                    &crate::reference::cg("summaryState"),
                    &oxigraph::model::Literal::from("loading 1"),
                    &g,
                ))
                .unwrap();
            assert_eq!(store.summary.upkeep(&store.store).unwrap(), Upkeep::Recount);
        }
        let store = GraphStore::open(dir.path(), &base).unwrap();
        assert_eq!(store.summary.upkeep(&store.store).unwrap(), Upkeep::Nothing);
        assert_eq!(
            checked_counts(&store),
            vec![row("egy", "tip", 4, 4), row("fra", "untoc", 1, 1)]
        );
    }

    #[test]
    fn a_summary_of_the_version_before_gets_its_links_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let base = IriBase::default();
        let g = crate::map::summary::summary_graph(&base);
        let current = {
            let store = GraphStore::open(dir.path(), &base).unwrap();
            let (g1, q1) = report("r1", &["egy", "fra"], &[&["tip", "untoc"], &["tip"]]);
            store.replace_graph(&g1, &q1).unwrap();
            let current = summary_quads(&store);
            // What the version before wrote: no links, and its own state.
            let links: Vec<Quad> = store
                .store
                .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
                .map(|q| q.unwrap())
                .filter(|q| {
                    q.predicate.as_str().ends_with("#inBand")
                        || q.predicate.as_str().ends_with("#trendOf")
                })
                .collect();
            assert!(links
                .iter()
                .any(|q| q.predicate.as_str().ends_with("#inBand")));
            assert!(links
                .iter()
                .any(|q| q.predicate.as_str().ends_with("#trendOf")));
            for q in &links {
                store.store.remove(q).unwrap();
            }
            let state = |v: &str| {
                Quad::new(
                    g.clone(),
                    crate::reference::cg("summaryState"),
                    oxigraph::model::Literal::from(v),
                    GraphName::NamedNode(g.clone()),
                )
            };
            store.store.remove(&state("current 5")).unwrap();
            store.store.insert(&state("current 4")).unwrap();
            assert_eq!(store.summary.upkeep(&store.store).unwrap(), Upkeep::Links);
            current
        };
        let store = GraphStore::open(dir.path(), &base).unwrap();
        assert_eq!(store.summary.upkeep(&store.store).unwrap(), Upkeep::Nothing);
        assert_eq!(summary_quads(&store), current);
    }

    #[test]
    fn queries_see_the_union_of_graphs() {
        let store = GraphStore::memory(&IriBase::default()).unwrap();
        let a = NamedNode::new_unchecked("http://g/a");
        store.replace_graph(&a, &[quad(&a, "x")]).unwrap();
        let out = write_results(
            store
                .query("SELECT ?o WHERE { ?s <http://example.com/s> ?o }", None)
                .unwrap(),
            QueryResultsFormat::Csv,
            RdfFormat::Turtle,
            Vec::new(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "o\r\nx\r\n");
    }
}
