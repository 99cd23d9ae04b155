//! Line clean-up: markdown, page furniture and line endings, so that the body reader
//! sees only words.

use regex::Regex;
use std::borrow::Cow;
use std::collections::HashSet;
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
    // A/CONF.234/16, E/CN.15/2023/15, and the series of the Conferences of the Parties
    // (CTOC/COP/2018/13, CAC/COSP/2023/21): a series' letters, its organ's, then digits.
    let symbol = r"(?:[A-Z]{1,6}/(?:[A-Z]{2,6}(?:\.\d+)?/)*(?:CONF\.\d+|CN\.\d+|AC\.\d+|RES|\d{2,})[A-Za-z0-9./()-]*)";
    // The barcode after a job number loses its stars to the emphasis rule first.
    let job = r"(?:(?:V|GE|N|A)\.?\d{2}-\d{4,6}(?:\s*\([EFSRCA]\))?(?:\s+\d{7,})?)";
    let page = r"(?:(?:Page\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?)";
    let stars = r"(?:\*\d{5,}\*)";
    // Older documents end a page with "/..." (the text goes on overleaf) and print the
    // language under the symbol in the page header.
    let overleaf = r"(?:/\s*(?:\.\.\.|…))";
    let language = r"(?:English|French|Spanish|Russian|Arabic|Chinese)";
    Regex::new(&format!(
        r"(?i)^\s*(?:please\s+recycle\s*[♲♻]?|[♲♻]|{overleaf}|{language}|(?:{symbol}|{job}|{page}|{stars})(?:\s+(?:{symbol}|{job}|{page}|{stars}))*)\s*$"
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
    let mut lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| Line {
            number: i + 1,
            text: clean_line(raw),
        })
        .collect();
    let notes = drop_footnotes(&text, &mut lines);
    if !notes.is_empty() {
        strip_note_marks(&mut lines, &notes);
    }
    lines
}

/// The line a PDF converter prints above a page's footnotes: a long rule of
/// underscores (a markdown rule is three or four).
static NOTE_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*_{8,}\s*$").unwrap());
/// A footnote's first line: its number, a space, its text (`1 United Nations, Treaty
/// Series, ...`). A numbered paragraph has a full stop after its number.
static NOTE_START: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\d{1,3})\s+\S").unwrap());

/// Blanks the footnotes printed at the foot of a page (they are not the paragraph the
/// page break interrupts, and a footnote citing a resolution is not a mention of it in
/// that paragraph); returns their numbers. A footnote block starts at the underscore
/// rule and runs over footnotes and their wrapped lines until, after a blank line, a
/// line that is not a footnote: the page furniture or the text the page goes on with.
fn drop_footnotes(text: &str, lines: &mut [Line]) -> Vec<u32> {
    let mut notes = drop_unruled_footnotes(text, lines);
    if text.contains("________") {
        drop_ruled_footnotes(text, lines, &mut notes);
    }
    notes.sort_unstable();
    notes.dedup();
    notes
}

/// The footnotes under an underscore rule (see [`drop_footnotes`]), their numbers
/// added to `notes`.
fn drop_ruled_footnotes(text: &str, lines: &mut [Line], notes: &mut Vec<u32>) {
    let mut in_block = false;
    // Whether the line before was part of a footnote (a wrapped footnote goes on).
    let mut in_note = false;
    for (line, raw) in lines.iter_mut().zip(text.split('\n')) {
        if NOTE_RULE.is_match(raw) {
            (in_block, in_note) = (true, false);
            continue;
        }
        if !in_block {
            continue;
        }
        if raw.trim().is_empty() {
            in_note = false;
        } else if let Some(c) = NOTE_START.captures(raw) {
            notes.extend(c[1].parse::<u32>().ok());
            line.text = None;
            in_note = true;
        } else if in_note {
            line.text = None;
        } else {
            in_block = false;
        }
    }
}

/// Blanks the footnotes a converter printed with no rule above them: at the foot of a
/// page, groups of lines (a footnote and its wrapped lines) each opening with a number
/// the text uses as a footnote mark, with nothing but blank lines between the last one
/// and the page's footer. A numbered heading ("2 Thematic discussion ...") is followed
/// by text, not by the footer, and so stays; so does a group whose number is no mark.
/// Returns the footnotes' numbers.
fn drop_unruled_footnotes(text: &str, lines: &mut [Line]) -> Vec<u32> {
    let raws: Vec<&str> = text.split('\n').collect();
    let n = lines.len().min(raws.len());
    let blank = |i: usize| raws[i].trim().is_empty();
    // The groups of lines above each footer, bottom up, each opening with a number:
    // found first, so that a text with none (most) never searches its marks.
    let mut pages: Vec<Vec<(usize, usize, u32)>> = Vec::new();
    for footer in (1..n).filter(|&i| lines[i].text.is_none() && !blank(i)) {
        let mut groups = Vec::new();
        let mut end = footer;
        loop {
            while end > 0 && blank(end - 1) {
                end -= 1;
            }
            let mut start = end;
            while start > 0 && !blank(start - 1) && lines[start - 1].text.is_some() {
                start -= 1;
            }
            let number = NOTE_START
                .captures(raws.get(start).copied().unwrap_or(""))
                .and_then(|c| c[1].parse::<u32>().ok());
            match number {
                Some(num) if start < end && end - start <= 6 => groups.push((start, end, num)),
                _ => break,
            }
            end = start;
        }
        if !groups.is_empty() {
            pages.push(groups);
        }
    }
    if pages.is_empty() {
        return Vec::new();
    }
    // The numbers the text uses as marks: the digits ending each mark.
    let marks: HashSet<u32> = NOTE_MARK
        .find_iter(text)
        .filter_map(|m| {
            let s = m.as_str();
            s[s.trim_end_matches(|c: char| c.is_ascii_digit()).len()..]
                .parse()
                .ok()
        })
        .collect();
    let mut notes = Vec::new();
    // Up from each footer, the groups whose number is a mark, to the first that is not.
    for groups in pages {
        for (start, end, num) in groups.into_iter().take_while(|g| marks.contains(&g.2)) {
            notes.push(num);
            for line in &mut lines[start..end] {
                line.text = None;
            }
        }
    }
    notes
}

/// A footnote's mark in the text, printed as a superscript that the converter glued to
/// the word or the comma or full stop after it: `Organized Crime1 and`, `pornography,2`,
/// `the Twenty-first Century.5 The`.
static NOTE_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([a-z)\]][.,]?)(\d{1,3})\b").unwrap());

/// Removes the marks of the document's own footnotes (`notes`) from the words they are
/// glued to, so that "Corruption4" is read as the Convention's name. A number glued to
/// a word that is no footnote's (`G20`, `mp3`) stays.
fn strip_note_marks(lines: &mut [Line], notes: &[u32]) {
    for line in lines.iter_mut() {
        let Some(t) = &line.text else { continue };
        if !NOTE_MARK.is_match(t) {
            continue;
        }
        let stripped = NOTE_MARK.replace_all(t, |c: &regex::Captures| {
            let is_note = c[2]
                .parse::<u32>()
                .is_ok_and(|n| notes.binary_search(&n).is_ok());
            if is_note {
                c[1].to_string()
            } else {
                c[0].to_string()
            }
        });
        if let Cow::Owned(s) = stripped {
            line.text = Some(s);
        }
    }
}

/// `s` with each Latin ligature (U+FB00 to U+FB06) written as its letters.
fn unligature(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
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
    // A PDF converter may print "ﬁ", "ﬂ", "ﬃ" as the one ligature char (U+FB00 to
    // U+FB06, lead byte 0xEF): "traﬃcking in ﬁrearms" is "trafficking in firearms".
    if any(&[0xef]) && s.contains(|c| ('\u{fb00}'..='\u{fb06}').contains(&c)) {
        s = Cow::Owned(unligature(&s));
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
            ("CTOC/COP/2018/13", None),
            ("CAC/COSP/2023/21", None),
            ("E/CN.15/2023/15", None),
            (
                "Vienna, 15-19 October 2018",
                Some("Vienna, 15-19 October 2018"),
            ),
            ("Please recycle ♲", None),
            ("  12  ", None),
            ("3/5", None),
            ("A/CONF.234/RPM.1/L.1/Add.3", None),
            ("V.25-01234 2/5", None),
            ("A/CONF.234/16 V.21-01234", None),
            ("V.26-01004 (E)    *2601004*", None),
            // Older documents: "/..." at a page's foot, the language in its header.
            ("                    /...", None),
            ("English", None),
            ("Page 14", None),
            ("English and French texts", Some("English and French texts")),
            ("---", None),
            ("", None),
            (
                "1. A statement was made.  ",
                Some("1. A statement was made."),
            ),
            (
                "the traﬃcking in ﬁrearms and ﬂows",
                Some("the trafficking in firearms and flows"),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(clean_line(input).as_deref(), *want, "input {input:?}");
        }
    }

    #[test]
    fn footnotes_with_no_rule_above_the_footer_are_blanked() {
        let text =
            "3. Established by article 32 of the Convention,1 which the Assembly adopted.2\n\
                    \n\
                    2 Thematic discussion on the role of the criminal justice system\n\
                    \n\
                    7. The Conference elected the following officers:\n\
                    \n\
                    President: Ana Lima (Brazil)\n\
                    \n\
                    1 United Nations, Treaty Series, vol. 2225,\n\
                    No. 39574.\n\
                    \n\
                    2 Ibid., vols. 2237 and 2241.\n\
                    \n\
                    V.14-07043 3/19\n\
                    Vice-Presidents: Kofi Mensah (Ghana)\n";
        let texts: Vec<Option<String>> = clean_lines(text).into_iter().map(|l| l.text).collect();
        // The mark is dropped, the heading (followed by text, not a footer) stays.
        assert_eq!(
            texts[0].as_deref(),
            Some("3. Established by article 32 of the Convention, which the Assembly adopted.")
        );
        assert!(texts[2].is_some());
        assert_eq!(texts[6].as_deref(), Some("President: Ana Lima (Brazil)"));
        assert!(texts[8..=11].iter().all(Option::is_none), "{texts:?}");
        assert!(texts[14].is_some());
    }

    #[test]
    fn footnotes_are_blanked_and_their_marks_dropped() {
        let text = "8. Bearing in mind the Convention against Corruption4 and the Protocol,5 and\n\
                    G20 States, the following: Madagascar,\n\
                    __________________\n\
                    4 General Assembly resolution 58/4,\n\
                    annex.\n\
                    \n\
                     5 Ibid., annex II.\n\
                    \n\
                    2\n\
                    Malawi and Mali.\n";
        let texts: Vec<Option<String>> = clean_lines(text).into_iter().map(|l| l.text).collect();
        assert_eq!(
            texts[0].as_deref(),
            Some("8. Bearing in mind the Convention against Corruption and the Protocol, and")
        );
        assert_eq!(
            texts[1].as_deref(),
            Some("G20 States, the following: Madagascar,")
        );
        assert!(texts[2..9].iter().all(Option::is_none), "{texts:?}");
        assert_eq!(texts[9].as_deref(), Some("Malawi and Mali."));
    }

    #[test]
    fn a_short_rule_and_numbers_with_no_footnotes_stay() {
        let text = "___\n2 June 2004\nthe Crime1 and\n";
        let texts: Vec<Option<String>> = clean_lines(text).into_iter().map(|l| l.text).collect();
        assert_eq!(texts[1].as_deref(), Some("2 June 2004"));
        assert_eq!(texts[2].as_deref(), Some("the Crime1 and"));
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
