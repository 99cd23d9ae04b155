//! Ingest into the embedded store: [`Pipeline::plan`] says what each file needs, and
//! the loader here carries the plans out. New reports go to Oxigraph's bulk loader, a
//! chunk of files to a commit (each commit all or nothing, so every report is whole or
//! absent after a crash); a report whose graph exists already is replaced in its own
//! transaction as soon as it is read.

use super::plan::{unchanged, Plan};
use super::{file_name, replace_report, IngestError, Pipeline, Summary, PREPARE_EVERY};
use crate::map::summary::Tally;
use crate::reference::cg;
use crate::store::{GraphStore, StoreError, StoredReport};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

impl Pipeline {
    /// Ingests many files: read and extracted on every core, new reports stored with
    /// the bulk loader `batch` reports at a time ([`super::COMMIT_EVERY`] by default),
    /// reports whose graph exists already replaced one transaction each as soon as
    /// they are read (so a re-ingest holds no more than [`PREPARE_EVERY`] reports in
    /// memory). `read` hears how many more files were read and extracted, for
    /// progress (a commit can take minutes); `done` hears of each file once its commit
    /// is made (or it failed); a bad file never keeps the others out.
    ///
    /// Unless `force`, a file whose report is stored already, from the same bytes
    /// (`cg:sha256`) by the same pipeline (`cg:pipeline`), is not read again: re-running
    /// an ingest after a crash or on a grown folder only does what is missing.
    ///
    /// Writes made in transactions are flushed before it returns; a bulk load is on
    /// disk once committed.
    ///
    /// Nothing else may write report graphs meanwhile: which graphs exist is read once,
    /// at the start (the CLI holds the store alone).
    pub fn ingest_files(
        &self,
        store: &GraphStore,
        files: &[PathBuf],
        batch: usize,
        force: bool,
        mut read: impl FnMut(usize),
        mut done: impl FnMut(&Path, Result<Summary, IngestError>),
    ) -> Result<(), StoreError> {
        let mut stored: HashSet<NamedNode> = store
            .named_graphs()?
            .into_iter()
            .filter_map(|g| match g {
                NamedOrBlankNode::NamedNode(g) => Some(g),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        // Into a fresh store the reference graph goes with the first bulk load: one
        // commit, one layer of table files, as compact as Oxigraph's own load.
        let mut reference = Vec::new();
        if stored.contains(&self.base.reference_graph()) {
            self.load_reference(store)?;
        } else {
            reference = self.reference_quads();
        }
        // Writes made in transactions (replacements) sit in RocksDB's memtable, which
        // every index seek of every later query also searches: flushed at the end.
        let mut transactions = false;
        for chunk in files.chunks(batch.max(1)) {
            let mut load = Chunk::new(self, store, &stored, chunk, force);
            // The reference graph counts in the summary too: the collection's triples
            // (VoID) take it in.
            let reference = std::mem::take(&mut reference);
            let tally = Tally::of_graph(reference.iter().map(Quad::as_ref));
            let mut pending = vec![(reference, tally)].into_iter();
            let mut parts = 0..chunk.len().div_ceil(PREPARE_EVERY);
            let reports = std::iter::from_fn(|| loop {
                if let Some(r) = pending.next() {
                    return Some(r);
                }
                pending = load.next_part(parts.next()?, &mut read).into_iter();
            });
            let loaded = store.bulk_load(reports);
            let (added, replaced) = load.finish(loaded, &mut done);
            stored.extend(added);
            transactions |= replaced;
        }
        if !reference.is_empty() {
            // No file to go with it.
            store.replace_graph(&self.base.reference_graph(), &reference)?;
            transactions = true;
        }
        // Not after a bulk load alone: it wrote table files, not the memtable, and a
        // flush waits until RocksDB has compacted the new files below its limit of
        // files on level 0 (four minutes after 100,000 reports in one commit).
        if transactions {
            store.flush()?;
        }
        Ok(())
    }

    /// What the embedded store holds of `key`'s report. `stored` (the graphs, read
    /// once at the start) says whether it is there: a report outside it is new and
    /// costs no lookup (on a fresh ingest none does; lookups into a store compacting a
    /// bulk load are slow).
    fn stored_locally(
        &self,
        store: &GraphStore,
        stored: &HashSet<NamedNode>,
        key: &str,
    ) -> Option<StoredReport> {
        let graph = self.base.report_graph(key);
        if !stored.contains(&graph) {
            return None;
        }
        let report = self.base.report(key);
        let value = |property: &str| {
            let found = store.literal_of(&report, &cg(property), &graph);
            found.ok().flatten().unwrap_or_default()
        };
        Some(StoredReport {
            source_file: value("sourceFile"),
            sha256: value("sha256"),
            pipeline: value("pipeline"),
        })
    }
}

/// One chunk of files on its way through a bulk-load commit: their plans, made a part
/// at a time as the loader asks for more, and what became of each file.
struct Chunk<'a> {
    pipeline: &'a Pipeline,
    store: &'a GraphStore,
    stored: &'a HashSet<NamedNode>,
    files: &'a [PathBuf],
    force: bool,
    outcomes: Vec<Option<Result<Summary, IngestError>>>,
    /// The files (by index) whose reports are in the bulk load.
    bulk: Vec<usize>,
    /// The new graphs in the bulk load.
    added: HashSet<NamedNode>,
    /// A report twice in this chunk (a.txt and a.pdf) whose graph is new: the bulk
    /// loader only adds, so the second replaces the first after the commit.
    replace_after: Vec<(usize, NamedNode, Vec<Quad>, Summary)>,
    /// Whether a report was replaced in a transaction.
    replaced: bool,
}

impl<'a> Chunk<'a> {
    fn new(
        pipeline: &'a Pipeline,
        store: &'a GraphStore,
        stored: &'a HashSet<NamedNode>,
        files: &'a [PathBuf],
        force: bool,
    ) -> Self {
        Chunk {
            pipeline,
            store,
            stored,
            files,
            force,
            outcomes: (0..files.len()).map(|_| None).collect(),
            bulk: Vec::new(),
            added: HashSet::new(),
            replace_after: Vec::new(),
            replaced: false,
        }
    }

    /// Plans part `part` of the chunk's files (read and extracted on every core) and
    /// carries out what is not for the bulk loader; returns the new reports' quads
    /// for the loader, then one tally of what they add to the summary (summed across
    /// cores here rather than in the loader's thread).
    fn next_part(&mut self, part: usize, read: &mut impl FnMut(usize)) -> Vec<(Vec<Quad>, Tally)> {
        let start = part * PREPARE_EVERY;
        let all: &'a [PathBuf] = self.files;
        let files = &all[start..(start + PREPARE_EVERY).min(all.len())];
        let plans: Vec<(Plan, Tally)> = files
            .par_iter()
            .map(|f| {
                let before = |key: &str| self.pipeline.stored_locally(self.store, self.stored, key);
                let plan = self.pipeline.plan(f, before, self.force);
                let tally = match &plan {
                    Plan::Write {
                        quads,
                        replaces: false,
                        ..
                    } => Tally::of_graph(quads.iter().map(Quad::as_ref)),
                    _ => Tally::default(),
                };
                (plan, tally)
            })
            .collect();
        read(files.len());
        let mut next = Vec::new();
        let mut tallies = Vec::new();
        for (j, (plan, tally)) in plans.into_iter().enumerate() {
            let i = start + j;
            let outcome = match plan {
                Plan::Unchanged(key) => Ok(unchanged(key)),
                Plan::Failed(e) => Err(e),
                Plan::Write {
                    graph,
                    quads,
                    summary,
                    replaces,
                } => {
                    if replaces {
                        // Its own transaction, outside the bulk load (which holds no
                        // lock): the old graph stays whole if it fails.
                        self.replaced = true;
                        replace_report(self.store, &graph, &quads, summary, &file_name(&files[j]))
                    } else if !self.added.insert(graph.clone()) {
                        self.replace_after.push((i, graph, quads, summary));
                        continue;
                    } else {
                        next.push((quads, Tally::default()));
                        tallies.push(tally);
                        self.bulk.push(i);
                        Ok(summary)
                    }
                }
            };
            self.outcomes[i] = Some(outcome);
        }
        let tally = tallies.into_par_iter().reduce(Tally::default, |mut a, b| {
            a.add(b);
            a
        });
        next.push((Vec::new(), tally));
        next
    }

    /// Once the bulk load is over: its reports failed with it if it failed; reports
    /// read twice replace their first reading; every file is told what became of it.
    /// Returns the graphs now stored and whether a report was replaced.
    fn finish(
        mut self,
        loaded: Result<(), StoreError>,
        done: &mut impl FnMut(&Path, Result<Summary, IngestError>),
    ) -> (HashSet<NamedNode>, bool) {
        let mut added = std::mem::take(&mut self.added);
        if let Err(e) = loaded {
            added.clear();
            for &i in &self.bulk {
                self.outcomes[i] = Some(Err(IngestError::Batch {
                    name: file_name(&self.files[i]),
                    reason: e.to_string(),
                }));
            }
        }
        for (i, graph, quads, summary) in std::mem::take(&mut self.replace_after) {
            self.replaced = true;
            let name = file_name(&self.files[i]);
            self.outcomes[i] = Some(replace_report(self.store, &graph, &quads, summary, &name));
        }
        for (file, outcome) in self.files.iter().zip(self.outcomes) {
            done(file, outcome.expect("every file has an outcome"));
        }
        (added, self.replaced)
    }
}
