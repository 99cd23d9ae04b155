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
    text.chars()
        .map(|c| match c {
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                ' '
            }
            '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' | '\n' => ' ',
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect()
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
}

#[cfg(test)]
mod rule_tests;
