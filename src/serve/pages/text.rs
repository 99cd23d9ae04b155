//! What the templates show, made from typed rows: paragraphs with their mentions marked,
//! and tables of cells.

use super::{short, Links};
use crate::serve::rows::MarkRow;
use serde::Serialize;
use std::collections::HashMap;

/// A paragraph as a page shows it: its text with every mention marked and linked.
#[derive(Debug, Serialize)]
pub(super) struct Paragraph {
    pub anchor: String,
    pub number: String,
    pub report: Option<String>,
    pub meeting: String,
    pub heading: String,
    pub html: String,
}

/// Groups mention rows by paragraph, in document order, and marks the mentions;
/// `heading` says what a paragraph's heading names before its number.
pub(super) fn paragraphs_of(
    links: &Links,
    rows: &[MarkRow],
    heading: impl Fn(&MarkRow) -> String,
) -> Vec<Paragraph> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_p: HashMap<&str, (&MarkRow, Vec<Span>)> = HashMap::new();
    for r in rows {
        let entry = by_p.entry(r.p.as_str()).or_insert_with(|| {
            order.push(r.p.as_str());
            (r, Vec::new())
        });
        if let (Some(b), Some(e)) = (r.begin, r.end) {
            entry.1.push(Span {
                begin: usize::try_from(b).unwrap_or(0),
                end: usize::try_from(e).unwrap_or(0),
                href: r.entity.as_deref().and_then(|i| links.href(i)),
                class: r.class.as_deref().map(short).unwrap_or_default(),
                title: r.label.clone().unwrap_or_default(),
            });
        }
    }
    order.sort_by_key(|p| {
        let row = by_p[p].0;
        (
            row.report.clone().unwrap_or_default(),
            number_key(&row.number),
        )
    });
    order
        .into_iter()
        .map(|p| {
            let (row, spans) = &by_p[p];
            let number = row.number.as_str();
            let anchor: String = number
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let h = heading(row);
            Paragraph {
                anchor: format!("p-{anchor}"),
                number: number.to_string(),
                report: row.report.clone(),
                heading: if h.is_empty() {
                    format!("Paragraph {number}")
                } else {
                    format!("{h} · paragraph {number}")
                },
                meeting: h,
                html: highlight(&row.text, spans),
            }
        })
        .collect()
}

pub(super) struct Span {
    pub begin: usize,
    pub end: usize,
    pub href: Option<String>,
    pub class: String,
    pub title: String,
}

/// The paragraph text, escaped, with each mention (char offsets) marked and linked;
/// a mention inside one already marked is left to the outer one.
pub(super) fn highlight(text: &str, spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<&Span> = spans
        .iter()
        .filter(|s| s.begin < s.end && s.end <= chars.len())
        .collect();
    spans.sort_by_key(|s| (s.begin, std::cmp::Reverse(s.end)));
    let mut out = String::new();
    let mut pos = 0;
    for s in spans {
        if s.begin < pos {
            continue;
        }
        out.push_str(&escape(&chars[pos..s.begin].iter().collect::<String>()));
        let inner = escape(&chars[s.begin..s.end].iter().collect::<String>());
        match &s.href {
            Some(h) => out.push_str(&format!(
                "<a class=\"m {}\" href=\"{}\" title=\"{}\">{inner}</a>",
                escape(&s.class),
                escape(h),
                escape(&s.title)
            )),
            None => out.push_str(&format!("<mark>{inner}</mark>")),
        }
        pos = s.end;
    }
    out.push_str(&escape(&chars[pos..].iter().collect::<String>()));
    out
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Paragraphs in document order: 2 < 10 < 10(a) < 11.
pub(super) fn number_key(n: &str) -> (u32, String) {
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    (
        digits.parse().unwrap_or(u32::MAX),
        n[digits.len()..].to_string(),
    )
}

/// One cell of a table: text, and a link where [`Links::href`] allows one.
#[derive(Debug, Serialize)]
pub(super) struct Cell {
    pub text: String,
    pub href: Option<String>,
}

impl Cell {
    pub fn text(text: impl ToString) -> Self {
        Cell {
            text: text.to_string(),
            href: None,
        }
    }

    /// `text` linked to `iri`; the IRI's last segment when there is no text.
    pub fn link(links: &Links, text: Option<&str>, iri: &str) -> Self {
        Cell {
            text: text.map_or_else(|| short(iri), str::to_string),
            href: links.href(iri),
        }
    }

    /// An optional IRI: linked when there is one, empty otherwise.
    pub fn maybe_link(links: &Links, text: Option<&str>, iri: Option<&str>) -> Self {
        match iri {
            Some(iri) => Cell::link(links, text, iri),
            None => Cell::text(text.unwrap_or("")),
        }
    }
}

/// A table of a page: a title, column headings, and rows of cells.
#[derive(Debug, Serialize)]
pub(super) struct Table {
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Said under the table: how much of the list it shows.
    pub note: Option<String>,
}

impl Table {
    pub fn new<R>(
        title: impl ToString,
        columns: Vec<&'static str>,
        rows: &[R],
        cells: impl Fn(&R) -> Vec<Cell>,
    ) -> Self {
        Table {
            title: title.to_string(),
            columns,
            rows: rows.iter().map(cells).collect(),
            note: None,
        }
    }

    pub fn with_note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_and_escapes() {
        let spans = [
            Span {
                begin: 0,
                end: 5,
                href: Some("/id/org/unodc".into()),
                class: "Organization".into(),
                title: "UNODC".into(),
            },
            Span {
                begin: 8,
                end: 14,
                href: None,
                class: String::new(),
                title: String::new(),
            },
        ];
        assert_eq!(
            highlight("UNODC & <b>Türkiye", &spans),
            "<a class=\"m Organization\" href=\"/id/org/unodc\" title=\"UNODC\">UNODC</a> &amp; <mark>&lt;b&gt;Tür</mark>kiye"
        );
    }

    #[test]
    fn paragraph_order() {
        let mut n = vec!["10", "2", "10(a)", "1(b)", "1"];
        n.sort_by_key(|s| number_key(s));
        assert_eq!(n, ["1", "1(b)", "2", "10", "10(a)"]);
    }
}
