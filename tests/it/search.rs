//! Full-text search of the paragraphs (issue 21): hits checked against the text, every
//! paragraph with the words found, facets against SPARQL counts, the index in step with
//! writes over HTTP, and hostile searches refused with a 400.

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const PREFIXES: &str = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>";

/// `crimegraph search --json` with `args`.
fn search(data: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json", "--limit", "10000"];
    all.extend_from_slice(args);
    let out = run(data, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn hit_paragraphs(answer: &Value) -> BTreeSet<String> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["paragraph"].as_str().unwrap().to_string())
        .collect()
}

/// Each paragraph's text, by IRI.
fn texts(data: &Path) -> BTreeMap<String, String> {
    let q = format!("{PREFIXES} SELECT ?p ?t WHERE {{ ?p a cg:Paragraph ; rdf:value ?t }}");
    let out = run(data, &["query", &q, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["p"]["value"].as_str().unwrap().to_string(),
                b["t"]["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn hits_hold_the_words_and_every_paragraph_with_them_is_found() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    let texts = texts(&data);
    // (search, a word form every hit must have a word beginning with, a word every
    // paragraph that has it must be found for)
    for (query, stem, word) in [
        ("cryptocurrencies", "cryptocurr", "cryptocurrencies"),
        ("trafficking", "traffick", "trafficking"),
        ("corruption", "corrupt", "corruption"),
        ("crypto*", "crypto", "cryptocurrency"),
    ] {
        let answer = search(&data, &[query]);
        let hits = hit_paragraphs(&answer);
        assert_eq!(answer["total"].as_u64().unwrap() as usize, hits.len());
        for p in &hits {
            let words = words_of(&texts[p]);
            assert!(
                words.iter().any(|w| w.starts_with(stem)),
                "{query}: {p} has no word beginning {stem}"
            );
        }
        for (p, text) in &texts {
            if words_of(text).iter().any(|w| w == word) {
                assert!(
                    hits.contains(p),
                    "{query}: {p} has {word:?} and was not found"
                );
            }
        }
        assert!(!hits.is_empty(), "{query}: the seed has it");
    }
    // The example: four paragraphs of the seed use the word.
    let crypto = search(&data, &["cryptocurrencies"]);
    assert!(crypto["total"].as_u64().unwrap() >= 4, "{crypto}");
    let snippet = crypto["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(
        snippet.contains("<b>"),
        "the matching words are marked: {snippet}"
    );
}

#[test]
fn phrases_operators_and_facets_narrow_as_the_text_and_graph_say() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    let texts = texts(&data);
    let flat = |p: &str| words_of(&texts[p]).join(" ");
    let phrase = search(&data, &["\"organized crime\""]);
    let phrase_hits = hit_paragraphs(&phrase);
    assert!(!phrase_hits.is_empty());
    for p in &phrase_hits {
        assert!(flat(p).contains("organized crime"), "{p}");
    }
    // NOT takes out; AND needs both.
    let without = hit_paragraphs(&search(&data, &["\"organized crime\" NOT corruption"]));
    assert!(without
        .iter()
        .all(|p| !words_of(&texts[p]).iter().any(|w| w.starts_with("corrupt"))));
    assert!(without.is_subset(&phrase_hits));
    let both = hit_paragraphs(&search(&data, &["terrorism AND corruption"]));
    for p in &both {
        let w = words_of(&texts[p]);
        assert!(
            w.iter().any(|w| w.starts_with("terror")) && w.iter().any(|w| w.starts_with("corrupt"))
        );
    }
    // A phrase with two facets: every hit names both, and is a hit of the phrase.
    let narrowed = search(
        &data,
        &[
            "\"organized crime\"",
            "--instrument",
            "untoc",
            "--crime",
            "corruption",
        ],
    );
    for hit in narrowed["hits"].as_array().unwrap() {
        let entities: Vec<&str> = hit["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        assert!(entities.contains(&"instrument/untoc"), "{hit}");
        assert!(entities.contains(&"crime/corruption"), "{hit}");
        assert!(phrase_hits.contains(hit["paragraph"].as_str().unwrap()));
    }
}

#[test]
fn facet_counts_agree_with_sparql() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    // Every paragraph (no words): the State facet counts paragraphs naming each State.
    let all = search(&data, &[]);
    let q = format!(
        "{PREFIXES} SELECT ?s (COUNT(DISTINCT ?p) AS ?n) WHERE {{
           ?p a cg:Paragraph ; rdf:value ?t ; cg:mentions ?s . ?s a cg:State }} GROUP BY ?s"
    );
    let sparql: BTreeMap<String, u64> = tsv_rows(&data, &q)
        .into_iter()
        .map(|c| {
            let iri = c[0].trim_matches(['<', '>']).to_string();
            let n = c[1].split('"').nth(1).unwrap_or(&c[1]).parse().unwrap();
            (iri, n)
        })
        .collect();
    let states: Vec<&Value> = all["facets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["facet"] == "state")
        .collect();
    assert!(!states.is_empty());
    for f in states {
        let iri = format!(
            "https://w3id.org/crimegraph/id/{}",
            f["value"].as_str().unwrap()
        );
        assert_eq!(Some(&f["count"].as_u64().unwrap()), sparql.get(&iri), "{f}");
    }
    let paragraphs = texts(&data).len() as u64;
    assert_eq!(
        all["total"].as_u64().unwrap(),
        paragraphs,
        "every paragraph is indexed once"
    );
}

#[test]
fn the_index_follows_writes_over_http_and_answers_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let server = Server::start_with(&data, &["--update-token", "t0ken"]);
    let auth = "Authorization: Bearer t0ken";
    let api = format!("{}/api/paragraphs", server.base);
    let total = |q: &str| -> u64 {
        let (code, body) = curl(&["-G", &api, "--data-urlencode", &format!("q={q}")]);
        assert_eq!(code, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total("cryptocurrencies"), 0);
    let file = corpus().join("000_cc5942ef62d09ba8.txt");
    let (code, body) = curl(&[
        "-X",
        "POST",
        &format!("{}/reports?name=000_cc5942ef62d09ba8.txt", server.base),
        "-H",
        auth,
        "--data-binary",
        &format!("@{}", file.display()),
    ]);
    assert!(code == 200 || code == 201, "{code} {body}");
    let after_post = total("trafficking");
    assert!(after_post > 0);
    // SPARQL Update: a paragraph with a word no report has.
    let update = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>
        INSERT DATA { GRAPH <https://w3id.org/crimegraph/id/graph/report/zz-test> {
          <https://w3id.org/crimegraph/id/report/zz-test/p1> a cg:Paragraph ;
            <http://purl.org/dc/terms/isPartOf> <https://w3id.org/crimegraph/id/report/zz-test> ;
            cg:number \"1\" ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> \"Quetzalcoatlus smuggling was discussed.\" } }";
    let (code, body) = curl(&[
        "-X",
        "POST",
        &format!("{}/update", server.base),
        "-H",
        auth,
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        update,
    ]);
    assert_eq!(code, 204, "{body}");
    assert_eq!(total("quetzalcoatlus"), 1);
    // Graph Store DELETE of that graph, then DELETE of the report.
    let (code, _) = curl(&[
        "-X",
        "DELETE",
        "-H",
        auth,
        &format!(
            "{}/store?graph=https://w3id.org/crimegraph/id/graph/report/zz-test",
            server.base
        ),
    ]);
    assert_eq!(code, 204);
    assert_eq!(total("quetzalcoatlus"), 0);
    let (code, _) = curl(&[
        "-X",
        "DELETE",
        "-H",
        auth,
        &format!("{}/reports/000_cc5942ef62d09ba8", server.base),
    ]);
    assert!(code == 200 || code == 204);
    assert_eq!(total("trafficking"), 0);
}

#[test]
fn search_pages_answers_and_refusals() {
    let dir = corpus_store();
    let data = dir.path().join("store");
    let server = Server::start(&data);
    let api = format!("{}/api/paragraphs", server.base);
    // Paged: the pages add up to the total, each hit once; a Link to the next page.
    let out = std::process::Command::new("curl")
        .args(["-s", "-D", "-", "-G", &api, "--data-urlencode", "q=crime"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.to_lowercase()
            .contains("link: </api/paragraphs?q=crime&page=2>; rel=\"next\""),
        "{text}"
    );
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for page in 1.. {
        let (code, body) = curl(&[
            "-G",
            &api,
            "--data-urlencode",
            "q=crime",
            "-d",
            &format!("page={page}"),
        ]);
        assert_eq!(code, 200);
        let v: Value = serde_json::from_str(&body).unwrap();
        total = v["total"].as_u64().unwrap() as usize;
        let hits = v["hits"].as_array().unwrap();
        if hits.is_empty() {
            break;
        }
        for h in hits {
            assert!(
                seen.insert(h["paragraph"].as_str().unwrap().to_string()),
                "once"
            );
            assert!(h["report"].as_str().unwrap().starts_with("https://"));
        }
    }
    assert_eq!(seen.len(), total);
    // Refused with a 400 that says why: no question, field syntax, nesting, length.
    let deep = format!("{}crime{}", "(".repeat(3000), ")".repeat(3000));
    for bad in ["", "text:crime", &deep, &"crime ".repeat(300), "\"unclosed"] {
        let (code, body) = curl(&["-G", &api, "--data-urlencode", &format!("q={bad}")]);
        assert_eq!(code, 400, "{bad:.40}: {body}");
    }
    let (code, body) = curl(&["-G", &api, "-d", "q=crime", "-d", "congress=fifteen"]);
    assert_eq!(code, 400, "{body}");
    // Still up, and the page shows hits, facets and the entity page links to it.
    let (code, page) = curl(&[
        "-G",
        &format!("{}/search", server.base),
        "-d",
        "q=cryptocurrencies",
    ]);
    assert_eq!(code, 200);
    assert!(
        page.contains("paragraphs</h2>") && page.contains("<b>"),
        "{page}"
    );
    assert!(
        page.contains("search?q=cryptocurrencies&amp;crime="),
        "facet links: {page}"
    );
    let (code, entity) = curl(&[
        "-H",
        "Accept: text/html",
        &format!("{}/id/state/EGY", server.base),
    ]);
    assert_eq!(code, 200);
    assert!(entity.contains("search?state=EGY"), "{entity:.400}");
}

/// A load with `--no-text-index` leaves the index behind and says so; the next run
/// with it rebuilds it whole (a report replaced meanwhile is read as it is now), and
/// searches find every paragraph again.
#[test]
fn a_run_without_the_index_is_caught_up_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let corpus = corpus();
    let out = run(
        &data,
        &["--no-text-index", "ingest", corpus.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&data, &["--no-text-index", "search", "Egypt"]);
    assert!(
        !out.status.success(),
        "a search without the index must fail"
    );
    assert!(stderr(&out).contains("--no-text-index"), "{}", stderr(&out));
    let out = run(&data, &["--no-text-index", "reindex"]);
    assert!(!out.status.success(), "reindex without the index must fail");
    let paragraphs = texts(&data).len();
    let all = search(&data, &[]);
    assert_eq!(all["total"].as_u64().unwrap() as usize, paragraphs);
    assert_eq!(hit_paragraphs(&all).len(), paragraphs);
    // Once caught up, the mark is gone: a plain run neither rebuilds nor loses anything.
    let left: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("crimegraph-index-pending-")
        })
        .collect();
    assert!(left.is_empty(), "marks left: {left:?}");
}
