//! Read + extract throughput on the seed corpus, against a floor in the same run: a
//! plain Aho-Corasick scan of the same text with the same names (what the extractor
//! cannot beat). Run: `cargo bench --bench extract`.
//!
//! Criterion measures each function in turn; on a shared machine the speed of memory
//! drifts between them by more than the differences sought. So the ratios are also
//! taken interleaved: baseline and crimegraph alternate in one loop, and the median of
//! the per-round ratios is printed at the end (`ratio ...` lines).

use aho_corasick::{AhoCorasick, MatchKind};
use crimegraph::extract::Extractor;
use crimegraph::read::{read_report, Report};
use crimegraph::reference::Vocabulary;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn corpus() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("../shared/corpus")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    texts
}

struct Setup {
    texts: Vec<String>,
    reports: Vec<Report>,
    extractor: Extractor,
    baseline: AhoCorasick,
}

impl Setup {
    fn new() -> Self {
        let vocab = Vocabulary::built_in().unwrap();
        let extractor = Extractor::new(&vocab).unwrap();
        let names: Vec<String> = vocab
            .entities
            .iter()
            .flat_map(|e| e.names.iter().map(|n| n.text.to_lowercase()))
            .collect();
        let baseline = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&names)
            .unwrap();
        let texts = corpus();
        let reports = texts.iter().map(|t| read_report(t).unwrap()).collect();
        Setup {
            texts,
            reports,
            extractor,
            baseline,
        }
    }

    fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.reports
            .iter()
            .flat_map(|r| &r.paragraphs)
            .map(|p| p.text.as_str())
    }

    /// The floor on the whole text.
    fn scan_text(&self) -> usize {
        self.texts
            .iter()
            .map(|t| self.baseline.find_iter(black_box(t.as_str())).count())
            .sum()
    }

    /// The floor on the paragraphs' text: what the extractor reads.
    fn scan_paragraphs(&self) -> usize {
        self.paragraphs()
            .map(|p| self.baseline.find_iter(black_box(p)).count())
            .sum()
    }

    fn read_and_extract(&self) -> usize {
        self.texts
            .iter()
            .map(|t| {
                let r = read_report(black_box(t)).unwrap();
                r.paragraphs
                    .iter()
                    .map(|p| self.extractor.extract(&p.text).len())
                    .sum::<usize>()
            })
            .sum()
    }

    fn extract(&self) -> usize {
        self.paragraphs()
            .map(|p| self.extractor.extract(black_box(p)).len())
            .sum()
    }
}

fn bench(c: &mut Criterion) {
    let s = Setup::new();
    let bytes: usize = s.texts.iter().map(String::len).sum();
    let paragraph_bytes: usize = s.paragraphs().map(str::len).sum();
    let mut g = c.benchmark_group("seed corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("baseline: aho-corasick scan, same names", |b| {
        b.iter(|| s.scan_text())
    });
    g.bench_function("crimegraph: read + extract", |b| {
        b.iter(|| s.read_and_extract())
    });
    g.bench_function("stage: read only", |b| {
        b.iter(|| {
            s.texts
                .iter()
                .map(|t| read_report(black_box(t)).unwrap().paragraphs.len())
                .sum::<usize>()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("seed paragraphs");
    g.throughput(Throughput::Bytes(paragraph_bytes as u64));
    g.bench_function("baseline: aho-corasick scan, same names", |b| {
        b.iter(|| s.scan_paragraphs())
    });
    g.bench_function("crimegraph: extract", |b| b.iter(|| s.extract()));
    g.finish();

    interleaved(
        "read + extract / scan of the whole text",
        || s.scan_text(),
        || s.read_and_extract(),
    );
    interleaved(
        "extract / scan of the paragraphs' text",
        || s.scan_paragraphs(),
        || s.extract(),
    );
}

/// Median over rounds of baseline time / crimegraph time, the two run back to back in
/// each round (a throughput ratio: 0.5x means crimegraph takes twice the baseline).
fn interleaved(what: &str, baseline: impl Fn() -> usize, ours: impl Fn() -> usize) {
    let time = |f: &dyn Fn() -> usize| {
        let start = Instant::now();
        let mut n = 0;
        while start.elapsed() < Duration::from_millis(20) {
            black_box(f());
            n += 1;
        }
        start.elapsed().as_secs_f64() / n as f64
    };
    let mut ratios: Vec<f64> = (0..41).map(|_| time(&baseline) / time(&ours)).collect();
    ratios.sort_by(f64::total_cmp);
    println!(
        "ratio {what}: {:.2}x (median of {} interleaved rounds; quartiles {:.2}x-{:.2}x)",
        ratios[ratios.len() / 2],
        ratios.len(),
        ratios[ratios.len() / 4],
        ratios[3 * ratios.len() / 4]
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
