//! Paragraph text -> entity matches with byte spans; statement lists -> speakers.
//!
//! Built once from the [`Vocabulary`]: no name is written in Rust. Matching runs on a
//! folded copy of the text (hyphens and dashes read as spaces, typographic quotes as
//! plain ones) that has the same characters at the same places, so spans found there
//! are spans of the original.

mod gazetteer;
mod statements;

pub use gazetteer::{Extractor, ExtractorError};
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
    // Runs of text that need no change are copied whole. Every char that folds starts
    // with one of five bytes (three ASCII, and the lead bytes of U+00A0 and U+20xx /
    // U+2212), so the scan looks at bytes and decodes only there.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'-' | b'\t' | b'\n' | 0xC2 | 0xE2) {
            continue;
        }
        // `b` is ASCII or a lead byte, so `i` is a char boundary.
        let Some(c) = text[i..].chars().next() else {
            continue;
        };
        let folded = match c {
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                ' '
            }
            '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' | '\n' => ' ',
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push(folded);
        copied = i + c.len_utf8();
    }
    out.push_str(&text[copied..]);
    out
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

    proptest::proptest! {
        #[test]
        fn fold_agrees_with_the_char_rule(s in "[a-z \\-\t\n\u{a0}\u{e9}\u{2010}-\u{2033}\u{201c}\u{20ac}\u{2212}]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_by_char(&s));
        }
    }
}

#[cfg(test)]
mod rule_tests;
