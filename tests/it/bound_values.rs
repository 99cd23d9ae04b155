//! Values from a request are bound in the parsed saved queries, never pasted into SPARQL
//! text (a hostile one is a 400 or 404, never a syntax error), and the JSON answers come
//! in pages whose rows add up to the whole list.

use crate::common::*;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

const PAGE_SIZE: usize = 100;

/// A GET: status, the `Link` header (empty without one), body.
fn get(url: &str) -> (u16, String, String) {
    let out = Command::new("curl")
        .args(["-s", "-D", "-", url])
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let link = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("link"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    (status, link, body.to_string())
}

/// The target of `rel` in a `Link` header.
fn link_to(link: &str, rel: &str) -> Option<String> {
    link.split(", ")
        .find(|l| l.ends_with(&format!("rel=\"{rel}\"")))
        .and_then(|l| l.strip_prefix('<'))
        .and_then(|l| l.split_once('>'))
        .map(|(target, _)| target.to_string())
}

/// How many rows a saved query gives as it is in `queries/` (its example `VALUES`), read
/// by the CLI with the server stopped.
fn cli_count(data: &Path, saved: &str) -> usize {
    saved_rows(data, saved).len()
}

/// A saved query's rows as `crimegraph query` gives them (TSV cells).
fn saved_rows(data: &Path, saved: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("queries/{saved}.rq")),
    )
    .unwrap();
    tsv_rows(data, &text)
}

/// Follows `rel="next"` from `first` to the last page; every list's rows of every
/// page, and each list's total as the first page says it.
fn walk(base: &str, first: &str, lists: &[&str]) -> Vec<(usize, Vec<Value>)> {
    let mut all: Vec<(usize, Vec<Value>)> = vec![(0, Vec::new()); lists.len()];
    let mut next = Some(first.to_string());
    let mut page = 0;
    while let Some(path) = next {
        page += 1;
        let (code, link, body) = get(&format!("{base}{path}"));
        assert_eq!(code, 200, "{path}: {body}");
        let answer: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["page"], page, "{path}");
        assert_eq!(answer["pageSize"], PAGE_SIZE, "{path}");
        for (i, list) in lists.iter().enumerate() {
            let total = answer["total"][list].as_u64().unwrap() as usize;
            if page == 1 {
                all[i].0 = total;
            }
            assert_eq!(all[i].0, total, "{path}: the total of {list} holds");
            let rows = answer[list].as_array().unwrap();
            assert!(rows.len() <= PAGE_SIZE, "{path}: {list} past a page");
            all[i].1.extend(rows.iter().cloned());
        }
        assert_eq!(link_to(&link, "prev").is_some(), page > 1, "{path}: {link}");
        next = link_to(&link, "next");
        assert!(page < 100, "{path}: the next links do not end");
    }
    all
}

#[test]
fn request_values_never_become_query_text() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let b = &server.base;
    let state = "https://w3id.org/crimegraph/id/state/EGY";
    let crime = "https://w3id.org/crimegraph/id/crime/terrorism";
    let cases: &[(&str, u16)] = &[
        ("/api/states/EGY%3E%20%7D%20UNION", 404),
        (
            "/api/states/EGY%3E%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo",
            404,
        ),
        ("/api/crime-types/terrorism%3E%20%7D/states", 404),
        ("/api/instruments/untoc%3E%20%7D", 404),
        ("/api/states/EGY?page=0", 400),
        ("/api/states/EGY?page=x%3E", 400),
        ("/api/search?q=egypt&page=-1", 400),
        ("/matrix?congress=14%20%7D%20UNION", 400),
        ("/matrix?meeting=x%3E%20%7D", 400),
    ];
    for (path, want) in cases {
        let (code, _, body) = get(&format!("{b}{path}"));
        assert_eq!(code, *want, "{path}: {body}");
        assert!(!body.to_lowercase().contains("syntax"), "{path}: {body}");
    }
    // A hostile State or crime type on the evidence page: not an IRI, so a 400.
    for hostile in [
        format!("{state}%3E%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23"),
        "EGY%3E%20%7D".to_string(),
        format!("{state}%3E"),
    ] {
        for query in [
            format!("state={hostile}&crime={crime}"),
            format!("state={state}&crime={hostile}"),
        ] {
            let (code, _, body) = get(&format!("{b}/matrix/evidence?{query}"));
            assert_eq!(code, 400, "{query}: {body}");
            assert!(!body.to_lowercase().contains("syntax"), "{query}: {body}");
        }
    }
    // Strings are literals, whatever they hold: the matrix filtered by a region that
    // tries to close the query is an empty matrix, the search for one finds nothing.
    let (code, _, body) = get(&format!("{b}/matrix?region=%22%20%7D%20UNION%20%7B"));
    assert_eq!(code, 200, "{body}");
    let (code, link, body) = get(&format!("{b}/api/search?q=%22%20%7D%20%7D%20DROP"));
    assert_eq!(code, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["total"]["results"], 0, "{body}");
    assert!(link.is_empty(), "one page, no links: {link}");
    // The page's "Open in SPARQL" link shows the saved query with the values asked
    // about (display: the server ran the parsed query with them bound).
    let fra = "https://w3id.org/crimegraph/id/state/FRA";
    let (code, _, body) = get(&format!("{b}/matrix/evidence?state={fra}&crime={crime}"));
    assert_eq!(code, 200, "{body}");
    let shown = editor_link(&body);
    assert!(
        shown.contains(&format!("VALUES ?state {{ <{fra}> }}")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("VALUES ?crime {{ <{crime}> }}")),
        "{shown}"
    );
    assert!(
        !shown.contains("state/EGY"),
        "the example row is replaced: {shown}"
    );
}

/// An attribute's text as the templates escape it (minijinja escapes `/` too).
fn unescape_html(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The query text of a page's link to the SPARQL editor.
fn editor_link(page: &str) -> String {
    let start = page
        .find("/sparql-editor?query=")
        .expect("a link to the editor");
    let rest = &page[start + "/sparql-editor?".len()..];
    let encoded = &rest[..rest.find('"').unwrap()];
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&unescape_html(encoded)).unwrap();
    pairs.into_iter().find(|(k, _)| k == "query").unwrap().1
}

#[test]
fn the_value_asked_about_is_the_one_answered() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    // Every State that made statements, with how many: read by the CLI.
    let speakers = tsv_rows(
        &data,
        "PREFIX cg: <https://w3id.org/crimegraph/ontology#>
         SELECT ?iso (COUNT(DISTINCT ?p) AS ?n) WHERE {
           ?s a cg:Statement ; cg:speaker ?st ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?p .
           ?st a cg:State ; cg:iso3 ?iso } GROUP BY ?iso",
    );
    assert!(speakers.len() >= 2, "the seed corpus has several speakers");
    let server = Server::start(&data);
    for row in &speakers {
        let iso = row[0].trim_matches('"');
        let n: usize = row[1].parse().unwrap();
        let (code, _, body) = get(&format!("{}/api/states/{iso}", server.base));
        assert_eq!(code, 200, "{iso}: {body}");
        let answer: Value = serde_json::from_str(&body).unwrap();
        let paragraphs: HashSet<&str> = answer["statements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["paragraph"].as_str().unwrap())
            .collect();
        assert!(n < PAGE_SIZE, "one page for the seed corpus");
        assert_eq!(paragraphs.len(), n, "{iso}: {body}");
    }
}

#[test]
fn json_lists_come_in_pages_that_add_up() {
    let dir = generated_store(150, 7);
    let data = dir.path().join("store");
    // The saved queries as they are in `queries/` ask about terrorism and UNTOC.
    let asked: Vec<String> = saved_rows(&data, "states-on-crime-type")
        .iter()
        .map(|r| format!("{} {} {}", r[1], r[3], r[4]))
        .collect();
    let speakers = asked.len();
    let untoc = "<https://w3id.org/crimegraph/id/instrument/untoc>";
    let paragraphs = tsv_rows(
        &data,
        &format!("SELECT DISTINCT ?p WHERE {{ ?p <https://w3id.org/crimegraph/ontology#mentions> {untoc} }}"),
    )
    .len();
    let mentions = tsv_rows(
        &data,
        &format!(
            "SELECT ?m WHERE {{ ?m <https://w3id.org/crimegraph/ontology#refersTo> {untoc} }}"
        ),
    )
    .len();
    let crimes = cli_count(&data, "instrument-crimes");
    assert!(speakers > PAGE_SIZE, "more than a page to walk: {speakers}");
    let server = Server::start(&data);
    let b = &server.base;

    let walked = walk(b, "/api/crime-types/terrorism/states", &["states"]);
    let (total, rows) = &walked[0];
    assert_eq!(*total, speakers, "the total is the whole list");
    assert_eq!(rows.len(), *total, "the pages add up to the total");
    let states: HashSet<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states.len(), rows.len(), "pages are disjoint");
    // Read by key from the summary, the list is the saved query's, row for row.
    let answered: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "<{}> {} {}",
                r["state"].as_str().unwrap(),
                r["reports"],
                r["paragraphs"]
            )
        })
        .collect();
    assert_eq!(answered, asked);

    let walked = walk(b, "/api/instruments/untoc", &["crimeTypes", "evidence"]);
    assert_eq!(walked[0].0, crimes);
    assert_eq!(walked[0].1.len(), crimes);
    // Evidence comes a page of paragraphs at a time, each with its mentions.
    assert_eq!(walked[1].0, paragraphs);
    assert_eq!(walked[1].1.len(), paragraphs);
    let walked_mentions: usize = walked[1]
        .1
        .iter()
        .map(|p| p["mentions"].as_array().unwrap().len())
        .sum();
    assert_eq!(walked_mentions, mentions);
    let distinct: HashSet<&str> = walked[1]
        .1
        .iter()
        .map(|p| p["p"].as_str().unwrap())
        .collect();
    assert_eq!(
        distinct.len(),
        paragraphs,
        "pages of paragraphs are disjoint"
    );

    // Past the last page: no rows, a link back to the last page, none onwards.
    let last = speakers.div_ceil(PAGE_SIZE);
    let (code, link, body) = get(&format!("{b}/api/crime-types/terrorism/states?page=9"));
    assert_eq!(code, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert!(answer["states"].as_array().unwrap().is_empty());
    assert_eq!(
        link_to(&link, "prev").as_deref(),
        Some(format!("/api/crime-types/terrorism/states?page={last}").as_str())
    );
    assert_eq!(link_to(&link, "next"), None);

    // A search's links keep its question.
    let (code, link, body) = get(&format!("{b}/api/search?q=a%20b&page=2"));
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        link_to(&link, "prev").as_deref(),
        Some("/api/search?q=a+b&page=1")
    );
}
