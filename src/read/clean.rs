//! Line clean-up: markdown, page furniture and line endings, so that the body reader
//! sees only words.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// One source line after clean-up; `None` text marks a blank or furniture line, which
/// the body reader treats as a possible page break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based number in the source.
    pub number: usize,
    pub text: Option<String>,
}

static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
static HEADING_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:#{1,6}|>+)\s*").unwrap());
static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*[-+•▪●◦]\s+").unwrap());
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:[-*_]\s*){3,}$").unwrap());
static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[ \t\u{a0}]{2,}").unwrap());
/// Page furniture: footers, page numbers, document symbols and job numbers printed in
/// page headers, alone or together on one line.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    let symbol = r"(?:[A-Z]{1,2}/(?:CONF\.\d+|CN\.\d+|AC\.\d+|RES|\d{2,})[A-Za-z0-9./()-]*)";
    let job = r"(?:(?:V|GE|N|A)\.?\d{2}-\d{4,6}(?:\s*\([EFSRCA]\))?)";
    let page = r"(?:(?:Page\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?)";
    let stars = r"(?:\*\d{5,}\*)";
    Regex::new(&format!(
        r"(?i)^\s*(?:please\s+recycle\s*[♲♻]?|[♲♻]|(?:{symbol}|{job}|{page}|{stars})(?:\s+(?:{symbol}|{job}|{page}|{stars}))*)\s*$"
    ))
    .unwrap()
});

/// Splits text into cleaned lines: CRLF and CR endings, markdown headings, bullets,
/// emphasis and links removed, page furniture blanked.
pub fn clean_lines(text: &str) -> Vec<Line> {
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| Line {
            number: i + 1,
            text: clean_line(raw),
        })
        .collect()
}

pub(super) fn clean_line(raw: &str) -> Option<String> {
    // Most lines are plain sentences: each step below runs only on a line holding a
    // byte it could change.
    let mut seen = [false; 256];
    for b in raw.bytes() {
        seen[b as usize] = true;
    }
    let any = |bytes: &[u8]| bytes.iter().any(|&b| seen[b as usize]);
    if any(b"-*_") && RULE.is_match(raw) {
        return None;
    }
    let mut s: Cow<str> = Cow::Borrowed(raw);
    // U+FEFF starts with 0xEF, U+00AD and U+00A0 with 0xC2 in UTF-8.
    if any(&[0xef, 0xc2]) && s.contains(['\u{feff}', '\u{ad}']) {
        s = Cow::Owned(s.replace(['\u{feff}', '\u{ad}'], ""));
    }
    if any(b"]") && s.contains("](") {
        s = Cow::Owned(LINK.replace_all(&s, "$1").into_owned());
    }
    if s.trim_start().starts_with(['#', '>']) {
        s = Cow::Owned(HEADING_MARK.replace(&s, "").into_owned());
    }
    if s.trim_start().starts_with(['-', '+', '•', '▪', '●', '◦']) {
        s = Cow::Owned(BULLET.replace(&s, "").into_owned());
    }
    if any(b"*_") {
        s = Cow::Owned(s.replace("**", "").replace("__", "").replace('*', ""));
    }
    if any(b"\\") {
        s = Cow::Owned(
            s.replace("\\.", ".")
                .replace("\\(", "(")
                .replace("\\)", ")"),
        );
    }
    if any(b"\t\xc2") || s.contains("  ") {
        s = Cow::Owned(SPACES.replace_all(&s, " ").into_owned());
    }
    let s = s.trim();
    if s.is_empty() || FURNITURE.is_match(s) {
        None
    } else {
        Some(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_markup_and_furniture() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "### Summary of deliberations",
                Some("Summary of deliberations"),
            ),
            (
                "4. **Working together (workshop 4)**",
                Some("4. Working together (workshop 4)"),
            ),
            (
                "*Rapporteur:* Jane Doe (Chile)",
                Some("Rapporteur: Jane Doe (Chile)"),
            ),
            ("- 3. Addressing crime", Some("3. Addressing crime")),
            (
                "see resolution [74/247](#), and",
                Some("see resolution 74/247, and"),
            ),
            ("Please recycle", None),
            ("Please recycle ♲", None),
            ("  12  ", None),
            ("3/5", None),
            ("A/CONF.234/RPM.1/L.1/Add.3", None),
            ("V.25-01234 2/5", None),
            ("A/CONF.234/16 V.21-01234", None),
            ("---", None),
            ("", None),
            (
                "1. A statement was made.  ",
                Some("1. A statement was made."),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(clean_line(input).as_deref(), *want, "input {input:?}");
        }
    }

    #[test]
    fn windows_and_old_mac_line_endings() {
        let lines = clean_lines("a\r\nb\rc\n");
        let texts: Vec<_> = lines.iter().map(|l| l.text.clone()).collect();
        assert_eq!(
            texts,
            vec![Some("a".into()), Some("b".into()), Some("c".into()), None]
        );
        assert_eq!(lines[2].number, 3);
    }
}
