//! The topic summary answers "one State's topics" as the reports themselves do, after
//! bulk loads in several commits, a report read again, and one removed by the server.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::Path;

/// The question counted from the reports, as `queries/state-topics.rq` asked it before
/// the summary: every statement the speaker made, every paragraph of those reports.
const FROM_THE_REPORTS: &str = r#"
PREFIX cg: <https://w3id.org/crimegraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?state ?topic ?class (COUNT(DISTINCT ?report) AS ?reports) (COUNT(DISTINCT ?p) AS ?paragraphs)
WHERE {
  ?s a cg:Statement ; cg:speaker ?state ; cg:inReport ?report .
  ?state a cg:State .
  ?p dcterms:isPartOf ?report ; cg:mentions ?topic .
  ?topic a ?class .
  VALUES ?class { cg:CrimeType cg:Instrument }
}
GROUP BY ?state ?topic ?class
"#;

/// The saved question, asked for every State at once.
fn from_the_summary() -> String {
    let saved = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/queries/state-topics.rq"
    ))
    .unwrap();
    let start = saved.find("  VALUES ?state").unwrap();
    let end = start + saved[start..].find('\n').unwrap();
    saved[..start].replace("SELECT ?topic", "SELECT ?state ?topic")
        + "  ?state a <https://w3id.org/crimegraph/ontology#State> ."
        + &saved[end..]
}

fn rows(data: &Path, query: &str) -> BTreeSet<Vec<String>> {
    tsv_rows(data, query)
        .into_iter()
        .map(|cells| {
            // state, topic, class, reports, paragraphs (labels and examples apart)
            let pick = |name: usize| cells[name].trim_matches('"').to_string();
            if cells.len() == 5 {
                (0..5).map(pick).collect()
            } else {
                [0, 1, 3, 4, 5].into_iter().map(pick).collect()
            }
        })
        .collect()
}

fn same_answers(data: &Path) -> usize {
    let want = rows(data, FROM_THE_REPORTS);
    let got = rows(data, &from_the_summary());
    assert_eq!(got, want, "the summary and the reports disagree");
    want.len()
}

#[test]
fn the_summary_answers_as_the_reports_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    // Three bulk commits.
    let out = run(
        &data,
        &["ingest", "--batch", "2", corpus().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(same_answers(&data) > 20);

    // A report read again with a statement fewer, by a server, then one removed.
    let first = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    let changed = dir.path().join(first.file_name().unwrap());
    std::fs::write(&changed, text.replacen("Egypt", "Egypte", 1)).unwrap();
    let server = Server::start_with(&data, &["--update-token", "t"]);
    let name = changed.file_name().unwrap().to_str().unwrap().to_string();
    let (status, body) = curl(&[
        "-H",
        "Authorization: Bearer t",
        "--data-binary",
        &format!("@{}", changed.display()),
        &format!("{}/reports?name={name}", server.base),
    ]);
    assert!(status < 300, "{status} {body}");
    let second = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .max()
        .unwrap();
    let key = second.file_stem().unwrap().to_str().unwrap();
    let (status, body) = curl(&[
        "-H",
        "Authorization: Bearer t",
        "-X",
        "DELETE",
        &format!("{}/reports/{key}", server.base),
    ]);
    assert!(status < 300, "{status} {body}");
    drop(server);
    same_answers(&data);
}
