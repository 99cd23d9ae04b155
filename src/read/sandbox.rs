//! PDF and Word files parsed in a child process, under limits.
//!
//! Their parsers are large, recursive and inflate whatever a file says: a 4 KB PDF of
//! 2,000 nested arrays overflows the stack of `lopdf`'s parser (which aborts the whole
//! process, whatever `catch_unwind` is around it), and a 4 MB PDF can hold a page that
//! inflates to 4 GiB. Nothing in-process stops either, so the CLI and the server run the
//! parser as `crimegraph read-document`: the file on its stdin, the text on its stdout,
//! under a memory limit (`RLIMIT_AS`), a CPU limit (`RLIMIT_CPU`), a wall-clock limit
//! (the parent kills it) and a bound on the text it may return. A crash or a limit
//! there costs that one file, named with the cause, and nothing else.
//!
//! A spawn per PDF or Word file costs a few milliseconds against the tens a PDF takes to
//! parse; text and markdown, the bulk of what is read, stay in-process.

use super::document::{decode, is_legacy_word, Decoded, Format, MAX_TEXT};
use super::ReadError;
use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The name of the hidden subcommand the child runs.
pub const SUBCOMMAND: &str = "read-document";

/// The child's exit code when the file is unreadable in an ordinary way (broken, a
/// scan, encrypted): its stdout then holds the [`ReadError`] (see [`error_to_wire`]).
pub const EXIT_UNREADABLE: u8 = 3;

/// Stderr kept from a child, for the reason of a crash: its last bytes, where the
/// runtime prints why it aborts.
const STDERR_TAIL: usize = 16 * 1024;

/// Where PDF and Word files are parsed. The CLI and the server always use
/// [`Isolation::Process`]; the library cannot know which executable holds the
/// `read-document` subcommand, so the caller says.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Isolation {
    /// In this process, with only `catch_unwind` around the parsers: a hostile PDF can
    /// abort the process or use any amount of memory. For tests and trusted files.
    #[default]
    InProcess,
    /// In a child process, under limits.
    Process(Sandbox),
}

impl Isolation {
    /// A child process of the running executable (the `crimegraph` binary).
    pub fn current_exe() -> io::Result<Isolation> {
        Ok(Isolation::Process(Sandbox::new(std::env::current_exe()?)))
    }

    /// Turns a file's bytes into text, as [`decode`] does, parsing PDF and Word files
    /// where this isolation says.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Decoded<'a>, ReadError> {
        let format = Format::sniff(bytes);
        match self {
            Isolation::Process(sandbox) if format != Format::Text && !is_legacy_word(bytes) => {
                let text = sandbox.extract(bytes, format)?;
                Ok(Decoded {
                    format,
                    text: Cow::Owned(text),
                })
            }
            _ => decode(bytes),
        }
    }
}

/// A child process that parses one PDF or Word file, and its limits.
#[derive(Debug, Clone)]
pub struct Sandbox {
    exe: PathBuf,
    memory: u64,
    time: Duration,
    max_text: u64,
    slots: Arc<Slots>,
}

/// How many children run at once, shared by the clones of a [`Sandbox`]: each may use
/// its whole memory limit, so twenty uploads at once must not take twenty GiB. The
/// others wait their turn (each turn ends within the time limit).
#[derive(Debug)]
struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

/// A turn to run a child, given back when dropped.
struct Slot<'a>(&'a Slots);

impl Slots {
    fn new(n: usize) -> Arc<Slots> {
        Arc::new(Slots {
            free: Mutex::new(n.max(1)),
            freed: Condvar::new(),
        })
    }

    fn take(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}

/// Why a child gave no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    #[error("ran out of its {} memory limit", size(*.0))]
    Memory(u64),
    #[error("took longer than {} s", .0.as_secs_f64())]
    Timeout(Duration),
    #[error("used up its {0} s of CPU time")]
    Cpu(u64),
    #[error("crashed (stack overflow: the file nests too deeply)")]
    StackOverflow,
    #[error("crashed ({0})")]
    Crashed(String),
    #[error("returned more than {} of text", size(*.0))]
    TooMuchText(u64),
    #[error("could not be started: {0}")]
    Spawn(String),
}

/// How a child's run ended, before it is read as text or a [`Failure`].
#[derive(Debug)]
enum Ending {
    Exited(ExitStatus),
    TimedOut,
    TooMuchText,
}

/// What a child left.
#[derive(Debug)]
struct Run {
    ending: Ending,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Sandbox {
    /// Runs `exe read-document`, with a 1 GiB memory limit, 30 s and 64 MiB of text,
    /// as many at once as there are cores.
    ///
    /// 1 GiB: the largest UN report seen (300 pages) parses in under 100 MiB.
    pub fn new(exe: impl Into<PathBuf>) -> Sandbox {
        Sandbox {
            exe: exe.into(),
            memory: 1 << 30,
            time: Duration::from_secs(30),
            max_text: MAX_TEXT,
            slots: Slots::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
        }
    }

    /// How many children may run at once.
    pub fn with_concurrency(mut self, children: usize) -> Sandbox {
        self.slots = Slots::new(children);
        self
    }

    /// The child's address-space limit, in bytes.
    pub fn with_memory_limit(mut self, bytes: u64) -> Sandbox {
        self.memory = bytes;
        self
    }

    /// The time the child may take, start to end; its CPU limit is a second more.
    pub fn with_time_limit(mut self, time: Duration) -> Sandbox {
        self.time = time;
        self
    }

    /// The text the child may return, in bytes.
    pub fn with_text_limit(mut self, bytes: u64) -> Sandbox {
        self.max_text = bytes;
        self
    }

    /// The text of one PDF or Word file, parsed in a child.
    pub fn extract(&self, bytes: &[u8], format: Format) -> Result<String, ReadError> {
        let fail = |failure| ReadError::Parser {
            parser: parser_name(format),
            failure,
        };
        let _turn = self.slots.take();
        let run = self
            .run(bytes)
            .map_err(|e| fail(Failure::Spawn(e.to_string())))?;
        let status = match run.ending {
            Ending::TimedOut => return Err(fail(Failure::Timeout(self.time))),
            Ending::TooMuchText => return Err(fail(Failure::TooMuchText(self.max_text))),
            Ending::Exited(status) => status,
        };
        match status.code() {
            Some(0) => String::from_utf8(run.stdout)
                .map_err(|_| fail(Failure::Crashed("its text is not UTF-8".into()))),
            Some(c) if c == i32::from(EXIT_UNREADABLE) => {
                Err(error_from_wire(&String::from_utf8_lossy(&run.stdout)))
            }
            _ => {
                let stderr = String::from_utf8_lossy(&run.stderr);
                tracing::debug!(
                    "the {} parser failed ({status}): {stderr}",
                    parser_name(format)
                );
                Err(fail(self.failure(status, &stderr)))
            }
        }
    }

    /// Why a child that neither gave text nor an error ended.
    fn failure(&self, status: ExitStatus, stderr: &str) -> Failure {
        use std::os::unix::process::ExitStatusExt;
        // Rust's runtime prints these before it aborts.
        if stderr.contains("memory allocation of") {
            return Failure::Memory(self.memory);
        }
        if stderr.contains("has overflowed its stack") {
            return Failure::StackOverflow;
        }
        match (status.signal(), status.code()) {
            (Some(libc::SIGXCPU), _) => Failure::Cpu(cpu_limit(self.time)),
            (Some(signal), _) => Failure::Crashed(format!("signal {signal}")),
            (None, code) => {
                let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
                let last: String = last.chars().take(300).collect();
                Failure::Crashed(format!("exit code {}: {last}", code.unwrap_or(-1)))
            }
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.exe);
        command
            .arg(SUBCOMMAND)
            .arg("--memory-limit")
            .arg(self.memory.to_string())
            .arg("--cpu-limit")
            .arg(cpu_limit(self.time).to_string())
            // Nothing the parser needs, and nothing a parser gone wrong should hold.
            .env_remove("CRIMEGRAPH_UPDATE_TOKEN")
            // mimalloc reserves address space 1 GiB at a time: under the child's
            // address-space limit the first reservation failed, and so did the child
            // before it read a byte. 16 MiB at a time keeps the limit the parser's.
            .env("MIMALLOC_ARENA_RESERVE", "16MiB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs one child over `bytes`: stdin written and stdout and stderr read on their
    /// own threads (a child that does not read its input, or fills its stderr, blocks
    /// nobody), killed at the deadline or at the text limit, and always reaped.
    fn run(&self, bytes: &[u8]) -> io::Result<Run> {
        let deadline = Instant::now() + self.time;
        std::thread::scope(|s| {
            // Inside the scope, so that it is killed before the scope waits for the
            // threads that read from it.
            let mut child = Reaped(self.command().spawn()?);
            let mut stdin = child.0.stdin.take().expect("piped stdin");
            let stdout = child.0.stdout.take().expect("piped stdout");
            let stderr = child.0.stderr.take().expect("piped stderr");
            s.spawn(move || {
                // A child that stops reading makes this fail (broken pipe) or block
                // until the child is killed: either way nothing to report.
                let _ = stdin.write_all(bytes);
            });
            let errors = s.spawn(move || tail(stderr, STDERR_TAIL));
            let (tx, rx) = mpsc::channel();
            let max_text = self.max_text;
            s.spawn(move || tx.send(read_capped(stdout, max_text)));
            let mut text = Vec::new();
            let ending = match rx.recv_timeout(self.time) {
                Err(_) => Ending::TimedOut,
                Ok(Err(e)) => return Err(e),
                Ok(Ok(None)) => Ending::TooMuchText,
                Ok(Ok(Some(out))) => {
                    text = out;
                    match wait_until(&mut child.0, deadline)? {
                        Some(status) => Ending::Exited(status),
                        None => Ending::TimedOut,
                    }
                }
            };
            drop(child);
            Ok(Run {
                ending,
                stdout: text,
                stderr: errors.join().unwrap_or_default(),
            })
        })
    }
}

/// A child that is killed and reaped when dropped: no process outlives its deadline,
/// and no zombie is left.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        // Both do nothing once the child has been reaped.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The child's exit status, waiting for it until `deadline`.
fn wait_until(child: &mut Child, deadline: Instant) -> io::Result<Option<ExitStatus>> {
    // It closed its stdout: it is exiting, normally within a millisecond.
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// All of `r` up to `limit` bytes, or `None` when it holds more.
fn read_capped(r: impl Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    r.take(limit + 1).read_to_end(&mut out)?;
    Ok((out.len() as u64 <= limit).then_some(out))
}

/// The last `keep` bytes or so of `r`, read to its end.
fn tail(mut r: impl Read, keep: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => return out,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                if out.len() > 2 * keep {
                    out.drain(..out.len() - keep);
                }
            }
        }
    }
}

/// The CPU seconds a child may use: a backstop behind the wall-clock limit, which
/// comes first.
fn cpu_limit(time: Duration) -> u64 {
    time.as_secs() + 1
}

fn parser_name(format: Format) -> &'static str {
    match format {
        Format::Pdf => "PDF",
        Format::Docx => "Word",
        Format::Text => "text",
    }
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= 1 << 30 && bytes % (1 << 30) == 0 {
        format!("{} GiB", bytes >> 30)
    } else if bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The child's side: `crimegraph read-document`. Reads one file on stdin, writes its
/// text on stdout and exits 0, or writes its [`ReadError`] and exits
/// [`EXIT_UNREADABLE`]. The limits are set here, first thing, rather than by the
/// parent between fork and exec: that would need `unsafe` `pre_exec`, which also
/// keeps the standard library from spawning with `posix_spawn` (a fork of a server
/// holding gigabytes copies its page tables).
pub fn read_document(memory: u64, cpu_seconds: u64) -> io::Result<u8> {
    set_limit(libc::RLIMIT_AS, memory, memory)?;
    // SIGXCPU at the soft limit (reported as such), SIGKILL a second later.
    set_limit(libc::RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)?;
    // A crash dumps no core: it is expected, and a core of 1 GiB per bad file adds up.
    set_limit(libc::RLIMIT_CORE, 0, 0)?;
    // Should the machine run out of memory all the same, the kernel kills this process
    // first, not the server. Best effort: raising one's own score needs no privilege.
    let _ = std::fs::write("/proc/self/oom_score_adj", "1000");
    let mut out = own_stdout()?;
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    // On a thread of a set stack, not the main thread (whose stack is what `ulimit -s`
    // says, unlimited on some hosts): how deep a file may nest is the same everywhere,
    // and deeper is a stack overflow the parent names, not a segfault.
    let decoded = std::thread::Builder::new()
        .name("read-document".into())
        .stack_size(CHILD_STACK)
        .spawn(move || {
            decode(&bytes)
                .map(|d| d.text.into_owned())
                .map_err(|e| error_to_wire(&e))
        })?
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    match decoded {
        Ok(text) => {
            out.write_all(text.as_bytes())?;
            Ok(0)
        }
        Err(wire) => {
            out.write_all(wire.as_bytes())?;
            Ok(EXIT_UNREADABLE)
        }
    }
}

/// The parsing thread's stack in the child. `lopdf`'s parser takes about 1.2 KiB per
/// level of nested arrays (2,000 levels overflowed the server's 2 MiB threads); 8 MiB
/// holds some 6,000 levels, and no real report nests more than a few.
const CHILD_STACK: usize = 8 << 20;

/// The type of `setrlimit`'s resource argument, which differs between C libraries.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// Sets the soft and the hard limit: the child cannot raise them again.
fn set_limit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit reads the struct it is given and nothing else.
    if unsafe { libc::setrlimit(resource, &limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The process's stdout, for the text alone: fd 1 is pointed at stderr, so that
/// whatever a library prints goes there and not into the text.
fn own_stdout() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    let text = io::stdout().as_fd().try_clone_to_owned()?;
    // SAFETY: dup2 on two open descriptors of this process; fd 1 stays open.
    if unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(std::fs::File::from(text))
}

/// A [`ReadError`] as the child writes it: its kind, a newline, its detail.
fn error_to_wire(e: &ReadError) -> String {
    match e {
        ReadError::Pdf(why) => format!("pdf\n{why}"),
        ReadError::Docx(why) => format!("docx\n{why}"),
        ReadError::NoTextLayer { pages } => format!("no-text-layer\n{pages}"),
        ReadError::TooLarge => "too-large\n".into(),
        ReadError::PartTooLarge { part, limit } => format!("part-too-large\n{limit}\n{part}"),
        e => format!("other\n{e}"),
    }
}

fn error_from_wire(wire: &str) -> ReadError {
    let (kind, detail) = wire.split_once('\n').unwrap_or((wire, ""));
    match kind {
        "pdf" => ReadError::Pdf(detail.into()),
        "docx" => ReadError::Docx(detail.into()),
        "no-text-layer" => ReadError::NoTextLayer {
            pages: detail.parse().unwrap_or(0),
        },
        "too-large" => ReadError::TooLarge,
        "part-too-large" => {
            let (limit, part) = detail.split_once('\n').unwrap_or(("0", detail));
            ReadError::PartTooLarge {
                part: part.into(),
                limit: limit.parse().unwrap_or(0),
            }
        }
        _ => ReadError::Pdf(detail.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_the_pipe_whole() {
        for e in [
            ReadError::Pdf("the PDF is encrypted with a password".into()),
            ReadError::Docx("bad zip".into()),
            ReadError::NoTextLayer { pages: 3 },
            ReadError::TooLarge,
            ReadError::PartTooLarge {
                part: "word/header1.xml".into(),
                limit: 64 << 20,
            },
        ] {
            assert_eq!(
                error_from_wire(&error_to_wire(&e)).to_string(),
                e.to_string()
            );
        }
        assert_eq!(size(1 << 30), "1 GiB");
        assert_eq!(size(64 << 20), "64 MiB");
    }
}
