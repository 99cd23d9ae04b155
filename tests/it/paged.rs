//! Bounded, paged answers (issue 19) against the real server over a generated store:
//! `/reports` and `/reports.html` page through every report once; a linked-data
//! description carries a bounded sample of the triples pointing at it, the rest a
//! `Link` away; a path that is no IRI is a 404; VoID takes its addresses from
//! `--public-url`, never from the `Host` header.

use crate::common::{curl, generated_store, Server};
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

/// Reports in the generated store: four pages of `/reports`.
const REPORTS: usize = 350;
/// `serve --public-url` of the tests' server.
const PUBLIC: &str = "https://crimegraph.example.org";
/// `/reports`' page size and a description's incoming sample, as the README says.
const PAGE: usize = 100;
const INCOMING: usize = 500;

/// One generated store, ingested once: a template each test copies (a store has one
/// process at a time).
fn template() -> &'static Path {
    static STORE: OnceLock<tempfile::TempDir> = OnceLock::new();
    STORE.get_or_init(|| generated_store(REPORTS, 19)).path()
}

/// A copy of the generated store for one test, removed when dropped.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(template().join("store"))
        .arg(dir.path().join("store"))
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

/// A server with `--public-url` over its own copy of the store.
fn server() -> (Server, tempfile::TempDir) {
    let dir = store();
    let server = Server::start_with(&dir.path().join("store"), &["--public-url", PUBLIC]);
    (server, dir)
}

/// A GET: status, headers (lower-case names) and body.
fn get(args: &[&str]) -> (u16, Vec<(String, String)>, String) {
    let out = std::process::Command::new("curl")
        .args(["-s", "-i"])
        .args(args)
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

/// The target of the `Link` header with `rel="{rel}"`, if any.
fn link(headers: &[(String, String)], rel: &str) -> Option<String> {
    headers
        .iter()
        .filter(|(k, _)| k == "link")
        .flat_map(|(_, v)| v.split(','))
        .find(|l| l.contains(&format!("rel=\"{rel}\"")))
        .and_then(|l| Some(l.split_once('<')?.1.split_once('>')?.0.to_string()))
}

/// A count through the SPARQL endpoint.
fn count(server: &Server, query: &str) -> usize {
    let (code, body) = curl(&[
        "-G",
        &server.sparql(),
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={query}"),
    ]);
    assert_eq!(code, 200, "{body}");
    body.lines().nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn reports_are_paged_and_the_pages_add_up_to_the_total() {
    let (server, _dir) = server();
    let mut seen = HashSet::new();
    let mut rows = 0;
    let mut next = Some("/reports".to_string());
    let mut pages = 0;
    let mut total = None;
    while let Some(path) = next {
        let (code, headers, body) = get(&[&format!("{}{path}", server.base)]);
        assert_eq!(code, 200, "{path}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        pages += 1;
        assert_eq!(v["page"], pages);
        total.get_or_insert(v["total"].as_u64().unwrap());
        assert_eq!(v["total"].as_u64(), total, "the same total on every page");
        let page = v["reports"].as_array().unwrap();
        assert!(page.len() <= PAGE, "{path}: {} rows", page.len());
        rows += page.len();
        for r in page {
            assert!(r["paragraphs"].as_i64().unwrap() > 0, "{r}");
            let report = r["report"].as_str().unwrap().to_string();
            assert!(seen.insert(report), "{path}: {r} on two pages");
        }
        assert_eq!(link(&headers, "prev").is_some(), pages > 1, "{path}");
        next = link(&headers, "next");
        assert_eq!(v["next"].as_str(), next.as_deref(), "{path}");
        assert!(pages <= REPORTS, "the pages do not end");
    }
    let total = total.unwrap() as usize;
    assert_eq!(total, REPORTS);
    assert_eq!(rows, total, "the pages together list every report once");
    assert_eq!(
        pages,
        REPORTS.div_ceil(PAGE),
        "every page but the last is full"
    );
    let stored = count(
        &server,
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/crimegraph/ontology#Report> }",
    );
    assert_eq!(stored, total);

    let b = &server.base;
    let past = format!("{b}/reports?page={}", pages + 1);
    assert_eq!(curl(&[&past]).0, 404);
    for bad in ["0", "-1", "x", "99999999999999999999"] {
        let (code, body) = curl(&[&format!("{b}/reports?page={bad}")]);
        assert_eq!(code, 400, "page={bad}: {body}");
    }

    let (code, body) = curl(&[&format!("{b}/reports.html?page=2")]);
    assert_eq!(code, 200, "{body}");
    assert!(
        body.contains(&format!("Reports 101–200 of {REPORTS}")),
        "{body}"
    );
    assert!(body.contains("href=\"/reports.html?page=3\""), "{body}");
    assert!(body.contains("href=\"/reports.html?page=1\""), "{body}");
    assert_eq!(body.matches("<tr><td>").count(), PAGE, "{body}");
}

/// The rows of a SELECT on `/sparql`, as CSV lines without the header.
fn csv_rows(server: &Server, query: &str) -> Vec<String> {
    let (code, body) = curl(&[
        "-G",
        &server.sparql(),
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={query}"),
    ]);
    assert_eq!(code, 200, "{body}");
    body.lines().skip(1).map(|l| l.trim().to_string()).collect()
}

/// The IRI most pointed at under `id/{kind}/`, and how many distinct triples point at it.
fn most_pointed_at(server: &Server, kind: &str) -> (String, usize) {
    let rows = csv_rows(
        server,
        &format!(
            "SELECT ?o (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o \
             FILTER(isIRI(?o) && STRSTARTS(STR(?o), \"https://w3id.org/crimegraph/id/{kind}/\")) }} }} \
             GROUP BY ?o ORDER BY DESC(?n) LIMIT 1"
        ),
    );
    let (iri, n) = rows[0].split_once(',').unwrap();
    (iri.to_string(), n.parse().unwrap())
}

#[test]
fn a_description_carries_a_bounded_page_of_what_points_at_it() {
    let (server, _dir) = server();
    let (iri, incoming) = most_pointed_at(&server, "crime");
    assert!(
        incoming > INCOMING,
        "{iri}: {incoming} triples point at it, not enough for two pages"
    );
    let local = iri.strip_prefix("https://w3id.org/crimegraph").unwrap();
    let object = format!(" <{iri}> .");
    let mut seen = HashSet::new();
    let mut next = Some(format!("{local}.nt"));
    let mut pages = 0;
    while let Some(path) = next {
        let (code, headers, body) = get(&[&format!("{}{path}", server.base)]);
        assert_eq!(code, 200, "{path}: {body}");
        pages += 1;
        let pointing: Vec<&str> = body.lines().filter(|l| l.ends_with(&object)).collect();
        assert!(
            !pointing.is_empty() && pointing.len() <= INCOMING,
            "{path}: {}",
            pointing.len()
        );
        for line in pointing {
            assert!(seen.insert(line.to_string()), "{path}: {line} on two pages");
        }
        assert!(body.contains(&format!(
            "<{iri}> <http://www.w3.org/2000/01/rdf-schema#label>"
        )));
        assert_eq!(link(&headers, "prev").is_some(), pages > 1, "{path}");
        next = link(&headers, "next");
        if let Some(n) = &next {
            assert_eq!(n, &format!("{local}.nt?page={}", pages + 1));
            // Named in the description too, for clients that read no headers.
            let see_also =
                format!("<{iri}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{PUBLIC}{n}> .");
            assert!(body.contains(&see_also), "{path}: {see_also}");
        }
        assert!(pages <= incoming, "the pages do not end");
    }
    assert_eq!(
        seen.len(),
        incoming,
        "the pages together hold every triple pointing at it"
    );
    assert_eq!(pages, incoming.div_ceil(INCOMING));
    let past = format!("{}{local}.nt?page={}", server.base, pages + 1);
    assert_eq!(curl(&[&past]).0, 404);

    // The HTML page links the next page of its own lists (here, of the paragraphs that
    // name it).
    let (code, headers, body) = get(&[
        "-H",
        "Accept: text/html",
        &format!("{}{local}", server.base),
    ]);
    assert_eq!(code, 200, "{body}");
    assert_eq!(link(&headers, "next"), Some(format!("{local}?page=2")));

    // A crime type's page names every narrower concept, however many mentions point
    // at it (they had crowded its narrower concepts out of the description's sample).
    let terrorism = "https://w3id.org/crimegraph/id/crime/terrorism";
    let narrower = csv_rows(
        &server,
        &format!(
            "SELECT ?x WHERE {{ ?x <http://www.w3.org/2004/02/skos/core#broader> <{terrorism}> }}"
        ),
    );
    assert!(
        !narrower.is_empty(),
        "terrorism has narrower concepts in the ontology"
    );
    let (code, _, body) = get(&[
        "-H",
        "Accept: text/html",
        &format!("{}/id/crime/terrorism", server.base),
    ]);
    assert_eq!(code, 200, "{body}");
    for x in narrower {
        // The page escapes the slashes of an href (minijinja's HTML escaping).
        let path = x.strip_prefix("https://w3id.org/crimegraph").unwrap();
        let href = format!("href=\"{}\"", path.replace('/', "&#x2f;"));
        assert!(body.contains(&href), "terrorism: no link to {path}");
    }
}

#[test]
fn a_path_that_is_no_iri_is_not_found() {
    let (server, _dir) = server();
    let b = &server.base;
    for path in [
        "/id/x%3E%20foo",
        "/id/x%3E%20foo.ttl",
        "/id/state/EGY%3E%20%3Fs%20%3Fp%20%3Fo",
        "/id/a%20b",
        "/id/%7Bx%7D",
    ] {
        for accept in ["text/turtle", "text/html"] {
            let (code, body) = curl(&["-H", &format!("Accept: {accept}"), &format!("{b}{path}")]);
            assert_eq!(code, 404, "{path} ({accept}): {body}");
            assert!(!body.contains("SPARQL"), "{path}: {body}");
        }
    }
    let (code, body) = curl(&["-H", "Accept: text/turtle", &format!("{b}/id/state/EGY")]);
    assert_eq!(code, 200, "{body}");
}

#[test]
fn void_takes_its_address_from_the_flag_and_not_from_host() {
    let (server, dir) = server();
    let void = format!("{}/.well-known/void", server.base);
    let (code, body) = curl(&[
        "-H",
        "Host: evil.example",
        "-H",
        "Accept: application/n-triples",
        &void,
    ]);
    assert_eq!(code, 200, "{body}");
    assert!(!body.contains("evil.example"), "{body}");
    assert!(body.contains(&format!("<{PUBLIC}/sparql>")), "{body}");
    assert!(body.contains(&format!("<{PUBLIC}/dump.nq>")), "{body}");
    assert!(!body.contains("void#subset"), "no list of graphs: {body}");
    // Well-formed: every line parses, and the dataset is typed.
    let parsed: Vec<oxigraph::model::Quad> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
            .for_slice(body.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("VoID is not N-Triples: {e}\n{body}"));
    assert!(
        parsed
            .iter()
            .any(|q| q.predicate == oxigraph::model::vocab::rdf::TYPE
                && q.object.to_string() == "<http://rdfs.org/ns/void#Dataset>"),
        "{body}"
    );
    assert!(body.len() < 8_000, "bounded: {} bytes", body.len());
    let triples = count(
        &server,
        // Every graph's but the summary's derived counts.
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } \
         FILTER(?g != <https://w3id.org/crimegraph/id/graph/summary>) }",
    );
    assert!(
        body.contains(&format!("void#triples> \"{triples}\"^^")),
        "{triples} triples: {body}"
    );
    drop(server);

    // Without the flag: the address it listens on, still not the Host header.
    let server = Server::start(&dir.path().join("store"));
    let (code, body) = curl(&[
        "-H",
        "Host: evil.example",
        "-H",
        "Accept: application/n-triples",
        &format!("{}/.well-known/void", server.base),
    ]);
    assert_eq!(code, 200, "{body}");
    assert!(!body.contains("evil.example"), "{body}");
    assert!(
        body.contains(&format!("<{}/sparql>", server.base)),
        "{body}"
    );
}

/// Follows an HTML page's `rel="next"` link from `first` to the last page; every
/// page's body.
fn walk_html(server: &Server, first: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(path) = next {
        let url = format!("{}{path}", server.base);
        let (code, _, body) = get(&["-H", "Accept: text/html", &url]);
        assert_eq!(code, 200, "{path}: {body}");
        next = body.split("rel=\"next\" href=\"").nth(1).map(|rest| {
            let href = rest.split('"').next().unwrap();
            href.replace("&amp;", "&").replace("&#x2f;", "/")
        });
        bodies.push(body);
        assert!(bodies.len() < 1_000, "the next links do not end");
    }
    bodies
}

/// The targets of `<a href="{prefix}...">` in `body`, fragment and all.
fn hrefs(body: &str, prefix: &str) -> Vec<String> {
    // The templates escape `/` in attributes.
    let body = body.replace("&#x2f;", "/");
    body.split(&format!("href=\"{prefix}"))
        .skip(1)
        .map(|rest| {
            let href = rest.split('"').next().unwrap().replace("&#x2f;", "/");
            format!("{prefix}{href}")
        })
        .collect()
}

const CG: &str = "https://w3id.org/crimegraph/ontology#";

#[test]
fn an_entity_page_walks_its_paragraphs_a_page_at_a_time() {
    let (server, _dir) = server();
    let crime = "<https://w3id.org/crimegraph/id/crime/terrorism>";
    let total = count(
        &server,
        &format!("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p <{CG}mentions> {crime} }}"),
    );
    assert!(total > 20, "more than a page: {total}");
    let pages = walk_html(&server, "/id/crime/terrorism");
    assert_eq!(pages.len(), total.div_ceil(20), "20 paragraphs a page");
    let mut seen = HashSet::new();
    for (i, body) in pages.iter().enumerate() {
        assert!(
            body.contains(&format!("of {total}</h2>")),
            "page {}: the total from the summary",
            i + 1
        );
        let paragraphs: Vec<String> = body
            .split("<article class=\"paragraph\"")
            .skip(1)
            .map(|a| hrefs(a, "/id/report/")[0].clone())
            .collect();
        assert!(paragraphs.len() <= 20);
        for p in paragraphs {
            assert!(seen.insert(p.clone()), "{p} on two pages");
        }
    }
    assert_eq!(
        seen.len(),
        total,
        "the pages add up to every paragraph once"
    );
}

#[test]
fn a_meeting_page_walks_its_reports() {
    let (server, _dir) = server();
    let (code, body) = curl(&[
        "-G",
        &server.sparql(),
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!(
            "query=SELECT ?m (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r <{CG}reportOf> ?m }} \
             GROUP BY ?m ORDER BY DESC(?n) LIMIT 1"
        ),
    ]);
    assert_eq!(code, 200, "{body}");
    let row: Vec<&str> = body.lines().nth(1).unwrap().trim().split(',').collect();
    let (meeting, reports): (&str, usize) = (row[0], row[1].parse().unwrap());
    assert!(reports > 10, "more than a page: {reports}");
    let local = meeting.replace("https://w3id.org/crimegraph", "");
    let pages = walk_html(&server, &local);
    assert_eq!(pages.len(), reports.div_ceil(10), "10 reports a page");
    let seen: HashSet<String> = pages.iter().flat_map(|b| hrefs(b, "/id/report/")).collect();
    assert_eq!(seen.len(), reports, "every report of the meeting, once");
}

/// A count of the reports and paragraphs behind one matrix cell, from the reports.
fn cell_from_the_reports(server: &Server, state: &str, crime: &str) -> (usize, usize) {
    let q = format!(
        "PREFIX cg: <{CG}> PREFIX dcterms: <http://purl.org/dc/terms/>
         SELECT (COUNT(DISTINCT ?r) AS ?n) (COUNT(DISTINCT ?p) AS ?ps) WHERE {{
           ?s cg:speaker <{state}> ; cg:inReport ?r .
           ?p dcterms:isPartOf ?r ; cg:mentions <{crime}> .
           FILTER NOT EXISTS {{ ?p cg:section cg:Proceedings }} }}"
    );
    let (code, body) = curl(&[
        "-G",
        &server.sparql(),
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={q}"),
    ]);
    assert_eq!(code, 200, "{body}");
    let row: Vec<usize> = body
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .split(',')
        .map(|c| c.parse().unwrap())
        .collect();
    (row[0], row[1])
}

#[test]
fn the_matrix_reads_counts_that_agree_with_the_reports() {
    let (server, _dir) = server();
    let (code, _, page) = get(&[&format!("{}/matrix", server.base)]);
    assert_eq!(code, 200);
    // Every cell: its evidence link and its number.
    let cells: Vec<(String, usize)> = page
        .split("<a href=\"/matrix/evidence?")
        .skip(1)
        .map(|rest| {
            let query = rest
                .split('"')
                .next()
                .unwrap()
                .replace("&amp;", "&")
                .replace("&#x2f;", "/");
            let n = rest.split("\">").nth(1).unwrap().split('<').next().unwrap();
            (query, n.parse().unwrap())
        })
        .collect();
    assert!(cells.len() > 50, "a full matrix: {} cells", cells.len());
    for (query, n) in cells.iter().step_by(cells.len() / 5) {
        let params: std::collections::HashMap<String, String> =
            url_params(query).into_iter().collect();
        let (reports, paragraphs) =
            cell_from_the_reports(&server, &params["state"], &params["crime"]);
        assert_eq!(*n, reports, "{query}");
        // Its evidence, page by page: every paragraph once.
        let pages = walk_html(&server, &format!("/matrix/evidence?{query}"));
        let seen: HashSet<String> = pages
            .iter()
            .flat_map(|b| {
                b.split("<article class=\"paragraph\"")
                    .skip(1)
                    .map(|a| hrefs(a, "/id/report/")[0].clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            seen.len(),
            paragraphs,
            "{query}: the cell's paragraphs, each once"
        );
    }
}

/// The decoded parameters of a query string.
fn url_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            let mut out = Vec::new();
            let bytes = v.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
                    out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
                    i += 1;
                }
            }
            (k.to_string(), String::from_utf8(out).unwrap())
        })
        .collect()
}

/// The table titled `title` on an HTML page (empty if there is none).
fn table<'a>(body: &'a str, title: &str) -> &'a str {
    body.split(&format!(
        "<caption class=\"visually-hidden\">{title}</caption>"
    ))
    .nth(1)
    .and_then(|rest| rest.split("</table>").next())
    .unwrap_or("")
}

/// The paragraph counts in the last column of the table titled `title` on an HTML page.
fn last_column(body: &str, title: &str) -> Vec<usize> {
    table(body, title)
        .split("<tr>")
        .skip(2)
        .filter_map(|row| row.rsplit("<td>").next()?.split('<').next()?.parse().ok())
        .collect()
}

#[test]
fn an_entity_page_names_with_it_what_its_counts_rank_highest() {
    let (server, _dir) = server();
    // The entity with the most co-occurrence counts, and every one of them, ranked.
    let top = csv_rows(
        &server,
        &format!(
            "SELECT ?e (COUNT(*) AS ?n) WHERE {{ ?c a <{CG}CooccurrenceCount> ; <{CG}ofEntity> ?e }} \
             GROUP BY ?e ORDER BY DESC(?n) LIMIT 1"
        ),
    );
    let entity = top[0].split(',').next().unwrap().to_string();
    let ranked: Vec<usize> = csv_rows(
        &server,
        &format!(
            "PREFIX cg: <{CG}> SELECT ?n WHERE {{ ?c cg:ofEntity <{entity}> ; cg:withEntity ?o ; \
             cg:paragraphCount ?n ; cg:topicClass ?class ; <http://www.w3.org/2000/01/rdf-schema#label> ?l \
             FILTER(?class IN (cg:State, cg:Organization, cg:Instrument, cg:CrimeType)) }} ORDER BY DESC(?n)"
        ),
    )
    .iter()
    .map(|n| n.parse().unwrap())
    .collect();
    assert!(ranked.len() > 20, "{entity}: {} counts", ranked.len());
    let path = entity.replace("https://w3id.org/crimegraph", "");
    let (code, _, body) = get(&["-H", "Accept: text/html", &format!("{}{path}", server.base)]);
    assert_eq!(code, 200, "{body}");
    let shown = last_column(&body, "Named in the same paragraphs");
    let expected: Vec<usize> = ranked.iter().take(50).copied().collect();
    assert_eq!(
        shown, expected,
        "{entity}: the largest counts, largest first"
    );
}

/// The paragraph links in the rows of the table titled `title` on an HTML page.
fn links_in_table(body: &str, title: &str) -> Vec<String> {
    hrefs(table(body, title), "/id/report/")
        .into_iter()
        .filter(|h| h.contains("/p/"))
        .collect()
}

#[test]
fn a_states_page_walks_its_statements_fifty_a_page() {
    let (server, _dir) = server();
    // The State that made the most statements, and the paragraphs recording them.
    let top = csv_rows(
        &server,
        &format!(
            "SELECT ?state (COUNT(?s) AS ?n) WHERE {{ ?s <{CG}speaker> ?state \
             FILTER(STRSTARTS(STR(?state), \"https://w3id.org/crimegraph/id/state/\")) }} \
             GROUP BY ?state ORDER BY DESC(?n) LIMIT 1"
        ),
    );
    let (state, total) = top[0].split_once(',').unwrap();
    let total: usize = total.trim().parse().unwrap();
    let recorded: Vec<String> = csv_rows(
        &server,
        &format!("SELECT ?p WHERE {{ ?s <{CG}speaker> <{state}> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?p }}"),
    );
    assert_eq!(recorded.len(), total);
    let path = state.replace("https://w3id.org/crimegraph", "");
    let pages = walk_html(&server, &path);
    let mut shown = Vec::new();
    for (i, body) in pages.iter().enumerate() {
        let rows = links_in_table(body, "Statements");
        assert!(rows.len() <= 50, "page {}: {} rows", i + 1, rows.len());
        if i < total.div_ceil(50) {
            assert!(!rows.is_empty(), "page {}: a page of statements", i + 1);
            assert!(
                body.contains(&format!(" of {total} statements.")),
                "page {}",
                i + 1
            );
        }
        shown.extend(rows);
    }
    let mut shown: Vec<String> = shown
        .iter()
        .map(|h| format!("https://w3id.org/crimegraph{h}"))
        .collect();
    let mut recorded = recorded;
    shown.sort();
    recorded.sort();
    assert_eq!(shown, recorded, "the pages add up to every statement once");
}
