//! The entity matcher: every name of the vocabulary in one Aho-Corasick automaton, read
//! leftmost-longest on word boundaries, plus the vocabulary's paraphrase patterns,
//! coordinated heads and anaphor rules.

use super::{fold, sentence_starts, EntityMatch, Method, Target};
use crate::reference::{EntityKind, NameKind, Resolution, Vocabulary, CG};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A run of capitalised words (joined by small words) after "the": a candidate name.
/// No capture groups, so the fast DFA search serves; "the " is cut off by hand.
static NAME_AFTER_THE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+\p{Lu}[\p{L}\d'’.]*(?:\s+(?:(?:of|on|for|and|the|in|against|to)\s+)*\p{Lu}[\p{L}\d'’.]*)+").unwrap()
});
/// A run of capitalised words followed by an acronym in parentheses (cut off by hand).
static NAME_BEFORE_ACRONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Lu}[\p{L}\d'’.]*(?:\s+(?:(?:of|on|for|and|the|in|against|to)\s+)*\p{Lu}[\p{L}\d'’.]*)+\s+\(\p{Lu}[\p{Lu}\d]{1,9}s?\)").unwrap()
});

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractorError {
    #[error("cannot build the name automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
    #[error("bad cg:pattern {pattern:?} of {entity}: {source}")]
    Pattern {
        entity: String,
        pattern: String,
        source: regex::Error,
    },
}

/// How the case of a match is checked (the automaton itself ignores ASCII case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    /// Acronyms: exactly as written.
    Exact,
    /// Proper names: a capital first letter stays capital; the rest may differ.
    Capitalized,
    /// Anaphors: every capital of the phrase is capital in the text.
    Capitals,
    /// Crime types: any case.
    Any,
}

#[derive(Debug, Clone)]
enum Role {
    Name { entity: usize, kind: NameKind },
    Anaphor(usize),
}

#[derive(Debug, Clone)]
struct PatternTarget {
    role: Role,
    rule: CaseRule,
    /// The name as written, to check case against.
    folded: String,
}

/// Built once from the vocabulary; `extract` is then cheap and allocation-light.
#[derive(Debug)]
pub struct Extractor {
    automaton: AhoCorasick,
    targets: Vec<Vec<PatternTarget>>,
    kinds: Vec<EntityKind>,
    classes: Vec<Vec<String>>,
    links: Vec<HashMap<String, Vec<usize>>>,
    patterns: Vec<(Regex, usize)>,
    /// All of `patterns` in one set: one pass tells which can match at all.
    pattern_set: regex::RegexSet,
    /// Crime-type names by lower-case folded text, for coordination.
    crime_names: HashMap<String, usize>,
    /// Heads such as "trafficking in " that a crime-type name starts with.
    heads: Vec<String>,
    anaphors: Vec<(String, Option<String>, Resolution)>,
    /// Content words of organization names, for names printed with a word missing.
    org_words: Vec<(usize, Vec<String>)>,
    /// Head nouns of names to mint, lower case (`cg:nameHead`).
    name_heads: Vec<(EntityKind, String)>,
}

/// A candidate match on the folded text (byte offsets in the folded text).
#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    pattern: usize,
}

const STOP_WORDS: &[&str] = &[
    "the", "of", "on", "for", "in", "and", "against", "to", "a", "an",
];

impl Extractor {
    pub fn new(vocab: &Vocabulary) -> Result<Self, ExtractorError> {
        let mut texts: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<PatternTarget>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |text: &str, target: PatternTarget| {
            let key = fold(text).to_lowercase();
            let i = *index.entry(key.clone()).or_insert_with(|| {
                texts.push(key);
                targets.push(Vec::new());
                texts.len() - 1
            });
            targets[i].push(target);
        };
        let mut crime_names = HashMap::new();
        let mut heads: HashSet<String> = HashSet::new();
        let mut patterns = Vec::new();
        let mut org_words = Vec::new();
        for (i, e) in vocab.entities.iter().enumerate() {
            for name in e.names.iter().filter(|_| e.match_names) {
                let folded = fold(name.text.trim());
                if folded.is_empty() {
                    continue;
                }
                let rule = match (name.kind, e.kind) {
                    (NameKind::Acronym, _) => CaseRule::Exact,
                    (_, EntityKind::CrimeType) => CaseRule::Any,
                    _ => CaseRule::Capitalized,
                };
                add(
                    &folded,
                    PatternTarget {
                        role: Role::Name {
                            entity: i,
                            kind: name.kind,
                        },
                        rule,
                        folded: folded.clone(),
                    },
                );
                if e.kind == EntityKind::CrimeType {
                    let lower = folded.to_lowercase();
                    let words: Vec<&str> = lower.split(' ').collect();
                    if words.len() >= 3 && matches!(words[1], "in" | "of") {
                        heads.insert(format!("{} {} ", words[0], words[1]));
                    }
                    crime_names.insert(lower, i);
                }
                if e.kind == EntityKind::Organization && name.kind != NameKind::Acronym {
                    org_words.push((i, content_words(&name.text)));
                }
            }
            for p in &e.patterns {
                // Word boundaries are taken as ASCII ones: a Unicode `\b` makes the regex
                // engine leave its fast DFA for the slowest search on any non-ASCII text
                // (a dash or a curly quote is enough), and names' boundaries are ASCII.
                let ascii = p.replace(r"\b", r"(?-u:\b)");
                let re = Regex::new(&format!("(?i){ascii}")).map_err(|source| {
                    ExtractorError::Pattern {
                        entity: e.iri.clone(),
                        pattern: p.clone(),
                        source,
                    }
                })?;
                patterns.push((re, i));
            }
        }
        let mut anaphors = Vec::new();
        for (r, rule) in vocab.anaphors.iter().enumerate() {
            for phrase in &rule.phrases {
                let folded = fold(phrase);
                add(
                    &folded,
                    PatternTarget {
                        role: Role::Anaphor(r),
                        rule: CaseRule::Capitals,
                        folded: folded.clone(),
                    },
                );
            }
            anaphors.push((
                rule.antecedent_class.clone(),
                rule.via.clone(),
                rule.resolution,
            ));
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&texts)?;
        let links = vocab
            .entities
            .iter()
            .map(|e| {
                e.links
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.iter().filter_map(|t| vocab.index_of(t)).collect(),
                        )
                    })
                    .collect()
            })
            .collect();
        let pattern_set = regex::RegexSet::new(patterns.iter().map(|(re, _)| re.as_str()))
            .map_err(|source| ExtractorError::Pattern {
                entity: String::new(),
                pattern: "(all patterns)".into(),
                source,
            })?;
        let mut heads: Vec<String> = heads.into_iter().collect();
        heads.sort();
        Ok(Extractor {
            automaton,
            targets,
            kinds: vocab.entities.iter().map(|e| e.kind).collect(),
            classes: vocab.entities.iter().map(|e| e.classes.clone()).collect(),
            links,
            patterns,
            pattern_set,
            crime_names,
            heads,
            anaphors,
            org_words,
            name_heads: vocab
                .name_heads
                .iter()
                .map(|(k, h)| (*k, fold(h).to_lowercase()))
                .collect(),
        })
    }

    pub fn kind(&self, entity: usize) -> EntityKind {
        self.kinds[entity]
    }

    /// Every mention in one paragraph, sorted by position, spans in bytes of `text`.
    pub fn extract(&self, text: &str) -> Vec<EntityMatch> {
        let folded = fold(text);
        let map = OffsetMap::new(text, &folded);
        let (names, anaphors) = self.candidates(&folded);
        let kept = leftmost_longest(&names, |c| (c.start, c.end));
        let mut found: Vec<(usize, usize, Target, Method)> = Vec::new();
        let mut proper_spans: Vec<(usize, usize)> = Vec::new();
        for c in &kept {
            let mut outer: Vec<usize> = Vec::new();
            for (entity, kind) in self.entities_of(c, &folded) {
                found.push((c.start, c.end, Target::Known(entity), method_of(kind)));
                outer.push(entity);
                if matches!(
                    self.kinds[entity],
                    EntityKind::Organization | EntityKind::Instrument
                ) {
                    proper_spans.push((c.start, c.end));
                }
            }
            // A name inside a name names its own entity ("UNODC Global Programme on
            // Cybercrime" names UNODC), but only bodies and instruments do: crime words
            // inside a proper name name no crime.
            if outer.iter().any(|&e| {
                matches!(
                    self.kinds[e],
                    EntityKind::Organization | EntityKind::Instrument
                )
            }) {
                let inner: Vec<Cand> = names
                    .iter()
                    .filter(|n| {
                        n.start >= c.start
                            && n.end <= c.end
                            && (n.end - n.start) < (c.end - c.start)
                    })
                    .copied()
                    .collect();
                for n in leftmost_longest(&inner, |c| (c.start, c.end)) {
                    for (entity, kind) in self.entities_of(&n, &folded) {
                        let is_body = matches!(
                            self.kinds[entity],
                            EntityKind::Organization | EntityKind::Instrument
                        );
                        // A name that ends the longer one is its head ("Convention on
                        // Cybercrime" in "United Nations Convention on Cybercrime"), not
                        // a second entity.
                        let head = n.end == c.end
                            && outer.iter().any(|&o| self.kinds[o] == self.kinds[entity]);
                        if is_body && !head && !outer.contains(&entity) {
                            found.push((n.start, n.end, Target::Known(entity), method_of(kind)));
                        }
                    }
                }
            }
        }
        let inside_proper =
            |s: usize, e: usize| proper_spans.iter().any(|&(ps, pe)| s >= ps && e <= pe);
        for i in self.pattern_set.matches(&folded).into_iter() {
            let (re, entity) = &self.patterns[i];
            // A pattern may say which part of its match is the name: `(?P<name>...)`.
            // Only those need the slower search for groups.
            let spans: Vec<(usize, usize)> = if re.capture_names().any(|n| n == Some("name")) {
                // Groups only within each match the fast search found.
                re.find_iter(&folded)
                    .filter_map(|m| {
                        let c = re.captures(&folded[m.start()..m.end()])?;
                        c.name("name")
                            .map(|n| (m.start() + n.start(), m.start() + n.end()))
                    })
                    .collect()
            } else {
                re.find_iter(&folded)
                    .map(|m| (m.start(), m.end()))
                    .collect()
            };
            for (start, end) in spans {
                let m = Span { start, end };
                if !inside_proper(m.start, m.end) {
                    found.push((m.start, m.end, Target::Known(*entity), Method::Pattern));
                }
            }
        }
        self.coordination(&folded, &kept, &mut found);
        self.mint(&folded, &kept, &mut found);
        self.resolve_anaphors(&folded, &anaphors, &kept, &mut found);

        let mut seen = HashSet::new();
        let mut out: Vec<EntityMatch> = found
            .into_iter()
            .map(|(s, e, target, method)| {
                let (start, end) = (map.orig(s), map.orig(e));
                // A minted name is labelled as printed, not as folded.
                let target = match target {
                    Target::Minted { kind, .. } => Target::Minted {
                        kind,
                        name: text[start..end].to_string(),
                    },
                    t => t,
                };
                EntityMatch {
                    target,
                    start,
                    end,
                    method,
                }
            })
            .filter(|m| seen.insert((m.target.clone(), m.start, m.end)))
            .collect();
        out.sort_by_key(|m| (m.start, m.end));
        out
    }

    /// All boundary- and case-checked candidates: names, and anaphor phrases apart.
    fn candidates(&self, folded: &str) -> (Vec<Cand>, Vec<(Cand, usize)>) {
        let bytes = folded.as_bytes();
        let mut names = Vec::new();
        let mut anaphors = Vec::new();
        for m in self.automaton.find_overlapping_iter(folded) {
            let (start, mut end) = (m.start(), m.end());
            if start > 0 && is_word_byte(folded, start - 1, true) {
                continue;
            }
            let pattern = m.pattern().as_usize();
            let ts = &self.targets[pattern];
            if end < bytes.len() && is_word_byte(folded, end, false) {
                // Crime types also match their plurals: "scams", "hate crimes".
                let crime = ts.iter().any(|t| matches!(t.role, Role::Name { entity, .. } if self.kinds[entity] == EntityKind::CrimeType));
                let plural = ["s", "es"].iter().find(|suffix| {
                    folded[end..].starts_with(*suffix)
                        && !folded[end + suffix.len()..].starts_with(|c: char| c.is_alphanumeric())
                });
                match plural {
                    Some(suffix) if crime => end += suffix.len(),
                    _ => continue,
                }
            }
            let matched = &folded[start..m.end()];
            let ok: Vec<&PatternTarget> = ts.iter().filter(|t| case_ok(t, matched)).collect();
            if ok.is_empty() {
                continue;
            }
            let cand = Cand {
                start,
                end,
                pattern,
            };
            if ok.iter().any(|t| matches!(t.role, Role::Name { .. })) {
                names.push(cand);
            }
            if let Some(Role::Anaphor(r)) = ok
                .iter()
                .map(|t| &t.role)
                .find(|r| matches!(r, Role::Anaphor(_)))
            {
                anaphors.push((cand, *r));
            }
        }
        (names, anaphors)
    }

    fn entities_of(&self, c: &Cand, folded: &str) -> Vec<(usize, NameKind)> {
        let matched = &folded[c.start..c.end];
        let mut out: Vec<(usize, NameKind)> = Vec::new();
        for t in &self.targets[c.pattern] {
            if let Role::Name { entity, kind } = t.role {
                if case_ok(t, matched.get(..t.folded.len()).unwrap_or(matched))
                    && !out.iter().any(|(e, _)| *e == entity)
                {
                    out.push((entity, kind));
                }
            }
        }
        out
    }

    /// "trafficking in firearms and drugs": each conjunct after a head shared with a
    /// crime-type name names that crime.
    fn coordination(
        &self,
        folded: &str,
        kept: &[Cand],
        found: &mut Vec<(usize, usize, Target, Method)>,
    ) {
        // ASCII lower case keeps every byte offset (full Unicode lower-casing may not).
        let lower = folded.to_ascii_lowercase();
        for c in kept {
            let matched = &lower[c.start..c.end];
            let Some(head) = self.heads.iter().find(|h| matched.starts_with(h.as_str())) else {
                continue;
            };
            let mut pos = c.end;
            for _ in 0..8 {
                let rest = &lower[pos..];
                let sep = [", and ", ", or ", ", ", " and ", " or ", " as well as "]
                    .iter()
                    .find(|s| rest.starts_with(*s));
                let Some(sep) = sep else { break };
                let start = pos + sep.len();
                let words: Vec<(usize, usize)> = word_spans(&lower[start..])
                    .into_iter()
                    .take(4)
                    .map(|(s, e)| (start + s, start + e))
                    .collect();
                if words.is_empty() {
                    break;
                }
                let hit = (1..=words.len()).rev().find_map(|k| {
                    let end = words[k - 1].1;
                    let phrase = format!("{head}{}", &lower[start..end]);
                    self.crime_names.get(&phrase).map(|&e| (end, e))
                });
                match hit {
                    Some((end, entity)) => {
                        found.push((start, end, Target::Known(entity), Method::Coordination));
                        pos = end;
                    }
                    None => {
                        // A conjunct that names no crime ("precious metals"): step over
                        // its words and go on with the list.
                        let last_word_end = words
                            .iter()
                            .take_while(|(s, _)| {
                                !lower[*s..].starts_with("and ") && !lower[*s..].starts_with("or ")
                            })
                            .last()
                            .map(|w| w.1);
                        match last_word_end {
                            Some(end) if end > pos => pos = end,
                            _ => break,
                        }
                    }
                }
            }
        }
    }

    /// Anaphors resolve to the single entity of their class named in the same sentence,
    /// or else in the sentence before; anything else is left out.
    fn resolve_anaphors(
        &self,
        folded: &str,
        anaphors: &[(Cand, usize)],
        kept: &[Cand],
        found: &mut Vec<(usize, usize, Target, Method)>,
    ) {
        if anaphors.is_empty() {
            return;
        }
        let sentences = sentence_starts(folded);
        let sentence_of = |pos: usize| sentences.partition_point(|&s| s <= pos).saturating_sub(1);
        let mut named: Vec<(usize, usize, usize)> = found
            .iter()
            .filter_map(|(s, _, t, m)| match (t, m) {
                (Target::Known(e), Method::Label | Method::Alias) => {
                    Some((*s, sentence_of(*s), *e))
                }
                _ => None,
            })
            .collect();
        named.sort();
        for (a, rule) in leftmost_longest(anaphors, |(c, _)| (c.start, c.end)) {
            if kept.iter().any(|k| k.start < a.end && a.start < k.end) {
                continue;
            }
            let (class, via, resolution) = &self.anaphors[rule];
            let class_iri = class.as_str();
            // Antecedents of a sentence in order of appearance; `before` keeps those
            // named before the anaphor.
            let in_sentence = |s: usize, before: bool| -> Vec<usize> {
                let mut v: Vec<usize> = Vec::new();
                for (pos, sent, e) in &named {
                    let fits = *sent == s
                        && (!before || *pos < a.start)
                        && self.classes[*e].iter().any(|c| c == class_iri);
                    if fits && !v.contains(e) {
                        v.push(*e);
                    }
                }
                v
            };
            let here = sentence_of(a.start);
            let before = *resolution != Resolution::Unique;
            let mut candidates = in_sentence(here, before);
            if candidates.is_empty() && here > 0 {
                candidates = in_sentence(here - 1, false);
            }
            let antecedents: Vec<usize> = match resolution {
                Resolution::Unique if candidates.len() == 1 => candidates,
                Resolution::Unique => continue,
                Resolution::Nearest => candidates.last().copied().into_iter().collect(),
                Resolution::All => candidates,
            };
            for antecedent in antecedents {
                let target = match via {
                    None => Some(antecedent),
                    Some(prop) => self.links[antecedent]
                        .get(prop.as_str())
                        .and_then(|t| t.first().copied()),
                };
                if let Some(entity) = target {
                    found.push((a.start, a.end, Target::Known(entity), Method::Anaphora));
                }
            }
        }
    }

    /// Names the reference data lacks, where the text marks them as names: capitalised
    /// words after "the" or before an acronym in parentheses that hold a head noun of
    /// the vocabulary ("the Blue Heart Campaign"). A run that touches a known body,
    /// instrument or State is left to it; crime words inside a minted name name no crime.
    fn mint(&self, folded: &str, kept: &[Cand], found: &mut Vec<(usize, usize, Target, Method)>) {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for m in NAME_AFTER_THE.find_iter(folded) {
            let the = m.as_str().find(char::is_whitespace).unwrap_or(0);
            let skip = the + m.as_str()[the..].len() - m.as_str()[the..].trim_start().len();
            spans.push((m.start() + skip, m.end()));
        }
        for m in NAME_BEFORE_ACRONYM.find_iter(folded) {
            let paren = m.as_str().rfind('(').unwrap_or(m.len());
            spans.push((m.start(), m.start() + m.as_str()[..paren].trim_end().len()));
        }
        spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
        let mut last_end = 0;
        for (start, end) in spans {
            if start < last_end {
                continue;
            }
            let name = &folded[start..end];
            let lower = format!(" {} ", name.to_lowercase());
            let Some(kind) = self
                .name_heads
                .iter()
                .find(|(_, h)| lower.contains(&format!(" {h} ")))
                .map(|(k, _)| *k)
            else {
                continue;
            };
            let touches_known = kept.iter().any(|k| {
                k.start < end
                    && start < k.end
                    && self.targets[k.pattern].iter().any(|t| match t.role {
                        Role::Name { entity, .. } => self.kinds[entity] != EntityKind::CrimeType,
                        Role::Anaphor(_) => false,
                    })
            });
            if touches_known {
                continue;
            }
            last_end = end;
            found.retain(|(s, e, t, _)| {
                !(*s >= start
                    && *e <= end
                    && matches!(t, Target::Known(i) if self.kinds[*i] == EntityKind::CrimeType))
            });
            found.push((
                start,
                end,
                Target::Minted {
                    kind,
                    name: name.to_string(),
                },
                Method::Minted,
            ));
        }
    }

    /// An organization whose printed name lacks or adds a small word ("Alliance of NGOs
    /// Crime Prevention ..." for "... NGOs on Crime Prevention ..."): same content words.
    pub fn organization_like(&self, printed: &str) -> Option<usize> {
        let words = content_words(printed);
        if words.len() < 2 {
            return None;
        }
        self.org_words
            .iter()
            .find(|(_, w)| *w == words)
            .map(|(e, _)| *e)
    }

    pub fn is_convention(&self, entity: usize) -> bool {
        self.classes[entity]
            .iter()
            .any(|c| c == &format!("{CG}Convention"))
    }
}

fn method_of(kind: NameKind) -> Method {
    match kind {
        NameKind::Label => Method::Label,
        _ => Method::Alias,
    }
}

fn case_ok(t: &PatternTarget, matched: &str) -> bool {
    match t.rule {
        CaseRule::Any => true,
        CaseRule::Exact => matched == t.folded,
        CaseRule::Capitalized => match t.folded.chars().next() {
            Some(first) if first.is_uppercase() => matched.starts_with(|c: char| c.is_uppercase()),
            _ => true,
        },
        CaseRule::Capitals => t
            .folded
            .chars()
            .zip(matched.chars())
            .all(|(want, got)| !want.is_uppercase() || got.is_uppercase()),
    }
}

/// Whether the char just before (or at) a byte offset is a letter or digit. Offsets come
/// from whole-pattern matches, so they fall on char boundaries.
fn is_word_byte(s: &str, i: usize, before: bool) -> bool {
    let c = if before {
        s[..=i].chars().next_back()
    } else {
        s[i..].chars().next()
    };
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Leftmost-longest selection: sorted by start, longer first, keeping what does not
/// overlap what was kept. `span` says where an item lies.
fn leftmost_longest<T: Copy>(items: &[T], span: impl Fn(&T) -> (usize, usize)) -> Vec<T> {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|t| {
        let (start, end) = span(t);
        (start, std::cmp::Reverse(end))
    });
    let mut kept: Vec<T> = Vec::new();
    let mut end = 0;
    for t in sorted {
        let (s, e) = span(&t);
        if kept.is_empty() || s >= end {
            kept.push(t);
            end = e;
        }
    }
    kept
}

fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i));
                start = None;
                if c != ' ' {
                    break;
                }
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

fn content_words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

struct Span {
    start: usize,
    end: usize,
}

/// Maps byte offsets of the folded text back to the original text (they differ where
/// a dash or typographic quote, several bytes long, folded to one ASCII byte).
struct OffsetMap {
    /// Original byte offset at each folded byte offset that starts a char; empty when
    /// the two texts have the same bytes lengths everywhere.
    orig: Vec<usize>,
}

impl OffsetMap {
    fn new(orig: &str, folded: &str) -> Self {
        if orig.len() == folded.len() {
            return OffsetMap { orig: Vec::new() };
        }
        let mut map = vec![0; folded.len() + 1];
        for ((f, _), (o, _)) in folded.char_indices().zip(orig.char_indices()) {
            map[f] = o;
        }
        map[folded.len()] = orig.len();
        OffsetMap { orig: map }
    }

    fn orig(&self, folded_offset: usize) -> usize {
        if self.orig.is_empty() {
            folded_offset
        } else {
            self.orig[folded_offset]
        }
    }
}
