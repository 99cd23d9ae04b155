//! Answers written by a query thread: kept whole while small, streamed once large.
//!
//! Why: `/sparql` used to build each answer whole in memory before sending it, and looked
//! at its cancellation token only when the engine read the store. A query whose answer
//! never ends (a cross product of four triple patterns) kept serializing after its 503,
//! into a buffer nobody would read, at tens of megabytes a second, until the process ran
//! out of memory. Now:
//!
//! - every write of an answer looks at the token, so a query past its deadline or whose
//!   client left stops at its next row whatever the engine is doing;
//! - an answer is kept whole up to [`FIRST`] bytes, then sent with its length; a query
//!   that fails or runs out of time before that gets its proper status (400, 503);
//! - past [`FIRST`] bytes the status line goes out and the rest follows in chunks through
//!   a channel of [`IN_FLIGHT`] chunks, so a query's memory is bounded whatever the size
//!   of its answer, and a slow reader slows the query down instead of filling memory;
//! - a streamed answer keeps its slot and its deadline until it is sent; one that fails
//!   or passes its deadline is cut (the connection ends without the last chunk), which
//!   HTTP clients report as an incomplete answer, never as a complete one.

use super::runner::{Finish, QueryRunner, Started};
use super::{budget, ApiError};
use axum::body::{Body, Bytes};
use oxigraph::sparql::CancellationToken;
use std::future::Future;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{timeout_at, Sleep};
use tokio_stream::Stream;

/// The bytes of an answer kept whole before it is streamed instead.
pub const FIRST: usize = 1 << 20;
/// The size of each streamed chunk.
const CHUNK: usize = 64 << 10;
/// Chunks written by the query thread and not yet sent.
const IN_FLIGHT: usize = 4;

/// Writes an answer into the [`Sink`] it is given.
pub type Writer = Box<dyn FnOnce(&mut dyn Write) -> Result<(), ApiError>>;

/// What the query thread hands over first: the whole answer or the start of a stream.
enum Opening {
    Whole(Vec<u8>),
    Stream(Vec<u8>, mpsc::Receiver<io::Result<Vec<u8>>>),
}

type Head<M> = oneshot::Sender<Result<(M, Opening), ApiError>>;

impl QueryRunner {
    /// Runs `work` as [`QueryRunner::run`] does; `work` answers with the media type (or
    /// anything the response needs before its body) and a [`Writer`] for the body, run on
    /// the query thread into a sink that streams it once it passes [`FIRST`] bytes. The
    /// body is the whole answer (sent with its length) or a stream of it.
    pub async fn run_streamed<M: Send + 'static>(
        &self,
        work: impl FnOnce(CancellationToken) -> Result<(M, Writer), ApiError> + Send + 'static,
    ) -> Result<(M, Body), ApiError> {
        let deadline = self.deadline();
        let timeout = self.timeout();
        let (head, opened) = oneshot::channel();
        let cancelled = self.cancelled();
        let started = self
            .start(deadline, move |token, finish| {
                let work = if token.is_cancelled() {
                    Err(ApiError::Timeout(timeout))
                } else {
                    work(token.clone())
                };
                match work {
                    Ok((media, write)) => {
                        let mut sink = Sink {
                            buf: Vec::new(),
                            token,
                            state: State::Buffering { media, head },
                        };
                        let written = write(&mut sink).map_err(|e| {
                            if sink.token.is_cancelled() {
                                cancelled(ApiError::Cancelled)
                            } else {
                                e
                            }
                        });
                        sink.end(written, finish);
                    }
                    Err(e) => {
                        finish.done();
                        let _ = head.send(Err(cancelled(e)));
                    }
                }
            })
            .await?;
        match timeout_at(deadline, opened).await {
            Ok(Ok(Ok((media, Opening::Whole(body))))) => Ok((media, Body::from(body))),
            Ok(Ok(Ok((media, Opening::Stream(first, chunks))))) => {
                let stream = Streaming {
                    first: Some(Bytes::from(first)),
                    chunks,
                    deadline: Box::pin(tokio::time::sleep_until(deadline)),
                    timeout,
                    _started: started,
                };
                Ok((media, Body::from_stream(stream)))
            }
            Ok(Ok(Err(ApiError::Cancelled))) | Err(_) => Err(ApiError::Timeout(timeout)),
            Ok(Ok(Err(e))) => Err(e),
            Ok(Err(_)) => Err(ApiError::Internal("the query's thread panicked".into())),
        }
    }
}

/// Where a query thread writes its answer; see the module doc.
struct Sink<M> {
    buf: Vec<u8>,
    token: CancellationToken,
    state: State<M>,
}

enum State<M> {
    /// Under [`FIRST`] bytes so far: the request still waits for the whole answer.
    Buffering { media: M, head: Head<M> },
    /// The request has its body; chunks go to it.
    /// Chunks go as the `Vec`s the query thread allocated, so that what a chunk holds
    /// is known exactly when it leaves the query's memory budget (`budget::handed_over`).
    Streaming(mpsc::Sender<io::Result<Vec<u8>>>),
    /// The request is gone.
    Gone,
}

impl<M> Write for Sink<M> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.token.is_cancelled() {
            return Err(io::Error::other(ApiError::Cancelled.to_string()));
        }
        self.buf.extend_from_slice(data);
        match self.state {
            State::Buffering { .. } if self.buf.len() > FIRST => self.open()?,
            State::Streaming(_) if self.buf.len() >= CHUNK => self.send()?,
            _ => {}
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<M> Sink<M> {
    /// Hands the request the start of the answer and a channel for the rest.
    fn open(&mut self) -> io::Result<()> {
        let State::Buffering { media, head } = std::mem::replace(&mut self.state, State::Gone)
        else {
            return Ok(());
        };
        let (chunks, rx) = mpsc::channel(IN_FLIGHT);
        let first = std::mem::take(&mut self.buf);
        let held = first.capacity();
        head.send(Ok((media, Opening::Stream(first, rx))))
            .map_err(|_| gone())?;
        budget::handed_over(held);
        self.state = State::Streaming(chunks);
        Ok(())
    }

    /// Sends what is buffered, waiting while the client is [`IN_FLIGHT`] chunks behind.
    fn send(&mut self) -> io::Result<()> {
        let State::Streaming(chunks) = &self.state else {
            return Ok(());
        };
        let chunk = std::mem::take(&mut self.buf);
        let held = chunk.capacity();
        chunks.blocking_send(Ok(chunk)).map_err(|_| {
            self.state = State::Gone;
            gone()
        })?;
        budget::handed_over(held);
        Ok(())
    }

    /// Ends the answer: the whole of it, or the stream's last chunk, or the error that
    /// cuts the stream. `finish` is done before the request can see the end, so that
    /// its giving back the slot is not taken for an abandonment.
    fn end(mut self, written: Result<(), ApiError>, finish: Finish) {
        let cancelled = self.token.is_cancelled();
        match std::mem::replace(&mut self.state, State::Gone) {
            State::Buffering { media, head } => {
                finish.done();
                let answer = match written {
                    Ok(()) => Ok((media, Opening::Whole(self.buf))),
                    Err(e @ ApiError::QueryMemory(_)) => Err(e),
                    Err(_) if cancelled => Err(ApiError::Cancelled),
                    Err(e) => Err(e),
                };
                let _ = head.send(answer);
            }
            State::Streaming(chunks) => {
                let last = match written {
                    Ok(()) => Ok(self.buf),
                    Err(e) => {
                        // The client sees a cut transfer; the log says why.
                        tracing::warn!(error = %e, "a streamed answer was cut");
                        Err(io::Error::other(e.to_string()))
                    }
                };
                let _ = chunks.blocking_send(last);
                finish.done();
            }
            State::Gone => finish.done(),
        }
    }
}

fn gone() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the client is gone")
}

/// The body of a streamed answer: it holds the query's slot until the answer is sent,
/// and cuts the answer at the deadline.
struct Streaming {
    first: Option<Bytes>,
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    deadline: Pin<Box<Sleep>>,
    timeout: Duration,
    _started: Started,
}

impl Stream for Streaming {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(first)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.chunks.close();
            let timeout = self.timeout;
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                ApiError::Timeout(timeout).to_string(),
            ))));
        }
        self.chunks
            .poll_recv(cx)
            .map(|chunk| chunk.map(|c| c.map(Bytes::from)))
    }
}
