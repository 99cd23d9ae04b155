//! Nothing lost under crashes: an ingest killed with SIGKILL at 20 different moments
//! leaves every report absent or whole, and running it again completes the set. A
//! server stopped with SIGTERM mid-request starts again on the same triples.

use crate::common::*;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Each stored report: (graph triples, the report's own cg:tripleCount, its cg:sha256).
fn stored(data: &Path) -> HashMap<String, (i64, i64, String)> {
    let q = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>
        SELECT ?file ?count ?sha (COUNT(*) AS ?n) WHERE {
          GRAPH ?g { ?r cg:sourceFile ?file ; cg:tripleCount ?count ; cg:sha256 ?sha . ?s ?p ?o } }
        GROUP BY ?file ?count ?sha";
    tsv_rows(data, q)
        .into_iter()
        .map(|c| {
            let num = |s: &str| s.split('"').nth(1).unwrap_or(s).parse::<i64>().unwrap();
            (
                c[0].trim_matches('"').to_string(),
                (num(&c[3]), num(&c[1]), c[2].trim_matches('"').to_string()),
            )
        })
        .collect()
}

/// Paragraphs in the text index (a search for every paragraph) and in the store.
fn index_and_paragraphs(data: &Path) -> (u64, u64) {
    let out = run(data, &["search", "--json", "--limit", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let q = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE { ?p a cg:Paragraph ;
          <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?t }";
    let rows = tsv_rows(data, q);
    let n = rows[0][0]
        .split('"')
        .nth(1)
        .unwrap_or(&rows[0][0])
        .parse()
        .unwrap();
    (v["total"].as_u64().unwrap(), n)
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn sigkill_during_ingest_leaves_reports_absent_or_whole() {
    let dir = tempfile::tempdir().unwrap();
    let reports = generated_corpus(dir.path(), 80, 3);
    let shas: HashMap<String, String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                sha256(&p),
            )
        })
        .collect();
    let data = dir.path().join("store");
    let mut rng = fastrand::Rng::with_seed(42);
    let mut kills = 0;
    let mut partial_runs = 0;
    for _ in 0..20 {
        let mut child = bin()
            .arg("--data")
            .arg(&data)
            .arg("ingest")
            .arg(&reports)
            // Small commits, so that kills land between them as well as inside them;
            // --force so that every run has work (reports stored by an earlier run are
            // replaced one transaction each, new ones bulk-loaded).
            .args(["--batch", "8", "--force"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(20..900)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        let now = stored(&data);
        if now.len() < shas.len() {
            partial_runs += 1;
        }
        let (indexed, paragraphs) = index_and_paragraphs(&data);
        assert_eq!(
            indexed, paragraphs,
            "the text index holds each stored paragraph once after the crash"
        );
        for (file, (n, count, sha)) in &now {
            assert_eq!(
                n, count,
                "{file}: a report is whole or absent ({n} of {count} triples)"
            );
            assert_eq!(
                Some(sha),
                shas.get(file),
                "{file}: stored from the file as it is"
            );
        }
    }
    assert!(kills >= 15, "killed {kills} times");
    let out = run(&data, &["ingest", reports.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let done = stored(&data);
    assert_eq!(
        done.len(),
        shas.len(),
        "re-running the ingest completes the set"
    );
    assert!(done.values().all(|(n, c, _)| n == c));
    let (indexed, paragraphs) = index_and_paragraphs(&data);
    assert_eq!(
        indexed, paragraphs,
        "the text index is complete after the re-run"
    );
    println!("reliability: {kills} kills survived, {partial_runs} partial stores checked, {} reports whole", done.len());
}

#[test]
fn sigterm_mid_request_then_restart_on_the_same_triples() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    let count = triple_count;
    let before = count(&data);
    let server = Server::start(&data);
    let url = server.sparql();
    // A slow query in flight while the server is told to stop.
    let slow = std::thread::spawn(move || {
        curl(&[
            "-G",
            &url,
            "--data-urlencode",
            "query=SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
        ])
    });
    std::thread::sleep(Duration::from_millis(300));
    let pid = server.pid();
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let (code, _) = slow.join().unwrap();
    assert!(
        code == 200 || code == 503 || code == 0,
        "in-flight request finished or failed cleanly: {code}"
    );
    drop(server);
    assert_eq!(count(&data), before, "same store, same triples");
    let again = Server::start(&data);
    let (code, _) = curl(&[&format!("{}/health", again.base)]);
    assert_eq!(code, 200);
}
