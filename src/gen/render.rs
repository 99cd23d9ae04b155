//! Report text -> PDF or Word file, laid out as the UN prints reports: A4 pages, the
//! document symbol in the page header, the job number and page number in the footer.
//!
//! For tests and scale runs of the PDF and Word input paths: the files they make go
//! through the same reader as text and must give the same graph. They are not meant to
//! look like the UN's typesetting, only to carry text the way such files do.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use std::io::Write;

/// What a page prints around the text.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// Printed at the top of every page.
    pub symbol: Option<String>,
    /// Printed at the foot of every page, with `(E)` and the barcode number on the first.
    pub job_number: Option<String>,
}

const PAGE_WIDTH: i64 = 595;
const PAGE_HEIGHT: i64 = 842;
const MARGIN: i64 = 72;
const FONT_SIZE: i64 = 10;
const LEADING: i64 = 12;
/// Characters per printed line: Helvetica at 10 pt averages about 5 pt a character.
const COLUMNS: usize = 90;

/// Lays `text` out on A4 pages in Helvetica, one printed line per wrapped line, a
/// blank line where the text has one.
pub fn pdf(text: &str, furniture: &Furniture) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });

    let mut pages: Vec<Vec<Operation>> = vec![Vec::new()];
    let top = PAGE_HEIGHT - MARGIN;
    let mut y = top;
    for line in text.lines() {
        let wrapped = wrap(line, COLUMNS);
        if wrapped.is_empty() {
            y -= LEADING;
        }
        for piece in wrapped {
            if y < MARGIN {
                pages.push(Vec::new());
                y = top;
            }
            show(pages.last_mut().unwrap(), MARGIN, y, &piece);
            y -= LEADING;
        }
    }

    let count = pages.len();
    let mut kids = Vec::with_capacity(count);
    for (i, body) in pages.into_iter().enumerate() {
        let number = i + 1;
        // Header, body, footer: the order producers draw a page in, which is the order
        // text extraction gives it back in.
        let mut ops = Vec::with_capacity(body.len() + 10);
        if let Some(symbol) = &furniture.symbol {
            show(&mut ops, MARGIN, PAGE_HEIGHT - 40, symbol);
        }
        ops.extend(body);
        let footer = match (&furniture.job_number, number) {
            (Some(job), 1) => {
                let digits: String = job.chars().filter(char::is_ascii_digit).collect();
                format!("{job} (E)    *{digits}*")
            }
            (Some(job), _) => format!("{job}    {number}/{count}"),
            (None, _) => format!("{number}/{count}"),
        };
        show(&mut ops, MARGIN, 40, &footer);
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().expect("content streams of text encode"),
        ));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        })));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count as i64,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("writing to memory");
    out
}

/// One line of text at (x, y), in the WinAnsi encoding of the standard font; what it
/// cannot encode prints as `?`.
fn show(ops: &mut Vec<Operation>, x: i64, y: i64, text: &str) {
    let mut bytes = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let (encoded, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        if unmappable || encoded.len() != 1 {
            bytes.push(b'?');
        } else {
            bytes.push(encoded[0]);
        }
    }
    ops.extend([
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new("Tj", vec![Object::string_literal(bytes)]),
        Operation::new("ET", vec![]),
    ]);
}

/// Greedy wrap of one line at word boundaries, as converters hard-wrap text; a word
/// longer than the line stays whole, an empty line gives no lines.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"#;
const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;
const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A Word document holding `text`, one paragraph per non-blank line, with the
/// symbol in the page header and the job number in the footer.
///
/// Lines that start with a paragraph number (`12. `) become automatically numbered
/// paragraphs, as in the UN's Word files, where the number is not in the text but in
/// the list definition; a new list instance restarts the count wherever the printed
/// number does not follow on.
pub fn docx(text: &str, furniture: &Furniture) -> Vec<u8> {
    let mut body = String::new();
    let mut nums = String::new();
    let mut next: Option<u32> = None;
    let mut num_id = 0u32;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(n, rest)| Some((n.parse::<u32>().ok()?, rest)));
        match numbered {
            Some((n, rest)) => {
                if next != Some(n) {
                    num_id += 1;
                    nums.push_str(&format!(
                        r#"<w:num w:numId="{num_id}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="{n}"/></w:lvlOverride></w:num>"#
                    ));
                }
                next = Some(n + 1);
                body.push_str(&format!(
                    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>{}</w:p>"#,
                    run(rest)
                ));
            }
            None => body.push_str(&format!("<w:p>{}</w:p>", run(line))),
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>{nums}</w:numbering>"#
    );
    let part = |root: &str, text: Option<String>| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:{root} {W}><w:p>{}</w:p></w:{root}>"#,
            run(&text.unwrap_or_default())
        )
    };
    let header = part("hdr", furniture.symbol.clone());
    let footer = part(
        "ftr",
        furniture.job_number.as_ref().map(|j| format!("{j} (E)")),
    );

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", &document),
        ("word/numbering.xml", &numbering),
        ("word/header1.xml", &header),
        ("word/footer1.xml", &footer),
    ] {
        zip.start_file(name, options).expect("writing to memory");
        zip.write_all(content.as_bytes())
            .expect("writing to memory");
    }
    zip.finish().expect("writing to memory").into_inner()
}

fn run(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        quick_xml::escape::escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{decode, Format};

    const TEXT: &str = "Distr.: Limited 3 May 2030\n\nEnglish only\n\n17. Statements were made by the representatives of Chile and (in the name of) Côte d’Ivoire – with “quotes”.\n\n18. A second paragraph long enough to wrap over more than one printed line of the page, as most paragraphs of a report do when they are printed.\n";

    fn furniture() -> Furniture {
        Furniture {
            symbol: Some("A/CONF.999/RPM.9/L.1".into()),
            job_number: Some("V.30-04321".into()),
        }
    }

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn pdf_text_comes_back_word_for_word() {
        let bytes = pdf(TEXT, &furniture());
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.format, Format::Pdf);
        let text = decoded.text;
        let expected = format!("A/CONF.999/RPM.9/L.1\n{TEXT}\nV.30-04321 (E) *3004321*");
        assert_eq!(words(&text), words(&expected), "{text}");
        // Paragraphs stay apart, wrapped lines stay together.
        assert!(text.contains("Ivoire – with “quotes”.\n\n18."), "{text}");
    }

    #[test]
    fn docx_numbers_come_back_from_the_list_definitions() {
        let bytes = docx(TEXT, &furniture());
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.format, Format::Docx);
        let text = decoded.text;
        assert!(text.starts_with("A/CONF.999/RPM.9/L.1"), "{text}");
        assert!(text.contains("\n17. Statements were made"), "{text}");
        assert!(text.contains("\n18. A second paragraph"), "{text}");
        assert!(text.trim_end().ends_with("V.30-04321 (E)"), "{text}");
    }
}
