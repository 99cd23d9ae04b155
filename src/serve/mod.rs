//! axum: one router per resource, merged here. Oxigraph calls block, so they run off
//! the async threads: SPARQL queries on a fixed set of query threads in arrival order
//! (`on_query_thread`), other store work in `spawn_blocking`. A query past its time
//! limit is answered 503 and cancelled with oxigraph's `CancellationToken`.

mod api;
mod linked;
mod listen;
mod negotiate;
mod pages;
mod queries;
mod reports;
mod sparql;
mod store_protocol;

use crate::ingest::Pipeline;
use crate::store::{GraphStore, StoreError};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use std::time::Duration;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

pub use listen::run;
pub use negotiate::negotiate;

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
        }
    }
}

/// Twice the cores: enough to keep every core busy while some queries wait on the
/// disk, few enough that queries are not all time-sliced against each other on a
/// loaded server (each then holds its memory and its share of the block cache for
/// longer, and a late query waits behind every one already running).
pub fn default_query_slots() -> usize {
    std::thread::available_parallelism().map_or(4, |n| 2 * n.get())
}

/// What the handlers share.
pub struct AppState {
    pub store: GraphStore,
    pub pipeline: Arc<Pipeline>,
    pub config: Config,
    /// The threads SPARQL queries run on, `config.query_slots` of them, taking queries
    /// in arrival order; `None` without a limit (tokio's blocking threads then).
    query_threads: Option<rayon::ThreadPool>,
}

impl AppState {
    pub fn new(
        store: GraphStore,
        pipeline: Arc<Pipeline>,
        config: Config,
    ) -> Result<Self, rayon::ThreadPoolBuildError> {
        let query_threads = match config.query_slots {
            0 => None,
            n => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .thread_name(|i| format!("query-{i}"))
                    // Without a handler rayon aborts the process on a panic; with it
                    // the query's answer channel closes and the client gets a 500.
                    .panic_handler(|_| tracing::error!("a query panicked"))
                    .build()?,
            ),
        };
        Ok(AppState {
            store,
            pipeline,
            config,
            query_threads,
        })
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
            ApiError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
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
            StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::UnsupportedService(
                s,
            )) => ApiError::BadRequest(format!(
                "SERVICE <{s}>: federation is off on this server (it would make outbound requests)"
            )),
            StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::Service(e)) => {
                ApiError::BadGateway(e.to_string())
            }
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

/// Runs a query's work on a query thread, waiting its turn in arrival order, or on a
/// blocking thread when queries are not limited. A fixed set of threads rather than a
/// semaphore in front of tokio's blocking threads: a thread that finishes a query
/// takes the next one itself, with no wake-up of a waiting task in between.
pub(crate) async fn on_query_thread<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let Some(threads) = &state.query_threads else {
        return blocking(f).await;
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    threads.spawn(move || {
        // The client may be gone: nobody to answer then.
        let _ = tx.send(f());
    });
    rx.await
        .map_err(|_| ApiError::Internal("the query's thread panicked".into()))?
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
    let cors = cors_layer(&state.config.cors_origins);
    let state = Arc::new(state);
    let router = Router::new()
        .route("/health", get(health))
        .merge(sparql::router())
        .merge(store_protocol::router())
        .merge(reports::router())
        .merge(linked::router())
        .merge(api::router())
        .merge(pages::router())
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            client_timeout,
        ));
    let router = match cors {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
    )
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

async fn health(
    axum::extract::State(state): axum::extract::State<Shared>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let store = state.store.clone();
    let graphs = blocking(move || Ok(store.named_graphs()?.len())).await?;
    Ok(Json(
        serde_json::json!({ "status": "ok", "graphs": graphs }),
    ))
}
