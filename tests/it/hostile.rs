//! Hostile requests against the real server (issue 18): texts that nest or chain deep
//! enough to overflow a parser's stack, runaway queries that would keep their slot, a
//! client that leaves, a body sent a byte at a time. After each, the server is alive,
//! answered as it should, and its peak memory (`VmHWM`) stays under 1.5 GB.

use crate::common::{curl, Server};
use crimegraph::store::nesting::{self, NestingError, MAX_DEPTH};
use proptest::prelude::*;
use std::time::Duration;

/// One way to make a query or update deep or long, `n` levels or links of it.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Braces,
    Parens,
    BlankNodes,
    Collections,
    SubSelects,
    Functions,
    Unions,
    Joins,
    Optionals,
    PathSequence,
    PathAlternative,
    Ors,
    Sums,
    UpdateBlankNodes,
    UpdateCollections,
    UpdateWhere,
}

const SHAPES: [Shape; 16] = [
    Shape::Braces,
    Shape::Parens,
    Shape::BlankNodes,
    Shape::Collections,
    Shape::SubSelects,
    Shape::Functions,
    Shape::Unions,
    Shape::Joins,
    Shape::Optionals,
    Shape::PathSequence,
    Shape::PathAlternative,
    Shape::Ors,
    Shape::Sums,
    Shape::UpdateBlankNodes,
    Shape::UpdateCollections,
    Shape::UpdateWhere,
];

impl Shape {
    fn is_update(self) -> bool {
        matches!(
            self,
            Shape::UpdateBlankNodes | Shape::UpdateCollections | Shape::UpdateWhere
        )
    }

    fn text(self, n: usize) -> String {
        let r = |s: &str| s.repeat(n);
        let p = "<http://example.org/p>";
        match self {
            Shape::Braces => format!("SELECT * WHERE {}{}", r("{"), r("}")),
            Shape::Parens => format!("SELECT * {{ FILTER({}1{} = 1) }}", r("("), r(")")),
            Shape::BlankNodes => format!("SELECT * {{ ?s {p} {}1{} }}", r(&format!("[ {p} ")), r(" ]")),
            Shape::Collections => format!("SELECT * {{ ?s {p} {}1{} }}", r("( "), r(" )")),
            Shape::SubSelects => format!("SELECT * {{ {}{{}}{} }}", r("{ SELECT * WHERE "), r(" }")),
            Shape::Functions => format!("SELECT ({}1{} AS ?x) {{}}", r("STR("), r(")")),
            Shape::Unions => format!("SELECT * {{ {{}} {} }}", r("UNION {} ")),
            Shape::Joins => format!("SELECT * {{ {} }}", r("{} ")),
            Shape::Optionals => format!("SELECT * {{ {{}} {} }}", r("OPTIONAL {} ")),
            Shape::PathSequence => format!("SELECT * {{ ?s {p}{} ?o }}", r(&format!("/{p}"))),
            Shape::PathAlternative => format!("SELECT * {{ ?s {p}{} ?o }}", r(&format!("|{p}"))),
            Shape::Ors => format!("SELECT * {{ FILTER(false{}) }}", r(" || false")),
            Shape::Sums => format!("SELECT (1{} AS ?x) {{}}", r("+1")),
            Shape::UpdateBlankNodes => format!(
                "INSERT DATA {{ GRAPH <http://example.org/g> {{ <http://example.org/s> {p} {}1{} }} }}",
                r(&format!("[ {p} ")),
                r(" ]")
            ),
            Shape::UpdateCollections => format!(
                "INSERT DATA {{ GRAPH <http://example.org/g> {{ <http://example.org/s> {p} {}1{} }} }}",
                r("( "),
                r(" )")
            ),
            Shape::UpdateWhere => format!(
                "INSERT {{ GRAPH <http://example.org/g> {{ ?s {p} 1 }} }} WHERE {}?s {p} ?o{}",
                r("{ "),
                r(" }")
            ),
        }
    }

    /// The largest `n` whose text the server's bound lets through.
    fn largest_allowed(self) -> usize {
        let (mut ok, mut refused) = (0, 1);
        while nesting::check(&self.text(refused)).is_ok() {
            ok = refused;
            refused *= 2;
        }
        while refused - ok > 1 {
            let mid = (ok + refused) / 2;
            if nesting::check(&self.text(mid)).is_ok() {
                ok = mid;
            } else {
                refused = mid;
            }
        }
        ok
    }
}

const TOKEN: &str = "hostile-token";

fn send(server: &Server, shape: Shape, text: &str) -> (u16, String) {
    let (key, path) = if shape.is_update() {
        ("update", "/update")
    } else {
        ("query", "/sparql")
    };
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    let url = format!("{}{path}", server.base);
    let data = format!("{key}@{}", file.path().display());
    let auth = format!("Authorization: Bearer {TOKEN}");
    if shape.is_update() {
        curl(&["-X", "POST", &url, "-H", &auth, "--data-urlencode", &data])
    } else if text.len() <= 8192 {
        // Anonymous GET: what any web page can make a browser send.
        curl(&["-G", &url, "--data-urlencode", &data])
    } else {
        // Longer than a URL may be (414): an anonymous POST form.
        curl(&["-X", "POST", &url, "--data-urlencode", &data])
    }
}

fn alive(server: &Server) {
    let (code, body) = curl(&[&format!("{}/health", server.base)]);
    assert_eq!(code, 200, "the server is gone: {body}");
}

/// Peak resident memory of the server, in bytes.
fn peak_rss(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

const PEAK_LIMIT: u64 = 1536 << 20;

fn hostile_server(extra: &[&str]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--update-token", TOKEN];
    args.extend_from_slice(extra);
    let server = Server::start_with(&dir.path().join("store"), &args);
    (dir, server)
}

/// D1, D2: the reported inputs (3,000 nested braces by anonymous GET, 5,000 nested
/// parentheses, 10,000 UNIONs, 5,000 nested sub-SELECTs, a 2,000-step path; updates
/// with 5,000 nested `( )` or `[ ]`) get a 400 that names the limit; and every shape at
/// the largest size the bound lets through is parsed and run on the server's threads
/// without overflowing their stacks.
#[test]
fn deep_and_long_texts_are_refused_or_run_never_overflow() {
    let (_dir, server) = hostile_server(&["--query-timeout", "5"]);
    let reported = [
        (Shape::Braces, 3000),
        (Shape::Parens, 5000),
        (Shape::Unions, 10_000),
        (Shape::SubSelects, 5000),
        (Shape::PathSequence, 2000),
        (Shape::UpdateCollections, 5000),
        (Shape::UpdateBlankNodes, 5000),
    ];
    for (shape, n) in reported {
        let (code, body) = send(&server, shape, &shape.text(n));
        assert_eq!(code, 400, "{shape:?} x{n}: {body}");
        assert!(
            body.contains("this server takes at most"),
            "{shape:?}: {body}"
        );
        alive(&server);
    }
    for shape in SHAPES {
        let n = shape.largest_allowed();
        assert!(n >= MAX_DEPTH / 4, "{shape:?}: only {n} allowed");
        let (code, body) = send(&server, shape, &shape.text(n));
        // Run whole (200/204), or stopped at its time limit (503): never a crash.
        assert!(
            matches!(code, 200 | 204 | 503),
            "{shape:?} x{n} at the bound: {code} {body}"
        );
        alive(&server);
    }
    let peak = peak_rss(&server);
    assert!(peak < PEAK_LIMIT, "peak RSS {} MB", peak >> 20);
    eprintln!("hostile texts: peak RSS {} MB", peak >> 20);
}

/// Deep RDF uploads through the Graph Store Protocol (Turtle, JSON-LD, RDF/XML): their
/// parsers keep their own stacks, so the server takes or refuses them, and lives.
#[test]
fn deep_rdf_uploads_never_overflow() {
    let (_dir, server) = hostile_server(&[]);
    let p = "<http://example.org/p>";
    let n = 100_000;
    let q = "\"http://example.org/p\"";
    let rdf_xml = format!(
        "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://example.org/\"><rdf:Description rdf:about=\"http://example.org/s\">{}<e:q>1</e:q>{}</rdf:Description></rdf:RDF>",
        "<e:p><rdf:Description>".repeat(n),
        "</rdf:Description></e:p>".repeat(n)
    );
    let bodies = [
        (
            "text/turtle",
            format!(
                "<http://example.org/s> {p} {}1{} .",
                format!("[ {p} ").repeat(n),
                " ]".repeat(n)
            ),
        ),
        (
            "text/turtle",
            format!(
                "<http://example.org/s> {p} {}1{} .",
                "( ".repeat(n),
                " )".repeat(n)
            ),
        ),
        (
            "application/ld+json",
            format!(
                "{{\"@id\":\"http://example.org/s\",{q}:{}1{}}}",
                format!("{{{q}:").repeat(n),
                "}".repeat(n)
            ),
        ),
        (
            "application/ld+json",
            format!("{}{}", "[".repeat(n), "]".repeat(n)),
        ),
        ("application/rdf+xml", rdf_xml),
    ];
    let url = format!("{}/store?graph=http://example.org/deep", server.base);
    let auth = format!("Authorization: Bearer {TOKEN}");
    for (media, body) in bodies {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &body).unwrap();
        let (code, answer) = curl(&[
            "-X",
            "PUT",
            &url,
            "-H",
            &auth,
            "-H",
            &format!("Content-Type: {media}"),
            "--data-binary",
            &format!("@{}", file.path().display()),
        ]);
        assert!(matches!(code, 201 | 204 | 400), "{media}: {code} {answer}");
        alive(&server);
    }
    let peak = peak_rss(&server);
    assert!(peak < PEAK_LIMIT, "peak RSS {} MB", peak >> 20);
}

/// A text whose nesting is deeper than the bound, made of random shapes mixed, by
/// property: every answer is a status, never a dead server.
#[test]
fn random_deep_mixtures_never_kill_the_server() {
    let (_dir, server) = hostile_server(&["--query-timeout", "2"]);
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let shape = (0..SHAPES.len()).prop_map(|i| SHAPES[i]);
    proptest!(config, |(shape in shape, n in 1usize..6000)| {
        let text = shape.text(n);
        let (code, body) = send(&server, shape, &text);
        let refused = nesting::check(&text).is_err();
        if refused {
            prop_assert_eq!(code, 400, "{:?} x{}: {}", shape, n, body);
        } else {
            prop_assert!(matches!(code, 200 | 204 | 400 | 503), "{:?} x{}: {} {}", shape, n, code, body);
        }
        alive(&server);
    });
    assert!(matches!(
        nesting::check(&Shape::Braces.text(MAX_DEPTH)),
        Err(NestingError::TooDeep { .. })
    ));
}

/// The cross product that ran 46 s past a 1 s limit on the seed store. Counted, it
/// writes nothing while it runs: it meets its deadline before its answer starts.
const RUNAWAY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";

/// The same cross product with every row asked for: its answer never ends.
const ENDLESS: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";

/// curl's exit code and the answer's status, the body kept in `out`.
fn curl_to(out: &std::path::Path, args: &[&str]) -> (i32, u16) {
    let done = std::process::Command::new("curl")
        .args(["-s", "-o", out.to_str().unwrap(), "-w", "%{http_code}"])
        .args(args)
        .output()
        .expect("curl");
    let code = String::from_utf8_lossy(&done.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    (done.status.code().unwrap_or(-1), code)
}

/// The `?n` a `SELECT (COUNT(*) AS ?n)` query answers on the server.
fn counted(server: &Server, count: &str) -> String {
    let (_, answer) = curl(&[
        "-G",
        &server.sparql(),
        "--data-urlencode",
        &format!("query={count}"),
    ]);
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    answer["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Waits up to 10 s for the server's abandoned queries and cut dumps to have stopped.
fn abandoned_queries_stop(server: &Server) {
    for _ in 0..100 {
        let (_, health) = curl(&[&format!("{}/health", server.base)]);
        if health.contains("\"abandoned_queries\":0") && health.contains("\"abandoned_dumps\":0") {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("abandoned queries still running 10 s after their deadline");
}

/// A query whose working memory passes its budget is stopped at once and told so; the
/// server's memory stays bounded however often it is sent (it grew by half a gigabyte
/// a query, and kept it, on the seed store).
#[test]
fn a_query_past_its_memory_budget_is_stopped() {
    let dir = crate::common::corpus_store();
    let server = Server::start_with(
        &dir.path().join("store"),
        &["--query-timeout", "20", "--max-query-memory-mb", "64"],
    );
    for _ in 0..6 {
        let (code, body) = curl(&[
            "-G",
            &server.sparql(),
            "--data-urlencode",
            &format!("query={ENDLESS}"),
        ]);
        assert_eq!(code, 503, "{body}");
        assert!(body.contains("64 MiB of working memory"), "{body}");
    }
    abandoned_queries_stop(&server);
    assert!(
        peak_rss(&server) < PEAK_LIMIT,
        "peak {} MB",
        peak_rss(&server) >> 20
    );
    let (code, body) = ask(&server);
    assert_eq!(code, 200, "{body}");
}

/// An answer past its first megabyte is streamed; one that is still going at the
/// deadline is cut (curl sees a partial transfer, never a complete answer), and its
/// query stops.
#[test]
fn an_endless_answer_is_cut_at_the_deadline() {
    let dir = crate::common::corpus_store();
    let server = Server::start_with(&dir.path().join("store"), &["--query-timeout", "2"]);
    let out = dir.path().join("endless.json");
    let (exit, code) = curl_to(
        &out,
        &[
            "-G",
            &server.sparql(),
            "--data-urlencode",
            &format!("query={ENDLESS}"),
        ],
    );
    assert_eq!(code, 200);
    assert_eq!(exit, 18, "curl: a partial transfer");
    assert!(std::fs::metadata(&out).unwrap().len() > 1 << 20);
    abandoned_queries_stop(&server);
    let (code, body) = ask(&server);
    assert_eq!(code, 200, "{body}");
}

/// A dump holds a dump slot of its own, not a query slot, and its own time limit: read
/// slowly past `--dump-timeout` it is cut (curl's partial transfer), a second dump
/// meanwhile gets 503 with `Retry-After` once it has waited `--query-timeout` for the
/// slot, and queries are answered all along.
#[test]
fn a_dump_has_its_own_slot_and_time_limit() {
    // 30 reports make a dump of about 19 MB: more than a reader at 100 kB/s and the
    // kernel's socket buffers take in 4 s, well under what one at full speed takes.
    let dir = crate::common::generated_store(30, 1);
    let server = Server::start_with(
        &dir.path().join("store"),
        &[
            "--dump-timeout",
            "4",
            "--query-timeout",
            "1",
            "--max-concurrent-queries",
            "1",
        ],
    );
    let dump = format!("{}/dump.nq", server.base);
    let out = dir.path().join("slow.nq");
    let slow = {
        let (dump, out) = (dump.clone(), out.clone());
        std::thread::spawn(move || curl_to(&out, &[&dump, "--limit-rate", "100k"]))
    };
    // The slow dump holds the slot once its first bytes have come.
    for _ in 0..100 {
        if std::fs::metadata(&out).is_ok_and(|m| m.len() > 0) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (code, body) = curl(&["-i", &dump]);
    assert_eq!(code, 503, "{body}");
    assert!(
        body.to_ascii_lowercase().contains("retry-after: 60"),
        "{body}"
    );
    // The one query slot is free: the dump does not take it.
    let (code, body) = ask(&server);
    assert_eq!(code, 200, "{body}");
    let (exit, code) = slow.join().unwrap();
    assert_eq!(
        (exit, code),
        (18, 200),
        "the slow dump is cut at its time limit"
    );
    abandoned_queries_stop(&server);
    let whole = dir.path().join("whole.nq");
    let (exit, code) = curl_to(&whole, &[&dump]);
    assert_eq!(
        (exit, code),
        (0, 200),
        "after the cut the slot is free again"
    );
    assert!(std::fs::metadata(&whole).unwrap().len() > std::fs::metadata(&out).unwrap().len());
}

/// A dump larger than a query's memory budget is sent whole: the chunks it has sent
/// are no longer its memory (they counted against the budget, so every dump past it was
/// cut there, with nothing in the log), and it is the export's N-Quads line for line.
#[test]
fn a_dump_larger_than_the_memory_budget_is_sent_whole() {
    // 30 reports make a dump of about 19 MB, against a budget of 4 MiB.
    let dir = crate::common::generated_store(30, 1);
    let store = dir.path().join("store");
    let exported = crate::common::run(&store, &["export", "--format", "nq"]);
    assert!(
        exported.status.success(),
        "{}",
        crate::common::stderr(&exported)
    );
    let server = Server::start_with(&store, &["--max-query-memory-mb", "4"]);
    let out = dir.path().join("dump.nq");
    let (exit, code) = curl_to(&out, &[&format!("{}/dump.nq", server.base)]);
    assert_eq!((exit, code), (0, 200), "the dump is sent whole");
    let dumped = std::fs::read(&out).unwrap();
    assert!(dumped.len() > 8 << 20, "{} bytes", dumped.len());
    let lines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
    assert_eq!(lines(&dumped), lines(&exported.stdout));
}

/// A graph read through the Graph Store protocol streams too, whole: the topic
/// summary's, the largest graph of a store, line for line as many triples as it holds.
#[test]
fn a_large_graph_streams_complete() {
    let dir = crate::common::corpus_store();
    let server = Server::start_with(&dir.path().join("store"), &[]);
    let out = dir.path().join("summary.nt");
    let graph = "https://w3id.org/crimegraph/id/graph/summary";
    let (exit, code) = curl_to(
        &out,
        &[
            "-G",
            &format!("{}/store", server.base),
            "-H",
            "Accept: application/n-triples",
            "--data-urlencode",
            &format!("graph={graph}"),
        ],
    );
    assert_eq!((exit, code), (0, 200));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.len() > 1 << 20,
        "{} bytes: not past the first buffer",
        text.len()
    );
    let count = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
    assert_eq!(text.lines().count().to_string(), counted(&server, &count));
}

/// A large answer streams whole: every row the store holds, as valid JSON.
#[test]
fn a_large_answer_streams_complete() {
    let dir = crate::common::corpus_store();
    let server = Server::start_with(&dir.path().join("store"), &[]);
    let out = dir.path().join("all.json");
    let all = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }";
    let (exit, code) = curl_to(
        &out,
        &[
            "-G",
            &server.sparql(),
            "--data-urlencode",
            &format!("query={all}"),
        ],
    );
    assert_eq!((exit, code), (0, 200));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.len() > 1 << 20,
        "{} bytes: not past the first buffer",
        text.len()
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows = json["results"]["bindings"].as_array().unwrap().len();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    assert_eq!(rows.to_string(), counted(&server, count));
}

fn ask(server: &Server) -> (u16, String) {
    curl(&[
        "-G",
        &server.sparql(),
        "--data-urlencode",
        "query=ASK {}",
        "-H",
        "Accept: application/sparql-results+json",
    ])
}

/// D4: a query past its deadline gives its slot back at the deadline, though its engine
/// is still stopping; a client that leaves gives its slot back when it leaves.
#[test]
fn a_runaway_or_abandoned_query_frees_its_slot() {
    let dir = crate::common::corpus_store();
    let server = Server::start_with(
        &dir.path().join("store"),
        &["--query-timeout", "2", "--max-concurrent-queries", "2"],
    );
    // Both slots taken by runaways; each gets its 503 at the deadline.
    let runaways: Vec<_> = (0..2)
        .map(|_| {
            let url = server.sparql();
            std::thread::spawn(move || {
                curl(&["-G", &url, "--data-urlencode", &format!("query={RUNAWAY}")])
            })
        })
        .collect();
    for r in runaways {
        let (code, body) = r.join().unwrap();
        assert_eq!(code, 503, "{body}");
    }
    // The slots are free again, though the cross products may not have stopped yet.
    let (code, body) = ask(&server);
    assert_eq!(code, 200, "{body}");
    // A client that gives up after half a second: the slot is back at once, not at
    // the deadline.
    let (code, _) = curl(&[
        "--max-time",
        "0.5",
        "-G",
        &server.sparql(),
        "--data-urlencode",
        &format!("query={RUNAWAY}"),
    ]);
    assert_eq!(code, 0, "curl gave up");
    let (code, body) = ask(&server);
    assert_eq!(code, 200, "{body}");
    let (_, health) = curl(&[&format!("{}/health", server.base)]);
    assert!(health.contains("abandoned_queries"), "{health}");
}

/// D9: a body sent one byte at a time, each within the client timeout, is cut off at
/// the timeout for the whole body.
#[test]
fn a_body_trickled_byte_by_byte_is_cut_off() {
    use std::io::{Read, Write};
    let (_dir, server) = hostile_server(&["--client-timeout", "2"]);
    let addr = server.base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let head = format!(
        "POST /update HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/sparql-update\r\nContent-Length: 1000\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    // At most 60 bytes, 0.5 s apart: 30 s if the server never cuts the body off.
    for _ in 0..60 {
        if s.write_all(b" ").is_err() {
            break;
        }
        let mut buf = [0u8; 1024];
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                break;
            }
            Err(_) => std::thread::sleep(Duration::from_millis(400)),
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    alive(&server);
}

/// SIGTERM with runaway queries in flight on `/sparql` and on a page (the editor): the
/// process ends by itself within the drain time (30 s), though the engines are still
/// stopping their abandoned queries, and ends well: it waits for them to leave the store.
#[test]
fn sigterm_with_queries_in_flight_ends_the_process() {
    let dir = crate::common::corpus_store();
    let mut server = Server::start_with(&dir.path().join("store"), &["--query-timeout", "3"]);
    let editor = format!("{}/sparql-editor", server.base);
    let in_flight: Vec<_> = (0..4)
        .map(|i| {
            let (url, get) = if i % 2 == 0 {
                (server.sparql(), "query")
            } else {
                (editor.clone(), "query")
            };
            std::thread::spawn(move || {
                curl(&["-G", &url, "--data-urlencode", &format!("{get}={RUNAWAY}")])
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let status = server.terminate(Duration::from_secs(40));
    let status = status.expect("the server did not end within 40 s of SIGTERM");
    // Not killed by its own exit: a query thread still reading the store when RocksDB's
    // static destructors ran aborted the process (exit 134) before it waited for them.
    assert!(status.success(), "the server's exit: {status}");
    for request in in_flight {
        let (code, _) = request.join().unwrap();
        assert!(matches!(code, 0 | 200 | 503), "in flight: {code}");
    }
}
