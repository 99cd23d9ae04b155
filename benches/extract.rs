//! Read + extract throughput on the seed corpus, against a floor in the same run: a
//! plain Aho-Corasick scan of the same text with the same names (what the extractor
//! cannot beat). Run: `cargo bench --bench extract`.

use aho_corasick::{AhoCorasick, MatchKind};
use crimegraph::extract::Extractor;
use crimegraph::read::read_report;
use crimegraph::reference::Vocabulary;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn corpus() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("../shared/corpus")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    texts
}

fn bench(c: &mut Criterion) {
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
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("seed corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("baseline: aho-corasick scan, same names", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| baseline.find_iter(black_box(t.as_str())).count())
                .sum::<usize>()
        })
    });
    g.bench_function("crimegraph: read + extract", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    let r = read_report(black_box(t)).unwrap();
                    r.paragraphs
                        .iter()
                        .map(|p| extractor.extract(&p.text).len())
                        .sum::<usize>()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
