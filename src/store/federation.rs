//! SPARQL 1.1 Federated Query, when the operator allows it (`serve --allow-federation`):
//! a `SERVICE <http://...>` pattern is sent as a SELECT to that endpoint over plain
//! HTTP, and its JSON results are joined in. Off by default: it makes outbound requests.

use oxigraph::model::NamedNode;
use oxigraph::model::Variable;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError, QuerySolutionIter};
use spargebra::algebra::GraphPattern;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FederationError {
    #[error("SERVICE <{0}>: only http:// endpoints can be called")]
    Scheme(String),
    #[error("SERVICE <{service}>: {message}")]
    Request { service: String, message: String },
    #[error("SERVICE <{service}>: bad results: {message}")]
    Results { service: String, message: String },
}

/// Calls remote SPARQL endpoints for `SERVICE` patterns.
pub struct HttpServiceHandler {
    agent: ureq::Agent,
}

impl HttpServiceHandler {
    pub fn new(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .build()
            .into();
        HttpServiceHandler { agent }
    }
}

impl DefaultServiceHandler for HttpServiceHandler {
    type Error = FederationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, FederationError> {
        let service = service_name.as_str().to_string();
        if !service.starts_with("http://") {
            return Err(FederationError::Scheme(service));
        }
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        }
        .to_string();
        let request = |message: String| FederationError::Request {
            service: service.clone(),
            message,
        };
        let body = self
            .agent
            .post(&service)
            .header("Accept", "application/sparql-results+json")
            .send_form([("query", query.as_str())])
            .map_err(|e| request(e.to_string()))?
            .body_mut()
            .read_to_vec()
            .map_err(|e| request(e.to_string()))?;
        let bad = |message: String| FederationError::Results {
            service: service.clone(),
            message,
        };
        let SliceQueryResultsParserOutput::Solutions(solutions) =
            QueryResultsParser::from_format(QueryResultsFormat::Json)
                .for_slice(&body)
                .map_err(|e| bad(e.to_string()))?
        else {
            return Err(bad("a boolean where solutions were expected".into()));
        };
        let variables: Arc<[Variable]> = solutions.variables().to_vec().into();
        let mut rows = Vec::new();
        for s in solutions {
            rows.push(Ok::<_, QueryEvaluationError>(
                s.map_err(|e| bad(e.to_string()))?,
            ));
        }
        Ok(QuerySolutionIter::new(variables, rows))
    }
}
