//! Ingest into a triple store reached over HTTP (`store::remote`): reports are read and
//! extracted here, on every core, and each report's graph goes to the store with one
//! Graph Store `PUT`, the topic summary brought level once, at the end of the run.
//!
//! [`Pipeline::plan`] says what each file needs; [`Pipeline::ingest_remote`] carries
//! the plans out. A run cut short (the store went down, the process was stopped) leaves each
//! report whole or absent, and the next run does what is missing: reports stored from
//! the same bytes by the same pipeline are skipped, and a summary a write left pending
//! is recounted first.

use super::plan::{unchanged, Plan};
use super::{file_name, IngestError, Pipeline, Summary};
use crate::store::remote::{Delta, GraphWrite, RemoteStore, Stored};
use crate::store::StoreError;
use oxigraph::model::NamedNode;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files read and extracted together, then written in parallel. The summary is brought
/// level once, at the end of the run: a run cut short leaves it pending, and the next
/// one recounts it from the report graphs.
const WRITE_EVERY: usize = 256;

impl Pipeline {
    /// [`Self::ingest_files`] into a remote store: `read` hears how many files were
    /// read, `done` hears of each file once its graph is written (or it failed).
    pub fn ingest_remote(
        &self,
        remote: &RemoteStore,
        files: &[PathBuf],
        force: bool,
        mut read: impl FnMut(usize),
        mut done: impl FnMut(&Path, Result<Summary, IngestError>),
    ) -> Result<(), StoreError> {
        if remote.recount_if_cut_short()? {
            tracing::info!("the remote store's topic summary was recounted");
        }
        self.load_reference(remote)?;
        let stored = remote.stored_reports()?;
        let mut delta = Delta::default();
        let mut marked = false;
        for chunk in files.chunks(WRITE_EVERY) {
            let plans: Vec<Plan> = chunk
                .par_iter()
                .map(|f| {
                    let before = |key: &str| stored.get(&self.base.report_graph(key)).cloned();
                    self.plan(f, before, force)
                })
                .collect();
            read(chunk.len());
            let mut writes = Vec::new();
            let mut written = Vec::new();
            // A report twice in one group (a.txt and a.md): the last one read wins, as
            // in the embedded store, and the first is told it was replaced.
            let mut last: HashMap<NamedNode, usize> = HashMap::new();
            for (file, plan) in chunk.iter().zip(plans) {
                match plan {
                    Plan::Unchanged(key) => done(file, Ok(unchanged(key))),
                    Plan::Failed(e) => done(file, Err(e)),
                    Plan::Write {
                        graph,
                        quads,
                        summary,
                        replaces,
                    } => {
                        if let Some(i) = last.insert(graph.clone(), writes.len()) {
                            let w: &mut GraphWrite = &mut writes[i];
                            w.quads = Some(quads);
                            let (first, read_first) =
                                std::mem::replace(&mut written[i], (file.as_path(), summary));
                            done(first, Ok(read_first));
                            continue;
                        }
                        writes.push(GraphWrite {
                            graph,
                            quads: Some(quads),
                            may_exist: replaces,
                        });
                        written.push((file.as_path(), summary));
                    }
                }
            }
            if !writes.is_empty() && !marked {
                remote.mark_pending()?;
                marked = true;
            }
            let (outcomes, written_delta) = remote.put_reports(writes);
            delta.add(written_delta);
            for ((file, summary), outcome) in written.into_iter().zip(outcomes) {
                let outcome = outcome
                    .map(|()| summary)
                    .map_err(|source| IngestError::Store {
                        name: file_name(file),
                        source,
                    });
                done(file, outcome);
            }
        }
        if marked {
            // Into a store that held no report, only the reference graph's counts can
            // be there already.
            let stored = match stored.is_empty() {
                true => Stored::ReferenceOnly,
                false => Stored::Any,
            };
            remote.settle(&delta, stored)?;
        }
        Ok(())
    }
}
