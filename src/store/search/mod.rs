//! A full-text index of every paragraph (tantivy), kept in step with the store.
//!
//! Why beside the store and not in SPARQL: a word search over paragraph text is a scan
//! with `CONTAINS` or `REGEX` (BENCHMARKS.md), with no stemming, no phrases and no
//! ranking; tantivy is the Rust search library made for this.
//!
//! How it stays in step: every write of the store ([`super::GraphStore`]) names the
//! graphs it touches. Before the store commits, a [`PendingMark`] file lists them; after
//! it commits, their paragraphs are taken out of the index and read again from the
//! store, in one index commit, and the mark goes. A crash in between leaves the mark,
//! which the next open reads and finishes. The index's commit also records the store's
//! collection counts it reflects (reports, paragraphs, triples); a store that says
//! otherwise on open (written by something that did not keep the index: a bulk load cut
//! short, an older version) is brought level by its report graphs: those missing from
//! the index are added, those gone from the store taken out.

mod docs;
mod query;

pub use docs::{paragraphs_of, ParagraphDoc};
pub use query::{Facet, FacetCount, Hit, SearchAnswer, SearchRequest};

use crate::map::IriBase;
use oxigraph::model::{GraphName, GraphNameRef, NamedNodeRef, Quad};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockWriteGuard};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    #[error("text index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the text index in {path}: {source}")]
    Open {
        path: String,
        source: tantivy::TantivyError,
    },
    #[error("cannot keep the text index's mark {path}: {source}")]
    Mark {
        path: String,
        source: std::io::Error,
    },
    /// The server or command runs without the index (`--no-text-index`).
    #[error(
        "the full-text index is off here (--no-text-index); a run without that flag rebuilds it"
    )]
    Off,
    #[error("text index: cannot read the store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// The search text does not parse: the client's to fix.
    #[error("cannot read the search {query:?}: {reason}")]
    Query { query: String, reason: String },
}

/// Bumped when the schema or what a row holds changes: an index made by another
/// version is rebuilt on open.
const VERSION: &str = "crimegraph-text-index 1";
/// Where the index lives in the store's directory.
const DIR: &str = "text-index";
/// Memory for the index writer, split among its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// The fields of a paragraph row.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    graph: Field,
    paragraph: Field,
    report: Field,
    number: Field,
    text: Field,
    /// One field per facet, in [`Facet::ALL`] order.
    facets: [Field; 9],
}

impl Fields {
    /// The field of a facet.
    fn facet(&self, facet: Facet) -> Field {
        self.facets[Facet::ALL.iter().position(|f| *f == facet).unwrap_or(0)]
    }
}

/// The full-text index of one store's paragraphs.
#[derive(Clone)]
pub struct TextIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    /// Shared to add documents (a bulk load stages its reports as the loader reads
    /// them), exclusive to commit.
    writer: RwLock<IndexWriter>,
    fields: Fields,
    base: IriBase,
    /// The store's directory, where pending marks are kept; none in memory.
    dir: Option<PathBuf>,
    /// Off (`--no-text-index`): writes leave the index as it is, and the mark
    /// [`OFF_MARK`] has the next run with the index rebuild it.
    enabled: bool,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let graph = b.add_text_field("graph", STRING);
    let paragraph = b.add_text_field("paragraph", STORED);
    let report = b.add_text_field("report", STRING | STORED);
    let number = b.add_text_field("number", STORED);
    let text = b.add_text_field("text", words);
    let facets = Facet::ALL.map(|f| {
        if f.is_number() {
            b.add_u64_field(f.name(), INDEXED | FAST | STORED)
        } else {
            b.add_text_field(f.name(), STRING | FAST | STORED)
        }
    });
    let fields = Fields {
        graph,
        paragraph,
        report,
        number,
        text,
        facets,
    };
    (b.build(), fields)
}

impl TextIndex {
    /// Opens (or makes) the index of the store in `dir`; `None`: in memory. Not
    /// `enabled`: searches are refused and writes pass it by; the mark [`OFF_MARK`] left
    /// in `dir` has the next open with it enabled rebuild it.
    pub fn open(dir: Option<&Path>, base: &IriBase, enabled: bool) -> Result<Self, SearchError> {
        if let (false, Some(dir)) = (enabled, dir) {
            PendingMark::write_named(dir, OFF_MARK, ANY_GRAPH)?;
        }
        let (schema, fields) = schema();
        let index = match dir {
            None => Index::create_in_ram(schema),
            Some(dir) => open_dir(&dir.join(DIR), schema)?,
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer(WRITER_MEMORY)?;
        // A process killed mid-write leaves files no commit names (a delete file with
        // the name the next write of that segment takes: FileAlreadyExists, seen in
        // tests/it/crash.rs); they go before anything is written.
        writer.garbage_collect_files().wait()?;
        Ok(TextIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                writer: RwLock::new(writer),
                fields,
                base: base.clone(),
                dir: dir.map(Path::to_path_buf),
                enabled,
            }),
        })
    }

    /// Whether writes keep it and searches read it (not `--no-text-index`).
    pub fn is_enabled(&self) -> bool {
        self.inner.enabled
    }

    /// What the index's last commit recorded (`payload`), if it was made by this
    /// version.
    pub fn recorded(&self) -> Result<Option<String>, SearchError> {
        let meta = self.inner.index.load_metas()?;
        Ok(meta.payload.filter(|p| p.starts_with(VERSION)))
    }

    /// What a commit records for the store's `state`.
    pub fn payload(&self, state: &str) -> String {
        format!("{VERSION}; {state}")
    }

    /// Marks `graphs` (`None`: every graph) as about to change, before the store
    /// commits: a crash before [`TextIndex::refresh`] finishes leaves the mark.
    pub(crate) fn mark(
        &self,
        graphs: Option<&BTreeSet<String>>,
    ) -> Result<PendingMark, SearchError> {
        if !self.inner.enabled {
            return Ok(PendingMark { path: None });
        }
        PendingMark::set(self.inner.dir.as_deref(), graphs)
    }

    /// Marks a bulk load under way (`PendingMark::level`).
    pub(crate) fn mark_load(&self) -> Result<PendingMark, SearchError> {
        if !self.inner.enabled {
            return Ok(PendingMark { path: None });
        }
        PendingMark::level(self.inner.dir.as_deref())
    }

    /// Reads `graphs` again from `store` (the report graphs among them), taking out what
    /// the index held of them, in one index commit that records `state`.
    pub(crate) fn refresh(
        &self,
        store: &Store,
        graphs: &BTreeSet<String>,
        state: &str,
    ) -> Result<(), SearchError> {
        self.rewrite(graphs, Some(store), state)
    }

    /// Takes `graphs` out of the index and, given `store`, reads them again from it, in
    /// one commit that records `state`.
    fn rewrite(
        &self,
        graphs: &BTreeSet<String>,
        store: Option<&Store>,
        state: &str,
    ) -> Result<(), SearchError> {
        if !self.inner.enabled {
            return Ok(());
        }
        let writer = self.write_lock();
        for graph in graphs {
            writer.delete_term(Term::from_field_text(self.inner.fields.graph, graph));
            if let Some(store) = store {
                self.add_graph(&writer, store, graph)?;
            }
        }
        self.commit(writer, state)
    }

    /// Reads every report graph of `store` again, the index emptied first.
    pub fn rebuild(&self, store: &Store, state: &str) -> Result<usize, SearchError> {
        if !self.inner.enabled {
            return Ok(0);
        }
        let writer = self.write_lock();
        writer.delete_all_documents()?;
        let mut graphs = 0;
        for graph in self.report_graphs(store)? {
            self.add_graph(&writer, store, &graph)?;
            graphs += 1;
        }
        self.commit(writer, state)?;
        Ok(graphs)
    }

    /// Brings the index level with `store` by report graphs: adds those it lacks, takes
    /// out those the store no longer has. How many of each.
    pub(crate) fn level(&self, store: &Store, state: &str) -> Result<(usize, usize), SearchError> {
        if !self.inner.enabled {
            return Ok((0, 0));
        }
        let stored: BTreeSet<String> = self.report_graphs(store)?.into_iter().collect();
        let indexed = self.indexed_graphs()?;
        let writer = self.write_lock();
        let gone: Vec<&String> = indexed.difference(&stored).collect();
        for graph in &gone {
            writer.delete_term(Term::from_field_text(self.inner.fields.graph, graph));
        }
        let missing: Vec<&String> = stored.difference(&indexed).collect();
        for graph in &missing {
            self.add_graph(&writer, store, graph)?;
        }
        let counts = (missing.len(), gone.len());
        self.commit(writer, state)?;
        Ok(counts)
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, IndexWriter> {
        self.inner
            .writer
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds one report graph's paragraphs from its quads, as a bulk load reads them,
    /// without committing: indexing runs on the index's threads while the loader goes
    /// on. [`TextIndex::commit_staged`] commits them once the store has.
    pub(crate) fn stage(&self, graph: &str, quads: &[Quad]) -> Result<(), SearchError> {
        if !self.inner.enabled {
            return Ok(());
        }
        if !self.is_report_graph(graph) {
            return Ok(());
        }
        let writer = self
            .inner
            .writer
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        writer.delete_term(Term::from_field_text(self.inner.fields.graph, graph));
        for doc in paragraphs_of(graph, quads, &self.inner.base) {
            writer.add_document(self.document(&doc))?;
        }
        Ok(())
    }

    /// Commits what was staged, recording `state`.
    pub(crate) fn commit_staged(&self, state: &str) -> Result<(), SearchError> {
        if !self.inner.enabled {
            return Ok(());
        }
        self.commit(self.write_lock(), state)
    }

    /// Takes out what was staged for `graphs` (their load failed).
    pub(crate) fn unstage(
        &self,
        graphs: &BTreeSet<String>,
        state: &str,
    ) -> Result<(), SearchError> {
        self.rewrite(graphs, None, state)
    }

    fn commit(
        &self,
        mut writer: RwLockWriteGuard<'_, IndexWriter>,
        state: &str,
    ) -> Result<(), SearchError> {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&self.payload(state));
        commit.commit()?;
        drop(writer);
        self.inner.reader.reload()?;
        Ok(())
    }

    /// The paragraphs of one graph, as the store holds it now, added to the writer.
    fn add_graph(
        &self,
        writer: &IndexWriter,
        store: &Store,
        graph: &str,
    ) -> Result<(), SearchError> {
        if !self.is_report_graph(graph) {
            return Ok(());
        }
        let g = NamedNodeRef::new_unchecked(graph);
        let quads: Vec<Quad> = store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g)))
            .collect::<Result<_, _>>()?;
        for doc in paragraphs_of(graph, &quads, &self.inner.base) {
            writer.add_document(self.document(&doc))?;
        }
        Ok(())
    }

    fn document(&self, p: &ParagraphDoc) -> TantivyDocument {
        let f = &self.inner.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.graph, &p.graph);
        doc.add_text(f.paragraph, &p.paragraph);
        doc.add_text(f.report, &p.report);
        doc.add_text(f.number, &p.number);
        doc.add_text(f.text, &p.text);
        for (facet, field) in Facet::ALL.iter().zip(f.facets) {
            for value in facet.values_of(p, &self.inner.base) {
                match value {
                    query::FacetValue::Text(t) => doc.add_text(field, t),
                    query::FacetValue::Number(n) => doc.add_u64(field, n),
                }
            }
        }
        doc
    }

    /// Report graphs are where paragraphs live (`id:graph/report/…`).
    fn is_report_graph(&self, graph: &str) -> bool {
        self.inner
            .base
            .path_of(graph)
            .is_some_and(|p| p.starts_with("graph/report/"))
    }

    fn report_graphs(&self, store: &Store) -> Result<Vec<String>, SearchError> {
        let mut graphs = Vec::new();
        for g in store.named_graphs() {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = g? {
                if self.is_report_graph(n.as_str()) {
                    graphs.push(n.into_string());
                }
            }
        }
        Ok(graphs)
    }

    /// The graphs the index holds paragraphs of (a graph taken out stays in the term
    /// dictionary until segments merge: such a graph is taken out again, which is
    /// harmless).
    fn indexed_graphs(&self) -> Result<BTreeSet<String>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let mut graphs = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.inner.fields.graph)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                if let Ok(g) = std::str::from_utf8(terms.key()) {
                    graphs.insert(g.to_string());
                }
            }
        }
        Ok(graphs)
    }

    /// How many paragraphs the index holds.
    pub fn len(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs one search (`query::run`).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchAnswer, SearchError> {
        if !self.inner.enabled {
            return Err(SearchError::Off);
        }
        query::run(
            &self.inner.index,
            &self.inner.reader.searcher(),
            &self.inner.fields,
            &self.inner.base,
            request,
        )
    }
}

fn open_dir(path: &Path, schema: Schema) -> Result<Index, SearchError> {
    let open_error = |source| SearchError::Open {
        path: path.display().to_string(),
        source,
    };
    // The folder, made if missing, as a tantivy directory.
    let directory = || {
        std::fs::create_dir_all(path).map_err(|e| open_error(e.into()))?;
        tantivy::directory::MmapDirectory::open(path).map_err(|e| open_error(e.into()))
    };
    match Index::open_or_create(directory()?, schema.clone()) {
        Ok(index) => Ok(index),
        // A schema of another version: the index is made again (and filled on open).
        Err(tantivy::TantivyError::SchemaError(_)) => {
            std::fs::remove_dir_all(path).map_err(|e| open_error(e.into()))?;
            Index::create(directory()?, schema, Default::default()).map_err(open_error)
        }
        Err(e) => Err(open_error(e)),
    }
}

/// A file in the store's directory naming the graphs a write is changing (one per
/// line; `*`: any), made before the store commits and removed once the index has them:
/// a crash in between leaves it for the next open to finish.
pub(crate) struct PendingMark {
    path: Option<PathBuf>,
}

const MARK_PREFIX: &str = "crimegraph-index-pending-";
const ANY_GRAPH: &str = "*";
/// The mark a run without the index leaves (one file, however many such runs).
const OFF_MARK: &str = "off";
/// A bulk load under way: its graphs are known as it reads them, so a crash is repaired
/// by levelling the index with the store's report graphs.
const LEVEL: &str = "level";

/// What marks left behind ask for.
#[derive(Debug, Default, PartialEq)]
pub(crate) enum Pending {
    #[default]
    Nothing,
    /// These graphs, and whether to level by report graphs after.
    Graphs(BTreeSet<String>, bool),
    Everything,
}

impl PendingMark {
    /// The mark of a bulk load (`LEVEL`).
    pub(crate) fn level(dir: Option<&Path>) -> Result<Self, SearchError> {
        Self::write(dir, LEVEL)
    }

    fn set(dir: Option<&Path>, graphs: Option<&BTreeSet<String>>) -> Result<Self, SearchError> {
        let text = match graphs {
            Some(g) => g.iter().map(String::as_str).collect::<Vec<_>>().join("\n"),
            None => ANY_GRAPH.to_string(),
        };
        Self::write(dir, &text)
    }

    fn write(dir: Option<&Path>, text: &str) -> Result<Self, SearchError> {
        static MARKS: AtomicU64 = AtomicU64::new(0);
        let Some(dir) = dir else {
            return Ok(PendingMark { path: None });
        };
        let n = MARKS.fetch_add(1, Ordering::Relaxed);
        Self::write_named(dir, &format!("{}-{n}", std::process::id()), text)
    }

    fn write_named(dir: &Path, name: &str, text: &str) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Mark {
            path: dir.display().to_string(),
            source,
        })?;
        let path = dir.join(format!("{MARK_PREFIX}{name}"));
        std::fs::write(&path, text)
            .and_then(|()| std::fs::File::open(&path)?.sync_all())
            .and_then(|()| std::fs::File::open(dir)?.sync_all())
            .map_err(|source| SearchError::Mark {
                path: path.display().to_string(),
                source,
            })?;
        Ok(PendingMark { path: Some(path) })
    }

    pub(crate) fn clear(self) -> Result<(), SearchError> {
        match self.path {
            Some(path) => std::fs::remove_file(&path).map_err(|source| SearchError::Mark {
                path: path.display().to_string(),
                source,
            }),
            None => Ok(()),
        }
    }

    /// What the marks left in `dir` ask for, and the marks, to clear once done.
    pub(crate) fn left_in(dir: &Path) -> Result<(Pending, Vec<PendingMark>), SearchError> {
        let io = |source| SearchError::Mark {
            path: dir.display().to_string(),
            source,
        };
        let mut graphs = BTreeSet::new();
        let (mut everything, mut level) = (false, false);
        let mut marks = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            if !entry.file_name().to_string_lossy().starts_with(MARK_PREFIX) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(io)?;
            for line in text.lines().filter(|l| !l.is_empty()) {
                everything |= line == ANY_GRAPH;
                if line == LEVEL {
                    level = true;
                } else {
                    graphs.insert(line.to_string());
                }
            }
            marks.push(PendingMark {
                path: Some(entry.path()),
            });
        }
        let pending = match (everything, graphs.is_empty()) {
            (true, _) => Pending::Everything,
            (false, true) if marks.is_empty() => Pending::Nothing,
            (false, _) => Pending::Graphs(graphs, level),
        };
        Ok((pending, marks))
    }
}

/// The graph names of a write, as the index keys them; `None` for a write that may
/// touch any graph.
pub(crate) fn graph_names<'a>(graphs: impl IntoIterator<Item = &'a GraphName>) -> BTreeSet<String> {
    graphs
        .into_iter()
        .filter_map(|g| match g {
            GraphName::NamedNode(n) => Some(n.as_str().to_string()),
            _ => None,
        })
        .collect()
}
