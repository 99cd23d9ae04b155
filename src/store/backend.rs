//! The seam between the server (and the CLI) and where the graph lives: the embedded
//! Oxigraph ([`GraphStore`]) or a triple store reached over HTTP
//! ([`super::remote::RemoteStore`]). Everything a route reads or writes goes through
//! [`Backend`], so every page, answer and IRI works the same on either.

use super::search::TextIndex;
use super::{GraphStore, QueryOptions, StoreError, UpdateOptions};
use crate::map::summary::{Count, Key};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::{CancellationToken, QueryResults};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

/// How a stored report was made (its `cg:sourceFile`, `cg:sha256` and `cg:pipeline`):
/// compared with a file to skip it when unchanged.
#[derive(Debug, Clone, Default)]
pub struct StoredReport {
    pub source_file: String,
    pub sha256: String,
    pub pipeline: String,
}

/// What the server and the CLI need of a store. Queries run over the union of the
/// named graphs unless the protocol names a dataset; writes keep the topic summary in
/// step (each store as it can: in the write's transaction here, by a mark and a
/// recount over HTTP).
pub trait Backend: Send + Sync {
    /// Runs a query parsed once by the caller, its values set in its algebra.
    fn query_parsed(
        &self,
        query: spargebra::Query,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError>;

    /// Runs a query's text with the protocol's dataset, if any.
    fn query_with(
        &self,
        sparql: &str,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError>;

    /// Runs a query's text over the union of all graphs.
    fn query(
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

    /// One count of the topic summary, zero when there is none.
    fn summary_count(&self, key: &Key) -> Result<Count, StoreError>;

    /// Counts of the topic summary, one per key in order, zero where there is none:
    /// a list of known keys read in one go (one request to a remote store).
    fn summary_counts(&self, keys: &[Key]) -> Result<Vec<Count>, StoreError> {
        keys.iter().map(|k| self.summary_count(k)).collect()
    }

    /// The first `rdfs:label` of `subject` in any graph.
    fn label_of(&self, subject: &NamedOrBlankNode) -> Result<Option<Term>, StoreError>;

    /// The first `rdfs:label` of each of `subjects` that has one: a page's labels read
    /// in one go (one request to a remote store, not one per name on the page).
    fn labels_of(
        &self,
        subjects: &[NamedOrBlankNode],
    ) -> Result<HashMap<NamedOrBlankNode, Term>, StoreError> {
        let mut labels = HashMap::new();
        for s in subjects {
            if let Some(label) = self.label_of(s)? {
                labels.insert(s.clone(), label);
            }
        }
        Ok(labels)
    }

    /// The value of a literal `subject property ?value` in `graph`.
    fn literal_of(
        &self,
        subject: &NamedNode,
        property: &NamedNode,
        graph: &NamedNode,
    ) -> Result<Option<String>, StoreError>;

    /// The triples whose subject is `subject`, each once, at most `limit`.
    fn triples_with_subject(
        &self,
        subject: &NamedNode,
        limit: usize,
    ) -> Result<Vec<Triple>, StoreError>;

    /// The triples whose object is `object` (through `predicate` only, when given), each
    /// once: `skip` passed over, at most `limit`, and whether more follow.
    fn triples_with_object(
        &self,
        object: &NamedNode,
        predicate: Option<&NamedNode>,
        skip: usize,
        limit: usize,
    ) -> Result<(Vec<Triple>, bool), StoreError>;

    fn contains_graph(&self, graph: &NamedNode) -> Result<bool, StoreError>;

    /// How many named graphs the store holds.
    fn graph_count(&self) -> Result<usize, StoreError>;

    /// Writes the store (or one graph) in an RDF format.
    fn export(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), StoreError>;

    /// Writes one graph (`None`: the default graph) in a graph format.
    fn export_graph(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), StoreError>;

    /// Replaces a named graph whole.
    fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError>;

    /// Removes a named graph; whether it was there.
    fn remove_graph(&self, graph: &NamedNode) -> Result<bool, StoreError>;

    /// Runs a SPARQL Update.
    fn update(&self, sparql: &str, options: &UpdateOptions) -> Result<(), StoreError>;

    /// Replaces (or, with `append`, adds to) a graph from RDF data.
    fn load_graph(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        data: &[u8],
        append: bool,
    ) -> Result<(), StoreError>;

    /// Loads a dump (N-Quads, TriG) as it is, graphs and all.
    fn load_dataset(&self, format: RdfFormat, data: &[u8]) -> Result<(), StoreError>;

    /// The full-text index of the paragraphs (switched off where the store has none).
    fn text_index(&self) -> &TextIndex;

    /// Makes writes durable before a clean exit.
    fn flush(&self) -> Result<(), StoreError>;
}

/// A store shared by the server's handlers.
pub type SharedStore = Arc<dyn Backend>;

impl Backend for GraphStore {
    fn query_parsed(
        &self,
        query: spargebra::Query,
        cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        GraphStore::query_parsed(self, query, Vec::new(), cancel)
    }

    fn query_with(
        &self,
        sparql: &str,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError> {
        GraphStore::query_with(self, sparql, options)
    }

    fn summary_count(&self, key: &Key) -> Result<Count, StoreError> {
        GraphStore::summary_count(self, key)
    }

    fn label_of(&self, subject: &NamedOrBlankNode) -> Result<Option<Term>, StoreError> {
        GraphStore::label_of(self, subject)
    }

    fn literal_of(
        &self,
        subject: &NamedNode,
        property: &NamedNode,
        graph: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        GraphStore::literal_of(self, subject, property, graph)
    }

    fn triples_with_subject(
        &self,
        subject: &NamedNode,
        limit: usize,
    ) -> Result<Vec<Triple>, StoreError> {
        GraphStore::triples_with_subject(self, subject, limit)
    }

    fn triples_with_object(
        &self,
        object: &NamedNode,
        predicate: Option<&NamedNode>,
        skip: usize,
        limit: usize,
    ) -> Result<(Vec<Triple>, bool), StoreError> {
        GraphStore::triples_with_object(self, object, predicate, skip, limit)
    }

    fn contains_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        GraphStore::contains_graph(self, graph)
    }

    fn graph_count(&self) -> Result<usize, StoreError> {
        Ok(self.named_graphs()?.len())
    }

    fn export(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), StoreError> {
        GraphStore::export(self, format, graph, out)?.flush()?;
        Ok(())
    }

    fn export_graph(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), StoreError> {
        GraphStore::export_graph(self, format, graph, out)?.flush()?;
        Ok(())
    }

    fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        GraphStore::replace_graph(self, graph, quads)
    }

    fn remove_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        GraphStore::remove_graph(self, graph)
    }

    fn update(&self, sparql: &str, options: &UpdateOptions) -> Result<(), StoreError> {
        GraphStore::update(self, sparql, options)
    }

    fn load_graph(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        data: &[u8],
        append: bool,
    ) -> Result<(), StoreError> {
        GraphStore::load_graph(self, graph, format, data, append)
    }

    fn load_dataset(&self, format: RdfFormat, data: &[u8]) -> Result<(), StoreError> {
        GraphStore::load_dataset(self, format, data)
    }

    fn text_index(&self) -> &TextIndex {
        GraphStore::text_index(self)
    }

    fn flush(&self) -> Result<(), StoreError> {
        GraphStore::flush(self)
    }
}
