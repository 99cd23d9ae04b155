//! crimegraph turns the reports of the UN Congresses on Crime Prevention and Criminal
//! Justice into a knowledge graph: who spoke, on which agenda item, and which States,
//! bodies, instruments and crime types each paragraph names, with the paragraph as
//! evidence.
//!
//! The modules follow the data: [`read`] (text -> [`read::Report`]), [`extract`]
//! (paragraphs -> entity matches and statements, built from [`reference`]), [`map`]
//! (-> quads of `shared/spec/data-model.md`), [`store`] (Oxigraph), [`ingest`] (all of
//! it for one report, atomically) and [`serve`] (HTTP).
//!
//! ```
//! use crimegraph::{ingest::Pipeline, map::IriBase, reference::Vocabulary, store::GraphStore};
//! let pipeline = Pipeline::new(Vocabulary::built_in()?, IriBase::default())?;
//! let store = GraphStore::memory(&IriBase::default())?;
//! let text = "Summary of deliberations\n\n1. Speakers addressed terrorism and UNTOC.";
//! let summary = pipeline.ingest_bytes(&store, "example.txt", text.as_bytes())?;
//! assert_eq!(summary.paragraphs, 1);
//! assert_eq!(summary.mentions, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cli;
pub mod extract;
pub mod gen;
pub mod ingest;
pub mod map;
pub mod read;
pub mod reference;
pub mod serve;
pub mod store;
