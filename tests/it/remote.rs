//! A remote store: the real `oxigraph serve` (PyPI `oxigraph`, `--union-default-graph`)
//! on an ephemeral port, written and read by the real binary over HTTP. Compared with
//! the embedded store fed the same files: the topic summary must come out the same.

use crate::common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `oxigraph serve` over `location` on `port`; killed on drop.
struct Oxigraph {
    child: Child,
    port: u16,
}

impl Oxigraph {
    fn start(location: &Path, port: u16) -> Oxigraph {
        let child = Command::new("oxigraph")
            .args(["serve", "--union-default-graph", "--location"])
            .arg(location)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "`oxigraph` is needed for the remote-store tests: pip install oxigraph==0.5.13 \
                 (the README's test command installs it)",
            );
        let server = Oxigraph { child, port };
        let started = Instant::now();
        while curl(&[&format!("http://127.0.0.1:{port}/query?query=ASK%7B%7D")]).0 != 200 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "oxigraph did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// The global flags that point crimegraph at it.
    fn flags(&self) -> Vec<String> {
        let at = |path: &str| format!("http://127.0.0.1:{}/{path}", self.port);
        vec![
            "--remote-query".into(),
            at("query"),
            "--remote-update".into(),
            at("update"),
            "--remote-store".into(),
            at("store"),
        ]
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// crimegraph with the remote flags.
fn remote(flags: &[String], args: &[&str]) -> std::process::Output {
    bin()
        .args(flags)
        .args(args)
        .output()
        .expect("run crimegraph")
}

/// The summary graph's quads, sorted, as `export` writes them from either store.
fn summary_of(global: &[String]) -> Vec<String> {
    let graph = "https://w3id.org/crimegraph/id/graph/summary";
    let out = bin()
        .args(global)
        .args(["export", "--format", "nt", "--graph", graph])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Fails with the first lines that differ (a summary holds hundreds of thousands).
fn assert_same(remote: &[String], embedded: &[String], when: &str) {
    let (r, e): (std::collections::BTreeSet<_>, std::collections::BTreeSet<_>) =
        (remote.iter().collect(), embedded.iter().collect());
    let only_remote: Vec<_> = r.difference(&e).take(6).collect();
    let only_embedded: Vec<_> = e.difference(&r).take(6).collect();
    assert!(
        only_remote.is_empty() && only_embedded.is_empty(),
        "{when}: {} quads on the remote store, {} on the embedded one; only remote: \
         {only_remote:#?}; only embedded: {only_embedded:#?}",
        remote.len(),
        embedded.len()
    );
}

fn local(data: &Path) -> Vec<String> {
    vec!["--data".into(), data.to_str().unwrap().into()]
}

#[test]
fn the_seed_goes_into_oxigraph_serve_with_the_summary_the_embedded_store_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(&dir.path().join("ox"), free_port());
    let flags = oxigraph.flags();
    let corpus = corpus();
    let corpus = corpus.to_str().unwrap();
    let out = remote(&flags, &["ingest", corpus]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("5 reports"), "{}", stdout(&out));
    let again = remote(&flags, &["ingest", corpus]);
    assert!(stdout(&again).contains("5 unchanged"), "{}", stdout(&again));
    let data = dir.path().join("local");
    assert!(run(&data, &["ingest", corpus]).status.success());
    let summary = summary_of(&flags);
    assert!(summary.len() > 1_000, "{} summary quads", summary.len());
    assert_same(&summary, &summary_of(&local(&data)), "after ingest");

    // Read again (--force): each report's graph replaced whole, counts unchanged;
    // then one removed, on both stores.
    assert!(remote(&flags, &["ingest", "--force", corpus])
        .status
        .success());
    let key = "003_8ac773325e8acdc6";
    let out = remote(&flags, &["remove", key]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(run(&data, &["remove", key]).status.success());
    assert_eq!(
        summary_of(&flags),
        summary_of(&local(&data)),
        "after a removal"
    );
    let out = remote(&flags, &["remove", key]);
    assert_eq!(out.status.code(), Some(1), "a second removal finds nothing");
}

#[test]
fn pages_and_sparql_are_served_over_oxigraph_serve_and_writes_keep_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let oxigraph = Oxigraph::start(&dir.path().join("ox"), free_port());
    let flags = oxigraph.flags();
    let out = remote(&flags, &["ingest", corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let global: Vec<&str> = flags.iter().map(String::as_str).collect();
    let server = Server::start_args(&global, &["--update-token", "t"]);
    for path in [
        "/",
        "/matrix",
        "/id/state/EGY",
        "/id/crime/terrorism",
        "/api/states/EGY",
        "/reports",
        "/health",
    ] {
        let (code, body) = curl(&["-H", "Accept: text/html", &format!("{}{path}", server.base)]);
        assert_eq!(code, 200, "{path}: {body}");
    }
    let (code, body) = curl(&[
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        "query=SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/crimegraph/ontology#Report> }",
        &server.sparql(),
    ]);
    assert_eq!((code, body.trim()), (200, "n\r\n5"), "{body}");
    let (code, body) = curl(&["--data-urlencode", "query=SELECT * {", &server.sparql()]);
    assert_eq!(code, 400, "a syntax error is answered here: {body}");
    let update = "update=INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://b> 1 } }";
    let (code, body) = curl(&["--data-urlencode", update, &server.sparql()]);
    assert_eq!(code, 401, "writes need the token: {body}");

    // The same writes through a server over each store: the summaries stay equal.
    let data = dir.path().join("local");
    assert!(run(&data, &["ingest", corpus().to_str().unwrap()])
        .status
        .success());
    let embedded = Server::start_args(
        &["--data", data.to_str().unwrap()],
        &["--update-token", "t"],
    );
    // The answers are the same over either store, labels (read in one request over the
    // remote store) included.
    for path in ["/api/states/EGY", "/api/crime-types/terrorism/states"] {
        let (code, over_remote) = curl(&[&format!("{}{path}", server.base)]);
        assert_eq!(code, 200, "{path}: {over_remote}");
        let (_, over_embedded) = curl(&[&format!("{}{path}", embedded.base)]);
        let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(json(&over_remote), json(&over_embedded), "{path}");
        assert!(
            over_remote.contains("meetingLabel") || path.contains("crime"),
            "{path}"
        );
    }
    for server in [&server, &embedded] {
        write_through(server);
    }
    drop(embedded);
    // A dataset loaded by the CLI: each graph it names gets its quads added.
    let nq = dir.path().join("more.nq");
    let statement = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> \
                     <https://w3id.org/crimegraph/ontology#Statement>";
    let text = format!(
        "<http://example.org/u> {statement} <http://example.org/put> .\n\
         <http://example.org/v> {statement} <http://example.org/nq> .\n"
    );
    std::fs::write(&nq, text).unwrap();
    let nq = nq.to_str().unwrap();
    let out = remote(&flags, &["load", nq]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(run(&data, &["load", nq]).status.success());
    assert_same(
        &summary_of(&flags),
        &summary_of(&local(&data)),
        "after writes through the server and a load",
    );
    let (code, body) = curl(&[
        "-H",
        "Authorization: Bearer t",
        "--data-urlencode",
        "update=INSERT DATA { <http://a> <http://b> 1 }",
        &server.sparql(),
    ]);
    assert_eq!(code, 204, "the default graph: a recount: {body}");
    let (code, body) = curl(&[
        "-H",
        "Authorization: Bearer t",
        "--data-urlencode",
        "update=LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <http://example.org/l>",
        &server.sparql(),
    ]);
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("LOAD is not sent"), "{body}");
}

/// Writes of each kind, with the token: an update over every graph (the summary
/// recounted), one naming its graph (read before and after), a Graph Store PUT and a
/// POST that adds to the graph.
fn write_through(server: &Server) {
    let cg = "https://w3id.org/crimegraph/ontology#";
    let id = "https://w3id.org/crimegraph/id/";
    let updates = [
        format!(
            "DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s a <{cg}Statement> ; ?p ?o }} \
             FILTER(?g = <{id}graph/report/001_d372d5d741dda4ba>) }}"
        ),
        format!(
            "DELETE {{ GRAPH <{id}graph/report/003_8ac773325e8acdc6> {{ ?s ?p ?o }} }} \
             WHERE {{ GRAPH <{id}graph/report/003_8ac773325e8acdc6> {{ ?s a <{cg}Statement> ; ?p ?o }} }}"
        ),
    ];
    for update in updates {
        let (code, body) = curl(&[
            "-H",
            "Authorization: Bearer t",
            "--data-urlencode",
            &format!("update={update}"),
            &server.sparql(),
        ]);
        assert_eq!(code, 204, "{update}: {body}");
    }
    let turtle =
        format!("<http://example.org/s> a <{cg}Statement> ; <{cg}speaker> <{id}state/EGY> .");
    let (code, body) = curl(&[
        "-X",
        "PUT",
        "-H",
        "Authorization: Bearer t",
        "-H",
        "Content-Type: text/turtle",
        "--data-binary",
        &turtle,
        &format!("{}/store?graph=http%3A%2F%2Fexample.org%2Fput", server.base),
    ]);
    assert!(code == 201 || code == 204, "PUT: {code} {body}");
    let more =
        format!("<http://example.org/t> a <{cg}Statement> ; <{cg}speaker> <{id}state/FRA> .");
    let (code, body) = curl(&[
        "-X",
        "POST",
        "-H",
        "Authorization: Bearer t",
        "-H",
        "Content-Type: text/turtle",
        "--data-binary",
        &more,
        &format!("{}/store?graph=http%3A%2F%2Fexample.org%2Fput", server.base),
    ]);
    assert!(code == 200 || code == 204, "POST: {code} {body}");
}

#[test]
fn an_ingest_the_remote_store_cut_short_is_finished_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let reports = generated_corpus(dir.path(), 400, 7);
    let reports = reports.to_str().unwrap();
    let port = free_port();
    let location = dir.path().join("ox");
    let mut oxigraph = Oxigraph::start(&location, port);
    let flags = oxigraph.flags();
    let ingest = bin()
        .args(&flags)
        .args(["ingest", reports])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Down once some reports are in.
    let count = format!(
        "http://127.0.0.1:{port}/query?query=ASK%7BGRAPH%3Fg%7B%3Fr%20a%20%3Chttps%3A%2F%2Fw3id.org%2Fcrimegraph%2Fontology%23Report%3E%7D%7D"
    );
    let started = Instant::now();
    while !curl(&["-H", "Accept: text/csv", &count]).1.contains("true") {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no report arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    oxigraph.kill();
    let out = ingest.wait_with_output().unwrap();
    assert!(
        !out.status.success(),
        "the ingest went on without its store"
    );
    let said = stderr(&out);
    assert!(said.contains("did not answer"), "{said}");

    let _oxigraph = Oxigraph::start(&location, port);
    let out = remote(&flags, &["ingest", reports]);
    assert!(out.status.success(), "{}", stderr(&out));
    let data = dir.path().join("local");
    assert!(run(&data, &["ingest", reports]).status.success());
    assert_same(
        &summary_of(&flags),
        &summary_of(&local(&data)),
        "after the re-run",
    );
}
