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
    assert_eq!(
        source_files(&store),
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

// Hostile documents (issue 18): a PDF or Word file built to crash or exhaust its
// parser costs that file, named with the cause, and never the server or the batch.

/// A PDF of the given objects (numbered from 1, the first the catalog), with a correct
/// cross-reference table, so that the parser reads every object.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF whose page content is `stream`, with its `/Filter`.
fn one_page_pdf(filter: &str, stream: &[u8], extra: Vec<u8>) -> Vec<u8> {
    let mut content = format!("<< /Length {} {filter} >>\nstream\n", stream.len()).into_bytes();
    content.extend_from_slice(stream);
    content.extend_from_slice(b"\nendstream");
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        content,
        extra,
    ])
}

/// D3: nested arrays, which overflow the stack of a recursive parser: 2,000 (4 KB)
/// overflowed the server's 2 MiB threads; the child's 8 MiB stack holds them (the page
/// has no text), and not 100,000 (200 KB).
fn nested_pdf(depth: usize) -> Vec<u8> {
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes();
    one_page_pdf("", b"BT ET", nested)
}

/// D6: a 4 MB PDF whose page stream inflates to 4 GiB of zeros. One MiB of zeros is
/// deflated once, ending on a byte boundary (a sync flush), and that segment repeated:
/// each copy only refers back to zeros, so it adds one MiB (deflating 4 GiB would take
/// the test a minute).
fn inflating_pdf() -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    const MIB: usize = 1 << 20;
    let zeros = vec![0u8; MIB];
    let mut deflate = Compress::new(Compression::best(), false);
    let segment = |deflate: &mut Compress| {
        let mut out = Vec::with_capacity(MIB);
        let before = deflate.total_in();
        deflate
            .compress_vec(&zeros, &mut out, FlushCompress::Sync)
            .unwrap();
        assert_eq!(deflate.total_in() - before, MIB as u64);
        out
    };
    // The first holds the literal zero the others refer back to.
    let first = segment(&mut deflate);
    let next = segment(&mut deflate);
    let mibs: u64 = 4096;
    let mut zlib = vec![0x78, 0xda];
    zlib.extend_from_slice(&first);
    for _ in 1..mibs {
        zlib.extend_from_slice(&next);
    }
    // A last, empty fixed-Huffman block, then Adler-32 of 4 GiB of zeros.
    zlib.extend_from_slice(&[0x03, 0x00]);
    let b = (mibs * MIB as u64 % 65521) as u32;
    zlib.extend_from_slice(&((b << 16) | 1).to_be_bytes());
    one_page_pdf("/Filter /FlateDecode", &zlib, b"null".to_vec())
}

/// D5: a 7 MB Word file with 40 header parts of 60 MiB of XML each. One header is
/// deflated, and copied 40 times as it is compressed.
fn bomb_docx() -> Vec<u8> {
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let run = "<w:p><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>";
    let header = format!(
        "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">{}</w:hdr>",
        run.repeat((60 << 20) / run.len())
    );
    let mut one = zip::ZipWriter::new(Cursor::new(Vec::new()));
    one.start_file("word/header.xml", deflated).unwrap();
    one.write_all(header.as_bytes()).unwrap();
    let one = one.finish().unwrap().into_inner();
    let mut source = zip::ZipArchive::new(Cursor::new(one)).unwrap();
    let mut docx = zip::ZipWriter::new(Cursor::new(Vec::new()));
    docx.start_file("word/document.xml", deflated).unwrap();
    let paragraphs: String = SNIPPET
        .split("\n\n")
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    write!(
        docx,
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{paragraphs}</w:body></w:document>"
    )
    .unwrap();
    for i in 1..=40 {
        let part = source.by_index_raw(0).unwrap();
        docx.raw_copy_file_rename(part, format!("word/header{i}.xml"))
            .unwrap();
    }
    docx.finish().unwrap().into_inner()
}

/// The hostile files and what the answer must name.
fn hostile_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("nested.pdf", nested_pdf(2000), "the PDF has no text layer"),
        (
            "deep.pdf",
            nested_pdf(100_000),
            "the PDF parser crashed (stack overflow",
        ),
        (
            "inflating.pdf",
            inflating_pdf(),
            "the PDF parser ran out of its 1 GiB memory limit",
        ),
        (
            "bomb.docx",
            bomb_docx(),
            "inside the Word document inflates to more than",
        ),
    ]
}

/// The peak resident memory of a process, in bytes (`VmHWM`).
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// D3, D5, D6 over HTTP: each gets 422 naming the cause, the server lives on, reads a
/// good PDF after them, and its own memory stays small (the parser's is the child's).
#[test]
fn hostile_documents_get_422_and_the_server_lives() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(&dir.path().join("store"), &["--update-token", "t"]);
    let post = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let started = std::time::Instant::now();
        let answer = curl(&[
            "-X",
            "POST",
            "-H",
            "Authorization: Bearer t",
            "--data-binary",
            &format!("@{}", path.display()),
            &format!("{}/reports?name={name}", server.base),
        ]);
        eprintln!(
            "{name}: {} bytes, {:.2} s",
            bytes.len(),
            started.elapsed().as_secs_f64()
        );
        answer
    };
    for (name, bytes, cause) in hostile_files() {
        let (code, body) = post(name, &bytes);
        assert_eq!(code, 422, "{name}: {body}");
        assert!(body.contains(cause), "{name}: {body}");
        let (code, _) = curl(&[&format!("{}/health", server.base)]);
        assert_eq!(code, 200, "the server died on {name}");
    }
    let (code, body) = post("good.pdf", &pdf(SNIPPET, &furniture(0)));
    assert_eq!(code, 201, "{body}");
    let peak = peak_rss(server.pid());
    eprintln!("server VmHWM: {:.0} MB", peak as f64 / 1e6);
    assert!(peak < 1_500_000_000, "server peak RSS {peak} bytes");
}

/// The same files through the CLI: each skipped with its reason, the others stored,
/// exit code 1.
#[test]
fn hostile_documents_are_skipped_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let hostile = hostile_files();
    for (name, bytes, _) in &hostile {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    std::fs::write(input.join("good.pdf"), pdf(SNIPPET, &Furniture::default())).unwrap();
    std::fs::write(
        input.join("good2.docx"),
        docx(SNIPPET, &Furniture::default()),
    )
    .unwrap();
    std::fs::write(input.join("good3.txt"), SNIPPET).unwrap();
    let store = dir.path().join("store");
    let started = std::time::Instant::now();
    let out = run(&store, &["ingest", input.to_str().unwrap()]);
    eprintln!("ingest: {:.2} s", started.elapsed().as_secs_f64());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (name, _, cause) in &hostile {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("skipped {name}: ")) && l.contains(cause)),
            "{name}: {err}"
        );
    }
    assert_eq!(
        source_files(&store),
        ["good.pdf", "good2.docx", "good3.txt"]
    );
}

/// The parent's side of the child process, against stand-in children: one that hangs
/// without reading its input is killed at the deadline and reaped, one that never
/// stops writing is cut off at the text limit, one that crashes is named by its signal.
#[test]
fn document_children_are_killed_cut_off_and_reaped() {
    use crimegraph::read::{Format, ReadError, Sandbox};
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let script = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    };
    // More than a pipe holds, so that a child that does not read would block a writer.
    let input = vec![b'x'; 4 << 20];
    let cases = [
        (script("hang", "exec sleep 30"), "took longer than 1 s"),
        (
            script("chatty", "exec yes"),
            "returned more than 1 MiB of text",
        ),
        (script("crash", "kill -SEGV $$"), "crashed (signal 11)"),
        (
            script("fail", "echo 'boom' >&2; exit 7"),
            "crashed (exit code 7: boom)",
        ),
    ];
    for (exe, expected) in cases {
        let sandbox = Sandbox::new(&exe)
            .with_time_limit(Duration::from_secs(1))
            .with_text_limit(1 << 20);
        let started = Instant::now();
        let e = sandbox.extract(&input, Format::Pdf).unwrap_err();
        let took = started.elapsed();
        assert!(matches!(e, ReadError::Parser { .. }), "{e}");
        assert!(e.to_string().contains(expected), "{}: {e}", exe.display());
        assert!(took < Duration::from_secs(3), "{}: {took:?}", exe.display());
    }
    // No child is left, zombie or alive (other tests' children have other names).
    let children: String = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .map(|t| std::fs::read_to_string(t.unwrap().path().join("children")).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    let ours: Vec<String> = children
        .split_whitespace()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter(|stat| {
            [
                "(hang)", "(chatty)", "(crash)", "(fail)", "(sleep)", "(yes)",
            ]
            .iter()
            .any(|comm| stat.contains(comm))
        })
        .collect();
    assert!(ours.is_empty(), "children left: {ours:?}");
}

/// The files the stored reports came from, in order, read back by the CLI.
fn source_files(store: &std::path::Path) -> Vec<String> {
    let out = run(
        store,
        &[
            "query",
            "SELECT ?f WHERE { ?r <https://w3id.org/crimegraph/ontology#sourceFile> ?f } ORDER BY ?f",
            "--format",
            "csv",
        ],
    );
    stdout(&out).lines().skip(1).map(str::to_string).collect()
}
