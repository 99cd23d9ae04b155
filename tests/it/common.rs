//! Helpers: run the binary, start a server, find the shared corpus.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_crimegraph"));
    c.env_remove("CRIMEGRAPH_DATA")
        .env_remove("CRIMEGRAPH_BIND")
        .env("RUST_LOG", "warn");
    c
}

/// `../shared` beside the checkout.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

pub fn corpus() -> PathBuf {
    shared().join("corpus")
}

pub fn run(data: &Path, args: &[&str]) -> Output {
    let out = bin()
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run crimegraph");
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A server on an ephemeral port; killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(data: &Path) -> Server {
        Server::start_with(data, &[])
    }

    pub fn start_with(data: &Path, args: &[&str]) -> Server {
        let data = ["--data", data.to_str().expect("a UTF-8 path")];
        Server::start_args(&data, args)
    }

    /// A server started with `global` flags before `serve` and its `own` after.
    pub fn start_args(global: &[&str], own: &[&str]) -> Server {
        let mut child = bin()
            .args(global)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(own)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .expect("listening line")
            .to_string();
        Server { child, base }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits up to `limit` for the process to end by itself.
    pub fn terminate(&mut self, limit: std::time::Duration) -> Option<std::process::ExitStatus> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    pub fn sparql(&self) -> String {
        format!("{}/sparql", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` reports made by `crimegraph gen-corpus --seed {seed}` in `dir/gen`; their folder.
pub fn generated_corpus(dir: &Path, n: usize, seed: u64) -> PathBuf {
    let gen = dir.join("gen");
    let out = run(
        &dir.join("unused"),
        &[
            "gen-corpus",
            "--reports",
            &n.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
            gen.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    gen.join("reports")
}

/// A store (`{dir}/store`) with `n` generated reports ingested.
pub fn generated_store(n: usize, seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let reports = generated_corpus(dir.path(), n, seed);
    let out = run(
        &dir.path().join("store"),
        &["ingest", reports.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// A store with the seed corpus ingested.
pub fn corpus_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &dir.path().join("store"),
        &["ingest", corpus().to_str().unwrap()],
    );
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));
    dir
}

pub fn curl(args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-s", "-o", "-", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (code.parse().unwrap_or(0), body.to_string())
}

/// The rows of a query's TSV results through the CLI (which reopens the store), header
/// apart, each split into its cells as TSV prints them.
pub fn tsv_rows(data: &Path, query: &str) -> Vec<Vec<String>> {
    let out = run(data, &["query", query, "--format", "tsv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// Triples in all named graphs of a store, read back by the CLI (which reopens it).
pub fn triple_count(data: &std::path::Path) -> usize {
    let out = run(
        data,
        &[
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--format",
            "csv",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().nth(1).unwrap().trim().parse().unwrap()
}
