//! The service, black-box: the real binary on an ephemeral port over a real on-disk
//! store, driven with curl.

use crate::common::*;

const TOKEN: &str = "s3cret-token";

fn q(url: &str, query: &str, accept: &str) -> (u16, String) {
    curl(&[
        "-G",
        url,
        "-H",
        &format!("Accept: {accept}"),
        "--data-urlencode",
        &format!("query={query}"),
    ])
}

#[test]
fn sparql_protocol_formats_and_errors() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let url = server.sparql();
    let select =
        "SELECT ?s WHERE { ?s a <https://w3id.org/crimegraph/ontology#Report> } ORDER BY ?s";
    for (accept, marker) in [
        ("application/sparql-results+json", "\"bindings\""),
        ("application/sparql-results+xml", "<sparql"),
        ("text/csv", "s\r\n"),
        ("text/tab-separated-values", "?s\n"),
        (
            "text/csv;q=0.2, application/sparql-results+xml;q=0.9",
            "<sparql",
        ),
    ] {
        let (code, body) = q(&url, select, accept);
        assert_eq!(code, 200, "{accept}: {body}");
        assert!(body.contains(marker), "{accept}: {body}");
    }
    let construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t . FILTER(?t = <https://w3id.org/crimegraph/ontology#Report>) }";
    for (accept, marker) in [
        ("text/turtle", "ontology#Report>"),
        ("application/n-triples", "ontology#Report> ."),
        ("application/n-quads", "ontology#Report> ."),
        ("application/trig", "ontology#Report>"),
        ("application/rdf+xml", "<rdf:RDF"),
        ("application/ld+json", "\"@id\""),
    ] {
        let (code, body) = q(&url, construct, accept);
        assert_eq!(code, 200, "{accept}: {body}");
        assert!(body.contains(marker), "{accept}: {body}");
    }
    // POST as a form and as a direct body; /query as Oxigraph names it.
    let (code, _) = curl(&[
        "-X",
        "POST",
        &url,
        "--data-urlencode",
        &format!("query={select}"),
    ]);
    assert_eq!(code, 200);
    let (code, _) = curl(&[
        "-X",
        "POST",
        &format!("{}/query", server.base),
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        select,
    ]);
    assert_eq!(code, 200);
    // The dataset of the protocol replaces the union default graph.
    let graph = "https://w3id.org/crimegraph/id/graph/report/004_5617a40fafd884cf";
    let (code, body) = curl(&[
        "-G",
        &url,
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={select}"),
        "--data-urlencode",
        &format!("default-graph-uri={graph}"),
    ]);
    assert_eq!(code, 200);
    assert_eq!(body.lines().count(), 2, "{body}");
    // Errors.
    let (code, body) = q(&url, "SELECT ?s WHERE { ?s ", "application/json");
    assert_eq!(code, 400);
    assert!(body.contains("SPARQL syntax error"), "{body}");
    let (code, _) = q(&url, select, "image/png");
    assert_eq!(code, 406);
    let (code, _) = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        "Content-Type: text/plain",
        "--data-binary",
        select,
    ]);
    assert_eq!(code, 415);
    let (code, body) = q(
        &url,
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "application/json",
    );
    assert_eq!(code, 400);
    assert!(body.contains("federation is off"), "{body}");
    // Service description.
    let (code, body) = curl(&["-H", "Accept: text/turtle", &url]);
    assert_eq!(code, 200);
    assert!(
        body.contains("sparql-service-description#Service"),
        "{body}"
    );
    let (code, body) = curl(&[&format!("{}/health", server.base)]);
    assert_eq!(code, 200);
    assert!(body.contains("\"ok\""), "{body}");
}

#[test]
fn timeout_stops_a_runaway_query_and_the_server_keeps_serving() {
    let dir = corpus_store();
    let server = Server::start_with(&dir.path().join("store"), &["--query-timeout", "1"]);
    let url = server.sparql();
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let (code, body) = q(&url, heavy, "application/json");
    assert_eq!(code, 503, "{body}");
    assert!(body.contains("stopped"), "{body}");
    let (code, _) = q(&url, "ASK {}", "application/json");
    assert_eq!(code, 200);
}

/// With one query slot, concurrent clients still all get their answers, in turn, and a
/// query that fails or is stopped gives its slot back.
#[test]
fn queries_beyond_the_slots_wait_their_turn() {
    let dir = corpus_store();
    let server = Server::start_with(
        &dir.path().join("store"),
        &["--max-concurrent-queries", "1", "--query-timeout", "1"],
    );
    let url = server.sparql();
    // A cross product of two scans: stopped within moments of its deadline.
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }";
    let (code, body) = q(&url, heavy, "application/json");
    assert_eq!(code, 503, "{body}");
    // Once the engine has stopped it, its slot is free again.
    let freed = (0..60).any(|_| {
        let (code, _) = q(&url, "ASK {}", "application/json");
        code == 200 || {
            std::thread::sleep(std::time::Duration::from_millis(500));
            false
        }
    });
    assert!(freed, "the stopped query's slot never came back");
    let reports =
        "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/crimegraph/ontology#Report> }";
    let clients: Vec<_> = (0..8)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                for j in 0..4 {
                    if (i + j) % 3 == 0 {
                        let (code, body) = q(&url, "SELECT WHERE {", "text/csv");
                        assert_eq!(code, 400, "{body}");
                    } else {
                        let (code, body) = q(&url, reports, "text/csv");
                        assert_eq!((code, body.as_str()), (200, "n\r\n5\r\n"));
                    }
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let (code, _) = q(&url, "ASK {}", "application/json");
    assert_eq!(code, 200);
}

#[test]
fn body_limit_gives_413() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(&dir.path().join("store"), &["--body-limit-mb", "1"]);
    let big = dir.path().join("big.rq");
    std::fs::write(&big, format!("# {}\nASK {{}}", "x".repeat(2 << 20))).unwrap();
    let (code, _) = curl(&[
        "-X",
        "POST",
        &server.sparql(),
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        &format!("@{}", big.display()),
    ]);
    assert_eq!(code, 413);
}

#[test]
fn writes_need_the_token() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    let count = |url: &str| -> String {
        let (_, body) = q(
            url,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "text/csv",
        );
        body
    };
    let update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }";
    {
        // Writes are off without a token configured.
        let server = Server::start(&data);
        let (code, _) = curl(&[
            "-X",
            "POST",
            &format!("{}/update", server.base),
            "-H",
            "Content-Type: application/sparql-update",
            "-H",
            "Authorization: Bearer x",
            "--data-binary",
            update,
        ]);
        assert_eq!(code, 403);
    }
    let server = Server::start_with(&data, &["--update-token", TOKEN]);
    let url = server.sparql();
    let before = count(&url);
    let post_update = |auth: Option<&str>| {
        let mut args = vec![
            "-X",
            "POST",
            &url,
            "-H",
            "Content-Type: application/sparql-update",
            "--data-binary",
            update,
        ];
        let header;
        if let Some(a) = auth {
            header = format!("Authorization: Bearer {a}");
            args.extend(["-H", &header]);
        }
        curl(&args).0
    };
    assert_eq!(post_update(None), 401);
    assert_eq!(post_update(Some("wrong")), 403);
    assert_eq!(count(&url), before, "a refused write changes nothing");
    assert_eq!(post_update(Some(TOKEN)), 204);
    assert_ne!(count(&url), before);

    // Graph Store protocol.
    let store = format!("{}/store", server.base);
    let auth = format!("Authorization: Bearer {TOKEN}");
    let (code, body) = curl(&[
        "-G",
        &store,
        "-H",
        "Accept: application/n-triples",
        "--data-urlencode",
        "graph=http://example.org/g",
    ]);
    assert_eq!(code, 200);
    assert!(body.contains("<http://example.org/s>"), "{body}");
    let (code, _) = curl(&[
        "-X",
        "PUT",
        &format!("{store}?graph=http://example.org/h"),
        "-H",
        "Content-Type: text/turtle",
        "--data-binary",
        "<http://example.org/a> <http://example.org/b> \"c\" .",
    ]);
    assert_eq!(code, 401);
    let (code, _) = curl(&[
        "-X",
        "PUT",
        &format!("{store}?graph=http://example.org/h"),
        "-H",
        "Content-Type: text/turtle",
        "-H",
        &auth,
        "--data-binary",
        "<http://example.org/a> <http://example.org/b> \"c\" .",
    ]);
    assert_eq!(code, 204);
    let (code, _) = curl(&[
        "-X",
        "PUT",
        &format!("{store}?graph=http://example.org/h"),
        "-H",
        "Content-Type: text/turtle",
        "-H",
        &auth,
        "--data-binary",
        "not turtle",
    ]);
    assert_eq!(code, 400);
    let (code, _) = curl(&[
        "-X",
        "DELETE",
        &format!("{store}?graph=http://example.org/h"),
        "-H",
        &auth,
    ]);
    assert_eq!(code, 204);
    let (code, _) = curl(&[
        "-G",
        &store,
        "--data-urlencode",
        "graph=http://example.org/h",
    ]);
    assert_eq!(code, 404);
}

#[test]
fn reports_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(&dir.path().join("store"), &["--update-token", TOKEN]);
    let auth = format!("Authorization: Bearer {TOKEN}");
    let reports = format!("{}/reports", server.base);
    let file = corpus().join("000_cc5942ef62d09ba8.txt");
    let file_arg = format!("@{}", file.display());
    let (code, _) = curl(&[
        "-X",
        "POST",
        &format!("{reports}?name=000_cc5942ef62d09ba8.txt"),
        "--data-binary",
        &file_arg,
    ]);
    assert_eq!(code, 401);
    let (code, body) = curl(&[
        "-X",
        "POST",
        &format!("{reports}?name=000_cc5942ef62d09ba8.txt"),
        "-H",
        &auth,
        "-H",
        "Content-Type: text/plain",
        "--data-binary",
        &file_arg,
    ]);
    assert_eq!(code, 201, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["key"], "000_cc5942ef62d09ba8");
    assert_eq!(v["statements"], 8);
    let (code, body) = curl(&[
        "-X",
        "POST",
        &format!("{reports}?name=../../etc/notes.txt"),
        "-H",
        &auth,
        "--data-binary",
        "no report here",
    ]);
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("notes.txt: no numbered paragraphs"), "{body}");
    let (code, body) = curl(&[&reports]);
    assert_eq!(code, 200);
    assert!(body.contains("000_cc5942ef62d09ba8.txt"), "{body}");
    let (code, _) = curl(&["-X", "DELETE", &format!("{reports}/000_cc5942ef62d09ba8")]);
    assert_eq!(code, 401);
    let (code, _) = curl(&[
        "-X",
        "DELETE",
        &format!("{reports}/000_cc5942ef62d09ba8"),
        "-H",
        &auth,
    ]);
    assert_eq!(code, 204);
    let (code, _) = curl(&[
        "-X",
        "DELETE",
        &format!("{reports}/000_cc5942ef62d09ba8"),
        "-H",
        &auth,
    ]);
    assert_eq!(code, 404);
    let (code, _) = curl(&[
        "-X",
        "DELETE",
        &format!("{reports}/..%2F..%2Fetc"),
        "-H",
        &auth,
    ]);
    assert!(code == 400 || code == 404, "{code}");
}

#[test]
fn linked_data_dumps_and_void() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let b = &server.base;
    let (code, body) = curl(&["-H", "Accept: text/turtle", &format!("{b}/id/state/EGY")]);
    assert_eq!(code, 200);
    assert!(body.contains("\"Egypt\"@en"), "{body}");
    assert!(
        body.contains("ontology#speaker"),
        "statements pointing at it: {body}"
    );
    let (code, body) = curl(&[&format!("{b}/id/state/EGY.jsonld")]);
    assert_eq!(code, 200);
    assert!(body.contains("Egypt"), "{body}");
    let (code, body) = curl(&[
        "-H",
        "Accept: text/html",
        &format!("{b}/id/instrument/untoc"),
    ]);
    assert_eq!(code, 200);
    assert!(
        body.contains("<h1>United Nations Convention against Transnational Organized Crime</h1>"),
        "{body}"
    );
    for ext in ["ttl", "nt", "rdf", "jsonld"] {
        let (code, _) = curl(&[&format!("{b}/id/crime/terrorism.{ext}")]);
        assert_eq!(code, 200, "{ext}");
    }
    let (code, _) = curl(&[&format!("{b}/id/state/XXX")]);
    assert_eq!(code, 404);
    let (code, _) = curl(&["--path-as-is", &format!("{b}/id/../../etc/passwd")]);
    assert_eq!(code, 404);
    let (code, body) = curl(&[&format!("{b}/ontology.ttl")]);
    assert_eq!(code, 200);
    assert!(body.contains("ontology#Statement"), "{body}");
    let (code, body) = curl(&[
        "-H",
        "Accept: text/turtle",
        &format!("{b}/.well-known/void"),
    ]);
    assert_eq!(code, 200);
    assert!(body.contains("rdfs.org/ns/void#triples"), "{body}");

    // Dump round-trip: the dump loaded into a fresh store holds the same triples.
    let dump = dir.path().join("dump.nq");
    let (code, body) = curl(&[&format!("{b}/dump.nq")]);
    assert_eq!(code, 200);
    std::fs::write(&dump, &body).unwrap();
    let fresh = dir.path().join("fresh");
    let out = run(&fresh, &["load", dump.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let count = triple_count;
    drop(server);
    assert_eq!(count(&fresh), count(&dir.path().join("store")));
    let (_, trig) = {
        let server = Server::start(&dir.path().join("store"));
        curl(&[&format!("{}/dump.trig", server.base)])
    };
    assert!(trig.contains("GRAPH") || trig.contains("{"), "trig dump");
}

#[test]
fn json_answers() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let get = |path: &str| -> serde_json::Value {
        let (code, body) = curl(&[&format!("{}{path}", server.base)]);
        assert_eq!(code, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    };
    let egy = get("/api/states/EGY");
    assert_eq!(egy["state"]["label"], "Egypt");
    assert!(egy["statements"].as_array().unwrap().len() >= 2);
    assert!(egy["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["topic"] == "https://w3id.org/crimegraph/id/crime/terrorism"));
    let t = get("/api/crime-types/terrorism/states");
    assert!(t["states"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["stateLabel"] == "Egypt"));
    let untoc = get("/api/instruments/untoc");
    assert!(!untoc["crimeTypes"].as_array().unwrap().is_empty());
    assert!(!untoc["evidence"].as_array().unwrap().is_empty());
    let s = get("/api/search?q=egypt");
    assert_eq!(
        s["results"][0]["entity"],
        "https://w3id.org/crimegraph/id/state/EGY"
    );
    let s = get("/api/search?q=%22%20%7D%20%7D%20DROP");
    assert!(
        s["results"].as_array().unwrap().is_empty(),
        "quotes in q cannot change the query"
    );
    let (code, _) = curl(&[&format!("{}/api/states/XYZ", server.base)]);
    assert_eq!(code, 404);
}

#[test]
fn federation_only_when_allowed() {
    let remote_dir = corpus_store();
    let remote = Server::start(&remote_dir.path().join("store"));
    let local_dir = tempfile::tempdir().unwrap();
    let q = format!(
        "SELECT ?r WHERE {{ SERVICE <{}> {{ ?r a <https://w3id.org/crimegraph/ontology#Report> }} }}",
        remote.sparql()
    );
    {
        let local = Server::start(&local_dir.path().join("store"));
        let (code, body) = q_csv(&local.sparql(), &q);
        assert_eq!(code, 400, "{body}");
    }
    let local = Server::start_with(&local_dir.path().join("store"), &["--allow-federation"]);
    let (code, body) = q_csv(&local.sparql(), &q);
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        body.lines().count(),
        6,
        "the five reports of the remote store: {body}"
    );
    let (code, body) = q_csv(
        &local.sparql(),
        "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }",
    );
    assert_eq!(code, 502, "only http:// endpoints: {body}");
}

fn q_csv(url: &str, query: &str) -> (u16, String) {
    curl(&[
        "-G",
        url,
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={query}"),
    ])
}

/// Slowloris: clients that send their headers or body too slowly, or nothing at all,
/// are cut off after `--client-timeout`, and other clients are served meanwhile.
#[test]
fn slow_clients_are_cut_off() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &dir.path().join("store"),
        &["--client-timeout", "1", "--update-token", "t"],
    );
    let addr = server.base.trim_start_matches("http://").to_string();
    let open = |head: &str| {
        let mut s = TcpStream::connect(&addr).unwrap();
        // Generous: the server's deadline is one second; this only stops a hung test.
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        s
    };
    // What the server sends before it closes the connection (empty when it just closes).
    let answer = |mut s: TcpStream| {
        let mut buf = Vec::new();
        match s.read_to_end(&mut buf) {
            Ok(_) => String::from_utf8_lossy(&buf).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                String::from_utf8_lossy(&buf).into_owned()
            }
            Err(e) => panic!("the server kept a stalled connection open: {e}"),
        }
    };
    let many: Vec<TcpStream> = (0..50)
        .map(|_| open("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "))
        .collect();
    let half_head = open("GET /health HTTP/1.1\r\nHost: x\r\n");
    let half_body = open("POST /update HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Type: application/sparql-update\r\nContent-Length: 100\r\n\r\nINSERT DATA");
    // Fifty stalled clients do not keep others from being served.
    let (code, _) = curl(&[&format!("{}/health", server.base)]);
    assert_eq!(code, 200);
    let head_answer = answer(half_head);
    assert!(!head_answer.contains("200 OK"), "{head_answer}");
    let body_answer = answer(half_body);
    assert!(
        body_answer.starts_with("HTTP/1.1 408") || body_answer.starts_with("HTTP/1.1 400"),
        "{body_answer}"
    );
    for s in many {
        answer(s);
    }
    // The update that never finished left the store unchanged.
    let (_, body) = q_csv(&server.sparql(), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (<https://w3id.org/crimegraph/id/graph/reference>, <https://w3id.org/crimegraph/id/graph/summary>)) }");
    assert!(
        body.ends_with("0\r\n") || body.trim_end().ends_with('0'),
        "{body}"
    );
}

/// A server over an empty store that takes writes, for the SPARQL 1.1 Protocol tests.
fn protocol_server() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(&dir.path().join("store"), &["--update-token", TOKEN]);
    (dir, server)
}

/// POSTs `body` with `content_type` to `path` (with its query string), with the token.
fn proto_post(server: &Server, path: &str, content_type: &str, body: &str) -> (u16, String) {
    curl(&[
        "-X",
        "POST",
        &format!("{}{path}", server.base),
        "-H",
        &format!("Content-Type: {content_type}"),
        "-H",
        &format!("Authorization: Bearer {TOKEN}"),
        "-H",
        "Accept: text/csv",
        "--data-binary",
        body,
    ])
}

/// `format=` picks the download format whatever the `Accept` (the editor's links), and
/// q=0 in `Accept` refuses a format even where `*/*` would take it.
#[test]
fn format_parameter_and_q_zero() {
    let (_dir, server) = protocol_server();
    let url = server.sparql();
    let select = "SELECT ?x WHERE { VALUES ?x { 1 } }";
    let with_format = |query: &str, format: &str| {
        curl(&[
            "-G",
            &url,
            "-H",
            "Accept: application/sparql-results+json",
            "--data-urlencode",
            &format!("query={query}"),
            "--data-urlencode",
            &format!("format={format}"),
        ])
    };
    for (format, marker) in [
        ("csv", "x\r\n1\r\n"),
        ("tsv", "?x\n1\n"),
        ("xml", "<sparql"),
        ("json", "\"bindings\""),
        ("text/csv", "x\r\n1\r\n"),
    ] {
        let (code, body) = with_format(select, format);
        assert_eq!(code, 200, "{format}: {body}");
        assert!(
            body.starts_with(marker) || body.contains(marker),
            "{format}: {body}"
        );
    }
    let construct = "CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}";
    for (format, marker) in [
        ("ttl", "<http://example.org/s> <http://example.org/p> 1"),
        (
            "nt",
            "<http://example.org/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .",
        ),
        ("rdf", "<rdf:RDF"),
        ("jsonld", "\"@id\""),
        ("json", "\"@id\""),
    ] {
        let (code, body) = with_format(construct, format);
        assert_eq!(code, 200, "{format}: {body}");
        assert!(body.contains(marker), "{format}: {body}");
    }
    let (code, body) = with_format(construct, "csv");
    assert_eq!(code, 406, "CSV is not a graph format: {body}");
    let (code, body) = with_format(select, "xlsx");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("csv, json"), "{body}");
    let (code, body) = q(&url, select, "application/sparql-results+json;q=0, */*");
    assert_eq!(code, 200, "{body}");
    assert!(!body.contains("\"bindings\""), "q=0 refuses JSON: {body}");
    assert!(
        body.contains("<sparql"),
        "the next format the server offers: {body}"
    );
}

/// `SERVICE ?var` with the variable unbound is the query's mistake (400 that says so),
/// not an internal error; bound to an IRI (in a LATERAL: a join evaluates its sides
/// apart) it is a SERVICE like any other, refused here: federation is off.
#[test]
fn service_with_a_variable() {
    let (_dir, server) = protocol_server();
    let url = server.sparql();
    let (code, body) = q_csv(&url, "SELECT * WHERE { SERVICE ?s { ?a ?b ?c } }");
    assert_eq!(code, 400, "{body}");
    assert!(
        body.contains("SERVICE ?var") && body.contains("LATERAL"),
        "{body}"
    );
    let (code, body) = q_csv(
        &url,
        "SELECT * WHERE { VALUES ?s { <http://example.org/sparql> } LATERAL { SERVICE ?s { ?a ?b ?c } } }",
    );
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("federation is off"), "{body}");
}

/// One operation per request: several `query` or `update`, or both, are a 400 rather
/// than a guess; an update by GET is a 400 (GETs must change nothing).
#[test]
fn one_operation_per_request_and_updates_by_post_only() {
    let (_dir, server) = protocol_server();
    let base = &server.base;
    let get = |path_and_query: &str| curl(&[&format!("{base}{path_and_query}")]);
    let (code, body) = get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D");
    assert_eq!(code, 400, "{body}");
    let (code, body) = get("/query?query=ASK%20%7B%7D&query=ASK%20%7B%7D");
    assert_eq!(code, 400, "{body}");
    let form = "application/x-www-form-urlencoded";
    let (code, body) = proto_post(
        &server,
        "/sparql",
        form,
        "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
    );
    assert_eq!(code, 400, "{body}");
    let (code, body) = proto_post(
        &server,
        "/sparql",
        form,
        "query=ASK%20%7B%7D&update=CLEAR%20ALL",
    );
    assert_eq!(code, 400, "{body}");
    let (code, body) = proto_post(
        &server,
        "/sparql?query=ASK%20%7B%7D",
        form,
        "query=ASK%20%7B%7D",
    );
    assert_eq!(code, 400, "a query in the URL and the body: {body}");
    let (code, body) = proto_post(&server, "/update", form, "query=ASK%20%7B%7D");
    assert_eq!(code, 400, "{body}");
    // Updates by GET.
    let (code, body) = get("/sparql?update=CLEAR%20ALL");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("POST"), "{body}");
    let (code, body) = get("/query?update=CLEAR%20ALL");
    assert_eq!(code, 400, "{body}");
    let (code, _) = get("/update?update=CLEAR%20ALL");
    assert_eq!(code, 405);
}

/// `using-graph-uri` / `using-named-graph-uri` are the dataset of the update's WHERE,
/// as USING / USING NAMED would be; given with a USING or WITH in the text, a 400. A
/// query's `default-graph-uri` / `named-graph-uri` replace its FROM / FROM NAMED.
#[test]
fn protocol_datasets_of_updates_and_queries() {
    let (_dir, server) = protocol_server();
    let ex = "http://example.org/";
    let data = format!(
        "INSERT DATA {{ GRAPH <{ex}g1> {{ <{ex}d1> a <{ex}Doc> }} GRAPH <{ex}g2> {{ <{ex}d2> a <{ex}Doc> }} GRAPH <{ex}g3> {{ <{ex}d3> a <{ex}Doc> }} }}"
    );
    let sparql_update = "application/sparql-update";
    assert_eq!(proto_post(&server, "/update", sparql_update, &data).0, 204);
    let copy = |out: &str, pattern: &str| {
        format!("INSERT {{ GRAPH <{ex}{out}> {{ ?s a <{ex}Copied> }} }} WHERE {{ {pattern} }}")
    };
    let g = |name: &str| {
        format!("{ex}{name}")
            .replace(':', "%3A")
            .replace('/', "%2F")
    };
    let path = format!(
        "/update?using-named-graph-uri={}&using-named-graph-uri={}",
        g("g1"),
        g("g2")
    );
    let (code, body) = proto_post(
        &server,
        &path,
        sparql_update,
        &copy("named", "GRAPH ?g { ?s a ?t }"),
    );
    assert_eq!(code, 204, "{body}");
    let path = format!("/sparql?using-graph-uri={}", g("g3"));
    let (code, body) = proto_post(&server, &path, sparql_update, &copy("default", "?s a ?t"));
    assert_eq!(code, 204, "{body}");
    let copied = |graph: &str| {
        let (code, body) = q_csv(
            &server.sparql(),
            &format!(
                "SELECT ?s WHERE {{ GRAPH <{ex}{graph}> {{ ?s a <{ex}Copied> }} }} ORDER BY ?s"
            ),
        );
        assert_eq!(code, 200, "{body}");
        body.lines().skip(1).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(copied("named"), [format!("{ex}d1"), format!("{ex}d2")]);
    assert_eq!(copied("default"), [format!("{ex}d3")]);
    // The dataset in both places: refused, and nothing written.
    let with = format!("WITH <{ex}g1> INSERT {{ ?s a <{ex}Copied> }} WHERE {{ ?s a ?t }}");
    let path = format!("/sparql?using-named-graph-uri={}", g("g2"));
    let (code, body) = proto_post(&server, &path, sparql_update, &with);
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("USING"), "{body}");
    assert!(copied("g1").is_empty());
    // A query's protocol dataset replaces its FROM NAMED.
    let ask = format!("ASK FROM NAMED <{ex}g3> {{ GRAPH ?g {{ <{ex}d1> a ?t }} }}");
    let path = format!("/sparql?named-graph-uri={}", g("g1"));
    let (code, body) = proto_post(&server, &path, "application/sparql-query", &ask);
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("true"), "{body}");
}

/// Relative IRIs resolve against the service's root (`--base`), in queries and updates.
#[test]
fn relative_iris_resolve_against_the_base() {
    let (_dir, server) = protocol_server();
    let (code, body) = q_csv(&server.sparql(), "SELECT (<id/state/FRA> AS ?x) WHERE {}");
    assert_eq!(code, 200, "{body}");
    assert!(
        body.contains("https://w3id.org/crimegraph/id/state/FRA"),
        "{body}"
    );
    let update = "INSERT DATA { GRAPH <http://example.org/rel> { <s> <p> <test> } }";
    let (code, body) = proto_post(&server, "/sparql", "application/sparql-update", update);
    assert_eq!(code, 204, "{body}");
    let (code, body) = q_csv(
        &server.sparql(),
        "SELECT ?o WHERE { GRAPH <http://example.org/rel> { ?s ?p ?o } }",
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("https://w3id.org/crimegraph/test"), "{body}");
}
