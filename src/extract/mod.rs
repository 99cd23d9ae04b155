//! Paragraph text -> entity matches with byte spans; statement lists -> speakers.
//!
//! Built once from the [`Vocabulary`]: no name is written in Rust. Matching runs on a
//! folded copy of the text (hyphens and dashes read as spaces, typographic quotes as
//! plain ones) that has the same characters at the same places, so spans found there
//! are spans of the original.

mod gazetteer;
mod proper_names;
mod statements;

pub use gazetteer::{Discourse, Extractor, ExtractorError, Office, SpeaksFor};
pub use statements::{find_statements, Chair, Role, Speaker, StatementFound};

use crate::reference::EntityKind;

/// What a match refers to: an entity of the reference data, or a name the text marks
/// as one that the reference data lacks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Index into [`crate::reference::Vocabulary::entities`].
    Known(usize),
    Minted {
        kind: EntityKind,
        name: String,
        /// The IRI key where the name's slug is not it: a resolution is keyed by its
        /// issuer and symbol (`unga-resolution-76-185`), as SPEC keys them.
        key: Option<String>,
    },
}

/// How a match was found (`cg:method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Label,
    Alias,
    Pattern,
    Anaphora,
    Coordination,
    Minted,
    StatementList,
}

/// One mention: `text[start..end]` (bytes) names `target`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityMatch {
    pub target: Target,
    pub start: usize,
    pub end: usize,
    pub method: Method,
}

/// Whether `word` (at `start`) is a part of the body whose name ends at `body_end`: one
/// word, not an acronym, printed right after it ("the ASEAN Secretariat"), so the body's
/// mention stands for both. One rule for the mentions and the statement lists.
pub(crate) fn part_of_body(text: &str, body_end: usize, start: usize, word: &str) -> bool {
    body_end + 1 == start
        && text.get(body_end..start) == Some(" ")
        && !word.contains(' ')
        && !word.chars().all(|c| c.is_uppercase())
}

/// The words after which a name's last words may be a list of what it is for or of
/// ("Network for Security, Justice and Human Rights"): read by minting in running text
/// and by the statement lists alike.
pub(crate) fn governs_a_list(name: &str) -> bool {
    [" for ", " of ", " on "].iter().any(|w| name.contains(w))
}

/// The mentions of a report's paragraphs, in order: each paragraph's anaphors may
/// reach back to the one before, to the title of its chapter (`chapters[i]` for
/// paragraph `i`, none past the slice's end) and to `document`, the report's body
/// and its `session` (see [`Discourse`]).
pub fn extract_report(
    x: &Extractor,
    texts: &[&str],
    chapters: &[Option<&str>],
    (document, session): (Vec<usize>, Option<u32>),
) -> Vec<Vec<EntityMatch>> {
    let mut discourse = Discourse {
        previous: Vec::new(),
        before: Vec::new(),
        chapter: Vec::new(),
        document,
        session,
    };
    let mut chapter_read: Option<&str> = None;
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let chapter = chapters.get(i).copied().flatten();
            if chapter != chapter_read {
                chapter_read = chapter;
                discourse.chapter = chapter.map_or_else(Vec::new, |title| {
                    let none = Discourse::default();
                    x.named_from(title, &x.extract_in(title, &none), false)
                });
            }
            let found = x.extract_in(text, &discourse);
            discourse.previous = x.named_from(text, &found, true);
            discourse.before = x.named_from(text, &found, false);
            found
        })
        .collect()
}

/// A body or instrument minted in one place of a report (a name the reference data lacks,
/// read from a list of speakers or from running text) is the same one wherever else the
/// report prints its name: "The observers for the World Bank and Global Witness made
/// statements" mints Global Witness, and "The observer for Global Witness urged ..."
/// further on names it too. Only names of two words or more that open with a capital,
/// printed the same, where no other mention lies; a name minted for two targets is left.
pub fn recall_minted(texts: &[&str], mentions: &mut [Vec<EntityMatch>]) {
    let names = minted_names(texts, mentions);
    for (text, found) in texts.iter().zip(mentions.iter_mut()) {
        let mut added = false;
        for (name, target) in &names {
            for (start, _) in text.match_indices(name.as_str()) {
                let end = start + name.len();
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                if word(text[..start].chars().next_back()) || word(text[end..].chars().next()) {
                    continue;
                }
                if found.iter().any(|m| m.start < end && start < m.end) {
                    continue;
                }
                found.push(EntityMatch {
                    target: target.clone(),
                    start,
                    end,
                    method: Method::Minted,
                });
                added = true;
            }
        }
        if added {
            found.sort_by_key(|m| (m.start, m.end));
        }
    }
}

/// The names [`recall_minted`] looks for, the longest first, each with its one target.
fn minted_names(texts: &[&str], mentions: &[Vec<EntityMatch>]) -> Vec<(String, Target)> {
    let mut names: Vec<(&str, &Target)> = Vec::new();
    let mut ambiguous: Vec<&str> = Vec::new();
    for (p, found) in mentions.iter().enumerate() {
        for m in found {
            let Target::Minted { kind, .. } = &m.target else {
                continue;
            };
            let printed = &texts[p][m.start..m.end];
            let named = matches!(kind, EntityKind::Organization | EntityKind::Instrument)
                && printed.contains(' ')
                && printed.starts_with(|c: char| c.is_uppercase());
            match names.iter().find(|(n, _)| *n == printed) {
                Some((_, t)) if *t != &m.target => ambiguous.push(printed),
                Some(_) => {}
                None if named => names.push((printed, &m.target)),
                None => {}
            }
        }
    }
    names.retain(|(n, _)| !ambiguous.contains(n));
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    names
        .into_iter()
        .map(|(n, t)| (n.to_string(), t.clone()))
        .collect()
}

/// Byte offsets where sentences start: after `.`, `!` or `?` and a space, before a
/// capital letter, digit or quote. One rule for anaphora and statement lists alike.
pub(crate) fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let b = text.as_bytes();
    for i in 1..b.len().saturating_sub(1) {
        if matches!(b[i - 1], b'.' | b'!' | b'?') && b[i] == b' ' {
            let next = text[i + 1..].chars().next();
            if next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"') {
                starts.push(i + 1);
            }
        }
    }
    starts
}

/// Folds text for matching without moving any character: the result has the same
/// number of chars, each at the same char index.
pub fn fold(text: &str) -> String {
    fold_tracked(text, &mut Vec::new())
}

/// [`fold`], noting in `shifts`, after each multi-byte char folded to one byte, the
/// byte offsets just past it in the folded text and in `text` (so that offsets map
/// back by a binary search, [`Shifts::orig`]).
pub(crate) fn fold_tracked(text: &str, shifts: &mut Vec<(usize, usize)>) -> String {
    // Runs of text that need no change are copied whole. Every char that folds starts
    // with one of five bytes (three ASCII, and the lead bytes of U+00A0 and U+20xx /
    // U+2212): memchr finds them (vectorized), and only there is a char decoded.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut step = |i: usize, out: &mut String| {
        // `bytes[i]` is ASCII or a lead byte, so `i` is a char boundary.
        let Some(c) = text[i..].chars().next() else {
            return;
        };
        let folded = match c {
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                ' '
            }
            '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' | '\n' => ' ',
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            _ => return,
        };
        out.push_str(&text[copied..i]);
        out.push(folded);
        copied = i + c.len_utf8();
        if c.len_utf8() > 1 {
            shifts.push((out.len(), copied));
        }
    };
    if memchr::memchr2(b'\t', b'\n', bytes).is_some() {
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'-' | b'\t' | b'\n' | 0xC2 | 0xE2) {
                step(i, &mut out);
            }
        }
    } else {
        for i in memchr::memchr3_iter(b'-', 0xC2, 0xE2, bytes) {
            step(i, &mut out);
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Maps byte offsets of folded text back to the text it was folded from (they differ
/// after a dash or typographic quote, several bytes long, folded to one byte).
#[derive(Debug, Default)]
pub(crate) struct Shifts(pub Vec<(usize, usize)>);

impl Shifts {
    /// The original offset of a folded offset on a char boundary.
    pub fn orig(&self, folded: usize) -> usize {
        let i = self.0.partition_point(|&(f, _)| f <= folded);
        match i.checked_sub(1).map(|i| self.0[i]) {
            None => folded,
            Some((f, o)) => o + (folded - f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_keeps_char_positions() {
        let s = "anti\u{2011}corruption – UNODC’s";
        let f = fold(s);
        assert_eq!(f, "anti corruption   UNODC's");
        assert_eq!(s.chars().count(), f.chars().count());
    }

    /// The plain char-by-char rule `fold` must agree with.
    fn fold_by_char(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '-' | '\u{2010}'..='\u{2014}' | '\u{2212}' => ' ',
                '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' | '\n' => ' ',
                '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
                '\u{201c}' | '\u{201d}' => '"',
                c => c,
            })
            .collect()
    }

    #[test]
    fn fold_leaves_other_multibyte_chars_alone() {
        let s = "Côte d\u{2019}Ivoire\u{a0}€5\t\u{2212}3\n\u{201c}ok\u{201d} \u{2026}";
        assert_eq!(fold(s), fold_by_char(s));
        assert_eq!(fold(s), "Côte d'Ivoire €5  3 \"ok\" \u{2026}");
    }

    /// Each char's offset in the folded text maps back to its offset in the original.
    fn offsets_map_back(s: &str) {
        let mut shifts = Vec::new();
        let f = fold_tracked(s, &mut shifts);
        let shifts = Shifts(shifts);
        let folded: Vec<usize> = f.char_indices().map(|(i, _)| i).chain([f.len()]).collect();
        let orig: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        for (fo, o) in folded.into_iter().zip(orig) {
            assert_eq!(shifts.orig(fo), o, "{s:?} at folded offset {fo}");
        }
    }

    #[test]
    fn folded_offsets_map_back() {
        offsets_map_back("a\u{2013}b \u{201c}UNODC\u{201d}\u{a0}x-y\tz");
    }

    proptest::proptest! {
        #[test]
        fn folded_offsets_always_map_back(s in "[a-z \\-\t\n\u{a0}\u{e9}\u{2010}-\u{2033}\u{201c}\u{20ac}\u{2212}]{0,40}") {
            offsets_map_back(&s);
        }

        #[test]
        fn fold_agrees_with_the_char_rule(s in "[a-z \\-\t\n\u{a0}\u{e9}\u{2010}-\u{2033}\u{201c}\u{20ac}\u{2212}]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_by_char(&s));
        }
    }
}

#[cfg(test)]
mod rule_tests;
