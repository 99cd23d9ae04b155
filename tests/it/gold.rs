//! Extraction quality: the scorer of `../shared/tools` against a served store.

use crate::common::*;
use std::process::Command;

#[test]
fn corpus_scores_against_the_gold() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let out = Command::new("python3")
        .arg(shared().join("tools/score.py"))
        .args(["--endpoint", &server.sparql()])
        .args([
            "--min-statements",
            "1.0",
            "--min-mentions",
            "0.95",
            "--min-metadata",
            "1.0",
        ])
        .output()
        .expect("python3");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "scorer: {report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
