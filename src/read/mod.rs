//! Report text -> [`Report`]: meeting, dates, rapporteur, agenda, numbered paragraphs.
//!
//! The reader knows nothing of entities or storage. It undoes what PDF converters do to
//! UN reports (page furniture, markdown, hard-wrapped lines, split paragraphs, OCR'd
//! `(1)` for `(l)`) so that every later stage sees one paragraph as one clean string.

/// The months' names as the reports print them: dates in the heading, the generated
/// corpus, a run of capitalised words that ends in a date.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

mod body;
mod clean;
mod document;
mod meta;
mod sandbox;

use chrono::NaiveDate;
use serde::Serialize;

pub use body::read_body;
pub use clean::clean_lines;
pub use document::{decode, Decoded, Format};
pub use meta::read_meta;
pub use sandbox::{read_document, Failure, Isolation, Sandbox};

/// Errors of the reader: the text is not a report we can read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The input is empty or holds only white space.
    #[error("the file is empty")]
    Empty,
    /// The input holds NUL or other control bytes: it is binary, not text.
    #[error("the file looks binary (control character at line {line})")]
    Binary { line: usize },
    /// No numbered paragraph was found: this is not a report of the kind we read.
    #[error("no numbered paragraphs found: not a report (expected lines such as '1. Statements were made by ...')")]
    NoParagraphs,
    /// A text file that is not UTF-8.
    #[error("not UTF-8 text (invalid byte at line {line})")]
    NotUtf8 { line: usize },
    /// A PDF the parser cannot read (broken, truncated, encrypted).
    #[error("unreadable PDF: {0}")]
    Pdf(String),
    /// A PDF with no text to read: a scan. Storing it would give an empty report.
    #[error(
        "the PDF has no text layer ({pages} page(s) without text: a scan?); run OCR on it first"
    )]
    NoTextLayer { pages: usize },
    /// A ZIP file that is not a Word document we can read.
    #[error("unreadable Word document: {0}")]
    Docx(String),
    /// A Word 97-2003 binary file.
    #[error("a Word 97-2003 .doc file: save it as .docx or PDF first")]
    LegacyWord,
    /// The text inside a compressed file expands beyond any report's size.
    #[error("the text inside the file is larger than 64 MiB")]
    TooLarge,
    /// A part of a Word file inflates past what any report holds: a zip bomb.
    #[error("{part} inside the Word document inflates to more than {} MiB (a part may hold 64 MiB, all parts 256 MiB)", .limit >> 20)]
    PartTooLarge { part: String, limit: u64 },
    /// The PDF or Word parser, run in a child process, hit one of its limits or
    /// crashed: a file built to break it, or broken beyond reading.
    #[error("the {parser} parser {failure}")]
    Parser {
        parser: &'static str,
        failure: Failure,
    },
}

/// One report, as printed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub meeting: Meeting,
    /// The date printed after `Distr.:`.
    pub document_date: Option<NaiveDate>,
    /// The UN document symbol when printed (`A/CONF.234/RPM.1/L.1/Add.3`).
    pub symbol: Option<String>,
    /// The UN job number when printed (`V.25-01234`).
    pub job_number: Option<String>,
    /// The language of this version (ISO 639-1: `en`), from the job number's
    /// language letter, "English only" or "Original: English".
    pub language: Option<String>,
    /// The kind of file the report came in.
    pub format: Format,
    pub rapporteur: Option<Rapporteur>,
    pub agenda_items: Vec<AgendaRef>,
    pub workshops: Vec<AgendaRef>,
    pub paragraphs: Vec<Paragraph>,
}

/// The meeting a report is of.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meeting {
    pub title: Option<String>,
    pub kind: MeetingKind,
    pub congress_number: Option<u32>,
    /// The region of a regional preparatory meeting as its title prints it ("Asia and
    /// Pacific", "African"); the mapping gives its canonical form.
    pub region: Option<String>,
    pub city: Option<String>,
    /// The country as printed after the city, when it is.
    pub country: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Of a session of the Commission or of a Conference of the Parties: its number.
    pub session_number: Option<u32>,
    /// Of such a session: the body that holds it, by its organization key (`ccpcj`,
    /// `untoc-cop`, ...).
    pub organ: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum MeetingKind {
    Congress,
    RegionalPreparatoryMeeting,
    /// A session of the Commission on Crime Prevention and Criminal Justice.
    CommissionSession,
    /// A session of the Conference of the Parties to UNTOC or of the States Parties to
    /// UNCAC.
    ConferenceOfParties,
    #[default]
    Unknown,
}

impl MeetingKind {
    /// The local name of the meeting's class in the data model (`cg:Congress`, ...); a
    /// meeting of unknown kind is typed as a regional preparatory meeting, as before.
    pub fn class(self) -> &'static str {
        match self {
            MeetingKind::Congress => "Congress",
            MeetingKind::CommissionSession => "CommissionSession",
            MeetingKind::ConferenceOfParties => "ConferenceOfPartiesSession",
            MeetingKind::RegionalPreparatoryMeeting | MeetingKind::Unknown => {
                "RegionalPreparatoryMeeting"
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rapporteur {
    pub name: String,
    /// The State as printed in parentheses after the name.
    pub state: Option<String>,
    /// "Rapporteur" or "Rapporteur-General".
    pub title: String,
}

/// An agenda item or workshop named by the report, number and title as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaRef {
    pub number: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Section {
    Proceedings,
    Summary,
    Outcome,
    Recommendations,
}

/// A numbered paragraph or lettered recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    /// As printed: `18`, `18(a)`.
    pub number: String,
    pub section: Section,
    /// The text with line breaks, page furniture and markup removed.
    pub text: String,
    /// 1-based line of the source where the paragraph starts.
    pub line: usize,
    /// The title of the chapter the paragraph is in, as printed ("Protocol against the
    /// Smuggling of Migrants by Land, Sea and Air, ..."): what "the Protocol" in its
    /// paragraphs may mean (a Conference's report gives each protocol a chapter).
    pub chapter: Option<String>,
}

impl Paragraph {
    /// The IRI key of the paragraph: `18(a)` becomes `18a`. The dot of a draft's
    /// operative paragraph stays (`1.1`), or it would take paragraph 11's IRI.
    pub fn key(&self) -> String {
        self.number
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect()
    }
}

/// Reads one report file: text, PDF or Word, told apart by content, PDF and Word
/// parsed where `isolation` says.
pub fn read_file(bytes: &[u8], isolation: &Isolation) -> Result<Report, ReadError> {
    let decoded = isolation.decode(bytes)?;
    let mut report = read_report(&decoded.text)?;
    report.format = decoded.format;
    Ok(report)
}

/// Reads one report's text.
pub fn read_report(text: &str) -> Result<Report, ReadError> {
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if let Some(line) = binary_line(text) {
        return Err(ReadError::Binary { line });
    }
    let lines = clean_lines(text);
    let mut report = read_meta(&lines, text);
    let body = read_body(&lines);
    if body.paragraphs.is_empty() {
        return Err(ReadError::NoParagraphs);
    }
    report.paragraphs = body.paragraphs;
    if report.agenda_items.is_empty() {
        report.agenda_items = body.agenda_items;
    }
    if report.workshops.is_empty() {
        report.workshops = body.workshops;
    }
    Ok(report)
}

/// The 1-based line of the first control character that text files do not hold.
fn binary_line(text: &str) -> Option<usize> {
    // Control chars are U+0000-001F, U+007F and U+0080-009F (0xC2 0x80-0x9F in UTF-8):
    // a byte scan finds them without decoding every char.
    let b = text.as_bytes();
    let pos = b.iter().enumerate().position(|(i, &c)| {
        (c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c))
            || c == 0x7f
            || (c == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })?;
    Some(text[..pos].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_binary_inputs_are_named() {
        assert!(matches!(read_report("  \n\n"), Err(ReadError::Empty)));
        assert!(matches!(
            read_report("1. ok\n\u{0}\u{1}"),
            Err(ReadError::Binary { line: 2 })
        ));
        assert!(matches!(
            read_report("Just some words.\nNo numbers."),
            Err(ReadError::NoParagraphs)
        ));
    }

    #[test]
    fn paragraph_key_drops_parentheses() {
        let p = Paragraph {
            number: "18(a)".into(),
            section: Section::Recommendations,
            text: String::new(),
            line: 1,
            chapter: None,
        };
        assert_eq!(p.key(), "18a");
    }

    #[test]
    fn paragraph_key_keeps_a_drafts_dot() {
        let key = |number: &str| {
            Paragraph {
                number: number.into(),
                section: Section::Outcome,
                text: String::new(),
                line: 1,
                chapter: None,
            }
            .key()
        };
        assert_eq!(key("1.1"), "1.1");
        assert_ne!(key("1.1"), key("11"));
        assert_eq!(key("1.1(a)"), "1.1a");
    }
}
