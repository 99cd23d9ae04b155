//! The entity matcher: every name of the vocabulary in one Aho-Corasick automaton, read
//! leftmost-longest on word boundaries, plus the vocabulary's paraphrase patterns,
//! coordinated heads and anaphor rules.

mod anaphora;
mod build;
mod coordination;
mod minting;
mod names;
mod officials;
mod patterns;
mod resolutions;

use super::{fold, fold_tracked, sentence_starts, EntityMatch, Method, Shifts, Target};
use crate::reference::{EntityKind, NameKind, Resolution, Vocabulary, CG};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use regex_automata::{dfa, meta, util::syntax, Anchored, Input};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

pub use officials::{Office, SpeaksFor};
use patterns::PatternRule;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractorError {
    #[error("cannot build the name automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
    #[error("cannot build the search for officials' titles (cg:officialTitle): {0}")]
    Titles(#[from] regex::Error),
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
    /// Entities named (by name) anywhere in the paragraph before, in order: the
    /// antecedents of an anaphor whose paragraph has named nothing of its class before
    /// it ("The observer ... urged States to involve civil society in monitoring the
    /// Convention", after a paragraph on the Merida Convention).
    pub before: Vec<usize>,
    /// Entities the title of the paragraph's chapter names ("V. Protocol to Prevent,
    /// Suppress and Punish Trafficking in Persons ..."): the antecedents of an anaphor
    /// its paragraph and the sentence before do not resolve ("article 5 of the
    /// Protocol" under that chapter).
    pub chapter: Vec<usize>,
    /// The body whose session the report is of, and the convention it is the
    /// conference of: antecedents of last resort for a `unique` anaphor.
    pub document: Vec<usize>,
    /// The number of the session the report is of, when it is a body's: a bare
    /// resolution symbol of a later session ("resolution 69/313" in the report of a
    /// Conference's seventh session) cannot be that body's.
    pub session: Option<u32>,
}

/// Built once from the vocabulary; `extract` is then cheap and allocation-light.
#[derive(Debug)]
pub struct Extractor {
    /// Over the texts' first [`PREFIX`] bytes, each prefix once.
    automaton: AhoCorasick,
    /// The texts (folded, lower case) of each prefix in the automaton.
    prefix_texts: Vec<Vec<usize>>,
    /// Every text: names, anaphor phrases, name heads, pattern triggers.
    texts: Vec<String>,
    targets: Vec<Vec<PatternTarget>>,
    kinds: Vec<EntityKind>,
    classes: Vec<Vec<String>>,
    links: Vec<HashMap<String, Vec<usize>>>,
    /// The entities made against a crime type (`cg:addresses`): the candidates of an
    /// anaphor with no antecedent named (`anaphora`), a handful of the thousands.
    addressing: Vec<usize>,
    patterns: Vec<PatternRule>,
    /// Patterns with no literal prefix to trigger them: these run on every paragraph.
    untriggered: Vec<usize>,
    /// For each head, the rest of each crime-type name that starts with it (lower-case
    /// folded text) and that crime: a conjunct is looked up without building its phrase.
    conjuncts_of: HashMap<String, HashMap<String, usize>>,
    /// Heads such as "trafficking in " or "illegal " that a crime-type name starts with
    /// (sorted).
    heads: Vec<String>,
    anaphors: Vec<(String, Option<String>, Resolution)>,
    /// Content words of organization names, for names printed with a word missing.
    org_words: Vec<(usize, Vec<String>)>,
    /// Organization and instrument names, folded and lower case, for their short forms.
    long_names: Vec<(usize, String)>,
    /// Head nouns of names to mint, lower case (`cg:nameHead`).
    name_heads: Vec<(EntityKind, String)>,
    /// Committees of a session, folded: never minted (`cg:sessionalBody`).
    sessional_bodies: Vec<String>,
    /// Titles of a session's officers, lower case (`cg:meetingOfficer`).
    meeting_officers: Vec<String>,
    /// Heads of bodies whose name may open with a State's, lower case (`cg:civilHead`).
    civil_heads: Vec<String>,
    /// Words that make a body's name more than one State's (`cg:scopeWord`).
    scope_words: Vec<String>,
    /// Last words of the names of meeting venues, folded (`cg:venueHead`).
    venue_heads: Vec<String>,
    /// The names of the reference data's places, folded (not those that are a State's):
    /// " in {city}" that ends a run says where a body sits, not a part of its name.
    cities: HashSet<String>,
    /// Persons and places whose names hold a State's (`proper_names`).
    longer_names: super::proper_names::LongerNames,
    /// Bodies that adopt resolutions, for resolutions named by symbol.
    issuers: resolutions::Issuers,
    /// The titles of the Secretariat's officials (`cg:officialTitle`).
    officials: Option<officials::Officials>,
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

/// A match on the folded text: its span (bytes of the folded text), what it names and
/// how it was found.
#[derive(Debug, Clone)]
struct Found {
    start: usize,
    end: usize,
    target: Target,
    method: Method,
}

impl Found {
    fn new(start: usize, end: usize, target: Target, method: Method) -> Self {
        Found {
            start,
            end,
            target,
            method,
        }
    }
}

const STOP_WORDS: &[&str] = &[
    "the", "of", "on", "for", "in", "and", "against", "to", "a", "an",
];

impl Extractor {
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
        let (mut found, proper_spans) = self.names_pass(&folded, &names, &kept);
        self.patterns_pass(&folded, triggered, &proper_spans, &mut found);
        self.coordination(&folded, &kept, &mut found);
        if !heads.is_empty() {
            self.mint(&folded, &kept, &heads, &anaphors, &mut found);
        }
        self.drop_crimes_in_names(&folded, &mut found);
        self.resolve_anaphors(&folded, &anaphors, &kept, discourse, &mut found);
        self.resolutions(&folded, discourse, &mut found);
        // A State's name inside a person's or a place's is not the State.
        found.retain(|f| match &f.target {
            Target::Known(x) if self.kinds[*x] == EntityKind::State => {
                !self.longer_names.covers(&folded, f.start, f.end)
            }
            _ => true,
        });
        self.drop_parts_of_bodies(&folded, &mut found);
        if folded.contains('/') {
            found.retain(|f| !in_a_symbol(&folded, f.start, f.end));
        }
        finish(text, &map, found)
    }

    /// "the ASEAN Secretariat": a body's name of one word printed as a part of another
    /// body's ([`crate::extract::part_of_body`]) is not the body it names alone (the
    /// United Nations Secretariat).
    fn drop_parts_of_bodies(&self, folded: &str, found: &mut Vec<Found>) {
        let org = |f: &Found| matches!(f.target, Target::Known(i) if self.kinds[i] == EntityKind::Organization);
        let ends: Vec<usize> = found.iter().filter(|f| org(f)).map(|f| f.end).collect();
        found.retain(|f| {
            let word = &folded[f.start..f.end];
            let part = ends
                .iter()
                .any(|&e| crate::extract::part_of_body(folded, e, f.start, word));
            !(org(f) && part)
        });
    }

    /// Whether a name printed in a list of speakers is a session's officer ("the
    /// Chair", "the Rapporteur"): the meeting's, no body.
    pub fn is_meeting_officer(&self, printed: &str) -> bool {
        let title = printed.trim();
        let title = title.strip_prefix("the ").unwrap_or(title).to_lowercase();
        self.meeting_officers.contains(&title)
    }

    pub fn is_convention(&self, entity: usize) -> bool {
        self.has_class(entity, "Convention")
    }

    /// Whether `entity` is of the project's class `local` (`cg:<local>`), with no IRI
    /// written out (this runs on the statements' path).
    pub(super) fn has_class(&self, entity: usize, local: &str) -> bool {
        self.classes[entity]
            .iter()
            .any(|c| c.strip_prefix(CG) == Some(local))
    }
}

/// Whether `start..end` is a part of a document symbol ("UNODC/CCPCJ/EG.6/2014/4",
/// "CTOC/COP/2014/13"): a token with a slash next to the match and a digit in it. The
/// symbol names a document, not the bodies its series letters stand for; a joint name
/// with no digit ("UNODC/WHO") stays.
fn in_a_symbol(folded: &str, start: usize, end: usize) -> bool {
    let bytes = folded.as_bytes();
    let slashed = bytes.get(end) == Some(&b'/') || (start > 0 && bytes[start - 1] == b'/');
    if !slashed {
        return false;
    }
    let stop = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '[' | ']');
    let from = folded[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let to = folded[end..].find(stop).map_or(folded.len(), |i| end + i);
    folded[from..to].bytes().any(|b| b.is_ascii_digit())
}

/// The matches found on the folded text as spans of `text`: minted names labelled as
/// printed, sorted by position, one per target and span (the first found).
fn finish(text: &str, map: &Shifts, found: Vec<Found>) -> Vec<EntityMatch> {
    let mut out: Vec<EntityMatch> = found
        .into_iter()
        .map(|f| {
            let Found {
                start: s,
                end: e,
                target,
                method,
            } = f;
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

/// The spans of the first `most` words of `s`, up to the first mark that is not a space.
fn word_spans(s: &str, most: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i));
                start = None;
                if c != ' ' || out.len() == most {
                    return out;
                }
            }
            _ => {}
        }
    }
    if let Some(st) = start.filter(|_| out.len() < most) {
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
