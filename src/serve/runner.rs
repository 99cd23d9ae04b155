//! The query runner: one way for every route to read the store with a slot, a deadline
//! and a cancellation token.
//!
//! - **A slot.** At most `--max-concurrent-queries` queries run at once; the others wait
//!   in arrival order (tokio's semaphore is fair), and the wait counts against the
//!   deadline.
//! - **A deadline.** At `--query-timeout` the client gets its 503 and the query's token is
//!   cancelled. The engine notices the token only as it reads the store, which some plans
//!   (a long property path, a cross product over materialized sides) do rarely: such a
//!   query is *abandoned*, its slot given back at the deadline all the same, its thread
//!   left to finish stopping. Abandoned queries are counted in the log.
//! - **A bound on abandoned work.** Queries run on a fixed set of threads: one per slot,
//!   plus as many again for abandoned queries still stopping. When those are all taken,
//!   new queries wait for a thread (within their deadline) instead of the machine filling
//!   with runaway work.
//! - **A client that leaves** drops its request's future, which cancels and abandons its
//!   query the same way.
//! - **A memory budget** (`budget`): what a query's thread allocates while it runs the
//!   query is counted, and a query past `--max-query-memory-mb` is cancelled and
//!   answered `ApiError::QueryMemory`, whatever the engine is doing.
//! - **Answers past 1 MiB are streamed** (`answer`, [`QueryRunner::run_streamed`]):
//!   their body holds the slot and the deadline until it is sent.
//!
//! Every thread has a stack sized for the deepest text `store::nesting` lets through.

use super::{budget, ApiError};
use crate::store::nesting::STACK_SIZE;
use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{timeout_at, Instant};

/// Runs queries; see the module doc.
pub struct QueryRunner {
    /// `None`: no limit on concurrent queries (they then run on tokio's blocking threads).
    slots: Option<Arc<Semaphore>>,
    threads: Option<QueryThreads>,
    timeout: Duration,
    /// Each query's memory budget (`budget`); `None`: no limit.
    memory: Option<usize>,
    /// `Some(wait)` for a runner on its own ([`QueryRunner::on_its_own`]): its queries
    /// keep their own time limit whatever the request's, and wait at most `wait` for a
    /// slot.
    alone: Option<Duration>,
    abandoned: Arc<AtomicUsize>,
    running: Running,
}

const RUNNING: u8 = 0;
const DONE: u8 = 1;
const ABANDONED: u8 = 2;

impl QueryRunner {
    /// `slots` queries at once (0: no limit), each stopped at `timeout`.
    pub fn new(slots: usize, timeout: Duration) -> std::io::Result<Self> {
        let (slots_sem, threads) = match slots {
            0 => (None, None),
            n => (
                Some(Arc::new(Semaphore::new(n))),
                Some(QueryThreads::new(2 * n)?),
            ),
        };
        Ok(QueryRunner {
            slots: slots_sem,
            threads,
            timeout,
            memory: None,
            alone: None,
            abandoned: Arc::new(AtomicUsize::new(0)),
            running: Running::default(),
        })
    }

    /// Each query may take `bytes` of working memory (`None`: no limit); past it, it is
    /// cancelled and answers `ApiError::QueryMemory`.
    pub fn with_memory(mut self, bytes: Option<usize>) -> Self {
        self.memory = bytes;
        self
    }

    /// Makes this a runner for long jobs (dumps): each gets its own time limit, not
    /// the request's (which is the query time limit), and waits at most `wait` for a
    /// slot before it gets 503: a client is not kept waiting an hour behind a dump.
    pub fn on_its_own(mut self, wait: Duration) -> Self {
        self.alone = Some(wait);
        self
    }

    /// The error a query that saw its token cancelled answers, on its own thread: its
    /// memory budget's, if that is what cancelled it.
    pub(super) fn cancelled(&self) -> impl Fn(ApiError) -> ApiError + Send + 'static {
        let memory = self.memory;
        move |e| match (e, memory) {
            (ApiError::Cancelled | ApiError::Timeout(_), Some(limit)) if budget::exceeded() => {
                ApiError::QueryMemory(limit)
            }
            (e, _) => e,
        }
    }

    /// The time limit of every query.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Queries past their deadline (or whose client left) that have not stopped yet.
    pub fn abandoned(&self) -> usize {
        self.abandoned.load(Ordering::Relaxed)
    }

    /// The jobs of this runner still on a thread, done or not.
    pub fn running(&self) -> Running {
        self.running.clone()
    }

    /// When a query that starts now must be answered by: its own time limit, or the
    /// request's if that comes first (a page that runs several queries has one time
    /// limit for them all).
    pub(super) fn deadline(&self) -> Instant {
        let own = Instant::now() + self.timeout;
        if self.alone.is_some() {
            return own;
        }
        REQUEST_DEADLINE
            .try_with(|d| *d)
            .map_or(own, |d| d.min(own))
    }

    /// Runs `work` with a slot, before the deadline; `work` gets the token the engine
    /// must be given, and answers `ApiError::Timeout` when it sees it cancelled.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(CancellationToken) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let deadline = self.deadline();
        let timeout = self.timeout;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let cancelled = self.cancelled();
        let _started = self
            .start(deadline, move |token, finish| {
                let result = if token.is_cancelled() {
                    Err(ApiError::Timeout(timeout))
                } else {
                    work(token).map_err(cancelled)
                };
                finish.done();
                // The client may be gone: nobody to answer then.
                let _ = tx.send(result);
            })
            .await?;
        // On the deadline, or when this future is dropped because the client left,
        // `_started` is dropped before the job is done: the query is cancelled and
        // abandoned, and its slot is given back here, not when the thread is free.
        match timeout_at(deadline, rx).await {
            Ok(Ok(Err(ApiError::Cancelled))) => Err(ApiError::Timeout(timeout)),
            Ok(Ok(Err(e @ ApiError::QueryMemory(_)))) => Err(e),
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(ApiError::Internal("the query's thread panicked".into())),
            Err(_) => Err(ApiError::Timeout(timeout)),
        }
    }

    /// Takes a slot (waiting for it within `deadline`) and starts `job` on a query
    /// thread with a fresh token. The job calls [`Finish::done`] before it hands over
    /// its answer; until then, dropping the returned [`Started`] cancels the query and
    /// counts it abandoned.
    pub(super) async fn start(
        &self,
        deadline: Instant,
        job: impl FnOnce(CancellationToken, Finish) + Send + 'static,
    ) -> Result<Started, ApiError> {
        let timeout = self.timeout;
        let wait_until = match self.alone {
            Some(wait) => deadline.min(Instant::now() + wait),
            None => deadline,
        };
        let busy = match self.alone {
            Some(_) => ApiError::Busy,
            None => ApiError::Timeout(timeout),
        };
        let slot = match &self.slots {
            Some(slots) => Some(
                timeout_at(wait_until, slots.clone().acquire_owned())
                    .await
                    .map_err(|_| busy)?
                    .map_err(|_| ApiError::Internal("the query slots are closed".into()))?,
            ),
            None => None,
        };
        let flight = InFlight {
            token: CancellationToken::new(),
            state: Arc::new(AtomicU8::new(RUNNING)),
            abandoned: self.abandoned.clone(),
        };
        let token = flight.token.clone();
        let finish = Finish {
            state: flight.state.clone(),
            abandoned: flight.abandoned.clone(),
        };
        let memory = self.memory;
        let running = self.running.enter();
        let job = move || {
            // Declared first, dropped last: after the job has dropped its iterators.
            let _running = running;
            let watched = token.clone();
            let _budget = budget::Scope::enter(memory, &watched);
            job(token, finish)
        };
        match &self.threads {
            Some(threads) => threads.spawn(Box::new(job)),
            None => drop(tokio::task::spawn_blocking(job)),
        }
        Ok(Started {
            _slot: slot,
            _flight: flight,
        })
    }
}

/// A query started by [`QueryRunner::start`], seen from its request: it holds the slot,
/// and dropping it before the job is done cancels the query.
pub(super) struct Started {
    _slot: Option<OwnedSemaphorePermit>,
    _flight: InFlight,
}

/// Held by a query's job: [`Finish::done`] says the query is over, so that the request
/// dropping its [`Started`] afterwards is not taken for an abandonment. Dropped without
/// it (a panic), it says so all the same.
pub(super) struct Finish {
    state: Arc<AtomicU8>,
    abandoned: Arc<AtomicUsize>,
}

impl Finish {
    pub(super) fn done(self) {}
}

impl Drop for Finish {
    fn drop(&mut self) {
        if self
            .state
            .compare_exchange(RUNNING, DONE, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            let left = self.abandoned.fetch_sub(1, Ordering::Relaxed) - 1;
            tracing::info!(abandoned = left, "an abandoned query has stopped");
        }
    }
}

/// The jobs still on a thread, from their start to the end of their last drop: what the
/// process waits for before it exits. At exit RocksDB's static destructors run, and a
/// thread still reading the store then (an abandoned query stopping after the drain)
/// aborted the process ("pthread lock: Invalid argument", exit 134).
#[derive(Clone, Default)]
pub struct Running(Arc<AtomicUsize>);

impl Running {
    fn enter(&self) -> RunningJob {
        self.0.fetch_add(1, Ordering::AcqRel);
        RunningJob(self.0.clone())
    }

    /// How many jobs are on a thread.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::Acquire)
    }

    /// Waits until no job is on a thread, at most `within`; whether none is.
    pub async fn stopped(&self, within: Duration) -> bool {
        let until = Instant::now() + within;
        while self.count() > 0 {
            if Instant::now() >= until {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

/// One job on a thread; dropped when the job and all it held are.
struct RunningJob(Arc<AtomicUsize>);

impl Drop for RunningJob {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A job for a query thread.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// The fixed set of threads queries run on, fed by one channel. A thread with nothing
/// to do sleeps in the channel's receive: rayon's pool, used before, spun in
/// `sched_yield` between jobs, and on two cores those spinning threads took a third of
/// the CPU from the threads answering requests.
struct QueryThreads {
    jobs: crossbeam_channel::Sender<Job>,
}

impl QueryThreads {
    fn new(n: usize) -> std::io::Result<Self> {
        let (jobs, inbox) = crossbeam_channel::unbounded::<Job>();
        for i in 0..n {
            let inbox = inbox.clone();
            std::thread::Builder::new()
                .name(format!("query-{i}"))
                .stack_size(STACK_SIZE)
                .spawn(move || {
                    // Ends when the runner (the only sender) is dropped.
                    for job in inbox {
                        // A panic drops the job's answer channel: the client gets a 500
                        // and the thread goes on.
                        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                            tracing::error!("a query panicked");
                        }
                    }
                })?;
        }
        Ok(QueryThreads { jobs })
    }

    fn spawn(&self, job: Job) {
        // The threads live as long as the sender: the send cannot fail.
        let _ = self.jobs.send(job);
    }
}

tokio::task_local! {
    /// When the request being served must be answered by: set once per request by
    /// [`with_request_deadline`], read by every query the request runs.
    static REQUEST_DEADLINE: Instant;
}

/// Runs a request's handling with one deadline, `limit` from now, for all its queries
/// together: without it each query got the whole time limit, and a page of four
/// queries could answer its 503 after two minutes.
pub async fn with_request_deadline<F: std::future::Future>(limit: Duration, f: F) -> F::Output {
    REQUEST_DEADLINE.scope(Instant::now() + limit, f).await
}

/// A query under way, seen from its request: dropping it before the query is done
/// cancels the query and counts it abandoned.
struct InFlight {
    token: CancellationToken,
    state: Arc<AtomicU8>,
    abandoned: Arc<AtomicUsize>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self
            .state
            .compare_exchange(RUNNING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            self.token.cancel();
            let now = self.abandoned.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(
                abandoned = now,
                "a query passed its time limit or lost its client: cancelled, its slot given back"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query that ignores its token keeps its thread but not its slot: the next
    /// query runs while it is still stopping.
    #[tokio::test]
    async fn a_runaway_query_gives_its_slot_back_at_the_deadline() {
        let runner = Arc::new(QueryRunner::new(1, Duration::from_millis(200)).unwrap());
        let release = Arc::new(std::sync::Barrier::new(2));
        let held = release.clone();
        let first = runner.run(move |_token| {
            held.wait();
            Ok(())
        });
        assert!(matches!(first.await, Err(ApiError::Timeout(_))));
        assert_eq!(runner.abandoned(), 1);
        let second = runner.run(|_token| Ok(42)).await;
        assert_eq!(second.unwrap(), 42);
        release.wait();
        for _ in 0..100 {
            if runner.abandoned() == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(runner.abandoned(), 0);
    }

    /// Two queries of one request share its deadline: the second gets what is left.
    #[tokio::test]
    async fn the_queries_of_a_request_share_its_deadline() {
        let runner = QueryRunner::new(2, Duration::from_millis(300)).unwrap();
        let page = with_request_deadline(Duration::from_millis(300), async {
            let nap = |_| {
                std::thread::sleep(Duration::from_millis(200));
                Ok(())
            };
            runner.run(nap).await?;
            runner.run(nap).await
        });
        assert!(matches!(page.await, Err(ApiError::Timeout(_))));
    }

    /// A request dropped mid-query (the client left) cancels the query's token.
    #[tokio::test]
    async fn a_dropped_request_cancels_its_query() {
        let runner = QueryRunner::new(1, Duration::from_secs(30)).unwrap();
        let (seen_tx, seen_rx) = std::sync::mpsc::channel();
        let request = runner.run(move |token| {
            while !token.is_cancelled() {
                std::thread::sleep(Duration::from_millis(5));
            }
            seen_tx.send(()).unwrap();
            Ok(())
        });
        let _ = tokio::time::timeout(Duration::from_millis(100), request).await;
        seen_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("the query saw its cancellation");
    }
}
