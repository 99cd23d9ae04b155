//! The pages in Debian's headless Chromium, driven by Playwright (`tests/browser/`):
//! home, search "Egypt", the State page, a matrix cell to its evidence paragraph, a
//! saved query's table, `javascript:` IRIs shown as text, and no console error (a
//! Content-Security-Policy violation is one) on any page. Screenshots go to
//! `target/screenshots/`.

use crate::common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn pages_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists() && browser_dir.join("node_modules/playwright-core").exists(),
        "Chromium and playwright-core are missing: run `bash scripts/setup.sh`"
    );
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let shots = root.join("target/screenshots");
    let out = Command::new("node")
        .arg(browser_dir.join("pages.mjs"))
        .arg(&server.base)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser steps failed:\n{report}");
    for shot in [
        "home",
        "state",
        "matrix",
        "evidence",
        "sparql",
        "sparql-editor",
    ] {
        assert!(shots.join(format!("{shot}.png")).exists(), "{shot}.png");
    }
}
