//! Hostile and broken input to the reader and extractors, by property: real report
//! text cut, repeated, shuffled, with control characters, invalid UTF-8, enormous lines
//! and deeply nested markdown. Never a panic; every mention's span lies inside its
//! paragraph on char boundaries, so its anchor is the text at those offsets.

use crimegraph::extract::{find_statements, Extractor};
use crimegraph::ingest::Pipeline;
use crimegraph::map::IriBase;
use crimegraph::read::read_report;
use crimegraph::reference::Vocabulary;
use proptest::prelude::*;
use std::sync::LazyLock;

static VOCAB: LazyLock<Vocabulary> = LazyLock::new(|| Vocabulary::built_in().unwrap());
static X: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(&VOCAB).unwrap());
static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(VOCAB.clone(), IriBase::default()).unwrap());
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = std::fs::read_dir(crate::common::corpus())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    v.sort();
    v
});

#[derive(Debug, Clone)]
enum Mutation {
    Cut(usize, usize),
    RepeatLines(usize, usize),
    Shuffle(u64),
    Control(usize, char),
    InvalidUtf8(usize),
    HugeLine(usize),
    Nested(usize),
    Splice(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Cut(a, b)),
        (any::<usize>(), 1..50usize).prop_map(|(a, n)| Mutation::RepeatLines(a, n)),
        any::<u64>().prop_map(Mutation::Shuffle),
        (any::<usize>(), prop::char::range('\u{0}', '\u{1f}'))
            .prop_map(|(a, c)| Mutation::Control(a, c)),
        any::<usize>().prop_map(Mutation::InvalidUtf8),
        (1_000..40_000usize).prop_map(Mutation::HugeLine),
        (1..500usize).prop_map(Mutation::Nested),
        (any::<usize>(), "\\PC{0,40}").prop_map(|(a, s)| Mutation::Splice(a, s)),
    ]
}

fn floor(s: &str, i: usize) -> usize {
    let mut i = i % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> Vec<u8> {
    match m {
        Mutation::Cut(a, b) => {
            let (a, b) = (floor(text, *a), floor(text, *b));
            format!("{}{}", &text[..a.min(b)], &text[a.max(b)..]).into_bytes()
        }
        Mutation::RepeatLines(a, n) => {
            let lines: Vec<&str> = text.lines().collect();
            let i = a % lines.len().max(1);
            let mut out: Vec<&str> = lines[..i].to_vec();
            out.extend(std::iter::repeat_n(lines.get(i).copied().unwrap_or(""), *n));
            out.extend(&lines[i..]);
            out.join("\n").into_bytes()
        }
        Mutation::Shuffle(seed) => {
            let mut lines: Vec<&str> = text.lines().collect();
            fastrand::Rng::with_seed(*seed).shuffle(&mut lines);
            lines.join("\n").into_bytes()
        }
        Mutation::Control(a, c) => {
            let i = floor(text, *a);
            format!("{}{c}{}", &text[..i], &text[i..]).into_bytes()
        }
        Mutation::InvalidUtf8(a) => {
            let mut b = text.as_bytes().to_vec();
            let i = a % (b.len() + 1);
            b.splice(i..i, [0xff, 0xfe, 0xc3]);
            b
        }
        Mutation::HugeLine(n) => format!(
            "{text}\n{}\n",
            "money-laundering terrorism UNTOC ".repeat(n / 32)
        )
        .into_bytes(),
        Mutation::Nested(depth) => {
            format!("{}{} 1. {text}", "#".repeat(*depth), ">".repeat(*depth)).into_bytes()
        }
        Mutation::Splice(a, s) => {
            let i = floor(text, *a);
            format!("{}{s}{}", &text[..i], &text[i..]).into_bytes()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_reports_never_panic_and_spans_stay_inside(doc in 0..5usize, m in mutation()) {
        let bytes = apply(&CORPUS[doc], &m);
        // The whole pipeline: a clear error or quads, never a panic.
        let _ = PIPELINE.prepare("mutated.txt", &bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Ok(report) = read_report(text) {
                let mut mentions: Vec<_> = report.paragraphs.iter().map(|p| X.extract(&p.text)).collect();
                let texts: Vec<&str> = report.paragraphs.iter().map(|p| p.text.as_str()).collect();
                let (statements, _) = find_statements(&X, &texts, &mut mentions);
                for (p, ms) in report.paragraphs.iter().zip(&mentions) {
                    for mention in ms {
                        prop_assert!(mention.start <= mention.end && mention.end <= p.text.len());
                        prop_assert!(p.text.get(mention.start..mention.end).is_some(), "span on char boundaries");
                    }
                }
                for s in statements {
                    prop_assert!(s.paragraph < texts.len());
                    prop_assert!(texts[s.paragraph].get(s.start..s.end).is_some());
                }
            }
        }
    }
}

/// The seed reports as PDF and Word files, made once.
static DOCUMENTS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    use crimegraph::gen::{docx, pdf, Furniture};
    let f = Furniture {
        symbol: Some("A/CONF.999/1".into()),
        job_number: Some("V.30-00001".into()),
    };
    CORPUS
        .iter()
        .take(2)
        .flat_map(|t| [pdf(t, &f), docx(t, &f)])
        .collect()
});

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Broken PDF and Word files (truncated, bytes overwritten, garbage spliced in)
    /// give an error or a report, never a panic out of the parsers.
    #[test]
    fn broken_pdf_and_docx_files_never_panic(
        doc in 0..4usize,
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        garbage in prop::collection::vec(any::<u8>(), 0..64),
        truncate in any::<bool>(),
    ) {
        let mut bytes = DOCUMENTS[doc].clone();
        let i = at.index(bytes.len());
        let end = (i + garbage.len()).min(bytes.len());
        bytes.splice(i..end, garbage);
        if truncate {
            bytes.truncate(cut.index(bytes.len()).max(8));
        }
        let _ = PIPELINE.prepare("broken.pdf", &bytes);
    }
}
