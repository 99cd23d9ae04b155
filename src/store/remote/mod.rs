//! A triple store reached over HTTP (Oxigraph's server, Virtuoso, Fuseki, GraphDB...):
//! queries and updates by the SPARQL 1.1 Protocol, whole graphs by the Graph Store
//! Protocol. Why: an institution that publishes the graph already runs such a store,
//! perhaps clustered, and a collection larger than one machine belongs there.
//!
//! What holds here (the README says it for users): a report's graph is written with
//! one Graph Store `PUT`, so the remote store holds it whole or not at all, as far as
//! that store makes one request atomic; the topic summary is marked pending before a
//! write and current after its counts are in, and a summary found pending is recounted
//! from the graphs (`summary`). No query text is built from request data: questions are
//! parsed once and their values set in the algebra (`store::bind`).

mod http;
mod summary;
mod writes;

use self::http::Call;
use super::search::TextIndex;
use super::{Backend, QueryOptions, StoreError, StoredReport, UpdateOptions};
use crate::map::summary::{Count, Key, Tally};
use crate::map::IriBase;
use crate::reference::cg;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, QueryTripleIter};
use spargebra::{Query, SparqlParser};
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;
pub use summary::{Delta, FactBook, GraphWrite, Stored};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The store did not answer (down, unreachable, or slower than the time limit).
    #[error("the remote store at {url} did not answer: {message}")]
    Unreachable { url: String, message: String },
    /// It answered with an error status.
    #[error("the remote store at {url} answered {status}: {message}")]
    Status {
        url: String,
        status: u16,
        message: String,
    },
    #[error("the remote store's answer could not be read: {0}")]
    Answer(String),
    /// A built-in question lacks what it is asked with (a bug, named here).
    #[error("built-in question: {0}")]
    Question(String),
    /// A write needs the endpoint it goes to.
    #[error("{0} is needed for this (give the flag or its CRIMEGRAPH_REMOTE_* variable)")]
    Missing(&'static str),
    /// A write names no graph: on a remote store, the default graph is the union of
    /// the named graphs (`--union-default-graph`), so what it holds cannot be counted.
    #[error(
        "a write to a remote store names each graph it writes by IRI (a Graph Store \
         request with ?graph=, quads with a graph name): the default graph there is \
         the union of the named graphs"
    )]
    DefaultGraph,
    /// `LOAD` would have the remote store fetch a URL a client chose.
    #[error("LOAD is not sent to a remote store: send the data to /store instead")]
    Load,
}

/// Where the remote store is: the three endpoints and the account, if any.
#[derive(Debug, Clone, Default)]
pub struct RemoteConfig {
    /// SPARQL 1.1 Protocol query endpoint.
    pub query: String,
    /// SPARQL 1.1 Protocol update endpoint (needed to write).
    pub update: Option<String>,
    /// Graph Store Protocol endpoint (needed to write and to export one graph).
    pub store: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    /// How long one request may take.
    pub timeout: Duration,
}

/// A triple store over HTTP, behind [`Backend`].
pub struct RemoteStore {
    config: RemoteConfig,
    http: http::Http,
    base: IriBase,
    parser: SparqlParser,
    /// Switched off: the paragraphs' index lives with an embedded store.
    index: TextIndex,
    /// What the topic summary needs to know of each entity (its classes and label).
    facts: FactBook,
    /// The keys of the counts the reference graph makes (`summary::Stored`).
    reference_keys: std::collections::HashSet<Key>,
}

/// Rows asked for at a time where an answer grows with the collection.
const PAGE: usize = 5_000;

/// The accept header of each kind of answer, and how it is parsed.
const SOLUTIONS: &str = "application/sparql-results+json";
const GRAPH: &str = "application/n-triples";
const FORM: &str = "application/x-www-form-urlencoded";

impl RemoteStore {
    /// Connects (nothing is sent until the first request); `reference` is the
    /// reference graph as this pipeline makes it, where entities' classes come from.
    pub fn new(
        config: RemoteConfig,
        base: &IriBase,
        reference: &[Quad],
    ) -> Result<Self, StoreError> {
        let http = http::Http::new(config.timeout, config.user.clone(), config.password.clone());
        Ok(RemoteStore {
            config,
            http,
            base: base.clone(),
            parser: super::sparql_parser(base),
            index: TextIndex::open(None, base, false)?,
            facts: FactBook::of_reference(reference),
            reference_keys: Tally::of_graph(reference.iter().map(Quad::as_ref))
                .counts
                .into_keys()
                .collect(),
        })
    }

    /// Every report graph the store holds, a page at a time.
    pub fn report_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        self.paged(REPORT_GRAPHS, &[("report", vec![cg("Report").into()])], "g")
    }

    pub fn base(&self) -> &IriBase {
        &self.base
    }

    /// Sends a query's text; the answer is parsed as it streams in.
    pub fn send_query(
        &self,
        query: &Query,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError> {
        let url = &self.config.query;
        let graph_answer = matches!(query, Query::Construct { .. } | Query::Describe { .. });
        let text = query.to_string();
        let mut form: Vec<(&str, &str)> = vec![("query", text.as_str())];
        form.extend(
            options
                .default_graphs
                .iter()
                .map(|g| ("default-graph-uri", g.as_str())),
        );
        form.extend(
            options
                .named_graphs
                .iter()
                .map(|g| ("named-graph-uri", g.as_str())),
        );
        let accept = if graph_answer { GRAPH } else { SOLUTIONS };
        let body = http::form(&form);
        let response = self.http.send(&Call {
            method: "POST",
            url,
            params: &[],
            headers: &[("Accept", accept), ("Content-Type", FORM)],
            body: Some(&body),
        })?;
        let reader = response.into_body().into_reader();
        if graph_answer {
            let triples = RdfParser::from_format(RdfFormat::NTriples)
                .for_reader(reader)
                .map(|q| {
                    q.map(Triple::from)
                        .map_err(|e| QueryEvaluationError::Service(Box::new(e)))
                });
            return Ok(QueryResults::Graph(QueryTripleIter::new(triples)));
        }
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(reader)
            .map_err(|e| RemoteError::Answer(e.to_string()))?;
        Ok(QueryResults::from(parsed))
    }

    fn store_url(&self) -> Result<&str, RemoteError> {
        self.config
            .store
            .as_deref()
            .ok_or(RemoteError::Missing("--remote-store"))
    }

    /// Replaces one graph by `quads` with one Graph Store `PUT`.
    pub fn put_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        self.send_graph("PUT", graph, quads)
    }

    /// Adds `quads` to one graph with one Graph Store `POST`.
    pub fn post_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        self.send_graph("POST", graph, quads)
    }

    fn send_graph(
        &self,
        method: &'static str,
        graph: &NamedNode,
        quads: &[Quad],
    ) -> Result<(), StoreError> {
        let url = self.store_url()?;
        let mut body = Vec::with_capacity(quads.len() * 120);
        for q in quads {
            writeln!(body, "{} {} {} .", q.subject, q.predicate, q.object)?;
        }
        self.http.send(&Call {
            method,
            url,
            params: &[("graph", graph.as_str())],
            headers: &[("Content-Type", GRAPH)],
            body: Some(&body),
        })?;
        Ok(())
    }

    /// One graph's quads, `None` when the store has no such graph.
    pub fn get_graph(&self, graph: &NamedNode) -> Result<Option<Vec<Quad>>, StoreError> {
        self.get(Some(graph))
    }

    /// One graph's quads (`None`: the default graph's), `None` when there is none.
    fn get(&self, graph: Option<&NamedNode>) -> Result<Option<Vec<Quad>>, StoreError> {
        let url = self.store_url()?;
        let param = match graph {
            Some(g) => ("graph", g.as_str()),
            None => ("default", ""),
        };
        let response = self.http.send(&Call {
            method: "GET",
            url,
            params: &[param],
            headers: &[("Accept", GRAPH)],
            body: None,
        });
        let response = match response {
            Err(RemoteError::Status { status: 404, .. }) => return Ok(None),
            other => other?,
        };
        let quads = RdfParser::from_format(RdfFormat::NTriples)
            .with_default_graph(graph.map_or(GraphName::DefaultGraph, |g| g.clone().into()))
            .for_reader(response.into_body().into_reader())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| RemoteError::Answer(e.to_string()))?;
        Ok(Some(quads))
    }

    /// The summary graph in one Graph Store answer, `None` when the store refuses a
    /// graph that large with a server error (Virtuoso past a million triples): the
    /// caller then reads it by its counts' keys (`summary::read_by_keys`).
    fn whole_summary(&self, summary: &NamedNode) -> Result<Option<Vec<Quad>>, StoreError> {
        match self.get_graph(summary) {
            Ok(quads) => Ok(Some(quads.unwrap_or_default())),
            Err(StoreError::Remote(RemoteError::Status {
                status, message, ..
            })) if status >= 500 => {
                tracing::warn!(
                    "the remote store gave no summary graph in one answer ({status}: \
                     {message}); reading it count by count"
                );
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Deletes one graph; whether it was there.
    pub fn delete_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        let url = self.store_url()?;
        let response = self.http.send(&Call {
            method: "DELETE",
            url,
            params: &[("graph", graph.as_str())],
            headers: &[],
            body: None,
        });
        match response {
            Err(RemoteError::Status { status: 404, .. }) => Ok(false),
            Err(e) => Err(e.into()),
            Ok(_) => Ok(true),
        }
    }

    /// Runs one of the questions below with `values` set in its algebra.
    fn ask(
        &self,
        question: &str,
        values: &[(&str, Vec<Term>)],
        slice: Option<(usize, usize)>,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut query = self.parser.clone().parse_query(question)?;
        let pattern = super::bind::pattern_mut(&mut query);
        let unbound = |what: String| RemoteError::Question(format!("{what} in {question}"));
        for (var, terms) in values {
            let rows: Vec<_> = terms.iter().filter_map(ground).collect();
            let var = oxigraph::model::Variable::new_unchecked(*var);
            if !super::bind::set_values(pattern, &var, &rows) {
                return Err(unbound(format!("no VALUES {var}")).into());
            }
        }
        if let Some((start, length)) = slice {
            if !super::bind::set_slice(pattern, start, length) {
                return Err(unbound("no LIMIT".into()).into());
            }
        }
        self.send_query(&query, &QueryOptions::default())
    }

    /// Runs one of the updates of `summary` with `values` as its `VALUES` rows.
    ///
    /// Why text and not the parsed algebra written out, as queries are: Virtuoso 7
    /// refuses the `GRAPH ?g { ... } .` that the writer puts in a template. The text is
    /// the constant template with each `VALUES ?var { <urn:x> }` holding the terms as
    /// N-Triples writes them (checked IRIs, escaped literals: our own count nodes, never
    /// request data), and it is parsed here before it is sent.
    fn change(&self, template: &str, values: &[(&str, Vec<Term>)]) -> Result<(), StoreError> {
        let mut text = template.to_string();
        for (var, terms) in values {
            let placeholder = format!("VALUES ?{var} {{ <urn:x> }}");
            if !text.contains(&placeholder) {
                let what = format!("no {placeholder} in {template}");
                return Err(RemoteError::Question(what).into());
            }
            let rows: Vec<String> = terms.iter().map(Term::to_string).collect();
            text = text.replace(
                &placeholder,
                &format!("VALUES ?{var} {{ {} }}", rows.join(" ")),
            );
        }
        self.parser.clone().parse_update(&text)?;
        self.send_update(&text)
    }

    /// Sends an update's text (parsed here first) to the update endpoint.
    fn send_update(&self, text: &str) -> Result<(), StoreError> {
        let url = self
            .config
            .update
            .as_deref()
            .ok_or(RemoteError::Missing("--remote-update"))?;
        self.http.send(&Call {
            method: "POST",
            url,
            params: &[],
            headers: &[("Content-Type", FORM)],
            body: Some(&http::form(&[("update", text)])),
        })?;
        Ok(())
    }

    /// Marks the topic summary pending before graphs are written with
    /// [`Self::put_reports`]; [`Self::settle`] applies what they changed.
    pub fn mark_pending(&self) -> Result<(), StoreError> {
        summary::mark_pending(self)
    }

    /// Writes graphs (`None`: removes it), in parallel: each graph's outcome, and what
    /// the summary is to take off and add for them.
    pub fn put_reports(&self, writes: Vec<GraphWrite>) -> (Vec<Result<(), StoreError>>, Delta) {
        summary::put_all(self, writes)
    }

    /// Brings the summary level with the writes since [`Self::mark_pending`].
    pub fn settle(&self, delta: &Delta, stored: Stored) -> Result<(), StoreError> {
        summary::settle(self, delta, stored)
    }

    /// Recounts the topic summary if a write was cut short; whether it did.
    pub fn recount_if_cut_short(&self) -> Result<bool, StoreError> {
        summary::ensure_current(self)
    }

    /// The reports the store holds, by graph: what tells whether a file is stored
    /// already (one question for the whole collection, not one per file).
    pub fn stored_reports(&self) -> Result<HashMap<NamedNode, StoredReport>, StoreError> {
        let values = [
            ("report", vec![cg("Report").into()]),
            ("file", vec![cg("sourceFile").into()]),
            ("sha", vec![cg("sha256").into()]),
            ("made", vec![cg("pipeline").into()]),
        ];
        let rows = self.pages(STORED_REPORTS, &values, &["g", "f", "s", "p"])?;
        let text = |t: &Option<Term>| match t {
            Some(Term::Literal(l)) => l.value().to_string(),
            _ => String::new(),
        };
        Ok(rows
            .into_iter()
            .filter_map(|r| match &r[0] {
                Some(Term::NamedNode(g)) => Some((
                    g.clone(),
                    StoredReport {
                        source_file: text(&r[1]),
                        sha256: text(&r[2]),
                        pipeline: text(&r[3]),
                    },
                )),
                _ => None,
            })
            .collect())
    }

    /// Every row of `question`, whose first variable is a graph it is ordered by, asked
    /// a page at a time: a store may cut a long answer short silently (Virtuoso's
    /// `ResultSetMaxRows`, 10,000 by default). Each page starts after the last graph of
    /// the page before (the question's `?after`).
    fn pages(
        &self,
        question: &str,
        values: &[(&str, Vec<Term>)],
        vars: &[&str],
    ) -> Result<Vec<Vec<Option<Term>>>, StoreError> {
        let mut out: Vec<Vec<Option<Term>>> = Vec::new();
        let mut values = values.to_vec();
        values.push(("after", vec![Literal::from("").into()]));
        loop {
            let page = Self::rows(self.ask(question, &values, Some((0, PAGE)))?, vars)?;
            let full = page.len() == PAGE;
            out.extend(page);
            let after = match out.last().and_then(|r| r[0].as_ref()) {
                Some(Term::NamedNode(g)) if full => g.as_str().to_string(),
                _ => return Ok(out),
            };
            if let Some((_, terms)) = values.last_mut() {
                *terms = vec![Literal::from(after).into()];
            }
        }
    }

    /// Every IRI a question of [`Self::pages`] gives in its one variable.
    fn paged(
        &self,
        question: &str,
        values: &[(&str, Vec<Term>)],
        var: &str,
    ) -> Result<Vec<NamedNode>, StoreError> {
        let rows = self.pages(question, values, &[var])?;
        Ok(rows
            .into_iter()
            .filter_map(|mut r| match r.remove(0) {
                Some(Term::NamedNode(n)) => Some(n),
                _ => None,
            })
            .collect())
    }

    /// The rows of a SELECT, each as its terms in the order of `vars`.
    fn rows(
        results: QueryResults<'static>,
        vars: &[&str],
    ) -> Result<Vec<Vec<Option<Term>>>, StoreError> {
        let QueryResults::Solutions(solutions) = results else {
            return Err(RemoteError::Answer("solutions were expected".into()).into());
        };
        let mut out = Vec::new();
        for s in solutions {
            let s = s?;
            out.push(vars.iter().map(|v| s.get(*v).cloned()).collect());
        }
        Ok(out)
    }
}

/// `template` with `graph` written in for `<urn:graph>`. A graph name bound by `VALUES`
/// instead has Oxigraph match the pattern in every graph and join after: 80 s where
/// the constant takes 0.08 s (2,000 count nodes of a 1,000-report summary).
fn in_graph(template: &str, graph: &NamedNode) -> String {
    template.replace("<urn:graph>", &graph.to_string())
}

/// A term a `VALUES` row can hold.
fn ground(t: &Term) -> Option<spargebra::term::GroundTerm> {
    match t {
        Term::NamedNode(n) => Some(spargebra::term::GroundTerm::NamedNode(n.clone())),
        Term::Literal(l) => Some(spargebra::term::GroundTerm::Literal(l.clone())),
        _ => None,
    }
}

/// The questions the pages ask of a store besides their saved queries.
const LABEL_OF: &str = "SELECT ?label WHERE { VALUES ?s { <urn:x> } \
    ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 1";
// DISTINCT: every report of a meeting repeats the meeting's and its agenda items'
// labels in its own graph, and over the union of the graphs each came once per report
// (2.8 MB of answer for 40 labels at 10,000 reports).
const LABELS_OF: &str = "SELECT DISTINCT ?s ?label WHERE { VALUES ?s { <urn:x> } \
    ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }";
/// Subjects whose labels one request asks for: a page names a few hundred at most.
const LABELS_PER_REQUEST: usize = 500;
const LITERAL_OF: &str = "SELECT ?v WHERE { VALUES ?s { <urn:x> } VALUES ?p { <urn:x> } \
    GRAPH <urn:graph> { ?s ?p ?v } FILTER(isLiteral(?v)) } LIMIT 1";
const OWN_TRIPLES: &str = "SELECT DISTINCT ?p ?o WHERE { VALUES ?s { <urn:x> } ?s ?p ?o } LIMIT 1";
// In the store's own order, as the embedded store reads its index: an ORDER BY sorts
// every triple that points at the subject before the first page (2.4 s for a crime
// type at 10,000 reports, where the page shows 50).
const TRIPLES_TO: &str = "SELECT DISTINCT ?s ?p WHERE { VALUES ?o { <urn:x> } ?s ?p ?o } LIMIT 1";
const TRIPLES_TO_BY: &str =
    "SELECT DISTINCT ?s ?p WHERE { VALUES ?o { <urn:x> } VALUES ?p { <urn:x> } ?s ?p ?o } LIMIT 1";
// Asked a page at a time by [`RemoteStore::pages`]: each page starts after the last
// graph of the one before (`?after`), not at an OFFSET, which Virtuoso caps (a sorted
// OFFSET + LIMIT past 10,000 rows is refused, SR353).
const STORED_REPORTS: &str = "SELECT ?g ?f ?s ?p WHERE { VALUES ?report { <urn:x> } \
    VALUES ?file { <urn:x> } VALUES ?sha { <urn:x> } VALUES ?made { <urn:x> } \
    VALUES ?after { <urn:x> } \
    GRAPH ?g { ?r a ?report ; ?file ?f ; ?sha ?s ; ?made ?p } FILTER(STR(?g) > ?after) } \
    ORDER BY ?g LIMIT 1";
const REPORT_GRAPHS: &str = "SELECT DISTINCT ?g WHERE { VALUES ?report { <urn:x> } \
    VALUES ?after { <urn:x> } GRAPH ?g { ?r a ?report } FILTER(STR(?g) > ?after) } \
    ORDER BY ?g LIMIT 1";
const HAS_GRAPH: &str = "ASK { GRAPH <urn:graph> { ?s ?p ?o } }";
const GRAPH_COUNT: &str = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { VALUES ?report { <urn:x> } \
    GRAPH ?g { ?r a ?report } }";

impl Backend for RemoteStore {
    fn query_parsed(
        &self,
        query: Query,
        _cancel: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        // The request's time limit bounds the call (`RemoteConfig::timeout`).
        self.send_query(&query, &QueryOptions::default())
    }

    fn query_with(
        &self,
        sparql: &str,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError> {
        super::nesting::check(sparql)?;
        // Parsed here first: a syntax error is answered here, in this server's words,
        // and what is sent is the parsed query (relative IRIs resolved).
        let query = self.parser.clone().parse_query(sparql)?;
        self.send_query(&query, options)
    }

    fn summary_count(&self, key: &Key) -> Result<Count, StoreError> {
        summary::stored(self, key)
    }

    fn summary_counts(&self, keys: &[Key]) -> Result<Vec<Count>, StoreError> {
        summary::stored_all(self, keys)
    }

    fn label_of(&self, subject: &NamedOrBlankNode) -> Result<Option<Term>, StoreError> {
        let NamedOrBlankNode::NamedNode(s) = subject else {
            return Ok(None);
        };
        let rows = Self::rows(
            self.ask(LABEL_OF, &[("s", vec![s.clone().into()])], None)?,
            &["label"],
        )?;
        Ok(rows.into_iter().next().and_then(|mut r| r.remove(0)))
    }

    fn labels_of(
        &self,
        subjects: &[NamedOrBlankNode],
    ) -> Result<HashMap<NamedOrBlankNode, Term>, StoreError> {
        // A blank node cannot be asked about by name: it has no label to find here.
        let named: Vec<Term> = subjects
            .iter()
            .filter_map(|s| match s {
                NamedOrBlankNode::NamedNode(n) => Some(Term::from(n.clone())),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        let mut labels = HashMap::new();
        for chunk in named.chunks(LABELS_PER_REQUEST) {
            let rows = Self::rows(
                self.ask(LABELS_OF, &[("s", chunk.to_vec())], None)?,
                &["s", "label"],
            )?;
            for row in rows {
                if let [Some(Term::NamedNode(s)), Some(label)] = &row[..] {
                    labels
                        .entry(NamedOrBlankNode::from(s.clone()))
                        .or_insert_with(|| label.clone());
                }
            }
        }
        Ok(labels)
    }

    fn literal_of(
        &self,
        subject: &NamedNode,
        property: &NamedNode,
        graph: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        let values = [
            ("s", vec![subject.clone().into()]),
            ("p", vec![property.clone().into()]),
        ];
        let question = in_graph(LITERAL_OF, graph);
        let rows = Self::rows(self.ask(&question, &values, None)?, &["v"])?;
        Ok(rows.into_iter().find_map(|mut r| match r.remove(0) {
            Some(Term::Literal(l)) => Some(l.value().to_string()),
            _ => None,
        }))
    }

    fn triples_with_subject(
        &self,
        subject: &NamedNode,
        limit: usize,
    ) -> Result<Vec<Triple>, StoreError> {
        let values = [("s", vec![subject.clone().into()])];
        let rows = Self::rows(
            self.ask(OWN_TRIPLES, &values, Some((0, limit)))?,
            &["p", "o"],
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match (&r[0], &r[1]) {
                (Some(Term::NamedNode(p)), Some(o)) => {
                    Some(Triple::new(subject.clone(), p.clone(), o.clone()))
                }
                _ => None,
            })
            .collect())
    }

    fn triples_with_object(
        &self,
        object: &NamedNode,
        predicate: Option<&NamedNode>,
        skip: usize,
        limit: usize,
    ) -> Result<(Vec<Triple>, bool), StoreError> {
        let values = [("o", vec![object.clone().into()])];
        let answer = match predicate {
            None => self.ask(TRIPLES_TO, &values, Some((skip, limit + 1)))?,
            Some(p) => {
                let values = [values[0].clone(), ("p", vec![p.clone().into()])];
                self.ask(TRIPLES_TO_BY, &values, Some((skip, limit + 1)))?
            }
        };
        let mut triples: Vec<Triple> = Self::rows(answer, &["s", "p"])?
            .into_iter()
            .filter_map(|r| {
                let s = match &r[0] {
                    Some(Term::NamedNode(n)) => NamedOrBlankNode::NamedNode(n.clone()),
                    Some(Term::BlankNode(b)) => NamedOrBlankNode::BlankNode(b.clone()),
                    _ => return None,
                };
                match &r[1] {
                    Some(Term::NamedNode(p)) => Some(Triple::new(s, p.clone(), object.clone())),
                    _ => None,
                }
            })
            .collect();
        let more = triples.len() > limit;
        triples.truncate(limit);
        Ok((triples, more))
    }

    fn contains_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        match self.ask(&in_graph(HAS_GRAPH, graph), &[], None)? {
            QueryResults::Boolean(b) => Ok(b),
            _ => Err(RemoteError::Answer("a boolean was expected".into()).into()),
        }
    }

    fn graph_count(&self) -> Result<usize, StoreError> {
        // The report graphs (found by their type: counting every graph scans every
        // quad), the reference data and the summary.
        let values = [("report", vec![cg("Report").into()])];
        let rows = Self::rows(self.ask(GRAPH_COUNT, &values, None)?, &["n"])?;
        let reports: usize = match rows.first().and_then(|r| r[0].as_ref()) {
            Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
            _ => 0,
        };
        Ok(reports + 2)
    }

    fn export(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), StoreError> {
        let mut serializer = RdfSerializer::from_format(format).for_writer(out);
        let summary = crate::map::summary::summary_graph(&self.base);
        match graph {
            Some(g) if *g == summary => {
                let whole = self.whole_summary(&summary)?;
                let mut sink = |q: &Quad| Ok(serializer.serialize_triple(q.as_ref())?);
                match whole {
                    Some(quads) => quads.iter().try_for_each(&mut sink)?,
                    None => {
                        let mut graphs = self.report_graphs()?;
                        graphs.push(self.base.reference_graph());
                        let tally = summary::tally_of(self, &graphs)?;
                        summary::read_by_keys(self, &tally, &mut sink)?;
                    }
                }
            }
            Some(g) => {
                for q in self.get_graph(g)?.unwrap_or_default() {
                    serializer.serialize_triple(q.as_ref())?;
                }
            }
            None => {
                if !format.supports_datasets() {
                    return Err(StoreError::NotDataset(format));
                }
                // Graph by graph, each whole from the Graph Store: a store cuts long
                // answers short (Virtuoso at 10,000 rows by default) without saying so.
                // The graphs are crimegraph's: the reference data, the summary and the
                // reports (found by their type, an index lookup, where listing every
                // graph scans every quad). A summary too large for one answer is read
                // by its counts' keys, which the graphs written before it give.
                let whole = self.whole_summary(&summary)?;
                let mut sink = |q: &Quad| Ok(serializer.serialize_quad(q)?);
                if let Some(quads) = &whole {
                    quads.iter().try_for_each(&mut sink)?;
                }
                let mut graphs = vec![self.base.reference_graph()];
                graphs.extend(self.report_graphs()?);
                let mut tally = Tally::default();
                for g in graphs {
                    let quads = self.get_graph(&g)?.unwrap_or_default();
                    if whole.is_none() {
                        tally.add(Tally::of_graph(quads.iter().map(Quad::as_ref)));
                    }
                    quads.iter().try_for_each(&mut sink)?;
                }
                if whole.is_none() {
                    summary::read_by_keys(self, &tally, &mut sink)?;
                }
            }
        }
        serializer.finish()?;
        Ok(())
    }

    fn export_graph(
        &self,
        format: RdfFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), StoreError> {
        let mut serializer = RdfSerializer::from_format(format).for_writer(out);
        for q in self.get(graph)?.unwrap_or_default() {
            serializer.serialize_triple(q.as_ref())?;
        }
        serializer.finish()?;
        Ok(())
    }

    fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        summary::write_graphs(self, &[(graph.clone(), Some(quads.to_vec()))])
    }

    fn remove_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        if !self.contains_graph(graph)? {
            return Ok(false);
        }
        summary::write_graphs(self, &[(graph.clone(), None)])?;
        Ok(true)
    }

    fn update(&self, sparql: &str, options: &UpdateOptions) -> Result<(), StoreError> {
        self.run_update(sparql, options)
    }

    fn load_graph(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        data: &[u8],
        append: bool,
    ) -> Result<(), StoreError> {
        self.load_into(graph, format, data, append)
    }

    fn load_dataset(&self, format: RdfFormat, data: &[u8]) -> Result<(), StoreError> {
        self.load_quads(format, data)
    }

    fn text_index(&self) -> &TextIndex {
        &self.index
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
