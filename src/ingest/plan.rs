//! What one file needs, decided before anything is written: nothing (stored already
//! from the same bytes by the same pipeline), a new graph, a replaced graph, or it
//! failed. Both loaders (the embedded store's, `local`, and the remote store's,
//! `remote`) carry plans out; neither decides what a file needs.

use super::{file_name, hex, report_key, IngestError, Pipeline, Summary};
use crate::store::StoredReport;
use oxigraph::model::{NamedNode, Quad};
use sha2::{Digest, Sha256};
use std::path::Path;

/// What one file needs.
pub enum Plan {
    /// Stored already from the same bytes by the same pipeline.
    Unchanged(String),
    /// Could not be read or extracted; nothing is written.
    Failed(IngestError),
    /// Its graph is written whole: new, or (`replaces`) in place of the stored one.
    Write {
        graph: NamedNode,
        quads: Vec<Quad>,
        summary: Summary,
        replaces: bool,
    },
}

impl Pipeline {
    /// What `path` needs, given what the store holds of its report (`stored`, asked
    /// by report key: `None` when the store has no such report). Reads and extracts
    /// the file unless it is unchanged; writes nothing.
    pub fn plan(
        &self,
        path: &Path,
        stored: impl Fn(&str) -> Option<StoredReport>,
        force: bool,
    ) -> Plan {
        let name = file_name(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(source) => {
                let path = path.to_path_buf();
                return Plan::Failed(IngestError::Io { path, source });
            }
        };
        let key = match report_key(&name) {
            Ok(k) => k,
            Err(e) => return Plan::Failed(e),
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        let before = stored(&key);
        let same = before.as_ref().is_some_and(|s| {
            s.pipeline == self.fingerprint && s.source_file == name && s.sha256 == sha256
        });
        if same && !force {
            return Plan::Unchanged(key);
        }
        match self.prepare_hashed(&name, &bytes, sha256) {
            Ok((quads, summary)) => Plan::Write {
                graph: self.base.report_graph(&key),
                quads,
                summary,
                replaces: before.is_some(),
            },
            Err(e) => Plan::Failed(e),
        }
    }
}

/// The outcome of a file that needed nothing.
pub(super) fn unchanged(key: String) -> Summary {
    Summary {
        key,
        unchanged: true,
        ..Summary::default()
    }
}
