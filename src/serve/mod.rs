//! axum: one router per resource, merged here. Oxigraph calls block, so they run off
//! the async threads: queries through the `QueryRunner` (a slot, the time limit,
//! cancellation; see `runner`), writes in `spawn_blocking`.

mod answer;
mod api;
mod budget;
mod linked;
mod listen;
mod negotiate;
mod pages;
mod queries;
mod reports;
mod rows;
mod runner;
mod search;
mod sparql;
mod store_protocol;

use crate::ingest::Pipeline;
use crate::store::{SharedStore, StoreError};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use std::time::Duration;

pub use listen::run;
pub use negotiate::negotiate;
pub use runner::{QueryRunner, Running};

/// How the server is set up; every field has its flag in `cli.rs`.
#[derive(Debug, Clone)]
pub struct Config {
    pub query_timeout: Duration,
    /// Writes (SPARQL Update, Graph Store writes, report ingest and removal) need this
    /// bearer token; `None` turns them off.
    pub update_token: Option<String>,
    /// Allowed CORS origins; empty: no CORS headers.
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Whether `SERVICE` may call other endpoints (outbound HTTP requests).
    pub allow_federation: bool,
    /// How long a client may take to send a request's head, and its body: a slow or
    /// stalled client is cut off after this rather than holding a connection.
    pub client_timeout: Duration,
    /// How many SPARQL queries are evaluated at once; the others wait their turn, in
    /// the order they came. 0: no limit.
    pub query_slots: usize,
    /// Bytes of working memory one query may take; past it the query is stopped
    /// (`budget`). `None`: no limit.
    pub query_memory: Option<usize>,
    /// Where clients reach the server (`https://example.org`, no trailing `/`): the
    /// addresses VoID gives and the links between pages of a description. Never taken
    /// from a request's `Host` header, which the client writes. `None`: `serve` sets
    /// `http://{the address it listens on}`.
    pub public_url: Option<String>,
    /// Time limit of one dump, from its request to its last byte.
    pub dump_timeout: Duration,
    /// How many dumps are written at once (at least one); they take no query slot.
    pub dump_slots: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            query_timeout: Duration::from_secs(30),
            update_token: None,
            cors_origins: Vec::new(),
            body_limit: 16 << 20,
            allow_federation: false,
            client_timeout: Duration::from_secs(30),
            query_slots: default_query_slots(),
            query_memory: default_query_memory(default_query_slots()),
            public_url: None,
            dump_timeout: Duration::from_secs(3600),
            dump_slots: 1,
        }
    }
}

/// Four times the cores: enough to keep every core busy while queries wait on the disk
/// or on their turn at a query thread, few enough that a late query does not wait
/// behind a crowd of heavy ones. Measured at 16 connections against `oxigraph serve`
/// (BENCHMARKS.md, 2026-12-04, night): twice the cores answered cheap questions at
/// 0.76-0.85x of it, four times at 0.88-0.99x, with the same page times under 16
/// clients at 100,000 reports; the hand-off to a query thread is what a slot costs a
/// cheap question, and with more slots more of those hand-offs overlap.
pub fn default_query_slots() -> usize {
    std::thread::available_parallelism().map_or(8, |n| 4 * n.get())
}

/// The machine's memory shared by the threads queries run on (twice the slots: those
/// running and as many again stopping), so that all of them at their budget still fit.
/// `None` (no limit) where the memory cannot be read, or with no limit on slots.
pub fn default_query_memory(slots: usize) -> Option<usize> {
    if slots == 0 {
        return None;
    }
    // SAFETY: sysconf reads a system constant.
    let (pages, page) = unsafe {
        (
            libc::sysconf(libc::_SC_PHYS_PAGES),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    (pages > 0 && page > 0).then(|| (pages as usize).saturating_mul(page as usize) / (2 * slots))
}

/// What the handlers share.
pub struct AppState {
    pub store: SharedStore,
    pub pipeline: Arc<Pipeline>,
    pub config: Config,
    /// Every query of every route goes through it: a slot, the time limit, cancellation.
    pub runner: QueryRunner,
    /// The dumps' own runner: their slots and their longer time limit, so that a dump
    /// neither takes a query slot for an hour nor is cut at a query's time limit.
    pub dumps: QueryRunner,
    /// The pages' templates and links, made from the configuration at start-up.
    pub(crate) pages: pages::Pages,
}

impl AppState {
    pub fn new(
        store: SharedStore,
        pipeline: Arc<Pipeline>,
        config: Config,
    ) -> std::io::Result<Self> {
        let runner = QueryRunner::new(config.query_slots, config.query_timeout)?
            .with_memory(config.query_memory);
        let dumps = QueryRunner::new(config.dump_slots.max(1), config.dump_timeout)?
            .with_memory(config.query_memory)
            .on_its_own(config.query_timeout);
        let pages = pages::Pages::new(pipeline.base());
        Ok(AppState {
            store,
            pipeline,
            config,
            runner,
            dumps,
            pages,
        })
    }

    /// The jobs of both runners still on a thread: the server waits for them before
    /// the process exits (`Running`).
    pub fn running(&self) -> [Running; 2] {
        [self.runner.running(), self.dumps.running()]
    }
}

pub type Shared = Arc<AppState>;

/// One error type for every handler: user mistakes get a 4xx and a message that helps;
/// internal failures a 500 with no internals (logged).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    BadGateway(String),
    #[error("the query ran longer than {0:?} and was stopped")]
    Timeout(Duration),
    /// The engine saw its token cancelled; `QueryRunner::run` turns it into `Timeout`.
    #[error("the query was cancelled")]
    Cancelled,
    #[error(
        "the query needed more than {} MiB of working memory and was stopped: ask for \
         less (LIMIT, fewer unbound patterns), or use the dumps for whole graphs",
        .0 >> 20
    )]
    QueryMemory(usize),
    /// Every slot of a runner on its own (the dumps') stayed taken while it waited.
    #[error("as many dumps as the server writes at once are being written: try again later")]
    Busy,
    #[error("internal error")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            ApiError::Timeout(_)
            | ApiError::Cancelled
            | ApiError::QueryMemory(_)
            | ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{self}\n"),
        )
            .into_response();
        if matches!(self, ApiError::Busy) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Syntax(e) => ApiError::BadRequest(format!("SPARQL syntax error: {e}")),
            StoreError::Nesting(e) => ApiError::BadRequest(format!("query refused: {e}")),
            StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::UnsupportedService(
                s,
            )) => ApiError::BadRequest(format!(
                "SERVICE {s}: federation is off on this server (it would make outbound requests)"
            )),
            // `SERVICE ?var` is defined only where the variable is bound to an IRI
            // (SPARQL 1.1 Federated Query, 4): otherwise it is the query's mistake. A
            // join evaluates its two sides apart, so only a LATERAL binds it.
            StoreError::Evaluation(
                e @ (oxigraph::sparql::QueryEvaluationError::UnboundService
                | oxigraph::sparql::QueryEvaluationError::InvalidServiceName(_)),
            ) => ApiError::BadRequest(format!(
                "SERVICE ?var: {e}. The variable must be bound to an endpoint IRI where \
                 the SERVICE is evaluated, which a join does not do (its sides are \
                 evaluated apart): VALUES ?var {{ <…> }} LATERAL {{ SERVICE ?var {{ … }} }}. \
                 Federation is off on this server unless it runs with --allow-federation"
            )),
            StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::Cancelled) => {
                ApiError::Cancelled
            }
            StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::Service(e)) => {
                ApiError::BadGateway(e.to_string())
            }
            StoreError::Search(e) => e.into(),
            StoreError::Remote(
                e @ (crate::store::remote::RemoteError::DefaultGraph
                | crate::store::remote::RemoteError::Load),
            ) => ApiError::BadRequest(e.to_string()),
            StoreError::Remote(
                e @ (crate::store::remote::RemoteError::Unreachable { .. }
                | crate::store::remote::RemoteError::Status { .. }
                | crate::store::remote::RemoteError::Answer(_)),
            ) => ApiError::BadGateway(e.to_string()),
            e => ApiError::Internal(e.to_string()),
        }
    }
}

/// Runs blocking store work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// Checks the bearer token of a write. Writes are off without a configured token.
pub(crate) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    use subtle::ConstantTimeEq;
    let Some(token) = &state.config.update_token else {
        return Err(ApiError::Forbidden(
            "writes are off on this server: start it with --update-token to allow them".into(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::Unauthorized("this write needs 'Authorization: Bearer <token>'".into())
        })?;
    if bool::from(given.trim().as_bytes().ct_eq(token.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("wrong token".into()))
    }
}

/// The application: every route, so tests can drive it without `main`.
pub fn app(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    let client_timeout = state.config.client_timeout;
    let query_timeout = state.config.query_timeout;
    let cors = cors_layer(&state.config.cors_origins);
    let state = Arc::new(state);
    let router = Router::new()
        .route("/health", get(health))
        .merge(sparql::router())
        .merge(store_protocol::router())
        .merge(reports::router())
        .merge(linked::router())
        .merge(api::router())
        .merge(search::router())
        .merge(pages::router())
        .with_state(state)
        // Inside `whole_body`: the time limit starts once the request has arrived.
        .layer(axum::middleware::from_fn(
            move |request, next: axum::middleware::Next| {
                runner::with_request_deadline(query_timeout, next.run(request))
            },
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(move |request, next| {
            whole_body(request, next, body_limit, client_timeout)
        }))
        .layer(axum::middleware::map_response(pages::security_headers));
    let router = match cors {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router.layer(axum::middleware::from_fn(log_request))
}

/// The request log: a line per request once its answer's head is ready (method, path
/// and query, status, milliseconds taken). One event, no span per request: tower-http's
/// trace layer built and formatted a span for each, a cost a cheap query's CPU showed
/// (BENCHMARKS.md).
async fn log_request(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let (status, ms) = (response.status().as_u16(), started.elapsed().as_millis());
    if status >= 500 {
        tracing::warn!(target: "crimegraph::request", "{method} {uri} {status} {ms} ms");
    } else {
        tracing::info!(target: "crimegraph::request", "{method} {uri} {status} {ms} ms");
    }
    response
}

/// Reads a request's whole body before its handler runs, within `limit` bytes and one
/// deadline for the whole body. A deadline per chunk (tower-http's body timeout) is
/// restarted by every byte: a client sending one byte every few seconds held its
/// connection for ever. Every handler takes its body whole anyway.
async fn whole_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
    limit: usize,
    deadline: Duration,
) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than this server takes ({limit} bytes)\n"),
        )
            .into_response()
    };
    if declared.is_some_and(|n| n > limit) {
        // Refused before a byte of it is read.
        return too_large();
    }
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => {
            next.run(axum::extract::Request::from_parts(parts, bytes.into()))
                .await
        }
        Ok(Err(e)) if is_length_limit(&e) => too_large(),
        Ok(Err(e)) => (
            StatusCode::BAD_REQUEST,
            format!("cannot read the request body: {e}\n"),
        )
            .into_response(),
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            [(header::CONNECTION, "close")],
            format!("the request body did not arrive whole within {deadline:?}\n"),
        )
            .into_response(),
    }
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

fn cors_layer(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let layer = CorsLayer::new()
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION]);
    Some(if origins.iter().any(|o| o == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        layer.allow_origin(AllowOrigin::list(
            origins.iter().filter_map(|o| o.parse().ok()),
        ))
    })
}

/// What `/health` answers: that the store answers, and how much cancelled work is
/// still stopping, so that an operator sees a server busy with work nobody waits for.
#[derive(Debug, serde::Serialize)]
struct Health {
    /// Dumps cut (time limit, client gone) whose writer has not stopped yet.
    abandoned_dumps: usize,
    /// Queries cancelled (time limit, client gone, memory budget) whose engine has not
    /// stopped yet (`runner`).
    abandoned_queries: usize,
    graphs: usize,
    status: &'static str,
}

async fn health(
    axum::extract::State(state): axum::extract::State<Shared>,
) -> Result<Json<Health>, ApiError> {
    let store = state.store.clone();
    let graphs = state.runner.run(move |_| Ok(store.graph_count()?)).await?;
    Ok(Json(Health {
        abandoned_dumps: state.dumps.abandoned(),
        abandoned_queries: state.runner.abandoned(),
        graphs,
        status: "ok",
    }))
}
