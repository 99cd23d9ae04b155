//! One report through read -> extract -> map -> store, atomically. The CLI and the
//! server both call this; neither repeats it.

use crate::extract::{find_statements, Extractor, ExtractorError};
use crate::map::{self, Extraction, IriBase, Source};
use crate::read::{read_file, ReadError};
use crate::reference::Vocabulary;
use crate::store::{GraphStore, StoreError};
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
}

/// The pipeline, built once: reference data, extractors and IRI base.
pub struct Pipeline {
    vocab: Vocabulary,
    extractor: Extractor,
    base: IriBase,
}

impl Pipeline {
    pub fn new(vocab: Vocabulary, base: IriBase) -> Result<Self, ExtractorError> {
        let extractor = Extractor::new(&vocab)?;
        Ok(Pipeline {
            vocab,
            extractor,
            base,
        })
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    pub fn base(&self) -> &IriBase {
        &self.base
    }

    /// Loads (or reloads) the reference graph.
    pub fn load_reference(&self, store: &GraphStore) -> Result<usize, StoreError> {
        let quads = map::reference_quads(&self.vocab, &self.base);
        store.replace_graph(&self.base.reference_graph(), &quads)?;
        Ok(quads.len())
    }

    /// Reads and extracts one report; nothing is stored.
    pub fn prepare(
        &self,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<(Vec<oxigraph::model::Quad>, Summary), IngestError> {
        let key = report_key(file_name)?;
        let report = read_file(bytes).map_err(|source| IngestError::Read {
            name: file_name.to_string(),
            source,
        })?;
        let mut mentions: Vec<_> = report
            .paragraphs
            .iter()
            .map(|p| self.extractor.extract(&p.text))
            .collect();
        let texts: Vec<&str> = report.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let (statements, chairs) = find_statements(&self.extractor, &texts, &mut mentions);
        let found = Extraction {
            mentions,
            statements,
            chairs,
        };
        let source = Source {
            key: key.clone(),
            file_name: file_name.to_string(),
            sha256: hex(&Sha256::digest(bytes)),
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
        };
        Ok((quads, summary))
    }

    /// Reads, extracts and stores one report, replacing its graph whole.
    pub fn ingest_bytes(
        &self,
        store: &GraphStore,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Summary, IngestError> {
        let (quads, summary) = self.prepare(file_name, bytes)?;
        store
            .replace_graph(&self.base.report_graph(&summary.key), &quads)
            .map_err(|source| IngestError::Store {
                name: file_name.to_string(),
                source,
            })?;
        Ok(summary)
    }

    pub fn ingest_file(&self, store: &GraphStore, path: &Path) -> Result<Summary, IngestError> {
        let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.ingest_bytes(store, &name, &bytes)
    }

    /// Removes a report's graph; whether it was there.
    pub fn remove(&self, store: &GraphStore, key: &str) -> Result<bool, StoreError> {
        store.remove_graph(&self.base.report_graph(key))
    }
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

    #[test]
    fn report_keys() {
        assert_eq!(report_key("000_cc59.txt").unwrap(), "000_cc59");
        assert_eq!(report_key("a/b/report-1.md").unwrap(), "report-1");
        assert!(report_key("../x y.txt").is_err());
        assert!(report_key("").is_err());
    }
}
