//! The seed reports as other converters render them: hard-wrapped at any width,
//! Windows line endings, page headers between and inside paragraphs, no markdown.
//! Each rendering must score as well as the original against the gold.

use crate::common::*;
use std::path::Path;
use std::process::Command;

/// A page header as converters print it: document symbol, job number, page number.
const PAGE_HEADER: &str = "\n\nA/CONF.999/RPM.9/L.1/Add.9\n\nV.99-01234\t2/5\n\n";

/// Greedy wrap at `width` columns, as converters do, keeping blank lines.
fn wrap(text: &str, width: usize) -> String {
    text.lines()
        .map(|line| crimegraph::gen::wrap(line, width).join("\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn with_page_headers(text: &str, every: usize) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 && i % every == 0 {
            out.push_str(PAGE_HEADER);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

pub fn without_markdown(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches('#').trim_start().replace('*', ""))
        .filter(|l| l.trim() != "---")
        .collect::<Vec<_>>()
        .join("\n")
}

fn score_rendering(name: &str, render: impl Fn(&str) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(input.join(path.file_name().unwrap()), render(&text)).unwrap();
    }
    let store = dir.path().join("store");
    let out = run(&store, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    score(name, &store);
}

pub fn score(name: &str, store: &Path) {
    let server = Server::start(store);
    let out = Command::new("python3")
        .arg(shared().join("tools/score.py"))
        .args(["--endpoint", &server.sparql(), "--show-errors"])
        .args([
            "--min-statements",
            "1.0",
            "--min-mentions",
            "0.98",
            "--min-metadata",
            "1.0",
        ])
        .output()
        .expect("python3");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{name}:\n{report}");
    assert!(out.status.success(), "{name} scores lower:\n{report}");
}

#[test]
fn windows_line_endings() {
    score_rendering("crlf", |t| t.replace('\n', "\r\n"));
}

#[test]
fn hard_wrapped_at_72_columns() {
    score_rendering("wrapped-72", |t| wrap(t, 72));
}

#[test]
fn hard_wrapped_at_40_columns_with_page_headers_inside_paragraphs() {
    score_rendering("wrapped-40-headers", |t| {
        with_page_headers(&wrap(t, 40), 23)
    });
}

#[test]
fn plain_text_without_markdown_wrapped_at_100() {
    score_rendering("plain-100", |t| wrap(&without_markdown(t), 100));
}
