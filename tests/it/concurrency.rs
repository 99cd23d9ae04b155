//! Queries keep answering, each on a consistent snapshot, while reports are ingested
//! and deleted over HTTP; afterwards nothing is missing and nothing is duplicated.

use crate::common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const TOKEN: &str = "t";

#[test]
fn readers_see_whole_reports_while_writers_ingest_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let server = Arc::new(Server::start_with(
        &dir.path().join("store"),
        &["--update-token", TOKEN],
    ));
    let files: Vec<std::path::PathBuf> = {
        let mut v: Vec<_> = std::fs::read_dir(corpus())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let stop = Arc::new(AtomicBool::new(false));
    // Readers: every report they see has all the triples it says it has.
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (server, stop) = (server.clone(), stop.clone());
            std::thread::spawn(move || {
                let q = "PREFIX cg: <https://w3id.org/crimegraph/ontology#> SELECT ?g ?count (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?r a cg:Report ; cg:tripleCount ?count . ?s ?p ?o } } GROUP BY ?g ?count";
                let mut answered = 0;
                while !stop.load(Ordering::Relaxed) {
                    let (code, body) = curl(&["-G", &server.sparql(), "-H", "Accept: text/csv", "--data-urlencode", &format!("query={q}")]);
                    assert_eq!(code, 200, "{body}");
                    for line in body.lines().skip(1) {
                        let c: Vec<&str> = line.trim().split(',').collect();
                        assert_eq!(c[1], c[2], "a report seen half-written: {line}");
                    }
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    let auth = format!("Authorization: Bearer {TOKEN}");
    for round in 0..4 {
        for f in &files {
            let name = f.file_name().unwrap().to_string_lossy();
            let (code, body) = curl(&[
                "-X",
                "POST",
                &format!("{}/reports?name={name}", server.base),
                "-H",
                &auth,
                "--data-binary",
                &format!("@{}", f.display()),
            ]);
            assert_eq!(code, 201, "{body}");
        }
        if round < 3 {
            let key = files[round].file_stem().unwrap().to_string_lossy();
            let (code, _) = curl(&[
                "-X",
                "DELETE",
                &format!("{}/reports/{key}", server.base),
                "-H",
                &auth,
            ]);
            assert_eq!(code, 204);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let answered: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(answered > 0);
    let (_, body) = curl(&["-G", &server.sparql(), "-H", "Accept: text/csv", "--data-urlencode", "query=SELECT (COUNT(DISTINCT ?r) AS ?n) (COUNT(?r) AS ?all) WHERE { ?r a <https://w3id.org/crimegraph/ontology#Report> }"]);
    assert_eq!(
        body.lines().nth(1).unwrap().trim(),
        "5,5",
        "every report once: {body}"
    );
    println!("reliability: {answered} queries answered during 20 ingests and 3 deletes");
}
