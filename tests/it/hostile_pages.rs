//! Pages fed hostile IRIs (issue 18, D7): an IRI from the request or from the data that
//! is not http(s) (`javascript:`, `data:`, `urn:`) is shown as text, never as a link;
//! and every page carries a Content-Security-Policy with nothing inline for it to block.

use crate::common::*;
use std::process::Command;

/// The body with the escapes minijinja writes in attributes undone (`&#x2f;` for `/`),
/// lower-cased, so that `href="javascript:` is found however it is spelled.
fn plain(body: &str) -> String {
    body.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .to_lowercase()
}

/// GET with the parameters URL-encoded by curl; (status, body).
fn get(url: &str, params: &[&str]) -> (u16, String) {
    let mut args = vec!["-G", "-H", "Accept: text/html"];
    for p in params {
        args.extend(["--data-urlencode", p]);
    }
    args.push(url);
    curl(&args)
}

fn assert_no_hostile_link(page: &str, body: &str) {
    let body = plain(body);
    for scheme in ["javascript:", "data:", "vbscript:", "urn:", "mailto:"] {
        assert!(
            !body.contains(&format!("href=\"{scheme}")),
            "{page}: a {scheme} IRI is rendered as a link"
        );
    }
}

#[test]
fn hostile_iris_are_shown_as_text() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let b = &server.base;

    let (code, body) = get(
        &format!("{b}/matrix/evidence"),
        &[
            "state=javascript:alert(document.domain)",
            "crime=JaVaScRiPt:alert(1)",
        ],
    );
    assert_eq!(code, 200, "{body}");
    assert_no_hostile_link("evidence", &body);
    assert!(
        body.contains(r#"<span class="iri">javascript:alert(document.domain)</span>"#),
        "the State's IRI is shown as text: {body}"
    );

    let (code, body) = get(
        &format!("{b}/matrix/evidence"),
        &[
            "state=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "crime=urn:x:y",
        ],
    );
    assert_eq!(code, 200, "{body}");
    assert_no_hostile_link("evidence (data:, urn:)", &body);

    let query = r#"query=SELECT (IRI("javascript:alert(document.domain)") AS ?x)
        (IRI("https://example.org/ok") AS ?y) (IRI("urn:x:y") AS ?z) (IRI("mailto:a@b.c") AS ?m) {}"#;
    let (code, body) = get(&format!("{b}/sparql-editor"), &[query]);
    assert_eq!(code, 200, "{body}");
    assert_no_hostile_link("sparql editor", &body);
    assert!(
        body.contains("<td>javascript:alert(document.domain)</td>"),
        "the javascript: IRI is shown as text: {body}"
    );
    assert!(
        plain(&body).contains(r#"<a href="https://example.org/ok""#),
        "an https IRI is still a link: {body}"
    );

    // The legitimate links still point at this server's own pages.
    let (code, body) = get(&format!("{b}/matrix"), &[]);
    assert_eq!(code, 200);
    assert!(plain(&body).contains(r#"href="/id/state/"#), "{body}");
}

/// Markup the policy would block, so a page using it would silently break: inline
/// `<script>`, `<style>`, `style=""` and `on...=""` handlers.
fn inline_code(body: &str) -> Option<String> {
    if body.contains("<style") || body.contains(" style=\"") {
        return Some("inline style".into());
    }
    for (i, _) in body.match_indices("<script") {
        let tag = &body[i..body[i..].find('>').map_or(body.len(), |e| i + e)];
        // A JSON data block is not run; its text has no `<` to end it early.
        if tag.contains("type=\"application/json\"") {
            continue;
        }
        if !tag.contains(" src=") {
            return Some(format!("inline script: {tag}"));
        }
    }
    body.match_indices(" on").find_map(|(i, _)| {
        let name: String = body[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let handler = !name.is_empty() && body[i + 3 + name.len()..].starts_with("=\"");
        handler.then(|| format!("inline handler on{name}"))
    })
}

#[test]
fn every_page_carries_the_content_security_policy() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let b = &server.base;
    let pages = [
        "/",
        "/matrix",
        "/matrix?congress=14",
        "/reports.html",
        "/search?q=Egypt",
        "/sparql-editor",
        "/sparql-editor?name=reports",
        "/id/state/EGY",
        "/id/crime/terrorism",
        "/static/style.css",
        "/static/editor.js",
    ];
    for page in pages {
        let out = Command::new("curl")
            .args(["-s", "-D", "-", "-H", "Accept: text/html"])
            .arg(format!("{b}{page}"))
            .output()
            .expect("curl");
        let text = String::from_utf8_lossy(&out.stdout);
        let (head, body) = text.split_once("\r\n\r\n").expect("headers");
        let head = head.to_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{page}: {head}");
        let csp = head
            .lines()
            .find_map(|l| l.strip_prefix("content-security-policy: "))
            .unwrap_or_else(|| panic!("{page}: no Content-Security-Policy\n{head}"));
        assert!(csp.starts_with("default-src 'self'"), "{page}: {csp}");
        // The editor lets YASGUI lay itself out with inline style; no page runs inline script.
        let script = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap_or("default-src");
        assert!(!script.contains("unsafe-inline"), "{page}: {csp}");
        if !page.starts_with("/sparql-editor") {
            assert!(!csp.contains("unsafe-inline"), "{page}: {csp}");
        }
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{page}: no nosniff\n{head}"
        );
        if page.starts_with("/static/") {
            continue;
        }
        if let Some(found) = inline_code(body) {
            panic!("{page}: {found}, which the policy blocks");
        }
    }
    let (code, _) = curl(&[&format!("{b}/static/nothing.js")]);
    assert_eq!(code, 404);
}
