//! The command line: ingest, query, export.

use crate::common::*;

#[test]
fn ingesting_twice_gives_the_same_triples() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let corpus = corpus();
    let first = run(&data, &["ingest", corpus.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = stdout(&first);
    assert!(summary.starts_with("5 reports,"), "{summary}");
    let n = triple_count(&data);
    // Unchanged files are not read again; --force reads them again; either way the
    // same triples.
    let second = run(&data, &["ingest", corpus.to_str().unwrap()]);
    assert!(second.status.success());
    assert!(
        stdout(&second).contains("5 unchanged"),
        "{}",
        stdout(&second)
    );
    assert_eq!(triple_count(&data), n);
    let forced = run(&data, &["ingest", "--force", corpus.to_str().unwrap()]);
    assert!(
        stdout(&forced).starts_with("5 reports,"),
        "{}",
        stdout(&forced)
    );
    assert_eq!(triple_count(&data), n);
    assert!(n > 1000);
    // Compacting the store changes no triple and leaves no bulk-load mark behind.
    let optimized = run(&data, &["optimize"]);
    assert!(optimized.status.success(), "{}", stderr(&optimized));
    assert!(stdout(&optimized).starts_with("store compacted in"));
    assert_eq!(triple_count(&data), n);
    let marks = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy()
                .starts_with("crimegraph-summary-loading-")
        })
        .count();
    assert_eq!(marks, 0);
}

/// A file changed since it was stored is read again and replaces its report whole.
#[test]
fn a_changed_file_replaces_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let file = input.join("r.txt");
    std::fs::write(
        &file,
        "1. Statements were made by the representatives of Chile and Peru.\n",
    )
    .unwrap();
    std::fs::write(
        input.join("other.txt"),
        "1. A statement was made by the observer for Canada.\n",
    )
    .unwrap();
    let data = dir.path().join("store");
    assert!(run(&data, &["ingest", input.to_str().unwrap()])
        .status
        .success());
    std::fs::write(
        &file,
        "1. A statement was made by the representative of Egypt.\n",
    )
    .unwrap();
    let out = run(&data, &["ingest", input.to_str().unwrap()]);
    assert!(
        stdout(&out).starts_with("1 reports,") && stdout(&out).contains("1 unchanged"),
        "{}",
        stdout(&out)
    );
    let speakers = run(
        &data,
        &[
            "query",
            "PREFIX cg: <https://w3id.org/crimegraph/ontology#> SELECT ?s WHERE { ?x cg:speaker ?s } ORDER BY ?s",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        stdout(&speakers).lines().skip(1).collect::<Vec<_>>(),
        [
            "https://w3id.org/crimegraph/id/state/CAN",
            "https://w3id.org/crimegraph/id/state/EGY"
        ]
    );
}

/// One run that meets a changed report (replaced in its own transaction while the
/// bulk load is open), new ones (bulk-loaded) and one report under two file names
/// (the second replaces the first after the commit): each graph holds one report.
#[test]
fn one_run_replaces_adds_and_dedupes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let statement = |state: &str| {
        format!("1. A statement was made by the representative of {state}.\n\n2. Speakers addressed corruption.\n")
    };
    std::fs::write(input.join("r.txt"), statement("Chile")).unwrap();
    let data = dir.path().join("store");
    assert!(run(&data, &["ingest", input.to_str().unwrap()])
        .status
        .success());
    std::fs::write(input.join("r.txt"), statement("Egypt")).unwrap();
    std::fs::write(input.join("n.txt"), statement("Canada")).unwrap();
    std::fs::write(input.join("d.md"), statement("Peru")).unwrap();
    std::fs::write(input.join("d.txt"), statement("Kenya")).unwrap();
    let out = run(&data, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("4 reports,"), "{}", stdout(&out));
    // A query's CSV rows, IRIs shortened.
    let rows = |query: &str| -> Vec<String> {
        let out = run(&data, &["query", query, "--format", "csv"]);
        stdout(&out)
            .lines()
            .skip(1)
            .map(|l| l.replace("https://w3id.org/crimegraph/id/", ""))
            .collect()
    };
    assert_eq!(
        rows("PREFIX cg: <https://w3id.org/crimegraph/ontology#> SELECT ?g ?s WHERE { GRAPH ?g { ?x cg:speaker ?s } } ORDER BY ?g"),
        [
            "graph/report/d,state/KEN",
            "graph/report/n,state/CAN",
            "graph/report/r,state/EGY"
        ],
    );
    // The topic summary counts the same reports: Chile's and Peru's are gone.
    assert_eq!(
        rows("PREFIX cg: <https://w3id.org/crimegraph/ontology#> SELECT ?s ?r WHERE { ?c cg:ofSpeaker ?s ; cg:ofTopic ?t ; cg:reportCount ?r } ORDER BY ?s"),
        ["state/CAN,1", "state/EGY,1", "state/KEN,1"],
    );
}

#[test]
fn a_bad_file_is_named_and_the_good_ones_go_in() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.txt"), "Summary of deliberations\n\n1. Speakers addressed terrorism.\n\n2. Others addressed corruption.\n").unwrap();
    std::fs::write(input.join("binary.txt"), b"\x00\x01\x02 not text").unwrap();
    std::fs::write(input.join("latin1.txt"), b"1. Caf\xe9 society.\n").unwrap();
    std::fs::write(input.join("empty.md"), "").unwrap();
    std::fs::write(
        input.join("notes.txt"),
        "Just some notes\nwith no numbered paragraphs.\n",
    )
    .unwrap();
    let data = dir.path().join("store");
    let out = run(&data, &["ingest", input.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad file makes the exit code non-zero"
    );
    let err = stderr(&out);
    assert!(err.contains("binary.txt: the file looks binary"), "{err}");
    assert!(
        err.contains("latin1.txt: not UTF-8 text (invalid byte at line 1)"),
        "{err}"
    );
    assert!(err.contains("empty.md: the file is empty"), "{err}");
    assert!(err.contains("notes.txt: no numbered paragraphs"), "{err}");
    assert!(
        stdout(&out).starts_with("1 reports, 2 paragraphs"),
        "{}",
        stdout(&out)
    );
    let q = run(&data, &["query", "SELECT ?p WHERE { ?p <https://w3id.org/crimegraph/ontology#mentions> <https://w3id.org/crimegraph/id/crime/terrorism> }", "--format", "csv"]);
    assert!(stdout(&q).contains("/report/good/p/1"), "{}", stdout(&q));
}

#[test]
fn saved_queries_run_and_export_streams_quads() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries")).unwrap() {
        let path = entry.unwrap().path();
        let out = run(&data, &["query", "-f", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
        let table = stdout(&out);
        let rows: usize = table
            .lines()
            .last()
            .unwrap()
            .trim_start_matches('(')
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(rows > 0, "{} gave no rows:\n{table}", path.display());
    }
    let out = run(
        &data,
        &[
            "export",
            "--format",
            "nq",
            "--graph",
            "https://w3id.org/crimegraph/id/graph/report/004_5617a40fafd884cf",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Kyoto"));
    let out = run(&data, &["query", "SELEC nonsense"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("SPARQL syntax error"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_50_mb_file_goes_in_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let one = std::fs::read_to_string(corpus().join("000_cc5942ef62d09ba8.txt")).unwrap();
    let mut text = String::with_capacity(51 << 20);
    while text.len() < 50 << 20 {
        text.push_str(&one);
    }
    std::fs::write(&big, &text).unwrap();
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_crimegraph"))
        .arg("--data")
        .arg(dir.path().join("store"))
        .args(["ingest", big.to_str().unwrap()])
        .output()
        .expect("/usr/bin/time");
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let peak_kb: u64 = err.lines().last().unwrap().trim().parse().unwrap();
    println!(
        "reliability: 50 MB file ingested, peak RSS {} MB",
        peak_kb / 1024
    );
    assert!(peak_kb < 3 << 20, "peak RSS {peak_kb} KB for a 50 MB file");
}

/// A store that cannot be opened (held by a running server, or under a missing folder)
/// is a clear error and exit code 2, not a crash: RocksDB's error message is freed by
/// Rust, so the allocator must be the one C's `free` is (mimalloc overrides both).
#[test]
fn a_store_that_cannot_be_opened_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |store: &std::path::Path| {
        let out = run(store, &["query", "ASK {}"]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{:?} {said}", out.status);
        assert!(said.contains("cannot open the store"), "{said}");
    };
    refused(&dir.path().join("no/such/folder/store"));
    let store = dir.path().join("store");
    let server = crate::common::Server::start_with(&store, &[]);
    refused(&store);
    drop(server);
}
