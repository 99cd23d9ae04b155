//! The entity matcher: every name of the vocabulary in one Aho-Corasick automaton, read
//! leftmost-longest on word boundaries, plus the vocabulary's paraphrase patterns,
//! coordinated heads and anaphor rules.

mod resolutions;

use super::{fold, fold_tracked, sentence_starts, EntityMatch, Method, Shifts, Target};
use crate::reference::{EntityKind, NameKind, Resolution, Vocabulary, CG};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use regex_automata::{dfa, meta, util::syntax, Anchored, Input};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A run of capitalised words (joined by small words) after "the": a candidate name.
/// No capture groups, so the fast DFA search serves; "the " is cut off by hand.
static NAME_AFTER_THE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+\p{Lu}[\p{L}\d'’.]*(?:\s+(?:(?:of|on|for|and|the|in|against|to)\s+)*\p{Lu}[\p{L}\d'’.]*)+").unwrap()
});
/// After an anaphor's words, the rest of a longer name: "on", "of" or "for" and a
/// capitalised word ("the Commission on the Status of Women").
static NAME_GOES_ON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+(?:on|of|for)\s+(?:the\s+)?\p{Lu}").unwrap());
/// The rest of a name whose last words are a list ("Network for Security, Justice and
/// Human Rights"): commas, then "and", each before capitalised words with no "the".
static LISTED_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let words = r"\p{Lu}[\p{L}\d'’.]*(?:\s+(?:(?:of|on|for|in|to)\s+)*\p{Lu}[\p{L}\d'’.]*)*";
    Regex::new(&format!(r"^(?:,\s+{words})+,?\s+and\s+{words}")).unwrap()
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
        source: Box<meta::BuildError>,
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
    Name {
        entity: usize,
        kind: NameKind,
    },
    Anaphor(usize),
    /// A head noun of names to mint: index into `name_heads`. Minting's regexes only
    /// run on a paragraph that holds one.
    Head(usize),
    /// A literal every match of a `cg:pattern` starts with: index into `patterns`.
    /// A pattern only runs on a paragraph where one of its triggers was seen.
    Trigger(usize),
}

#[derive(Debug, Clone)]
struct PatternTarget {
    role: Role,
    rule: CaseRule,
    /// The name as written, to check case against.
    folded: String,
}

/// What a paragraph's anaphors may refer to beyond the paragraph: "the Convention"
/// opening a paragraph after one that named it, and "the Commission" in a report of
/// the Commission's own session.
#[derive(Debug, Clone, Default)]
pub struct Discourse {
    /// Entities named (by name, not anaphor) in the last sentence of the paragraph
    /// before: antecedents for an anaphor in this paragraph's first sentence.
    pub previous: Vec<usize>,
    /// The body whose session the report is of, and the convention it is the
    /// conference of: antecedents of last resort for a `unique` anaphor.
    pub document: Vec<usize>,
}

/// Built once from the vocabulary; `extract` is then cheap and allocation-light.
#[derive(Debug)]
pub struct Extractor {
    automaton: AhoCorasick,
    targets: Vec<Vec<PatternTarget>>,
    kinds: Vec<EntityKind>,
    classes: Vec<Vec<String>>,
    links: Vec<HashMap<String, Vec<usize>>>,
    patterns: Vec<PatternRule>,
    /// Patterns with no literal prefix to trigger them: these run on every paragraph.
    untriggered: Vec<usize>,
    /// Crime-type names by lower-case folded text, for coordination.
    crime_names: HashMap<String, usize>,
    /// Heads such as "trafficking in " that a crime-type name starts with.
    heads: Vec<String>,
    anaphors: Vec<(String, Option<String>, Resolution)>,
    /// Content words of organization names, for names printed with a word missing.
    org_words: Vec<(usize, Vec<String>)>,
    /// Head nouns of names to mint, lower case (`cg:nameHead`).
    name_heads: Vec<(EntityKind, String)>,
    /// Persons and places whose names hold a State's (`proper_names`).
    longer_names: super::proper_names::LongerNames,
    /// Bodies that adopt resolutions, for resolutions named by symbol.
    issuers: resolutions::Issuers,
}

/// What one scan of the automaton found in a paragraph.
#[derive(Debug, Default)]
struct Candidates {
    names: Vec<Cand>,
    /// Anaphor phrases, with their rule.
    anaphors: Vec<(Cand, usize)>,
    /// Name heads, with their index in `name_heads`.
    heads: Vec<(Cand, usize)>,
    /// Where a pattern's trigger was seen: (pattern, start), in no order.
    triggered: Vec<(usize, usize)>,
}

/// A candidate match on the folded text (byte offsets in the folded text).
#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    pattern: usize,
}

/// Above this many triggers of one pattern in a paragraph, one search from the first
/// replaces the anchored searches at each (each costs a call into the regex engine).
const ANCHORED_SEARCHES: usize = 4;

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
                patterns.push(PatternRule::new(&ascii, i).map_err(|source| {
                    ExtractorError::Pattern {
                        entity: e.iri.clone(),
                        pattern: p.clone(),
                        source,
                    }
                })?);
            }
        }
        let mut untriggered = Vec::new();
        for (i, rule) in patterns.iter().enumerate() {
            match &rule.triggers {
                Some(literals) => {
                    for literal in literals {
                        add(
                            literal,
                            PatternTarget {
                                role: Role::Trigger(i),
                                rule: CaseRule::Any,
                                folded: literal.clone(),
                            },
                        );
                    }
                }
                None => untriggered.push(i),
            }
        }
        let name_heads: Vec<(EntityKind, String)> = vocab
            .name_heads
            .iter()
            .map(|(k, h)| (*k, fold(h).to_lowercase()))
            .collect();
        for (i, (_, head)) in name_heads.iter().enumerate() {
            add(
                head,
                PatternTarget {
                    role: Role::Head(i),
                    rule: CaseRule::Any,
                    folded: head.clone(),
                },
            );
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
        // Case-sensitive over lower-case names, run on an ASCII-lower-cased copy of the
        // text: the same matches as an ASCII-case-insensitive automaton, with half the
        // transitions to follow.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            // A full DFA (5.4 MB over lower-case names): interleaved in `cargo bench
            // --bench extract`, 0.52x of the baseline against 0.47x for the default
            // contiguous NFA (0.3 MB). Over case-insensitive names it was 11 MB and lost
            // to the NFA on cache misses (0.29x against 0.36x).
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
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
        let mut heads: Vec<String> = heads.into_iter().collect();
        heads.sort();
        Ok(Extractor {
            automaton,
            targets,
            kinds: vocab.entities.iter().map(|e| e.kind).collect(),
            classes: vocab.entities.iter().map(|e| e.classes.clone()).collect(),
            links,
            patterns,
            untriggered,
            crime_names,
            heads,
            anaphors,
            org_words,
            name_heads,
            longer_names: super::proper_names::LongerNames::new(vocab),
            issuers: resolutions::Issuers::new(vocab),
        })
    }

    pub fn kind(&self, entity: usize) -> EntityKind {
        self.kinds[entity]
    }

    /// Every mention in one paragraph, sorted by position, spans in bytes of `text`.
    pub fn extract(&self, text: &str) -> Vec<EntityMatch> {
        self.extract_in(text, &Discourse::default())
    }

    /// [`Self::extract`], with the anaphors' antecedents beyond the paragraph.
    pub fn extract_in(&self, text: &str, discourse: &Discourse) -> Vec<EntityMatch> {
        let mut shifts = Vec::new();
        let folded = fold_tracked(text, &mut shifts);
        let map = Shifts(shifts);
        let Candidates {
            names,
            anaphors,
            heads,
            triggered,
        } = self.candidates(&folded, &folded.to_ascii_lowercase());
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
                        // Nor does one that starts it before "of", "for" ...: the
                        // longer name is another body of that kind ("Financial Action
                        // Task Force of Latin America" is not FATF).
                        let qualified = n.start == c.start && qualifies(&folded[n.end..c.end]);
                        if is_body && !head && !qualified && !outer.contains(&entity) {
                            found.push((n.start, n.end, Target::Known(entity), method_of(kind)));
                        }
                    }
                }
            }
        }
        let inside_proper =
            |s: usize, e: usize| proper_spans.iter().any(|&(ps, pe)| s >= ps && e <= pe);
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for &i in &self.untriggered {
            self.patterns[i].find_from(&folded, 0, &mut spans, i);
        }
        let mut starts = triggered;
        starts.sort_unstable();
        starts.dedup();
        for group in starts.chunk_by(|a, b| a.0 == b.0) {
            let (i, first) = group[0];
            let rule = &self.patterns[i];
            if group.len() > ANCHORED_SEARCHES {
                // A common trigger ("the"): one search from the first is cheaper than
                // many anchored ones.
                rule.find_from(&folded, first, &mut spans, i);
                continue;
            }
            let mut last_end = 0;
            for &(_, start) in group {
                // Non-overlapping, as a search from left to right would find them.
                if start < last_end {
                    continue;
                }
                if let Some(end) = rule.find_at(&folded, start, &mut spans, i) {
                    last_end = end;
                }
            }
        }
        for (start, end, i) in spans {
            if !inside_proper(start, end) {
                let entity = self.patterns[i].entity;
                found.push((start, end, Target::Known(entity), Method::Pattern));
            }
        }
        self.coordination(&folded, &kept, &mut found);
        if !heads.is_empty() {
            self.mint(&folded, &kept, &heads, &anaphors, &mut found);
        }
        self.resolve_anaphors(&folded, &anaphors, &kept, discourse, &mut found);
        self.resolutions(&folded, discourse, &mut found);
        // A State's name inside a person's or a place's is not the State.
        found.retain(|(s, e, target, _)| match target {
            Target::Known(x) if self.kinds[*x] == EntityKind::State => {
                !self.longer_names.covers(&folded, *s, *e)
            }
            _ => true,
        });

        let mut out: Vec<EntityMatch> = found
            .into_iter()
            .map(|(s, e, target, method)| {
                let (start, end) = (map.orig(s), map.orig(e));
                // A minted name is labelled as printed, not as folded.
                let target = match target {
                    Target::Minted {
                        kind, key: None, ..
                    } => Target::Minted {
                        kind,
                        name: text[start..end].to_string(),
                        key: None,
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
            .collect();
        // By position; one match per target and span, the first found (the sort is
        // stable, and the matches of one span are few).
        out.sort_by_key(|m| (m.start, m.end));
        let mut kept: Vec<EntityMatch> = Vec::with_capacity(out.len());
        let mut span_start = 0;
        for m in out {
            if kept
                .last()
                .is_none_or(|k| (k.start, k.end) != (m.start, m.end))
            {
                span_start = kept.len();
            }
            if !kept[span_start..].iter().any(|k| k.target == m.target) {
                kept.push(m);
            }
        }
        kept
    }

    /// One overlapping scan of the automaton: boundary- and case-checked names,
    /// anaphor phrases and name heads apart, and the patterns whose trigger was seen.
    /// `lower` is `folded` in ASCII lower case, for the automaton.
    fn candidates(&self, folded: &str, lower: &str) -> Candidates {
        let bytes = folded.as_bytes();
        let mut out = Candidates::default();
        for m in self.automaton.find_overlapping_iter(lower) {
            let (start, mut end) = (m.start(), m.end());
            let pattern = m.pattern().as_usize();
            let ts = &self.targets[pattern];
            // Triggers are prefixes of a pattern's match: no boundary applies to them.
            for t in ts {
                if let Role::Trigger(i) = t.role {
                    out.triggered.push((i, start));
                }
            }
            if start > 0 && is_word_byte(folded, start - 1, true) {
                continue;
            }
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
            let cand = Cand {
                start,
                end,
                pattern,
            };
            let (mut name, mut anaphor) = (false, None);
            for t in ts.iter().filter(|t| case_ok(t, matched)) {
                match t.role {
                    Role::Name { .. } => name = true,
                    Role::Anaphor(r) => anaphor = anaphor.or(Some(r)),
                    // A head is a whole word as printed, not a plural ("Councils").
                    Role::Head(h) if end == m.end() => out.heads.push((cand, h)),
                    Role::Head(_) | Role::Trigger(_) => {}
                }
            }
            if name {
                out.names.push(cand);
            }
            if let Some(r) = anaphor {
                out.anaphors.push((cand, r));
            }
        }
        out
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
        let head_of = |c: &Cand| {
            let matched = folded.as_bytes()[c.start..c.end].to_vec();
            self.heads.iter().find(|h| {
                matched.len() >= h.len() && matched[..h.len()].eq_ignore_ascii_case(h.as_bytes())
            })
        };
        if !kept.iter().any(|c| head_of(c).is_some()) {
            return;
        }
        // ASCII lower case keeps every byte offset (full Unicode lower-casing may not).
        let lower = folded.to_ascii_lowercase();
        for c in kept {
            let Some(head) = head_of(c) else {
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
        discourse: &Discourse,
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
            // Part of a name: a known one (unless it stands inside it, after its
            // start: "... Convention ... and the Protocols thereto" names the
            // Protocols too), or one the text goes on to print ("the Commission on the
            // Status of Women").
            let part_of = |k: &Cand| {
                k.start < a.end && a.start < k.end && !(a.start > k.start && a.end <= k.end)
            };
            if kept.iter().any(part_of) || goes_on(folded, a.end, kept, anaphors) {
                continue;
            }
            let (class, via, resolution) = &self.anaphors[rule];
            let here = sentence_of(a.start);
            let candidates =
                self.candidates_for(&named, (a.start, here), class, *resolution, discourse);
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
                    // "the Convention and the Protocols thereto": a resolved anaphor is
                    // an antecedent for the next.
                    if via.is_none() {
                        named.push((a.start, here, entity));
                    }
                }
            }
        }
    }

    /// The antecedents of class `class` an anaphor at `pos` (in sentence `here`) may
    /// have: those of its sentence (before it, unless `unique`), else of the sentence
    /// before, else of the paragraph before (from its first sentence), else, for a
    /// `unique` anaphor, the report's own body ([`Discourse`]). `named` holds
    /// (position, sentence, entity) of the names found, in order.
    fn candidates_for(
        &self,
        named: &[(usize, usize, usize)],
        (pos, here): (usize, usize),
        class: &str,
        resolution: Resolution,
        discourse: &Discourse,
    ) -> Vec<usize> {
        let of_class = |e: usize| self.classes[e].iter().any(|c| c == class);
        let in_sentence = |s: usize, before: bool| -> Vec<usize> {
            let mut v: Vec<usize> = Vec::new();
            for &(p, sent, e) in named {
                if sent == s && (!before || p < pos) && of_class(e) && !v.contains(&e) {
                    v.push(e);
                }
            }
            v
        };
        let mut candidates = in_sentence(here, resolution != Resolution::Unique);
        if candidates.is_empty() && here > 0 {
            candidates = in_sentence(here - 1, false);
        }
        let beyond = |entities: &[usize]| -> Vec<usize> {
            entities.iter().copied().filter(|&e| of_class(e)).collect()
        };
        if candidates.is_empty() && here == 0 {
            candidates = beyond(&discourse.previous);
        }
        if candidates.is_empty() && resolution == Resolution::Unique {
            candidates = beyond(&discourse.document);
        }
        candidates
    }

    /// Names the reference data lacks, where the text marks them as names: capitalised
    /// words after "the" or before an acronym in parentheses that hold a head noun of
    /// the vocabulary ("the Blue Heart Campaign"). A run that touches a known body,
    /// instrument or State is left to it; crime words inside a minted name name no crime.
    fn mint(
        &self,
        folded: &str,
        kept: &[Cand],
        heads: &[(Cand, usize)],
        anaphors: &[(Cand, usize)],
        found: &mut Vec<(usize, usize, Target, Method)>,
    ) {
        let spans = name_runs(folded);
        let bytes = folded.as_bytes();
        let mut last_end = 0;
        for (start, end) in spans {
            if start < last_end {
                continue;
            }
            let name = &folded[start..end];
            // "the Conference of the States Parties to the Convention", "the Convention
            // and the Protocols": an anaphor's words, not a new name.
            let anaphoric = anaphors.iter().any(|(c, _)| {
                c.start <= start && start < c.end && !goes_on(folded, c.end, kept, anaphors)
            });
            if anaphoric {
                continue;
            }
            let touching: Vec<&Cand> = kept
                .iter()
                .filter(|k| k.start < end && start < k.end && self.names_a_non_crime(k))
                .collect();
            if !self.extends_known(folded, &touching, (start, end)) {
                continue;
            }
            // The first head of the vocabulary's order that stands in the run as words
            // of their own (between spaces or at the run's ends), and outside the known
            // names a longer name takes in ("African Union Commission").
            let Some(kind) = heads
                .iter()
                .filter(|(h, _)| {
                    h.start >= start
                        && h.end <= end
                        && (h.start == start || bytes[h.start - 1] == b' ')
                        && (h.end == end || bytes[h.end] == b' ')
                        && !touching.iter().any(|k| h.start < k.end && k.start < h.end)
                })
                .map(|(_, i)| *i)
                .min()
                .map(|i| self.name_heads[i].0)
            else {
                continue;
            };
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
                    key: None,
                },
                Method::Minted,
            ));
        }
    }

    /// The entities a paragraph names by name (not by anaphor) in its last sentence:
    /// [`Discourse::previous`] for the paragraph after it.
    pub fn named_at_end(&self, text: &str, found: &[EntityMatch]) -> Vec<usize> {
        let last = super::sentence_starts(text).last().copied().unwrap_or(0);
        let mut out: Vec<usize> = Vec::new();
        for m in found {
            if let (Target::Known(e), Method::Label | Method::Alias) = (&m.target, m.method) {
                if m.start >= last && !out.contains(e) {
                    out.push(*e);
                }
            }
        }
        out
    }

    /// [`Discourse::document`] of a report of a session of `organ`: the organ, and the
    /// convention whose conference of the parties it is (`cg:conferenceOfParties`).
    pub fn document_antecedents(&self, organ: usize) -> Vec<usize> {
        let conference = format!("{CG}conferenceOfParties");
        let mut out = vec![organ];
        out.extend((0..self.links.len()).filter(|&c| {
            self.links[c]
                .get(&conference)
                .is_some_and(|o| o.contains(&organ))
        }));
        out
    }

    /// Whether a candidate names a body, instrument or State (not only a crime type).
    fn names_a_non_crime(&self, c: &Cand) -> bool {
        self.targets[c.pattern].iter().any(|t| match t.role {
            Role::Name { entity, .. } => self.kinds[entity] != EntityKind::CrimeType,
            Role::Anaphor(_) | Role::Head(_) | Role::Trigger(_) => false,
        })
    }

    /// Whether a run of capitalised words may be minted although it touches known
    /// names: when it touches none, or when it takes in one known body whole and goes
    /// on with words of its own, the longest proper name wins ("African Union
    /// Commission"; the Union stays named inside it). Not when the body is qualified
    /// ("Programme Network Institutes of Crime Prevention ..." is that body), nor when
    /// the run crosses a known name, joins it to another by "and" ("... Organized Crime
    /// and the Alliance of NGOs"),
    /// or touches a State or an instrument, which are left to their own rules.
    fn extends_known(
        &self,
        folded: &str,
        touching: &[&Cand],
        (start, end): (usize, usize),
    ) -> bool {
        match touching {
            [] => true,
            [k] => {
                k.start >= start
                    && k.end <= end
                    && (k.start, k.end) != (start, end)
                    && !qualifies(&folded[k.end..end])
                    && !folded[k.end..end].starts_with(" and ")
                    && !folded[start..k.start].ends_with(" and ")
                    && self
                        .entities_of(k, folded)
                        .iter()
                        .all(|&(e, _)| self.kinds[e] == EntityKind::Organization)
            }
            _ => false,
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

/// Runs of capitalised words the text marks as names: after "the", or before an
/// acronym in parentheses; each taken on over a list that ends its name
/// ([`listed_tail`]), longest first at each start.
fn name_runs(folded: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for m in NAME_AFTER_THE.find_iter(folded) {
        let the = m.as_str().find(char::is_whitespace).unwrap_or(0);
        let skip = the + m.as_str()[the..].len() - m.as_str()[the..].trim_start().len();
        spans.push((m.start() + skip, m.end()));
    }
    // Only a paragraph with an acronym in parentheses can hold the second kind.
    let acronym = folded
        .match_indices('(')
        .any(|(i, _)| folded[i + 1..].starts_with(char::is_uppercase));
    if acronym {
        for m in NAME_BEFORE_ACRONYM.find_iter(folded) {
            let paren = m.as_str().rfind('(').unwrap_or(m.len());
            spans.push((m.start(), m.start() + m.as_str()[..paren].trim_end().len()));
        }
    }
    for (start, end) in spans.iter_mut() {
        *end = listed_tail(folded, (*start, *end));
    }
    spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    spans
}

/// Whether the words after an anaphor ending at `end` go on as a longer name: "of",
/// "on" or "for" and a capitalised word that starts no name or anaphor of its own
/// ("the Commission on the Status of Women", but not "the review mechanism of the
/// Convention").
fn goes_on(folded: &str, end: usize, kept: &[Cand], anaphors: &[(Cand, usize)]) -> bool {
    let Some(m) = NAME_GOES_ON.find(&folded[end..]) else {
        return false;
    };
    let capital = end + m.end() - 1;
    let starts_there = |c: &Cand| c.start <= capital && capital < c.end;
    !kept.iter().any(starts_there) && !anaphors.iter().any(|(c, _)| starts_there(c))
}

/// Where a name ends that goes on in a list after its "for", "of" or "on" ("the Centre
/// for Justice, Reconciliation and Human Rights"): a list of names ("the Asia
/// Foundation, Oxfam and ...") has none of those words in its first name.
fn listed_tail(folded: &str, (start, end): (usize, usize)) -> usize {
    let name = &folded[start..end];
    let governed = super::governs_a_list(name);
    match LISTED_TAIL.find(&folded[end..]) {
        Some(m) if governed => end + m.end(),
        _ => end,
    }
}

/// Whether the rest of a longer name qualifies the name before it ("... of Latin
/// America", "... for West Africa"): then the longer name is another body.
fn qualifies(rest: &str) -> bool {
    [" of ", " for ", " in ", " on "]
        .iter()
        .any(|w| rest.starts_with(w))
}

/// Literals, lower case, one of which starts every match of `pattern` (its prefixes as
/// regex-syntax extracts them, read case-sensitively and then lowered: the pattern
/// runs case-insensitively and the automaton ignores ASCII case). `None` when no such
/// finite set exists, or it holds the empty string or non-ASCII text the automaton
/// could not stand for. (Unicode case folding also lets `k` match the Kelvin sign and
/// `s` the long s, which no trigger sees; reports do not print them.)
fn triggers(pattern: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::Extractor as Literals;
    let hir = regex_syntax::parse(pattern).ok()?;
    let seq = Literals::new().extract(&hir);
    let mut out: Vec<String> = Vec::new();
    for literal in seq.literals()? {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        if text.is_empty() || !text.is_ascii() {
            return None;
        }
        out.push(fold(text).to_ascii_lowercase());
    }
    out.sort();
    out.dedup();
    Some(out)
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

/// A `cg:pattern`, searched anchored where one of its triggers starts: every match
/// starts with a trigger, so the search need not read the rest of the paragraph.
#[derive(Debug)]
struct PatternRule {
    re: meta::Regex,
    /// The same pattern as a fully compiled DFA (forward and reverse), for the search
    /// itself: most searches start at a trigger that starts no match, and a compiled
    /// DFA answers that with no cache to fetch and no strategy to pick, where the meta
    /// regex spends more on the call than on the few bytes it reads. `None` if the
    /// DFA would not build; the groups of a named pattern always come from `re`.
    dfa: Option<dfa::regex::Regex>,
    entity: usize,
    /// Whether the pattern marks its name with `(?P<name>...)`.
    named: bool,
    /// Literals every match starts with (see [`triggers`]); `None`: run everywhere.
    triggers: Option<Vec<String>>,
}

/// The most memory a pattern's compiled DFA (and building it) may take.
const DFA_LIMIT: usize = 1 << 20;

impl PatternRule {
    /// `pattern` is read case-insensitively.
    fn new(pattern: &str, entity: usize) -> Result<Self, Box<meta::BuildError>> {
        let syntax = syntax::Config::new().case_insensitive(true);
        let re = meta::Regex::builder()
            .syntax(syntax)
            .build(pattern)
            .map_err(Box::new)?;
        // Bounded: a pattern of many case-folded Unicode alternatives can take
        // gigabytes to determinize; it then keeps the lazy DFA of `re`.
        let limits = dfa::dense::Config::new()
            .dfa_size_limit(Some(DFA_LIMIT))
            .determinize_size_limit(Some(DFA_LIMIT));
        let dfa = dfa::regex::Regex::builder()
            .syntax(syntax)
            .dense(limits)
            .build(pattern)
            .ok();
        let named = re
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .any(|n| n == Some("name"));
        Ok(PatternRule {
            re,
            dfa,
            entity,
            named,
            triggers: triggers(pattern),
        })
    }

    /// The first match in `input`, by the DFA where there is one.
    fn search(&self, input: &Input) -> Option<regex_automata::Match> {
        match &self.dfa {
            Some(d) => match d.try_search(input) {
                Ok(m) => m,
                Err(_) => self.re.search(input),
            },
            None => self.re.search(input),
        }
    }

    /// Pushes what to keep of match `m`: the `name` group if the pattern has one.
    fn keep(
        &self,
        text: &str,
        m: regex_automata::Match,
        out: &mut Vec<(usize, usize, usize)>,
        id: usize,
    ) {
        if !self.named {
            out.push((m.start(), m.end(), id));
            return;
        }
        // The groups of this match: searched anchored on its span (look-arounds still
        // see the text around it).
        let input = Input::new(text).span(m.range()).anchored(Anchored::Yes);
        let mut caps = self.re.create_captures();
        self.re.search_captures(&input, &mut caps);
        if let Some(k) = caps.get_group_by_name("name") {
            out.push((k.start, k.end, id));
        }
    }

    /// The match starting at `start`, if any: pushes what to keep of it and returns
    /// its end.
    fn find_at(
        &self,
        text: &str,
        start: usize,
        out: &mut Vec<(usize, usize, usize)>,
        id: usize,
    ) -> Option<usize> {
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        let m = self.search(&input)?;
        self.keep(text, m, out, id);
        Some(m.end())
    }

    /// Every match from `start` on, left to right.
    fn find_from(&self, text: &str, start: usize, out: &mut Vec<(usize, usize, usize)>, id: usize) {
        let mut at = start;
        while at <= text.len() {
            let Some(m) = self.search(&Input::new(text).range(at..)) else {
                return;
            };
            self.keep(text, m, out, id);
            // Patterns match no empty text; stepping past one keeps this finite anyway.
            at = if m.is_empty() { m.end() + 1 } else { m.end() };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_prefixes_or_none() {
        assert_eq!(
            triggers(r"(?-u:\b)(?:funds?|financ(?:e|ing))\s+of\s+terrorism"),
            Some(vec![
                "finance".into(),
                "financing".into(),
                "fund".into(),
                "funds".into()
            ])
        );
        assert_eq!(
            triggers(r"(?-u:\b)the\s+(?P<name>United\s+Nations)"),
            Some(vec!["the".into()])
        );
        // No literal starts every match: run everywhere.
        assert_eq!(triggers(r"\p{Lu}\w+ Campaign"), None);
        assert_eq!(triggers(r"(?:x)?"), None);
    }

    const FUNDING: &str = r"(?-u:\b)(?:the\s+)?(?:funds?|financing)(?:\s+of)?\s+terrorism(?-u:\b)";
    const NAMED: &str =
        r"(?-u:\b)the\s+(?P<name>United\s+Nations)(?:\s*[,.;:)]|\s+(?:and|or)(?-u:\b)|$)";
    static RULES: LazyLock<[PatternRule; 2]> = LazyLock::new(|| {
        [
            PatternRule::new(FUNDING, 0).unwrap(),
            PatternRule::new(NAMED, 0).unwrap(),
        ]
    });

    /// What a plain left-to-right search of the meta regex keeps: matches, or the
    /// `name` group.
    fn plain(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let re = meta::Regex::builder()
            .syntax(syntax::Config::new().case_insensitive(true))
            .build(pattern)
            .unwrap();
        re.captures_iter(text)
            .filter_map(|c| {
                c.get_group_by_name("name")
                    .or(c.get_match().map(|m| m.span()))
            })
            .map(|s| (s.start, s.end))
            .collect()
    }

    #[test]
    fn patterns_compile_to_dfas() {
        assert!(RULES.iter().all(|r| r.dfa.is_some()));
        assert!(RULES[1].named);
    }

    proptest::proptest! {
        /// Anchored searches at trigger places find what a plain left-to-right search
        /// finds.
        #[test]
        fn anchored_at_triggers_equals_plain_search(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["the", "The", "funds", "of", "terrorism", "fund", "financing", "x", "-", "."]),
                0..40,
            )
        ) {
            let text = words.join(" ");
            let rule = &RULES[0];
            let literals = triggers(FUNDING).unwrap();
            let lower = text.to_ascii_lowercase();
            let mut starts: Vec<usize> = literals
                .iter()
                .flat_map(|l| lower.match_indices(l.as_str()).map(|(i, _)| i).collect::<Vec<_>>())
                .collect();
            starts.sort_unstable();
            starts.dedup();
            let mut got = Vec::new();
            let mut last_end = 0;
            for start in starts {
                if start < last_end {
                    continue;
                }
                if let Some(end) = rule.find_at(&text, start, &mut got, 0) {
                    last_end = end;
                }
            }
            let got: Vec<(usize, usize)> = got.into_iter().map(|(s, e, _)| (s, e)).collect();
            proptest::prop_assert_eq!(got, plain(FUNDING, &text));
        }

        /// A search from the start keeps what the plain search keeps, the `name`
        /// group of a named pattern included.
        #[test]
        fn search_from_the_start_equals_plain_search(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["the", "The", "United", "Nations", "nations", "and", ",", "funds", "of", "terrorism", "x"]),
                0..40,
            )
        ) {
            let text = words.join(" ");
            for (rule, pattern) in RULES.iter().zip([FUNDING, NAMED]) {
                let mut got = Vec::new();
                rule.find_from(&text, 0, &mut got, 0);
                let got: Vec<(usize, usize)> = got.into_iter().map(|(s, e, _)| (s, e)).collect();
                proptest::prop_assert_eq!(got, plain(pattern, &text));
            }
        }
    }
}
