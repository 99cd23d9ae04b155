//! Reports as people get them: PDF and Word files, made here from the seed reports and
//! from snippets, must give the graph the same text gives.

use crate::common::*;
use crate::variants::{score, without_markdown};
use crimegraph::gen::{docx, pdf, Furniture};
use std::collections::BTreeSet;
use std::path::Path;

/// The seed reports as a PDF converter never sees markdown: plain text.
fn seed_texts() -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (
                stem,
                without_markdown(&std::fs::read_to_string(&p).unwrap()),
            )
        })
        .collect();
    texts.sort();
    texts
}

fn furniture(i: usize) -> Furniture {
    Furniture {
        symbol: Some(format!("A/CONF.999/RPM.{}/L.1/Add.{}", i + 1, i + 2)),
        job_number: Some(format!("V.26-{:05}", 1000 + i)),
    }
}

/// Every quad of the store as N-Quads lines, without the ones that name the source
/// file (its name, hash and format differ by construction).
fn graph_of(store: &Path) -> BTreeSet<String> {
    let out = run(store, &["export", "--format", "nq"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .filter(|l| {
            !["#sourceFile>", "#sha256>", "/terms/format>"]
                .iter()
                .any(|p| l.contains(p))
        })
        .map(str::to_string)
        .collect()
}

fn ingest_dir(store: &Path, dir: &Path) {
    let out = run(store, &["ingest", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Writes each seed text through `render` as `{stem}.{ext}` into one folder and the
/// plain text into another, ingests both, and returns both graphs.
fn both_graphs(
    ext: &str,
    render: impl Fn(&str) -> Vec<u8>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let (text_dir, doc_dir) = (dir.path().join("txt"), dir.path().join(ext));
    std::fs::create_dir(&text_dir).unwrap();
    std::fs::create_dir(&doc_dir).unwrap();
    for (stem, text) in seed_texts() {
        std::fs::write(text_dir.join(format!("{stem}.txt")), &text).unwrap();
        std::fs::write(doc_dir.join(format!("{stem}.{ext}")), render(&text)).unwrap();
    }
    ingest_dir(&dir.path().join("s1"), &text_dir);
    ingest_dir(&dir.path().join("s2"), &doc_dir);
    (
        graph_of(&dir.path().join("s1")),
        graph_of(&dir.path().join("s2")),
    )
}

fn assert_same(name: &str, (text, doc): (BTreeSet<String>, BTreeSet<String>)) {
    let missing: Vec<_> = text.difference(&doc).take(5).collect();
    let extra: Vec<_> = doc.difference(&text).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: graph differs from the text's\nmissing: {missing:#?}\nextra: {extra:#?}"
    );
    assert!(text.len() > 1000);
}

#[test]
fn seed_reports_as_pdf_give_the_graph_of_their_text() {
    assert_same("pdf", both_graphs("pdf", |t| pdf(t, &Furniture::default())));
}

#[test]
fn seed_reports_as_docx_give_the_graph_of_their_text() {
    assert_same(
        "docx",
        both_graphs("docx", |t| docx(t, &Furniture::default())),
    );
}

/// The seed reports as PDF and as Word files, with symbol and job number in the page
/// furniture, score against the gold as the text files do, and carry their identifiers.
#[test]
fn seed_reports_as_pdf_and_docx_score_as_text() {
    for (ext, render) in [
        ("pdf", pdf as fn(&str, &Furniture) -> Vec<u8>),
        ("docx", docx),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        for (i, (stem, text)) in seed_texts().into_iter().enumerate() {
            std::fs::write(
                input.join(format!("{stem}.{ext}")),
                render(&text, &furniture(i)),
            )
            .unwrap();
        }
        let store = dir.path().join("store");
        ingest_dir(&store, &input);
        let out = run(
            &store,
            &[
                "query",
                "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX cg: <https://w3id.org/crimegraph/ontology#>
                 SELECT ?file ?symbol ?job ?lang ?format WHERE { ?r cg:sourceFile ?file ; cg:documentSymbol ?symbol ;
                 cg:jobNumber ?job ; dcterms:language ?lang ; dcterms:format ?format } ORDER BY ?file",
                "--format",
                "csv",
            ],
        );
        let rows = stdout(&out);
        let lines: Vec<&str> = rows.lines().skip(1).collect();
        assert_eq!(lines.len(), 5, "{ext}: {rows}{}", stderr(&out));
        for (i, line) in lines.iter().enumerate() {
            let f = furniture(i);
            assert!(line.contains(f.symbol.as_deref().unwrap()), "{line}");
            assert!(line.contains(f.job_number.as_deref().unwrap()), "{line}");
            assert!(line.contains(",en,application/"), "{line}");
        }
        score(ext, &store);
    }
}

/// A PDF page holding only an image, as a scanner makes it.
fn scanned_pdf() -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    );
    let image_id = doc.add_object(image);
    let content = Content {
        operations: vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![
                    500.into(),
                    0.into(),
                    0.into(),
                    700.into(),
                    40.into(),
                    60.into(),
                ],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

const SNIPPET: &str = "Distr.: Limited 3 May 2030\n\nEnglish only\n\nNorthern Lights Regional Preparatory Meeting for the Seventeenth United Nations Congress on Crime Prevention and Criminal Justice\n\nOslo, Norway, 1–3 May 2030\n\n1. Statements were made by the representatives of Chile and Egypt.\n\n2. Participants referred to the United Nations Convention against Corruption.\n";

/// Scans and Word 97 files are named with their reason and skipped; the other files,
/// whatever their extension says, go in by their content.
#[test]
fn scans_and_old_word_files_are_named_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a_scan.pdf"), scanned_pdf()).unwrap();
    std::fs::write(
        input.join("b_old.doc"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0",
    )
    .unwrap();
    std::fs::write(
        input.join("c_good.pdf"),
        pdf(SNIPPET, &Furniture::default()),
    )
    .unwrap();
    // A PDF saved under a text name is still read as a PDF.
    std::fs::write(
        input.join("d_misnamed.txt"),
        pdf(SNIPPET, &Furniture::default()),
    )
    .unwrap();
    std::fs::write(
        input.join("e_good.docx"),
        docx(SNIPPET, &Furniture::default()),
    )
    .unwrap();
    let store = dir.path().join("store");
    let out = run(&store, &["ingest", input.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a_scan.pdf") && err.contains("no text layer"),
        "{err}"
    );
    assert!(err.contains("b_old.doc") && err.contains(".docx"), "{err}");
    let out = run(
        &store,
        &[
            "query",
            "SELECT ?f WHERE { ?r <https://w3id.org/crimegraph/ontology#sourceFile> ?f } ORDER BY ?f",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        stdout(&out).lines().skip(1).collect::<Vec<_>>(),
        ["c_good.pdf", "d_misnamed.txt", "e_good.docx"]
    );
}

/// `POST /reports` takes PDF and Word bodies as it takes text.
#[test]
fn pdf_and_docx_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let (good, scan, word) = (
        files.join("r1.pdf"),
        files.join("scan.pdf"),
        files.join("r2.docx"),
    );
    std::fs::write(&good, pdf(SNIPPET, &furniture(0))).unwrap();
    std::fs::write(&scan, scanned_pdf()).unwrap();
    std::fs::write(&word, docx(SNIPPET, &furniture(1))).unwrap();
    let server = Server::start_with(&dir.path().join("store"), &["--update-token", "t"]);
    let post = |path: &Path, name: &str| {
        curl(&[
            "-X",
            "POST",
            "-H",
            "Authorization: Bearer t",
            "-H",
            "Content-Type: application/pdf",
            "--data-binary",
            &format!("@{}", path.display()),
            &format!("{}/reports?name={name}", server.base),
        ])
    };
    let (code, body) = post(&good, "r1.pdf");
    assert_eq!(code, 201, "{body}");
    assert!(body.contains("\"statements\":2"), "{body}");
    let (code, body) = post(&word, "r2.docx");
    assert_eq!(code, 201, "{body}");
    let (code, body) = post(&scan, "scan.pdf");
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("no text layer"), "{body}");
    // The report page shows symbol, job number and language.
    let (code, page) = curl(&[
        "-H",
        "Accept: text/html",
        &format!("{}/id/report/r1", server.base),
    ]);
    assert_eq!(code, 200);
    let page = page.replace("&#x2f;", "/");
    for expected in [
        "A/CONF.999/RPM.1/L.1/Add.2",
        "V.26-01000",
        "en",
        "application/pdf",
    ] {
        assert!(
            page.contains(expected),
            "{expected} missing from the report page"
        );
    }
}
