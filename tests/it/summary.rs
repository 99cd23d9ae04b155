//! The summary answers as the reports themselves do, after bulk loads in several
//! commits, a report read again, and one removed by the server: "one State's topics",
//! and every other kind of count the pages read (the matrix in each scope, entities
//! named together, trends, entities, speakers, meetings, the collection).

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
    for (name, reports, summary) in PAIRS {
        let want = all_rows(data, &format!("{PREFIXES}{reports}"));
        let got = all_rows(data, &format!("{PREFIXES}{summary}"));
        assert!(!want.is_empty(), "{name}: nothing to compare");
        assert_eq!(got, want, "{name}: the summary and the reports disagree");
    }
    want.len()
}

const PREFIXES: &str = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
";

/// (what, the question asked of the reports, the same read from the summary), each
/// with the same columns in the same order.
const PAIRS: &[(&str, &str, &str)] = &[
    (
        "the matrix over all meetings",
        "SELECT ?state ?crime (COUNT(DISTINCT ?report) AS ?r) (COUNT(DISTINCT ?p) AS ?n) WHERE {
           ?s a cg:Statement ; cg:speaker ?state ; cg:inReport ?report . ?state a cg:State .
           ?report a cg:Report . ?p a cg:Paragraph ; dcterms:isPartOf ?report ; cg:mentions ?crime .
           ?crime a cg:CrimeType . FILTER NOT EXISTS { ?p cg:section cg:Proceedings } }
         GROUP BY ?state ?crime",
        "SELECT ?state ?crime ?r ?n WHERE { ?c cg:scope \"all\" ; cg:ofState ?state ;
           cg:ofCrime ?crime ; cg:reportCount ?r ; cg:paragraphCount ?n }",
    ),
    (
        "the matrix by Congress",
        "SELECT ?state ?crime ?scope (COUNT(DISTINCT ?report) AS ?r) WHERE {
           ?s a cg:Statement ; cg:speaker ?state ; cg:inReport ?report . ?state a cg:State .
           ?report a cg:Report ; cg:reportOf ?m . ?m cg:congressNumber ?k .
           ?p a cg:Paragraph ; dcterms:isPartOf ?report ; cg:mentions ?crime .
           ?crime a cg:CrimeType . FILTER NOT EXISTS { ?p cg:section cg:Proceedings }
           BIND(CONCAT(\"congress \", STR(?k)) AS ?scope) }
         GROUP BY ?state ?crime ?scope",
        "SELECT ?state ?crime ?scope ?r WHERE { ?c cg:scope ?scope ; cg:ofState ?state ;
           cg:ofCrime ?crime ; cg:reportCount ?r
           FILTER(STRSTARTS(?scope, \"congress \") && !CONTAINS(?scope, \",\")) }",
    ),
    (
        "entities named together",
        "SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) (COUNT(DISTINCT ?report) AS ?r) WHERE {
           ?p a cg:Paragraph ; cg:mentions ?a, ?b ; dcterms:isPartOf ?report .
           ?report a cg:Report . FILTER(?a != ?b)
           FILTER NOT EXISTS { ?p cg:section cg:Proceedings } }
         GROUP BY ?a ?b",
        "SELECT ?a ?b ?n ?r WHERE { ?c cg:ofEntity ?a ; cg:withEntity ?b ;
           cg:paragraphCount ?n ; cg:reportCount ?r }",
    ),
    (
        "trends",
        "SELECT ?e ?k ?region (COUNT(DISTINCT ?p) AS ?n) WHERE {
           ?p a cg:Paragraph ; cg:mentions ?e ; dcterms:isPartOf ?report .
           ?report a cg:Report ; cg:reportOf ?m . ?m cg:congressNumber ?k .
           OPTIONAL { ?m cg:region ?g } BIND(COALESCE(?g, \"Congress\") AS ?region) }
         GROUP BY ?e ?k ?region",
        "SELECT ?e ?k ?region ?n WHERE { ?c cg:ofEntity ?e ; cg:countCongress ?k ;
           cg:countRegion ?region ; cg:paragraphCount ?n }",
    ),
    (
        "entities",
        "SELECT ?e (COUNT(DISTINCT ?p) AS ?n) (COUNT(DISTINCT ?report) AS ?r) WHERE {
           ?p a cg:Paragraph ; cg:mentions ?e ; dcterms:isPartOf ?report . ?report a cg:Report }
         GROUP BY ?e",
        "SELECT ?e ?n ?r WHERE { ?c a cg:EntityCount ; cg:ofEntity ?e ;
           cg:paragraphCount ?n ; cg:reportCount ?r }",
    ),
    (
        "speakers",
        "SELECT ?who (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?report) AS ?r) WHERE {
           ?s a cg:Statement ; cg:speaker ?who ; cg:inReport ?report . ?report a cg:Report }
         GROUP BY ?who",
        "SELECT ?who ?n ?r WHERE { ?c a cg:SpeakerCount ; cg:ofSpeaker ?who ;
           cg:statementCount ?n ; cg:reportCount ?r }",
    ),
    (
        "meetings",
        "SELECT ?m (COUNT(DISTINCT ?report) AS ?r) WHERE { ?report a cg:Report ; cg:reportOf ?m }
         GROUP BY ?m",
        "SELECT ?m ?r WHERE { ?c a cg:MeetingCount ; cg:ofMeeting ?m ; cg:reportCount ?r }",
    ),
    (
        "the collection",
        "SELECT ?r ?n ?s WHERE {
           { SELECT (COUNT(DISTINCT ?report) AS ?r) WHERE { ?report a cg:Report } }
           { SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a cg:Paragraph } }
           { SELECT (COUNT(DISTINCT ?x) AS ?s) WHERE { ?x a cg:Statement } } }",
        "SELECT ?r ?n ?s WHERE { ?c a cg:CollectionCount ; cg:reportCount ?r ;
           cg:paragraphCount ?n ; cg:statementCount ?s }",
    ),
];

/// Every row of a query, as the CLI prints it.
fn all_rows(data: &Path, query: &str) -> BTreeSet<Vec<String>> {
    tsv_rows(data, query).into_iter().collect()
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

#[test]
fn the_summary_answers_as_the_reports_do_at_scale() {
    let dir = generated_store(120, 23);
    assert!(same_answers(&dir.path().join("store")) > 100);
}
