//! Oxigraph: open, replace one graph atomically, query, export. Knows no report text
//! and no HTTP.

mod federation;

pub use federation::{FederationError, HttpServiceHandler};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::{SerializerError, Store};
use std::io::Write;
use std::path::Path;

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
    #[error("query failed: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    #[error("cannot write results: {0}")]
    Write(#[from] std::io::Error),
    #[error("{0} is not a dataset format: use N-Quads or TriG to export several graphs, or name one graph")]
    NotDataset(RdfFormat),
    #[error("SPARQL update failed: {0}")]
    Update(#[from] oxigraph::sparql::UpdateEvaluationError),
    #[error("bad RDF data: {0}")]
    Load(oxigraph::store::LoaderError),
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

impl From<SerializerError> for StoreError {
    fn from(e: SerializerError) -> Self {
        match e {
            SerializerError::Io(e) => StoreError::Write(e),
            SerializerError::Storage(e) => StoreError::Storage(e),
            SerializerError::DatasetFormatExpected(f) => StoreError::NotDataset(f),
        }
    }
}

/// The graph database: an Oxigraph store on disk (RocksDB) or in memory.
#[derive(Clone)]
pub struct GraphStore {
    store: Store,
}

impl GraphStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let store = Store::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Ok(GraphStore { store })
    }

    pub fn memory() -> Result<Self, StoreError> {
        Ok(GraphStore {
            store: Store::new()?,
        })
    }

    /// Replaces a named graph by `quads` in one transaction: readers see the old graph
    /// or the new one, never a mix, and a failure leaves the old graph.
    pub fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(graph)?;
        tx.extend(quads);
        tx.commit()?;
        Ok(())
    }

    /// Adds quads with Oxigraph's bulk loader: all of them or none.
    ///
    /// The loader sorts the quads into RocksDB table files and ingests them in one step
    /// at the end, so a crash before that leaves nothing of them; a transaction per
    /// report costs about three times as much on large batches (BENCHMARKS.md). It only
    /// adds: the caller keeps graphs that already exist out of it.
    pub fn bulk_load(&self, quads: impl IntoIterator<Item = Quad>) -> Result<(), StoreError> {
        let mut loader = self.store.bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
        Ok(())
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
        let existed = self.store.contains_named_graph(graph)?;
        let mut tx = self.store.start_transaction()?;
        tx.remove_named_graph(graph)?;
        tx.commit()?;
        Ok(existed)
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
        // Built without oxigraph's HTTP client: SERVICE is refused, never a request,
        // unless the operator allowed federation.
        let mut evaluator = SparqlEvaluator::new();
        if let Some(timeout) = options.federation {
            evaluator = evaluator.with_default_service_handler(HttpServiceHandler::new(timeout));
        }
        if let Some(token) = &options.cancel {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        let mut prepared = evaluator.parse_query(sparql)?;
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

    /// Runs a SPARQL Update in one transaction.
    pub fn update(&self, sparql: &str) -> Result<(), StoreError> {
        SparqlEvaluator::new()
            .parse_update(sparql)?
            .on_store(&self.store)
            .execute()?;
        Ok(())
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
        let mut tx = self.store.start_transaction()?;
        if !append {
            tx.clear_graph(target.as_ref())?;
        }
        tx.load_from_slice(parser, data).map_err(StoreError::Load)?;
        tx.commit()?;
        Ok(())
    }

    /// Loads a dump (N-Quads, TriG) as it is, graphs and all.
    pub fn load_dataset(&self, format: RdfFormat, data: &[u8]) -> Result<(), StoreError> {
        let mut tx = self.store.start_transaction()?;
        tx.load_from_slice(format, data).map_err(StoreError::Load)?;
        tx.commit()?;
        Ok(())
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

    /// Flushes writes to disk; called before a clean exit.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.store.flush()?)
    }
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

    #[test]
    fn replacing_a_graph_is_idempotent_and_leaves_others() {
        let store = GraphStore::memory().unwrap();
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
        assert_eq!(store.len().unwrap(), 2);
        assert!(store.remove_graph(&b).unwrap());
        assert_eq!(store.len().unwrap(), 1);
    }

    #[test]
    fn queries_see_the_union_of_graphs() {
        let store = GraphStore::memory().unwrap();
        let a = NamedNode::new_unchecked("http://g/a");
        store.replace_graph(&a, &[quad(&a, "x")]).unwrap();
        let out = write_results(
            store.query("SELECT ?o WHERE { ?s ?p ?o }", None).unwrap(),
            QueryResultsFormat::Csv,
            RdfFormat::Turtle,
            Vec::new(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "o\r\nx\r\n");
    }
}
