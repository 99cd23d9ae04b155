//! Bytes -> text: plain text, PDF or Word (.docx), told apart by their content.
//!
//! Users download reports as PDF from the UN documents system; making them convert
//! first loses reports at the door. Each format is turned into the same kind of text
//! a converter would print (one line per printed line or paragraph, blank lines between
//! blocks) so that the one set of reader rules handles all of them.

use super::ReadError;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;

/// Extracted text larger than this is refused: a small compressed file can expand
/// without bound (zip and flate bombs), and no report comes near it.
pub(super) const MAX_TEXT: u64 = 64 * 1024 * 1024;

/// The most one part of a Word file may expand to, and all its parts together: read
/// through `Read::take`, so that a bomb stops here rather than after it has been
/// inflated (40 headers of 60 MiB each in a 2.5 MB file took 2.7 GB before). The
/// largest `document.xml` of a real report is a few MiB.
const MAX_PART: u64 = 64 * 1024 * 1024;
const MAX_PARTS: u64 = 256 * 1024 * 1024;

/// A PDF whose text layer holds fewer letters and digits than this per page is a scan.
const MIN_CHARS_PER_PAGE: usize = 20;

/// The kind of file a report came in, recognised by its first bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    #[default]
    Text,
    Pdf,
    Docx,
}

impl Format {
    /// Recognises a file by its magic bytes, whatever its name says.
    pub fn sniff(bytes: &[u8]) -> Format {
        // Some producers put a few bytes of junk before the header; readers accept the
        // header anywhere in the first KiB.
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            Format::Pdf
        } else if bytes.starts_with(b"PK\x03\x04") {
            Format::Docx
        } else {
            Format::Text
        }
    }

    /// The media type, as `dcterms:format` records it.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// The text of a report file, and the format it came in.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub format: Format,
    pub text: Cow<'a, str>,
}

/// Turns a file's bytes into text for the reader.
///
/// PDF and Word files are parsed in this process: see [`super::Isolation`] for
/// parsing them where a hostile file can do no harm.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, ReadError> {
    if is_legacy_word(bytes) {
        return Err(ReadError::LegacyWord);
    }
    let format = Format::sniff(bytes);
    let text = match format {
        Format::Text => {
            Cow::Borrowed(std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
                line: line_of(&bytes[..e.valid_up_to()]),
            })?)
        }
        Format::Pdf => Cow::Owned(pdf_text(bytes)?),
        Format::Docx => Cow::Owned(docx_text(bytes)?),
    };
    Ok(Decoded { format, text })
}

/// A Word 97-2003 file (an OLE compound file).
pub(super) fn is_legacy_word(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

fn line_of(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// The text layer of a PDF, page after page.
///
/// `pdf-extract` starts a new line where the baseline moves down and leaves a blank
/// line where it moves by more than a line and a half, which is what the reader wants.
/// It can panic on malformed files; a panic here is caught and reported as a broken
/// PDF. What it cannot survive in-process, a stack overflow on deep nesting or a stream
/// that inflates to gigabytes (`lopdf` inflates each stream whole, with no bound), is
/// why the CLI and the server run it in a child process: there the memory limit is
/// the bound on inflated streams ([`super::Sandbox`]).
fn pdf_text(bytes: &[u8]) -> Result<String, ReadError> {
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the PDF parser gave up");
            ReadError::Pdf(why.to_string())
        })?
        .map_err(|e| ReadError::Pdf(pdf_error(&e)))?;
    if pages.is_empty() {
        return Err(ReadError::Pdf("no pages could be read".into()));
    }
    let chars: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    if chars < MIN_CHARS_PER_PAGE * pages.len() {
        return Err(ReadError::NoTextLayer { pages: pages.len() });
    }
    let size: usize = pages.iter().map(String::len).sum();
    if size as u64 > MAX_TEXT {
        return Err(ReadError::TooLarge);
    }
    // A blank line between pages, as a converter prints a page break.
    Ok(pages.join("\n\n"))
}

fn pdf_error(e: &pdf_extract::OutputError) -> String {
    match e {
        pdf_extract::OutputError::PdfError(lopdf::Error::Decryption(_)) => {
            "the PDF is encrypted with a password".into()
        }
        e => format!("{e}"),
    }
}

/// One numbering level of a Word list: how its counter starts and prints.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// Word's numbering definitions: list instance -> levels (`word/numbering.xml`).
#[derive(Debug, Default)]
struct Numbering {
    lists: HashMap<String, Vec<Level>>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, ReadError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        // numId -> (abstractNumId, level -> start override)
        let mut nums: Vec<(String, String, HashMap<usize, u32>)> = Vec::new();
        let mut current_abstract: Option<String> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        loop {
            let event = reader.read_event().map_err(docx_error)?;
            match &event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"abstractNum" => current_abstract = attr(e, "abstractNumId"),
                    b"lvl" if current_abstract.is_some() => {
                        let ilvl = attr(e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        level = Some((
                            ilvl,
                            Level {
                                start: 1,
                                format: "decimal".into(),
                                text: format!("%{}.", ilvl + 1),
                            },
                        ));
                    }
                    b"start" => {
                        if let (Some((_, l)), Some(v)) = (&mut level, attr(e, "val")) {
                            l.start = v.parse().unwrap_or(1);
                        }
                    }
                    b"numFmt" => {
                        if let (Some((_, l)), Some(v)) = (&mut level, attr(e, "val")) {
                            l.format = v;
                        }
                    }
                    b"lvlText" => {
                        if let (Some((_, l)), Some(v)) = (&mut level, attr(e, "val")) {
                            l.text = v;
                        }
                    }
                    b"num" => {
                        if let Some(id) = attr(e, "numId") {
                            nums.push((id, String::new(), HashMap::new()));
                        }
                    }
                    b"abstractNumId" => {
                        if let (Some(n), Some(v)) = (nums.last_mut(), attr(e, "val")) {
                            n.1 = v;
                        }
                    }
                    b"lvlOverride" => override_level = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                    b"startOverride" => {
                        if let (Some(n), Some(ilvl), Some(v)) =
                            (nums.last_mut(), override_level, attr(e, "val"))
                        {
                            n.2.insert(ilvl, v.parse().unwrap_or(1));
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"lvl" => {
                        if let (Some(a), Some((ilvl, l))) = (&current_abstract, level.take()) {
                            let levels = abstracts.entry(a.clone()).or_default();
                            if levels.len() <= ilvl {
                                levels.resize(ilvl + 1, l.clone());
                            }
                            levels[ilvl] = l;
                        }
                    }
                    b"abstractNum" => current_abstract = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        let lists = nums
            .into_iter()
            .filter_map(|(id, abs, overrides)| {
                let mut levels = abstracts.get(&abs)?.clone();
                for (ilvl, start) in overrides {
                    if let Some(l) = levels.get_mut(ilvl) {
                        l.start = start;
                    }
                }
                Some((id, levels))
            })
            .collect();
        Ok(Numbering { lists })
    }
}

/// The counters of each list as the document runs: what Word prints before a
/// paragraph that has automatic numbering.
#[derive(Debug, Default)]
struct Counters {
    values: HashMap<String, Vec<Option<u32>>>,
}

impl Counters {
    /// The label of the next paragraph of list `num` at level `ilvl`, such as `12.` or
    /// `(b)`; `None` for a list without definitions or a bullet.
    fn next(&mut self, numbering: &Numbering, num: &str, ilvl: usize) -> Option<String> {
        let levels = numbering.lists.get(num)?;
        let level = levels.get(ilvl)?;
        let values = self.values.entry(num.to_string()).or_default();
        if values.len() <= ilvl {
            values.resize(ilvl + 1, None);
        }
        values[ilvl] = Some(values[ilvl].map_or(level.start, |v| v + 1));
        // A higher level restarts the ones below it.
        values.truncate(ilvl + 1);
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        let mut label = level.text.clone();
        for (i, l) in levels.iter().enumerate().take(ilvl + 1) {
            let value = values.get(i).copied().flatten().unwrap_or(l.start);
            label = label.replace(&format!("%{}", i + 1), &render_number(value, &l.format));
        }
        Some(label)
    }
}

fn render_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" | "upperLetter" => {
            // a..z, then aa..zz, as Word counts.
            let n = n.max(1) - 1;
            let letter = (b'a' + (n % 26) as u8) as char;
            let s: String = std::iter::repeat_n(letter, (n / 26 + 1) as usize).collect();
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

fn docx_error(e: impl std::fmt::Display) -> ReadError {
    ReadError::Docx(e.to_string())
}

/// Reads one part of the package, refusing a part that expands past [`MAX_PART`] or
/// past what is left of `budget` (all parts' bytes, [`MAX_PARTS`]) as soon as it has
/// inflated that far: the sizes the zip file declares are the sender's to choose.
fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<String>, ReadError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(docx_error(e)),
    };
    let limit = MAX_PART.min(*budget);
    let mut xml = String::new();
    file.take(limit + 1)
        .read_to_string(&mut xml)
        .map_err(docx_error)?;
    if xml.len() as u64 > limit {
        return Err(ReadError::PartTooLarge {
            part: name.to_string(),
            limit,
        });
    }
    *budget -= xml.len() as u64;
    Ok(Some(xml))
}

/// The text of a Word document: one line per paragraph, with the numbers Word prints
/// for automatically numbered paragraphs, a blank line between paragraphs.
///
/// Page headers come first and footers last, as a converter prints a first page:
/// they carry the document symbol and job number, and the reader blanks them as
/// furniture once read.
fn docx_text(bytes: &[u8]) -> Result<String, ReadError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(docx_error)?;
    let mut budget = MAX_PARTS;
    let Some(document) = part(&mut zip, "word/document.xml", &mut budget)? else {
        return Err(ReadError::Docx(
            "a ZIP file without word/document.xml: not a Word document".into(),
        ));
    };
    let numbering = match part(&mut zip, "word/numbering.xml", &mut budget)? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let mut furniture = |prefix: &str| -> Result<String, ReadError> {
        let mut names: Vec<String> = zip
            .file_names()
            .filter(|n| n.starts_with(prefix) && n.ends_with(".xml"))
            .map(str::to_string)
            .collect();
        names.sort();
        let mut out = String::new();
        for name in names {
            if let Some(xml) = part(&mut zip, &name, &mut budget)? {
                out.push_str(&paragraphs(&xml, &numbering, &mut Counters::default())?);
                if out.len() as u64 > MAX_TEXT {
                    return Err(ReadError::TooLarge);
                }
            }
        }
        Ok(out)
    };
    let headers = furniture("word/header")?;
    let footers = furniture("word/footer")?;
    let body = paragraphs(&document, &numbering, &mut Counters::default())?;
    if (headers.len() + body.len() + footers.len()) as u64 > MAX_TEXT {
        return Err(ReadError::TooLarge);
    }
    Ok(headers + &body + &footers)
}

/// The paragraphs of one WordprocessingML part as lines.
fn paragraphs(
    xml: &str,
    numbering: &Numbering,
    counters: &mut Counters,
) -> Result<String, ReadError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    let mut paragraph = String::new();
    let mut in_text = false;
    let mut num: (Option<String>, usize) = (None, 0);
    let mut in_num = false;
    loop {
        let event = reader.read_event().map_err(docx_error)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    paragraph.clear();
                    num = (None, 0);
                }
                b"numPr" => in_num = matches!(event, Event::Start(_)),
                b"ilvl" if in_num => {
                    num.1 = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0)
                }
                b"numId" if in_num => num.0 = attr(e, "val"),
                b"t" => in_text = matches!(event, Event::Start(_)),
                b"tab" => paragraph.push('\t'),
                b"br" | b"cr" => paragraph.push('\n'),
                // Word's non-breaking hyphen is a hyphen in print.
                b"noBreakHyphen" => paragraph.push('-'),
                _ => {}
            },
            Event::Text(t) if in_text => paragraph.push_str(&t.unescape().map_err(docx_error)?),
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"numPr" => in_num = false,
                b"p" => {
                    // numId 0 means "no numbering" in Word.
                    let label = match &num.0 {
                        Some(id) if id != "0" => counters.next(numbering, id, num.1),
                        _ => None,
                    };
                    if let Some(label) = label {
                        out.push_str(&label);
                        out.push(' ');
                    }
                    out.push_str(paragraph.trim_end());
                    out.push_str("\n\n");
                    if out.len() as u64 > MAX_TEXT {
                        return Err(ReadError::TooLarge);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(Format::sniff(b"%PDF-1.7\n..."), Format::Pdf);
        assert_eq!(Format::sniff(b"\r\n%PDF-1.4"), Format::Pdf);
        assert_eq!(Format::sniff(b"PK\x03\x04rest"), Format::Docx);
        assert_eq!(Format::sniff("1. Statements".as_bytes()), Format::Text);
        assert!(matches!(
            decode(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            Err(ReadError::LegacyWord)
        ));
        assert!(matches!(
            decode(b"ok\nok\n\xff"),
            Err(ReadError::NotUtf8 { line: 3 })
        ));
    }

    #[test]
    fn broken_pdfs_and_zips_are_errors_not_panics() {
        for bytes in [
            &b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"[..],
            &b"%PDF-"[..],
            &b"%PDF-1.7\n\xff\xfe garbage"[..],
        ] {
            assert!(matches!(decode(bytes), Err(ReadError::Pdf(_))), "{bytes:?}");
        }
        assert!(matches!(
            decode(b"PK\x03\x04 not really a zip"),
            Err(ReadError::Docx(_))
        ));
    }

    #[test]
    fn word_numbering_is_printed_as_word_prints_it() {
        let numbering = Numbering::parse(
            r#"<w:numbering xmlns:w="w">
              <w:abstractNum w:abstractNumId="7">
                <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
                <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
              </w:abstractNum>
              <w:num w:numId="3"><w:abstractNumId w:val="7"/>
                <w:lvlOverride w:ilvl="0"><w:startOverride w:val="17"/></w:lvlOverride></w:num>
            </w:numbering>"#,
        )
        .unwrap();
        let mut c = Counters::default();
        let labels: Vec<_> = [0, 1, 1, 0, 1]
            .iter()
            .map(|&l| c.next(&numbering, "3", l).unwrap())
            .collect();
        assert_eq!(labels, ["17.", "(a)", "(b)", "18.", "(a)"]);
        assert_eq!(c.next(&numbering, "99", 0), None);
        assert_eq!(render_number(28, "lowerLetter"), "bb");
        assert_eq!(render_number(14, "upperRoman"), "XIV");
    }
}
