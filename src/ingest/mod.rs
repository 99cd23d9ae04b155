//! One report through read -> extract -> map -> store, atomically. The CLI and the
//! server both call this; neither repeats it.

mod local;
mod plan;
mod remote;

pub use plan::Plan;

use crate::extract::{extract_report, find_statements, recall_minted, Extractor, ExtractorError};
use crate::map::{self, Extraction, IriBase, Source};
use crate::read::{read_file, Isolation, ReadError};
use crate::reference::{cg, EntityKind, Vocabulary};
use crate::store::{Backend, StoreError};
use oxigraph::model::{NamedNode, Quad};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{name}: {source}")]
    Read { name: String, source: ReadError },
    #[error("{name}: {source}")]
    Store { name: String, source: StoreError },
    /// The store refused the bulk load the file was in.
    #[error("{name}: not stored (its batch failed: {reason})")]
    Batch { name: String, reason: String },
    #[error("{0}: not a report name (use letters, digits, '.', '-' or '_')")]
    BadName(String),
}

/// What one ingested report holds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub key: String,
    pub paragraphs: usize,
    pub statements: usize,
    pub mentions: usize,
    pub triples: usize,
    /// What the reader could not find, for the user to check.
    pub warnings: Vec<String>,
    /// The report was in the store already, from the same file by the same pipeline,
    /// and was left as it was (counts are zero).
    pub unchanged: bool,
}

/// The pipeline, built once: reference data, extractors and IRI base.
pub struct Pipeline {
    vocab: Vocabulary,
    extractor: Extractor,
    base: IriBase,
    fingerprint: String,
    /// Where PDF and Word files are parsed: in-process unless [`Self::with_isolation`]
    /// says otherwise (the CLI and the server run them in a child process).
    isolation: Isolation,
}

impl Pipeline {
    pub fn new(vocab: Vocabulary, base: IriBase) -> Result<Self, ExtractorError> {
        let extractor = Extractor::new(&vocab)?;
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION"));
        for quad in map::reference_quads(&vocab, &base) {
            hash.update(quad.to_string());
            hash.update("\n");
        }
        Ok(Pipeline {
            vocab,
            extractor,
            base,
            fingerprint: hex(&hash.finalize())[..16].to_string(),
            isolation: Isolation::InProcess,
        })
    }

    /// Parses PDF and Word files where `isolation` says: a child process, for any file
    /// not trusted (which is every file the CLI and the server read).
    pub fn with_isolation(mut self, isolation: Isolation) -> Self {
        self.isolation = isolation;
        self
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    pub fn base(&self) -> &IriBase {
        &self.base
    }

    /// Loads the reference graph unless the store holds it as this pipeline makes it
    /// (its `cg:pipeline` says so); returns how many quads were written.
    ///
    /// Rewriting it on every start would leave it in RocksDB's memtable, which every
    /// index seek of every query then also searches (a few per cent of query time).
    pub fn load_reference(&self, store: &dyn Backend) -> Result<usize, StoreError> {
        let graph = self.base.reference_graph();
        if store
            .literal_of(&graph, &cg("pipeline"), &graph)?
            .as_deref()
            == Some(&self.fingerprint)
        {
            return Ok(0);
        }
        let quads = self.reference_quads();
        store.replace_graph(&graph, &quads)?;
        store.flush()?;
        Ok(quads.len())
    }

    /// The office that services meetings of `kind` (`cg:secretariat` on the meeting's
    /// class), as an entity.
    fn meeting_secretariat(&self, kind: crate::read::MeetingKind) -> Option<usize> {
        let class = format!("{}{}", crate::reference::CG, kind.class());
        let office = self.vocab.meeting_secretariats.get(&class)?;
        self.vocab.index_of(office)
    }

    /// The reference graph's quads, with the pipeline's fingerprint.
    pub fn reference_quads(&self) -> Vec<Quad> {
        let graph = self.base.reference_graph();
        let mut quads = map::reference_quads(&self.vocab, &self.base);
        quads.push(Quad::new(
            graph.clone(),
            cg("pipeline"),
            oxigraph::model::Literal::from(self.fingerprint.as_str()),
            graph,
        ));
        quads
    }

    /// Reads and extracts one report; nothing is stored.
    pub fn prepare(
        &self,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<(Vec<Quad>, Summary), IngestError> {
        self.prepare_hashed(file_name, bytes, hex(&Sha256::digest(bytes)))
    }

    /// [`Self::prepare`] with the bytes' SHA-256 already computed.
    fn prepare_hashed(
        &self,
        file_name: &str,
        bytes: &[u8],
        sha256: String,
    ) -> Result<(Vec<Quad>, Summary), IngestError> {
        let key = report_key(file_name)?;
        let report = read_file(bytes, &self.isolation).map_err(|source| IngestError::Read {
            name: file_name.to_string(),
            source,
        })?;
        let texts: Vec<&str> = report.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let organ = report.meeting.organ.as_deref().and_then(|key| {
            self.vocab
                .entities
                .iter()
                .position(|e| e.kind == EntityKind::Organization && e.key() == key)
        });
        // A report of a session: its organ and what goes with it. A Congress's or a
        // preparatory meeting's names no organ: the office that services such meetings.
        let document = match organ {
            Some(o) => self.extractor.document_antecedents(o),
            None => self
                .meeting_secretariat(report.meeting.kind)
                .into_iter()
                .collect(),
        };
        let chapters: Vec<Option<&str>> = report
            .paragraphs
            .iter()
            .map(|p| p.chapter.as_deref())
            .collect();
        let session = organ.and(report.meeting.session_number);
        let mut mentions = extract_report(&self.extractor, &texts, &chapters, (document, session));
        let (statements, chairs) = find_statements(&self.extractor, &texts, &mut mentions);
        recall_minted(&texts, &mut mentions);
        let found = Extraction {
            mentions,
            statements,
            chairs,
        };
        let source = Source {
            key: key.clone(),
            file_name: file_name.to_string(),
            sha256,
            pipeline: self.fingerprint.clone(),
        };
        let quads = map::report_quads(&report, &found, &self.vocab, &source, &self.base);
        let mut warnings = Vec::new();
        let m = &report.meeting;
        if m.title.is_none() {
            warnings.push("no meeting title found (expected '... United Nations Congress on Crime Prevention and Criminal Justice')".to_string());
        } else if m.start_date.is_none() {
            warnings.push("no meeting venue and dates found after the title".to_string());
        }
        if report.document_date.is_none() {
            warnings
                .push("no document date found (expected 'Distr.: ... 24 April 2025')".to_string());
        }
        if report.agenda_items.is_empty() {
            warnings.push("no agenda item found".to_string());
        }
        let summary = Summary {
            warnings,
            key,
            paragraphs: report.paragraphs.len(),
            statements: found.statements.len(),
            mentions: found.mentions.iter().map(Vec::len).sum(),
            triples: quads.len(),
            unchanged: false,
        };
        Ok((quads, summary))
    }

    /// Reads, extracts and stores one report, replacing its graph whole.
    pub fn ingest_bytes(
        &self,
        store: &dyn Backend,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Summary, IngestError> {
        let (quads, summary) = self.prepare(file_name, bytes)?;
        let graph = self.base.report_graph(&summary.key);
        replace_report(store, &graph, &quads, summary, file_name)
    }

    /// Removes a report's graph; whether it was there.
    pub fn remove(&self, store: &dyn Backend, key: &str) -> Result<bool, StoreError> {
        store.remove_graph(&self.base.report_graph(key))
    }
}

/// Replaces a report's graph in one transaction (the old graph stays whole if it
/// fails), naming the file in the error.
fn replace_report(
    store: &dyn Backend,
    graph: &NamedNode,
    quads: &[Quad],
    summary: Summary,
    file_name: &str,
) -> Result<Summary, IngestError> {
    store
        .replace_graph(graph, quads)
        .map(|()| summary)
        .map_err(|source| IngestError::Store {
            name: file_name.to_string(),
            source,
        })
}

/// Reports per bulk-load commit in [`Pipeline::ingest_files`]: about fifty million
/// quads, sorted in table files on disk (the loader holds a million at a time in
/// memory, so memory does not grow with it); what a crash can cost a run to redo
/// (about ten minutes on two cores). Each commit adds a layer of files that RocksDB
/// compacts on the same cores while the next batch loads: 30,000 reports took 228 s
/// in three commits and 186 s in one (BENCHMARKS.md), and `oxigraph load` makes one.
pub const COMMIT_EVERY: usize = 100_000;

/// Reports read and extracted together across cores before their quads are handed on.
const PREPARE_EVERY: usize = 64;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The report key: the file name without its extension.
pub fn report_key(file_name: &str) -> Result<String, IngestError> {
    let stem = Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty()
        || stem.starts_with('.')
        || !stem
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(IngestError::BadName(file_name.to_string()));
    }
    Ok(stem)
}

/// The extensions a folder walk picks up. `.doc` is taken so that the user is told
/// to convert it rather than have it silently left out.
pub const REPORT_EXTENSIONS: [&str; 5] = ["txt", "md", "pdf", "docx", "doc"];

/// Files to ingest under the given paths: folders are walked recursively for files
/// with [`REPORT_EXTENSIONS`], in name order; files named explicitly are taken as they
/// are (their format is told by content, not by name).
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| IngestError::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension().is_some_and(|e| {
                        let e = e.to_string_lossy().to_ascii_lowercase();
                        REPORT_EXTENSIONS.contains(&e.as_str())
                    })
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Congress's and a preparatory meeting's reports name no organ; their anaphors'
    /// last antecedent is the office that services such meetings (UNODC). A session's
    /// report gets its organ's instead (`document_antecedents`), not this.
    #[test]
    fn meetings_without_an_organ_have_their_secretariat() {
        let vocab = Vocabulary::built_in().unwrap();
        let p = Pipeline::new(vocab, crate::map::IriBase::default()).unwrap();
        let key = |kind| {
            p.meeting_secretariat(kind)
                .map(|i| p.vocab.entities[i].key().to_string())
        };
        assert_eq!(
            key(crate::read::MeetingKind::Congress).as_deref(),
            Some("unodc")
        );
        assert_eq!(
            key(crate::read::MeetingKind::RegionalPreparatoryMeeting).as_deref(),
            Some("unodc")
        );
        assert_eq!(key(crate::read::MeetingKind::CommissionSession), None);
    }

    #[test]
    fn report_keys() {
        assert_eq!(report_key("000_cc59.txt").unwrap(), "000_cc59");
        assert_eq!(report_key("a/b/report-1.md").unwrap(), "report-1");
        assert!(report_key("../x y.txt").is_err());
        assert!(report_key("").is_err());
    }
}
