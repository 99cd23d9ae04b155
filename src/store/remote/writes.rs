//! Writes made through the server (`serve --update-token`) to a remote store, with the
//! topic summary kept in step as the embedded store keeps it. A Graph Store write or a
//! dataset load names its graphs: each is read, merged if the write adds, and written
//! whole, its counts taken off and put back (`summary::write_all`). A SPARQL Update is
//! sent as it was parsed here; the named graphs it writes are read before and after.
//! An update whose graphs cannot be told from its text (`GRAPH ?g`, or the default
//! graph, which a remote store started as asked holds apart from the union it
//! answers over) leaves the summary pending and recounts it.

use super::{summary, RemoteError, RemoteStore};
use crate::store::{StoreError, UpdateOptions};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::{HashMap, HashSet};

impl RemoteStore {
    /// A SPARQL Update's text, checked and parsed here, sent to the update endpoint.
    pub(super) fn run_update(
        &self,
        sparql: &str,
        options: &UpdateOptions,
    ) -> Result<(), StoreError> {
        crate::store::nesting::check(sparql)?;
        let mut update = self.parser.clone().parse_update(sparql)?;
        crate::store::apply_using(&mut update, options)?;
        if update
            .operations
            .iter()
            .any(|op| matches!(op, spargebra::GraphUpdateOperation::Load { .. }))
        {
            return Err(RemoteError::Load.into());
        }
        let text = update.to_string();
        let send = || self.send_update(&text);
        match crate::store::summary::touched_by(&update) {
            crate::store::summary::Touched::Graphs(graphs)
                if !graphs.contains(&GraphName::DefaultGraph) =>
            {
                let named: Vec<NamedNode> = graphs
                    .into_iter()
                    .filter_map(|g| match g {
                        GraphName::NamedNode(n) => Some(n),
                        _ => None,
                    })
                    .collect();
                summary::observe(self, &named, send)
            }
            _ => summary::recount_after(self, send),
        }
    }

    /// Replaces (or, with `append`, adds to) one named graph from RDF data.
    pub(super) fn load_into(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        data: &[u8],
        append: bool,
    ) -> Result<(), StoreError> {
        let graph = graph.ok_or(RemoteError::DefaultGraph)?;
        let parser = RdfParser::from_format(format)
            .with_default_graph(graph.clone())
            .without_named_graphs();
        let quads = parse(parser, data)?;
        let quads = match append {
            true => self.merged(graph, quads)?,
            false => quads,
        };
        summary::write_graphs(self, &[(graph.clone(), Some(quads))])
    }

    /// Adds a dump's quads (N-Quads, TriG) to the named graphs it names.
    pub(super) fn load_quads(&self, format: RdfFormat, data: &[u8]) -> Result<(), StoreError> {
        let mut by_graph: HashMap<NamedNode, Vec<Quad>> = HashMap::new();
        for quad in parse(RdfParser::from_format(format), data)? {
            let GraphName::NamedNode(g) = &quad.graph_name else {
                return Err(RemoteError::DefaultGraph.into());
            };
            by_graph.entry(g.clone()).or_default().push(quad);
        }
        let mut writes = Vec::with_capacity(by_graph.len());
        for (graph, quads) in by_graph {
            let quads = self.merged(&graph, quads)?;
            writes.push((graph, Some(quads)));
        }
        summary::write_graphs(self, &writes)
    }

    /// `quads` added to what the store holds in `graph`, each quad once.
    fn merged(&self, graph: &NamedNode, quads: Vec<Quad>) -> Result<Vec<Quad>, StoreError> {
        let mut all = self.get_graph(graph)?.unwrap_or_default();
        all.extend(quads);
        let mut seen = HashSet::new();
        all.retain(|q| seen.insert(q.clone()));
        Ok(all)
    }
}

/// Every quad of `data`, or the first syntax error (a bad request, as on the embedded
/// store).
fn parse(parser: RdfParser, data: &[u8]) -> Result<Vec<Quad>, StoreError> {
    let quads: Vec<Quad> = parser
        .for_slice(data)
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Load(oxigraph::store::LoaderError::Parsing(e.into())))?;
    if quads
        .iter()
        .any(|q| matches!(q.graph_name, GraphName::BlankNode(_)))
    {
        return Err(RemoteError::DefaultGraph.into());
    }
    Ok(quads)
}
