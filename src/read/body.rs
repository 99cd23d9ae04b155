//! The body: numbered paragraphs, lettered recommendations, sections, and the heading
//! that names the agenda item and workshop.
//!
//! Lines are gathered into blocks. A block starts at a numbered (`12.`) or lettered
//! (`(c)`) line, and every following line joins it unless it starts another block or is a
//! heading; a page break (blank lines, furniture) keeps the block open when its text has
//! not ended a sentence. A block that ends with `(agenda item N)` or `(workshop N)` is the
//! heading of the item, not a paragraph, whatever number it starts with.

use super::clean::Line;
use super::{AgendaRef, Paragraph, Section};
use regex::{Captures, Regex};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Paragraphs and items start with a capital ("12. Speakers ...", "(a) Adopt ..."): a
/// line a converter wrapped just before "(a) terrorism" inside a sentence does not.
/// Only the start of the line is matched (a group spanning a whole paragraph line would
/// make every line a slow search); the text starts at the match's last char.
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^(\d{1,3})\.\s+[\p{Lu}"“'‘(]"#).unwrap());
static LETTERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\(([a-z]|1)\)\s+[\p{Lu}"“'‘]"#).unwrap());

/// Words that open a report's own paragraph ("The Conference also adopted", "At its
/// 3rd meeting"), never a declaration's operative paragraph.
const NOT_VERBS: &[&str] = &[
    "The",
    "This",
    "These",
    "That",
    "Those",
    "At",
    "In",
    "On",
    "By",
    "Under",
    "With",
    "For",
    "From",
    "During",
    "After",
    "Before",
    "Also",
    "It",
    "Its",
    "A",
    "An",
    "One",
    "Some",
    "Many",
    "Several",
    "All",
    "Statements",
    "Representatives",
];

/// "Reaffirm our commitment", "Commit ourselves", "We reaffirm": the operative
/// paragraph of a declaration in the first person, opening with a bare verb.
fn opens_with_a_bare_verb(text: &str) -> bool {
    let (we, text) = match text.strip_prefix("We ") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let word: String = text.chars().take_while(|c| c.is_alphabetic()).collect();
    let mut chars = word.chars();
    let first_ok = chars.next().is_some_and(|c| {
        if we {
            c.is_lowercase()
        } else {
            c.is_uppercase()
        }
    });
    first_ok
        && chars.all(char::is_lowercase)
        && word.len() >= 3
        && text[word.len()..].starts_with(' ')
        && !NOT_VERBS.contains(&word.as_str())
}

/// The text after a paragraph or item marker.
/// A paragraph that announces the text of a resolution or decision after a colon ("...
/// the adoption of the following draft resolution:", "... adopted the following
/// decision:"), whatever title and preamble follow it.
static ANNOUNCES_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:draft\s+)?(?:resolutions?|decisions?)(?:\s+\([^)]*\))?\s*:\s")
        .unwrap()
});

/// Whether `line`, the first operative paragraph "1. Encourages" or "(a) Takes note",
/// opens the text that the open paragraph announced with no "Draft resolution" title
/// line between (the text's own title and preamble were read into the paragraph).
fn opens_untitled_draft(open: &Block, line: &str) -> bool {
    // Every line of a report comes here: the cheap tests first.
    if !(line.starts_with("1.") || line.starts_with("(a)"))
        || !matches!(open.kind, Kind::Numbered(n) if n > 1)
    {
        return false;
    }
    let first = match NUMBERED.captures(line) {
        Some(c) => &c[1] == "1" && OPERATIVE.is_match(&after_marker(&NUMBERED, line)),
        None => LETTERED
            .captures(line)
            .is_some_and(|c| &c[1] == "a" && OPERATIVE.is_match(&after_marker(&LETTERED, line))),
    };
    first && matches!(open.kind, Kind::Numbered(n) if n > 1) && ANNOUNCES_TEXT.is_match(&open.text)
}

fn after_marker(re: &Regex, line: &str) -> String {
    let end = re.find(line).map_or(0, |m| m.end());
    let first = line[..end].chars().next_back().map_or(0, char::len_utf8);
    line[end - first..].to_string()
}
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(proceedings|summary of (?:the )?(?:deliberations|discussions?|general discussion|general debate|debate)|summary by the (?:chair|chairperson|president)|general discussion|general debate|deliberations|outcome of (?:the )?deliberations|conclusions and recommendations|conclusions|recommendations)(?:\s*\((?:continued)\))?\s*:?$").unwrap()
});
/// A numbered sub-heading that names a section (`1. Proceedings`, `2. Summary of the
/// discussion`), as under a lettered heading of a Congress's report: not a paragraph.
static NUMBERED_SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}\.\s+(.+)$").unwrap());
/// An item of a quoted list: a quote, then its letter, numeral or number in brackets
/// ("“(b) Ratification ...", "\"(ii) Other matters").
static QUOTED_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^["“‘']\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s"#).unwrap());
static STRUCTURE_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[IVX]+|[A-Z])\.\s+\S").unwrap());
/// A chapter (`II. Thematic discussion`) or a lettered heading (`A. Proceedings`): the
/// marker and the title after it.
static HEADING_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVX]+|[A-Z])\.\s+(.+)$").unwrap());
/// The chapter of a session's report whose paragraphs recommend or adopt texts: its
/// paragraphs are the outcome.
static ACTION_CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:matters\s+calling\s+for\s+action|(?:resolutions|decisions)(?:\s+and\s+(?:resolutions|decisions))?\s+adopted\s+by)").unwrap()
});
/// A chapter's number alone on its line, its title on the lines after ("Chapter III").
static CHAPTER_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Chapter\s+(?:[IVXL]+|\d{1,2})\.?$").unwrap());
/// The enacting formula that opens a resolution's text: the body adopting it ("The
/// Ninth United Nations Congress on the Prevention of Crime ...,", "The General
/// Assembly,") or the States speaking in a declaration ("We, the Member States ...").
static ENACTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:The\s+(?:\p{Lu}\S*\s+)*(?:Congress|Conference|Commission|Assembly|Council|Meeting)\b|We,?\s+the\s+\p{Lu})").unwrap()
});
/// A line that opens the text of a draft resolution or decision inside a paragraph.
static DRAFT_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:draft\s+)?(?:resolution|decision)(?:\s+([IVX]+)|\s+(\d+/\d+)|\s+(\d{1,2}))?\s*$",
    )
    .unwrap()
});
/// The line that opens a table of contents.
static CONTENTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:table\s+of\s+)?contents$").unwrap());
/// An entry of a table of contents: a title, dotted leaders and its page.
static CONTENTS_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)(?:\s*\.){3,}\s*\d{1,3}$").unwrap());
/// A line of prose ends a table of contents whose last heading the body does not print
/// as the contents do.
const CONTENTS_PROSE_WORDS: usize = 30;
/// An operative paragraph of a resolution starts with its verb in the third person
/// ("Urges", "Also requests", "Calls upon", "Decides"), italic or not.
static OPERATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\*?(?:(?:Also|Further|Further\s+also|Again|Strongly|Once\s+again)\s+\*?\p{Ll}+s|\p{Lu}\p{Ll}+s)(?:\s+upon|\s+on)?\*?\s").unwrap()
});
static ITEM_HEADING_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?:agenda\s+item|workshop)\s+\d+(?:\s*\([a-z]\))?\)\s*[;.]?\s*$").unwrap()
});
static AGENDA_IN_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\);\s*(?:and\s+)?)(?:\d{1,3}\.?\s+)?([^()]*(?:\([a-z]\)[^()]*)*?)\s*\(agenda\s+item\s+(\d+)\)").unwrap()
});
static WORKSHOP_IN_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|;\s*(?:and\s+)?)(?:\d{1,3}\.?\s+)?([^();]*?)\s*\(workshop\s+(\d+)\)").unwrap()
});
static AGENDA_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"agenda\s+item\s+(\d+),\s+entitled\s+["“]([^"”]+)["”]"#).unwrap()
});
static WORKSHOP_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"workshop\s+(\d+),\s+on\s+the\s+topic\s+["“]([^"”]+)["”]"#).unwrap()
});

/// What the body holds.
#[derive(Debug, Default)]
pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    pub agenda_items: Vec<AgendaRef>,
    pub workshops: Vec<AgendaRef>,
}

#[derive(Debug)]
enum Kind {
    Numbered(u32),
    Lettered(char),
    /// Lines outside any paragraph: titles and headings.
    Loose,
}

#[derive(Debug)]
struct Block {
    kind: Kind,
    text: String,
    line: usize,
    section: Section,
}

impl Block {
    /// Text that is not a paragraph's or item's start: it joins what is open, or a
    /// draft's paragraph when closed.
    fn loose(text: &str, line: usize, section: Section) -> Self {
        Block {
            kind: Kind::Loose,
            text: text.to_string(),
            line,
            section,
        }
    }
}

struct State {
    body: Body,
    section: Section,
    used: HashSet<u32>,
    last_number: Option<u32>,
    /// Index in `body.paragraphs` of the numbered paragraph lettered items belong to.
    parent: Option<usize>,
    last_letter: Option<char>,
    /// A chapter heading came since the last paragraph: the numbering may go on from
    /// an earlier part of the report (an addendum starts at 61; a later chapter at 141).
    chapter_break: bool,
    /// A "Chapter III" line came and its title, printed on the lines after it, has not
    /// ended yet: those lines are the heading's, not a paragraph's. `Some(true)` once the
    /// title's first line was read.
    chapter_title: Option<bool>,
    /// Inside the text of a draft resolution or decision that a paragraph recommends,
    /// or of a resolution it quotes.
    draft: Option<Draft>,
    /// Inside a numbered list that the open paragraph introduces ("adopted the following
    /// agenda:" then "1. Opening ..."): the last item's number. Its items, and the
    /// lettered items under them, are the paragraph's text, not paragraphs.
    inner_list: Option<u32>,
    /// The words the document prints whole, for the words it breaks at a line end.
    words: Lexicon,
    /// The last resolution quoted by its symbol: its paragraph (index) and its label
    /// ("10-1" for 10/1), for a second one quoted in the same paragraph.
    quoted: Option<(usize, String)>,
    /// The numeral of the chapter the last chapter heading opened ("I").
    chapter: Option<String>,
    /// Its title ([`Paragraph::chapter`]).
    chapter_heading: Option<String>,
    /// Inside the table of contents before the body: the titles of its entries read
    /// so far (lower case, without marker and page). Its numbered entries ("1. Kyoto
    /// Declaration ... 3") are no paragraphs; the body's repeat of one of its titles,
    /// or a line of prose, ends it.
    contents: Option<Vec<String>>,
}

/// The text of a draft resolution or decision (or of a quoted resolution) inside
/// paragraph `parent` (an index in `body.paragraphs`): its operative paragraphs are
/// `N.k`, its preamble belongs to paragraph N.
#[derive(Debug, Clone)]
struct Draft {
    parent: usize,
    /// The number of the last operative paragraph opened (the next is `k + 1`, even
    /// while `k` is still open).
    k: u32,
    /// "I" of "Draft resolution I": its paragraphs are `N.I.k`, as draft resolution II
    /// numbers its own from 1 again.
    label: Option<String>,
    /// The last number of a list the draft's text prints (a provisional agenda).
    list: Option<u32>,
    /// A resolution the report prints before any paragraph of its own (chapter I of a
    /// Congress's report, "Resolution 1"): the paragraph it is in is its own (`I.1`),
    /// and its numbered paragraphs are its own however they open ("1. We commit").
    own: bool,
    /// The text speaks in the first person plural ("We, the States parties ..."): its
    /// operative paragraphs open with a bare verb.
    first_person: bool,
}

/// Reads the numbered paragraphs of a report's body.
pub fn read_body(lines: &[Line]) -> Body {
    let mut st = State {
        body: Body::default(),
        section: Section::Proceedings,
        used: HashSet::new(),
        last_number: None,
        parent: None,
        last_letter: None,
        chapter_break: false,
        chapter_title: None,
        draft: None,
        inner_list: None,
        words: Lexicon::of(lines),
        quoted: None,
        chapter: None,
        chapter_heading: None,
        contents: None,
    };
    let mut block: Option<Block> = None;
    let mut gap = false;
    for line in lines {
        let Some(text) = line.text.as_deref() else {
            gap = true;
            continue;
        };
        let mended = st.words.mend(text);
        let text = mended.as_ref();
        let after_gap = std::mem::take(&mut gap);
        if st.in_contents(text) {
            continue;
        }
        if CHAPTER_WORD.is_match(text) {
            st.close(block.take());
            st.chapter = text
                .split_whitespace()
                .nth(1)
                .map(|n| n.trim_end_matches('.').to_string());
            st.chapter_heading = None;
            st.heading(Heading::Chapter(Section::Proceedings));
            st.chapter_title = Some(false);
            continue;
        }
        if st.chapter_title_line(text, after_gap) {
            continue;
        }
        if let Some(heading) = section_heading(text) {
            st.close(block.take());
            if matches!(heading, Heading::Chapter(_)) {
                let marker = HEADING_MARKER.captures(text);
                st.chapter = marker.as_ref().map(|c| c[1].to_string());
                st.chapter_heading = marker.map(|c| c[2].trim().to_string());
            }
            st.heading(heading);
            continue;
        }
        if let Some(title) = DRAFT_TITLE.captures(text.trim_matches('*')) {
            st.close(block.take());
            // "Draft resolution II" ends the text of draft I.
            st.draft = None;
            let (roman, symbol) = (title.get(1), title.get(2));
            if let Some(n) = title.get(3).filter(|_| st.report_paragraph().is_none()) {
                if st.open_own_resolution(n.as_str(), line.number) {
                    continue;
                }
            }
            if st.draft_opens(roman.map(|m| m.as_str()), symbol.map(|m| m.as_str())) {
                // A quoted resolution's heading names it ("Resolution 9/1"): it goes
                // into the paragraph that quotes it, as its preamble does.
                if symbol.is_some() {
                    block = Some(Block::loose(text, line.number, st.section));
                }
                continue;
            }
        }
        if let Some(draft) = st.draft.as_mut().filter(|_| text.starts_with("We, ")) {
            draft.first_person = true;
        }
        let introduces = block
            .as_ref()
            .is_some_and(|b| b.text.trim_end().ends_with(':'));
        if let Some(n) = st.draft_list_item(text, introduces) {
            // The block before is closed first: it is not the list's.
            st.close(block.take());
            if let Some(draft) = st.draft.as_mut() {
                draft.list = Some(n);
            }
            block = Some(Block::loose(text, line.number, st.section));
            continue;
        }
        if let Some(open) = block.as_mut().filter(|b| st.in_inner_list(b, text)) {
            join_line(&mut open.text, text, &st.words);
            continue;
        }
        if st.draft.is_none()
            && block
                .as_ref()
                .is_some_and(|b| opens_untitled_draft(b, text))
        {
            st.close(block.take());
            if let Some(parent) = st.report_paragraph() {
                st.open_draft(parent, None);
            }
        }
        if let Some(title) = block.take_if(|b| st.titles_own_resolution(b, text)) {
            st.open_titled_resolution(title);
        }
        let open_numbered = matches!(block.as_ref().map(|b| &b.kind), Some(Kind::Numbered(_)));
        if let Some(kind) = st.block_start(text, open_numbered) {
            st.close(block.take());
            st.draft_goes_on(&kind, text);
            let text = match kind {
                Kind::Numbered(_) => after_marker(&NUMBERED, text),
                Kind::Lettered(_) => after_marker(&LETTERED, text),
                Kind::Loose => unreachable!(),
            };
            if let Kind::Numbered(n) = kind {
                if st.draft.is_none() {
                    st.used.insert(n);
                    st.last_number = Some(n);
                }
                st.last_letter = None;
                st.chapter_break = false;
            }
            if let Kind::Lettered(c) = kind {
                st.last_letter = Some(c);
            }
            block = Some(Block {
                kind,
                text,
                line: line.number,
                section: st.section,
            });
            continue;
        }
        match block.as_mut() {
            Some(b) if continues(b, text, after_gap) => join_line(&mut b.text, text, &st.words),
            _ => {
                st.close(block.take());
                block = Some(Block::loose(text, line.number, st.section));
            }
        }
    }
    st.close(block.take());
    st.agenda_from_text();
    st.body
}

/// Whether `text` has opened a quotation it has not closed: more opening than closing
/// typographic quotes, or an odd number of straight ones.
fn quote_open(text: &str) -> bool {
    let count = |q: char| text.chars().filter(|&c| c == q).count();
    count('“') > count('”') || count('"') % 2 == 1
}

/// What a heading line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// Opens a section (`Summary of deliberations`, `A. Proceedings`).
    Section(Section),
    /// A chapter (`II. Thematic discussion`): a new part of the report, which opens
    /// with its proceedings, or its outcome for the chapter of texts for action.
    Chapter(Section),
    /// Any other structural heading (`B. Substantive items`, `Recommendations`).
    Other,
}

/// What a line is when it is a heading: a section's name, alone or after a chapter or
/// letter marker (`B. Summary of the discussion`), a chapter, or another structural
/// heading. An item heading (`... (agenda item 5)`) is none of these.
fn section_heading(text: &str) -> Option<Heading> {
    if let Some(section) = section_named(text) {
        return Some(section.map_or(Heading::Other, Heading::Section));
    }
    // Every line of the body comes here, most of them a paragraph's: a numbered
    // section heading is short, and only a line starting with a marker can be one.
    let starts_marked = text.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !starts_marked {
        return None;
    }
    let numbered = match text.len() <= SECTION_NAME_MAX + 4 {
        true => NUMBERED_SECTION.captures(text),
        false => None,
    };
    if let Some(c) = numbered {
        if let Some(section) = section_named(c[1].trim()) {
            return Some(section.map_or(Heading::Other, Heading::Section));
        }
    }
    if !STRUCTURE_HEADING.is_match(text) || ITEM_HEADING_END.is_match(text) {
        return None;
    }
    let c = HEADING_MARKER.captures(text)?;
    let title = c[2].trim();
    if let Some(section) = section_named(title) {
        return Some(section.map_or(Heading::Other, Heading::Section));
    }
    let roman = c[1].chars().all(|ch| "IVX".contains(ch));
    Some(if roman {
        if ACTION_CHAPTER.is_match(title) {
            Heading::Chapter(Section::Outcome)
        } else {
            Heading::Chapter(Section::Proceedings)
        }
    } else {
        Heading::Other
    })
}

/// The longest line [`SECTION`] matches ("Summary of the general discussion
/// (continued):" and the like): a longer line is no section's name.
const SECTION_NAME_MAX: usize = 64;

/// The section a heading's words name: `Some(Some(section))`, or `Some(None)` for
/// "Recommendations" alone, a chapter title in these reports printed before the
/// proceedings (the outcome heading is what opens the recommendations).
fn section_named(text: &str) -> Option<Option<Section>> {
    if text.len() > SECTION_NAME_MAX {
        return None;
    }
    let c = SECTION.captures(text)?;
    let word = c[1].to_lowercase();
    Some(if word == "proceedings" {
        Some(Section::Proceedings)
    } else if word.starts_with("summary")
        || word.contains("discussion")
        || word.contains("debate")
        || word == "deliberations"
    {
        Some(Section::Summary)
    } else if word.starts_with("outcome") || word == "conclusions" {
        // "Conclusions" alone (a workshop's, under a Congress's agenda item) opens the
        // conclusions drawn: a chapeau, then lettered items, as an outcome does.
        Some(Section::Outcome)
    } else {
        None
    })
}

/// A line continues the open block unless it looks like a heading after a finished
/// sentence and a page break.
fn continues(block: &Block, text: &str, after_gap: bool) -> bool {
    if matches!(block.kind, Kind::Loose) {
        return !after_gap;
    }
    if !after_gap {
        return true;
    }
    // A colon introduces what follows the gap (a list of officers, an agenda).
    if block.text.trim_end().ends_with(':') {
        return true;
    }
    // A quoted list's next item after one ending in ";" ("“(b) Ratification of ...;"),
    // as a paragraph quotes an agenda item's sub-items: the paragraph's text, not a
    // heading to leave out.
    if block.text.trim_end().ends_with(';') && QUOTED_ITEM.is_match(text) {
        return true;
    }
    let ended = block.text.trim_end().ends_with(['.', ';']);
    if !ended || text.starts_with(|c: char| c.is_lowercase()) {
        return true;
    }
    // After a finished sentence and a page break: a chapter's or a letter's heading
    // ("D. National approaches ... (agenda item 7)", however long), or an item's, is
    // not the paragraph's; nor is a short line with no final stop; a longer one is the
    // paragraph going on after the break, as is a full line that breaks off inside a
    // sentence, after a comma or a word no sentence or heading ends with ("Statements
    // were also made by the observers for the United States, Italy, France and").
    if STRUCTURE_HEADING.is_match(text) || ITEM_HEADING_END.is_match(text) {
        return false;
    }
    let words = text.split_whitespace().count();
    const GOES_ON: [&str; 16] = [
        "and", "or", "of", "the", "for", "to", "in", "on", "by", "with", "a", "an", "as", "from",
        "at", "that",
    ];
    let last = text.rsplit(' ').next().unwrap_or_default();
    let breaks_off = text.chars().count() >= 60 && (last.ends_with(',') || GOES_ON.contains(&last));
    words > 15 || text.ends_with('.') || breaks_off
}

/// Joins a wrapped line. A word broken after a hyphen at the line's end is joined
/// without the hyphen where the document prints the whole word elsewhere ("organ-" /
/// "ized" as "organized"), or the reference data does ("manu-" / "facture"), and keeps
/// it otherwise ("money-" / "laundering" as "money-laundering"): the document is its own
/// dictionary, and the reference data, which never writes a compound joined, the second.
fn join_line(acc: &mut String, next: &str, words: &Lexicon) {
    let hyphen_break = acc.ends_with('-')
        && acc[..acc.len() - 1].ends_with(|c: char| c.is_alphabetic())
        && next.starts_with(|c: char| c.is_lowercase());
    if hyphen_break {
        let head = acc[..acc.len() - 1]
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        let tail = next
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if words.has(&format!("{head}{tail}")) {
            acc.pop();
        }
    } else if !acc.is_empty() {
        acc.push(' ');
    }
    acc.push_str(next);
}

/// A word broken inside a line ("Re- search"), as a converter leaves one it broke at a
/// line's end and then joined to the next line with a space.
static INLINE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{L}+)- (\p{Ll}+)").unwrap());

/// The words (runs of letters, in lower case) a document's lines print.
#[derive(Debug, Default)]
struct Lexicon(HashSet<String>);

impl Lexicon {
    /// Only the words a line break could have broken are kept: the joins of a line
    /// that ends in "letters-" with the first letters of the next, when the document
    /// prints them whole. Most documents break none, and then nothing is read.
    fn of(lines: &[Line]) -> Self {
        let texts: Vec<&str> = lines.iter().filter_map(|l| l.text.as_deref()).collect();
        let at_ends = texts.windows(2).filter_map(|w| {
            let head = w[0].strip_suffix('-')?;
            let head = head.rsplit(|c: char| !c.is_alphabetic()).next()?;
            let tail = w[1].split(|c: char| !c.is_alphabetic()).next()?;
            (!head.is_empty() && tail.starts_with(char::is_lowercase))
                .then(|| format!("{head}{tail}").to_lowercase())
        });
        let inside = texts
            .iter()
            .filter(|t| t.contains("- "))
            .flat_map(|t| INLINE_BREAK.captures_iter(t))
            .map(|c| format!("{}{}", &c[1], &c[2]).to_lowercase());
        let candidates: HashSet<String> = at_ends.chain(inside).collect();
        if candidates.is_empty() {
            return Lexicon::default();
        }
        let words = texts
            .iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
            .map(str::to_lowercase)
            .filter(|w| candidates.contains(w))
            .collect();
        Lexicon(words)
    }

    /// A line with its words broken inside it joined ("Re- search" as "Research") where
    /// the document or the reference data prints the word whole; "pre- and post-trial"
    /// stays as it is.
    fn mend<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !text.contains("- ") {
            return Cow::Borrowed(text);
        }
        INLINE_BREAK.replace_all(text, |c: &Captures| {
            let whole = format!("{}{}", &c[1], &c[2]);
            if self.has(&whole) {
                whole
            } else {
                c[0].to_string()
            }
        })
    }

    fn has(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        self.0.contains(&word) || crate::reference::built_in_words().contains(&word)
    }
}

impl State {
    /// Whether a line is an item of a numbered list inside the open paragraph: a "1."
    /// right after the paragraph's introducing colon opens it, the next number and any
    /// lettered line go on with it. Its numbers are not the report's paragraph numbers,
    /// so an agenda's "6. Adoption of the report" leaves paragraph 6 to the report.
    fn in_inner_list(&mut self, open: &Block, text: &str) -> bool {
        if !matches!(open.kind, Kind::Numbered(_)) || self.draft.is_some() {
            return false;
        }
        let number = NUMBERED
            .captures(text)
            .and_then(|c| c[1].parse::<u32>().ok());
        let next = match (self.inner_list, number) {
            (None, Some(1)) if open.text.trim_end().ends_with(':') => Some(1),
            (Some(k), Some(n)) if n == k + 1 => Some(n),
            (Some(k), None) if LETTERED.is_match(text) => Some(k),
            // The lettered items of a text the paragraph quotes, its quote still open
            // ("..., which read as follows: "Integration ...: (a) Trafficking in persons
            // ...; (b) ..."): the quoted agenda's, not the paragraph's own items.
            (None, None) if LETTERED.is_match(text) && quote_open(&open.text) => Some(0),
            _ => None,
        };
        if next.is_some() {
            self.inner_list = next;
        }
        next.is_some()
    }

    /// Whether a line is (part of) the title of the chapter a "Chapter III" line opened:
    /// its first lines, up to a gap once the title has begun, that neither number a
    /// paragraph nor letter an item. The chapter of texts for action opens the outcome.
    fn chapter_title_line(&mut self, text: &str, after_gap: bool) -> bool {
        let Some(begun) = self.chapter_title else {
            return false;
        };
        if (begun && after_gap) || NUMBERED.is_match(text) || LETTERED.is_match(text) {
            self.chapter_title = None;
            return false;
        }
        self.chapter_title = Some(true);
        if !begun && ACTION_CHAPTER.is_match(text) {
            self.section = Section::Outcome;
        }
        true
    }

    /// The number of a numbered line inside a draft that is an item of a list its text prints (the
    /// provisional agenda that "(b) Approves the provisional agenda set out below"
    /// introduces, or an operative paragraph ending in a colon, "2. Approves the
    /// following provisional agenda ...:"): a "1." that is no operative paragraph, then
    /// the numbers after it. Its numbers are not the report's: "3. General debate." is
    /// no paragraph 3, and "3. Decides" after the list's "7." is the draft's next.
    fn draft_list_item(&self, text: &str, introduced: bool) -> Option<u32> {
        let draft = self.draft.as_ref()?;
        let n = NUMBERED
            .captures(text)
            .and_then(|c| c[1].parse::<u32>().ok())?;
        let operative = self.opens_operative(&after_marker(&NUMBERED, text));
        let item = match draft.list {
            None if draft.own && draft.k == 0 => false,
            None => n == 1 && (draft.k == 0 || introduced) && !operative,
            // "3. Decides" after a list's "2." is the draft's third paragraph.
            Some(m) => n == m + 1 && !(operative && n == draft.k + 1),
        };
        item.then_some(n)
    }

    /// Whether numbered line `n` is the open draft's next operative paragraph: the
    /// number after its last, with an operative verb ("3. Requests") or after the
    /// first. Not a line that is the report's next paragraph and no operative one ("3.
    /// The Commission recommends ..." after the "2. Requests ..." of a draft in
    /// paragraph 2).
    fn in_draft_next(&self, n: u32, line: &str) -> bool {
        let Some(Draft { k, own, .. }) = self.draft else {
            return false;
        };
        if own {
            return n == k + 1;
        }
        let operative = self.opens_operative(&after_marker(&NUMBERED, line));
        let reports_next = !operative && self.last_number.is_some_and(|l| l + 1 == n);
        n == k + 1 && (operative || k > 0) && !reports_next
    }

    /// Whether a numbered line's text (after its marker) opens an operative paragraph:
    /// a resolution's "Reaffirms"; in a declaration the report quotes in the first
    /// person plural ("We, the States parties to the Convention, ...") also a bare
    /// verb ("1. Reaffirm our commitment", "2. Welcome the launch").
    fn opens_operative(&self, text: &str) -> bool {
        OPERATIVE.is_match(text)
            || (self.draft.as_ref().is_some_and(|d| d.first_person) && opens_with_a_bare_verb(text))
    }

    /// Whether a line starts a numbered paragraph or a lettered item.
    fn block_start(&self, text: &str, open_numbered: bool) -> Option<Kind> {
        if let Some(c) = NUMBERED.captures(text) {
            let n: u32 = c[1].parse().ok()?;
            if self.in_draft_next(n, text) {
                return Some(Kind::Numbered(n));
            }
            let plausible = match self.last_number {
                // An excerpt or a later chapter goes on from an earlier part.
                _ if self.chapter_break => !self.used.contains(&n) && self.last_number < Some(n),
                None => n <= 20,
                Some(last) => n != last && n <= last + 3 && !self.used.contains(&n),
            };
            if plausible && n > 0 {
                return Some(Kind::Numbered(n));
            }
        }
        if let Some(c) = LETTERED.captures(text) {
            // Lettered items belong to a paragraph: the report's, or an operative
            // paragraph of a draft whose first item has opened ("(b)" after "(a)" of a
            // Congress's own resolution, which comes before any report paragraph).
            let in_operative = self
                .draft
                .as_ref()
                .is_some_and(|d| d.k > 0 && self.last_letter.is_some());
            if self.parent.is_none() && !open_numbered && !in_operative {
                return None;
            }
            let letter = c[1].chars().next()?;
            let expected = self.last_letter.map_or('a', |l| (l as u8 + 1) as char);
            // OCR reads "(l)" as "(1)": take it as the letter when the letter is due.
            let letter = if letter == '1' { 'l' } else { letter };
            // A letter may run ahead of the last one seen: an item run into the line
            // before it ("; (e) Consider") is split off only when its block closes.
            let ahead = (letter as u32).wrapping_sub(expected as u32);
            if ahead <= 2 || (letter == 'a' && self.last_letter.is_some()) {
                return Some(Kind::Lettered(letter));
            }
        }
        None
    }

    fn close(&mut self, block: Option<Block>) {
        // A list inside the paragraph holds its own lettered items: they are not the
        // paragraph's run-in items.
        let listed = self.inner_list.take().is_some();
        let Some(block) = block else { return };
        let text = block.text.trim().to_string();
        if let Some(draft) = self.draft.take() {
            self.close_in_draft(draft, block.kind, text, block.line);
            return;
        }
        let is_item_heading = ITEM_HEADING_END.is_match(&text);
        match block.kind {
            Kind::Numbered(n) if !is_item_heading => {
                self.parent = Some(self.body.paragraphs.len());
                self.last_letter = None;
                let (head, items) = match listed {
                    true => (text, Vec::new()),
                    false => split_items(&text, 'a'),
                };
                self.body.paragraphs.push(Paragraph {
                    number: n.to_string(),
                    section: block.section,
                    text: head,
                    line: block.line,
                    chapter: self.chapter_heading.clone(),
                });
                for (letter, item) in items {
                    self.push_item(letter, item, block.line);
                }
            }
            Kind::Lettered(letter) => {
                let next = (letter as u8 + 1) as char;
                let (head, items) = split_items(&text, next);
                self.push_item(letter, head, block.line);
                for (letter, item) in items {
                    self.push_item(letter, item, block.line);
                }
            }
            Kind::Numbered(n) => {
                // The item heading is not a paragraph: its number is free again.
                self.used.remove(&n);
                self.last_number = self
                    .body
                    .paragraphs
                    .iter()
                    .rev()
                    .find_map(|p| p.number.parse().ok());
                self.read_item_heading(&text);
            }
            Kind::Loose if is_item_heading => self.read_item_heading(&text),
            Kind::Loose => {}
        }
    }

    /// A heading: it ends a draft's text; a section heading opens its section, a
    /// chapter its first section and a break in the numbering.
    fn heading(&mut self, heading: Heading) {
        self.draft = None;
        match heading {
            Heading::Section(section) => self.section = section,
            Heading::Chapter(section) => {
                self.section = section;
                self.chapter_break = true;
            }
            Heading::Other => {}
        }
    }

    /// Whether a draft's title line opens the text of a draft resolution or decision
    /// that the last paragraph recommends ("... the following draft resolution:" then "Draft
    /// resolution"): its numbered paragraphs are then that paragraph's `N.k`. A title
    /// with a symbol ("Resolution 10/1" on a line of its own) always opens a quoted
    /// resolution's text, however the paragraph announced it (a list of the titles
    /// adopted may stand between).
    fn draft_opens(&mut self, roman: Option<&str>, symbol: Option<&str>) -> bool {
        let Some(parent) = self.report_paragraph() else {
            return false;
        };
        let text = &self.body.paragraphs[parent].text;
        // "... the following draft resolutions:", "The text of resolution 8/1 reads as
        // follows:".
        let announces = symbol.is_some()
            || text.to_lowercase().contains("draft")
            || text.trim_end().ends_with(':');
        if announces {
            let label = match (roman, symbol) {
                (Some(roman), _) => Some(roman.to_string()),
                (None, Some(symbol)) => self.label_beside(parent, symbol),
                (None, None) => None,
            };
            self.open_draft(parent, label);
        }
        announces
    }

    /// The last paragraph that is the report's own (not a draft's `N.k`).
    fn report_paragraph(&self) -> Option<usize> {
        self.body
            .paragraphs
            .iter()
            .rposition(|p| !p.number.contains('.'))
    }

    /// Opens the text of a draft or quoted resolution inside paragraph `parent`.
    fn open_draft(&mut self, parent: usize, label: Option<String>) {
        self.last_letter = None;
        self.draft = Some(Draft {
            parent,
            k: 0,
            label,
            list: None,
            own: false,
            first_person: false,
        });
    }

    /// Opens "Resolution 1" printed before any paragraph of the report's own, in a
    /// chapter of texts adopted: a paragraph `I.1` (the chapter's numeral and the
    /// resolution's number) holds its title and preamble, its numbered paragraphs are
    /// `I.1.k`. Not outside such a chapter: there "Resolution 1" is a title of
    /// something else.
    fn open_own_resolution(&mut self, n: &str, line: usize) -> bool {
        let Some(chapter) = self.chapter.clone() else {
            return false;
        };
        if self.section != Section::Outcome {
            return false;
        }
        self.body.paragraphs.push(Paragraph {
            number: format!("{chapter}.{n}"),
            section: Section::Outcome,
            text: String::new(),
            line,
            chapter: self.chapter_heading.clone(),
        });
        self.open_draft(self.body.paragraphs.len() - 1, None);
        if let Some(d) = self.draft.as_mut() {
            d.own = true;
        }
        true
    }

    /// Whether the open block is the title of a resolution the report prints before any
    /// paragraph of its own, numbered as the chapter lists its texts ("1. International
    /// cooperation ... programme", no full stop), that `text`, the resolution's enacting
    /// formula, follows: older Congress reports print no "Resolution 1" line.
    fn titles_own_resolution(&self, open: &Block, text: &str) -> bool {
        matches!(open.kind, Kind::Numbered(_))
            && self.draft.is_none()
            && self.chapter.is_some()
            && self.section == Section::Outcome
            && self.report_paragraph().is_none()
            && !open.text.trim_end().ends_with(['.', ';', ':'])
            && ENACTING.is_match(text)
    }

    /// Opens the resolution that `title` numbers as `I.N` (see
    /// [`State::open_own_resolution`]), the title its paragraph's first words: the
    /// number was the resolution's, never a paragraph's of the report.
    fn open_titled_resolution(&mut self, title: Block) {
        let Kind::Numbered(n) = title.kind else {
            return;
        };
        self.used.remove(&n);
        self.last_number = None;
        if self.open_own_resolution(&n.to_string(), title.line) {
            self.close(Some(Block::loose(&title.text, title.line, self.section)));
        }
    }

    /// Whether a line belongs to the table of contents before the body (see
    /// [`State::contents`]).
    fn in_contents(&mut self, text: &str) -> bool {
        if CONTENTS.is_match(text) && self.body.paragraphs.is_empty() {
            self.contents = Some(Vec::new());
            return true;
        }
        let Some(titles) = self.contents.as_mut() else {
            return false;
        };
        let title = |t: &str| {
            let t = HEADING_MARKER
                .captures(t)
                .map_or(t, |c| c.get(2).map_or(t, |m| m.as_str()));
            let t = NUMBERED
                .captures(t)
                .map_or(t.to_string(), |_| after_marker(&NUMBERED, t));
            t.trim().to_lowercase()
        };
        if let Some(c) = CONTENTS_ENTRY.captures(text) {
            titles.push(title(&c[1]));
            return true;
        }
        let repeats = titles.contains(&title(text));
        // "Chapter I" on its own line opens the body: a table of contents prints its
        // chapters as entries ("I. Resolutions adopted ... 3"), never so.
        let chapter = CHAPTER_WORD.is_match(text);
        if repeats || chapter || text.split_whitespace().count() >= CONTENTS_PROSE_WORDS {
            self.contents = None;
            return false;
        }
        true
    }

    /// The label of a resolution quoted by its symbol in paragraph `parent`: none when
    /// it is the paragraph's only one (`2.1`, `2.2`), its symbol ("10-1" for 10/1:
    /// `1.10-1.1`) once a second is quoted in the same paragraph, when the first one's
    /// paragraphs take their symbol too. Without it the second's `1.1` would be the
    /// first's.
    fn label_beside(&mut self, parent: usize, symbol: &str) -> Option<String> {
        let label = symbol.replace('/', "-");
        let earlier = self.quoted.replace((parent, label.clone()));
        let (_, first) = earlier.filter(|(p, _)| *p == parent)?;
        let number = self.body.paragraphs[parent].number.clone();
        let prefix = format!("{number}.");
        for para in &mut self.body.paragraphs[parent + 1..] {
            let unlabelled = para.number.strip_prefix(&prefix).filter(|k| {
                k.split('(')
                    .next()
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            });
            if let Some(k) = unlabelled {
                para.number = format!("{number}.{first}.{k}");
            }
        }
        Some(label)
    }

    /// A numbered paragraph opening inside a draft: its next operative paragraph, or
    /// else the report's own again, which ends the draft ("3. The text of resolution
    /// 8/4 ..." after a quoted resolution's "3. Requests ...").
    fn draft_goes_on(&mut self, kind: &Kind, line: &str) {
        let next = matches!(kind, Kind::Numbered(n) if self.in_draft_next(*n, line));
        if let (Kind::Numbered(n), Some(d)) = (kind, self.draft.as_mut()) {
            if next {
                d.k = *n;
                // A list the last operative paragraph introduced has ended.
                d.list = None;
            } else {
                self.draft = None;
            }
        }
    }

    /// A block inside a draft's text: an operative paragraph `N.k` (`N.I.k` in draft
    /// resolution I of several), a lettered paragraph of a decision `N(a)`, or preamble
    /// (and the draft's title) that paragraph N, or the lettered paragraph before, takes
    /// in.
    fn close_in_draft(&mut self, draft: Draft, kind: Kind, text: String, line: usize) {
        let parent = &self.body.paragraphs[draft.parent];
        let (number, section) = (parent.number.clone(), parent.section);
        match kind {
            Kind::Numbered(n) if n == draft.k => {
                let number = match &draft.label {
                    Some(label) => format!("{number}.{label}.{n}"),
                    None => format!("{number}.{n}"),
                };
                self.draft = Some(draft);
                self.push_entry(number, section, text, line);
            }
            // Not an item of the list a lettered paragraph prints (an agenda's "(a)").
            Kind::Lettered(letter) if draft.k == 0 && draft.list.is_none() => {
                self.draft = Some(draft);
                self.push_item(letter, text, line);
            }
            // An operative paragraph's lettered items are entries of their own, `N.k(a)`,
            // as a report's lettered recommendations are: "4. We endeavour ... to that
            // end: (a) To ensure that legal aid ...".
            Kind::Lettered(letter) if draft.k > 0 && draft.list.is_none() => {
                self.draft = Some(draft);
                self.push_operative_item(letter, text, line);
            }
            _ => {
                // After a decision's lettered paragraph, what follows is that
                // paragraph's (the agenda that "(b) Approves the provisional agenda set
                // out below" introduces).
                let last = self.body.paragraphs.len() - 1;
                let into = match self.last_letter {
                    Some(_) if draft.k == 0 && last > draft.parent => last,
                    // After an operative paragraph: its list or its lettered items.
                    _ if draft.k > 0 => last,
                    _ => draft.parent,
                };
                self.draft = Some(draft);
                join_line(&mut self.body.paragraphs[into].text, &text, &self.words);
            }
        }
    }

    /// A paragraph entry in the chapter being read.
    fn push_entry(&mut self, number: String, section: Section, text: String, line: usize) {
        self.body.paragraphs.push(Paragraph {
            number,
            section,
            text,
            line,
            chapter: self.chapter_heading.clone(),
        });
    }

    /// Lettered item `letter` of the draft's last operative paragraph (the last entry,
    /// or the one its earlier items follow): numbered after it, in its section.
    fn push_operative_item(&mut self, letter: char, text: String, line: usize) {
        let Some(last) = self.body.paragraphs.last() else {
            return;
        };
        let operative = last.number.split('(').next().unwrap_or_default();
        let (number, section) = (format!("{operative}({letter})"), last.section);
        self.last_letter = Some(letter);
        self.push_entry(number, section, text, line);
    }

    fn push_item(&mut self, letter: char, text: String, line: usize) {
        let Some(parent) = self.parent else { return };
        let parent_para = &mut self.body.paragraphs[parent];
        // A chapeau that introduces recommendations is the outcome even where no
        // "Outcome" heading was printed.
        if parent_para.section == Section::Summary
            && parent_para.text.to_lowercase().contains("recommendation")
        {
            parent_para.section = Section::Outcome;
        }
        let section = match parent_para.section {
            Section::Outcome | Section::Recommendations => Section::Recommendations,
            s => s,
        };
        let number = format!("{}({letter})", parent_para.number);
        self.last_letter = Some(letter);
        self.push_entry(number, section, text, line);
    }

    fn read_item_heading(&mut self, text: &str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // The patterns' captures cost a backtracking search from each start; a heading
        // that names no item is most of them.
        if text.contains("(agenda item") {
            for c in AGENDA_IN_HEADING.captures_iter(&text) {
                push_ref(&mut self.body.agenda_items, &c[2], c[1].trim());
            }
        }
        if text.contains("(workshop") {
            for c in WORKSHOP_IN_HEADING.captures_iter(&text) {
                push_ref(&mut self.body.workshops, &c[2], c[1].trim());
            }
        }
    }

    /// Congress reports name the item in their first paragraphs instead of a heading:
    /// "considered agenda item 6, entitled “...”".
    fn agenda_from_text(&mut self) {
        for p in &self.body.paragraphs {
            if self.body.agenda_items.is_empty() {
                if let Some(c) = AGENDA_IN_TEXT.captures(&p.text) {
                    push_ref(&mut self.body.agenda_items, &c[1], &c[2]);
                }
            }
            if self.body.workshops.is_empty() {
                if let Some(c) = WORKSHOP_IN_TEXT.captures(&p.text) {
                    push_ref(&mut self.body.workshops, &c[1], &c[2]);
                }
            }
        }
    }
}

fn push_ref(list: &mut Vec<AgendaRef>, number: &str, title: &str) {
    if list.iter().any(|r| r.number == number) {
        return;
    }
    let title = title.trim_matches(|c: char| c == ';' || c.is_whitespace());
    list.push(AgendaRef {
        number: number.to_string(),
        title: (!title.is_empty()).then(|| title.to_string()),
    });
}

/// Splits lettered items that a converter ran into the previous line:
/// "... held in 2022; (e) Consider ..." gives the text before and `[('e', "Consider ...")]`.
/// Only the letter that is due next is taken, so "(a)" inside a quotation is left alone.
fn split_items(text: &str, mut expected: char) -> (String, Vec<(char, String)>) {
    let mut head = text.to_string();
    let mut items: Vec<(char, String)> = Vec::new();
    loop {
        let current = items.last().map_or(&head, |(_, t)| t);
        let marker = format!("({expected}) ");
        let found = current.match_indices(&marker).find(|(i, _)| {
            let before = current[..*i].trim_end();
            let after = &current[i + marker.len()..];
            before.ends_with([';', ':', '.']) && after.starts_with(|c: char| c.is_uppercase())
        });
        let Some((i, _)) = found else { break };
        let rest = current[i + marker.len()..].to_string();
        let kept = current[..i].trim_end().to_string();
        match items.last_mut() {
            Some((_, t)) => *t = kept,
            None => head = kept,
        }
        items.push((expected, rest));
        expected = (expected as u8 + 1) as char;
    }
    (head, items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::clean_lines;

    fn body(text: &str) -> Body {
        read_body(&clean_lines(text))
    }

    fn numbers(b: &Body) -> Vec<String> {
        b.paragraphs.iter().map(|p| p.number.clone()).collect()
    }

    fn text_of<'a>(b: &'a Body, n: &str) -> &'a str {
        &b.paragraphs.iter().find(|p| p.number == n).unwrap().text
    }

    #[test]
    fn a_table_of_contents_holds_no_paragraphs() {
        let b = body("Contents\n\nChapter Page\n\nI. Resolutions adopted by the Meeting . . . . 3\n\n    1. A declaration on fair trials and the rule of law in the region of the north: towards\n\n    2. Credentials of representatives . . . 4\n\nII. Attendance . . . . 4\n\nII. Attendance\n\n1. The Meeting was held in Oslo.\n\n2. Ten States attended.");
        assert_eq!(numbers(&b), ["1", "2"]);
        // Without a heading the contents name, prose ends them.
        let b = body("Contents\n\nI. Organization . . . 2\n\n1. The Meeting was held in Oslo from 1 to 3 May 2030, at the invitation of the Government of Norway, and was attended by representatives of ten States of the region and by observers.");
        assert_eq!(numbers(&b), ["1"]);
        // "Chapter I" on its own line opens the body, though its title is the next line.
        let b = body("Contents\n\nI. Resolutions adopted by the Meeting . . . . 3\n\nII. Attendance . . . . 4\n\nChapter I\n\nResolutions adopted by the Meeting\n\nResolution 1\n\nA declaration\n\n1. We commit ourselves to fair trials.\n\nChapter II\n\nAttendance\n\n1. The Meeting was held in Oslo.");
        assert_eq!(numbers(&b), ["I.1", "I.1.1", "1"]);
    }

    #[test]
    fn resolutions_printed_before_the_reports_paragraphs_are_numbered_by_chapter() {
        let b = body("I. Resolutions adopted by the Congress\n\nThe Congress adopted the following resolutions:\n\nResolution 1\n\nOslo Declaration on fair trials\n\nWe, the Member States,\n\nDeclare as follows:\n\n1. We commit to fair trials;\n\n2. We will train judges, to that end:\n\n(a) To fund courses;\n\n(b) To share curricula;\n\nResolution 2\n\nCredentials of representatives\n\nThe Congress,\n\n1. Approves the report of the Credentials Committee.\n\nII. Attendance and organization of work\n\n1. The Congress was held in Oslo.\n\n2. Ten States attended.");
        assert_eq!(
            numbers(&b),
            ["I.1", "I.1.1", "I.1.2", "I.1.2(a)", "I.1.2(b)", "I.2", "I.2.1", "1", "2"]
        );
        assert!(text_of(&b, "I.1").contains("Oslo Declaration"));
        assert_eq!(text_of(&b, "I.1.2"), "We will train judges, to that end:");
        assert_eq!(text_of(&b, "I.1.2(b)"), "To share curricula;");
        assert_eq!(b.paragraphs[0].section, Section::Outcome);
        assert_eq!(b.paragraphs[7].section, Section::Proceedings);
        // Outside a chapter of texts adopted, "Resolution 1" opens no paragraph.
        let b = body(
            "I. Organization of the session\n\nResolution 1\n\n1. The session was held in Oslo.",
        );
        assert_eq!(numbers(&b), ["1"]);
    }

    #[test]
    fn a_resolution_titled_by_its_number_opens_at_its_enacting_formula() {
        let b = body("Chapter I\n\nResolutions adopted by the Congress\n\n1. Cooperation for the rule of law\n\nThe Ninth United Nations Congress on the Prevention of Crime,\n\nRecalling its earlier resolutions,\n\n1. Urges States to act;\n\n2. Requests a report.\n\n2. Violence against women\n\nThe Ninth United Nations Congress on the Prevention of Crime,\n\nCalls upon States to act.\n\nChapter II\n\nAttendance\n\n1. The Congress was held in Cairo.\n\n2. Ten States attended.");
        assert_eq!(numbers(&b), ["I.1", "I.1.1", "I.1.2", "I.2", "1", "2"]);
        assert!(text_of(&b, "I.1").starts_with("Cooperation for the rule of law The Ninth"));
        assert!(text_of(&b, "I.2").ends_with("Calls upon States to act."));
        assert_eq!(text_of(&b, "1"), "The Congress was held in Cairo.");
        // A numbered paragraph of the report's own, followed by a line that names a
        // body, stays the report's.
        let b = body("Chapter I\n\nResolutions adopted by the Congress\n\n1. The Congress adopted two resolutions.\n\nThe Congress also adopted a decision.\n\n2. The Congress closed.");
        assert_eq!(numbers(&b)[0], "1");
    }

    #[test]
    fn an_addendum_goes_on_numbering_after_a_chapter_heading() {
        let b = body("Addendum\n\nV. High-level segment\n\nA. Proceedings\n\n61. The segment was held.\n\n62. Statements were made.\n\nB. General debate\n\n63. Speakers said.\n\nVIII. Workshop on data\n\n141. The workshop was held.\n\n142. Panellists spoke.");
        assert_eq!(numbers(&b), ["61", "62", "63", "141", "142"]);
        let sections: Vec<Section> = b.paragraphs.iter().map(|p| p.section).collect();
        use Section::*;
        assert_eq!(
            sections,
            [Proceedings, Proceedings, Summary, Proceedings, Proceedings]
        );
        // Without a chapter heading, a number far ahead is text, not a paragraph.
        let b = body("1. One.\n\n2. Two.\n\n41. Not a paragraph start after all.");
        assert_eq!(numbers(&b), ["1", "2"]);
    }

    #[test]
    fn an_agenda_inside_a_paragraph_leaves_the_numbers_to_the_report() {
        let b = body("5. The Meeting adopted the following agenda:\n    1. Opening of the Meeting.\n    2. Substantive items:\n       (a) Crime prevention;\n       (b) Cooperation.\n    3. Adoption of the report.\n\nD. Attendance\n\n6. The Meeting was attended by Brazil.\n\n7. Observers attended.");
        assert_eq!(numbers(&b), ["5", "6", "7"]);
        assert!(text_of(&b, "5").contains("(b) Cooperation. 3. Adoption"));
        assert!(text_of(&b, "6").contains("Brazil"));
    }

    #[test]
    fn a_quoted_agenda_items_sub_items_are_its_paragraphs_text() {
        let b = body("1. The Commission considered agenda item 6, which read as follows:\n\n“Integration of efforts:\n\n“(a) Ratification of the Organized Crime Convention;\n\n“(b) Ratification of the Convention against Corruption;\n\n“(c) Other matters.”\n\nA. Ratification\n\n2. Speakers welcomed it.");
        assert_eq!(numbers(&b), ["1", "2"]);
        assert!(text_of(&b, "1").contains(
            "“(a) Ratification of the Organized Crime Convention; “(b) Ratification of the Convention against Corruption; “(c) Other matters.”"
        ));
    }

    #[test]
    fn a_quoted_agendas_lettered_items_and_a_line_after_a_page_break_are_the_paragraphs() {
        let b = body("1. The Commission considered agenda item 5, which read as follows:\n\n\"Integration of efforts:\n\n(a) Trafficking in persons;\n\n(b) Cybercrime.\"\n\n2. Statements were made by the representatives of Egypt and Jordan.\n\n\n\nStatements were also made by the observers for the United States, Italy, France and\nSwitzerland.\n\n3. Speakers agreed.");
        assert_eq!(numbers(&b), ["1", "2", "3"]);
        assert!(text_of(&b, "1").contains("(a) Trafficking in persons; (b) Cybercrime.\""));
        assert!(text_of(&b, "2")
            .contains("observers for the United States, Italy, France and Switzerland."));
    }

    #[test]
    fn a_list_of_officers_after_a_colon_is_its_paragraphs() {
        let b = body("4. The Meeting elected the following officers:\n\n    Chair:   Ana Ruiz (Costa Rica)\n    Rapporteur:   Israel Ortega (Mexico)\n\nC. Adoption of the agenda\n\n5. The agenda was adopted.");
        assert_eq!(numbers(&b), ["4", "5"]);
        assert!(text_of(&b, "4")
            .contains("Chair: Ana Ruiz (Costa Rica) Rapporteur: Israel Ortega (Mexico)"));
    }

    #[test]
    fn a_draft_resolution_is_numbered_inside_its_paragraph() {
        let b = body("I. Matters calling for action by the Economic and Social Council\n\n1. The Commission recommends the approval of the following draft resolution:\n\nDraft resolution\n\nCombating illegal mining\n\n*The General Assembly*,\n\n*Recalling* the Kyoto Declaration,\n\n1. *Urges* States to ratify the Convention;\n\n2. *Also requests* the Office to report.\n\nB. Matters brought to the attention of the Council\n\n2. The following resolutions were adopted.\n\nII. Thematic discussion\n\nA. Proceedings\n\n3. Statements were made by the representatives of Brazil.\n\nB. Summary of the discussion\n\n4. Speakers noted.");
        assert_eq!(numbers(&b), ["1", "1.1", "1.2", "2", "3", "4"]);
        assert!(
            text_of(&b, "1").contains("Kyoto Declaration"),
            "the preamble is paragraph 1's"
        );
        assert!(
            text_of(&b, "1.1").starts_with("*Urges*") || text_of(&b, "1.1").starts_with("Urges")
        );
        let sections: Vec<Section> = b.paragraphs.iter().map(|p| p.section).collect();
        use Section::*;
        assert_eq!(
            sections,
            [Outcome, Outcome, Outcome, Outcome, Proceedings, Summary]
        );
    }

    #[test]
    fn an_operative_paragraphs_lettered_items_are_its_entries() {
        let b = body("1. The Commission recommends the following draft resolution:\n\nDraft resolution\n\nThe General Assembly,\n\n1. Urges States, to that end:\n\n(a) To ratify the Convention;\n\n(b) To report on\nits use;\n\n2. Requests the Office to report.\n\n2. Speakers noted.");
        assert_eq!(numbers(&b), ["1", "1.1", "1.1(a)", "1.1(b)", "1.2", "2"]);
        assert_eq!(text_of(&b, "1.1"), "Urges States, to that end:");
        assert_eq!(text_of(&b, "1.1(b)"), "To report on its use;");
        assert_eq!(b.paragraphs[2].section, b.paragraphs[1].section);
    }

    #[test]
    fn a_chapter_line_and_the_title_under_it_are_a_heading() {
        let b = body("Chapter I\n\nMatters calling for action by the Council\n\n1. The Commission recommends.\n\nChapter II\n\nGeneral debate\n\n2. Speakers noted the\n\n2/22 V.15-03655\n\nlinks with money-laundering.\nChapter III\n\nThematic discussion on the Doha\nDeclaration\n\n3. Speakers agreed.");
        assert_eq!(numbers(&b), ["1", "2", "3"]);
        assert_eq!(
            text_of(&b, "2"),
            "Speakers noted the links with money-laundering."
        );
        let sections: Vec<Section> = b.paragraphs.iter().map(|p| p.section).collect();
        use Section::*;
        assert_eq!(sections, [Outcome, Proceedings, Proceedings]);
    }

    #[test]
    fn drafts_numbered_by_their_numeral_and_a_decision_by_its_letters() {
        let b = body("1. The Commission recommends the following draft resolutions:\n\nDraft resolution I\n\nThe General Assembly,\n\n1. Urges States to act;\n\n2. Requests the Office to report.\n\nDraft resolution II\n\n1. Adopts the rules;\n\n2. Approves the name.\n\nB. Draft decision recommended for adoption by the Council\n\n2. The Commission recommends the following draft decision:\n\nDraft decision\n\nThe Council:\n\n(a) Takes note of the report;\n\n(b) Approves the provisional agenda set out below.\n\nProvisional agenda\n\n1. Thematic discussion on terrorism.\n\n2. Adoption of the agenda.\n\n3. General debate.\n\nC. Matters brought to the attention of the Council\n\n3. Speakers noted.");
        assert_eq!(
            numbers(&b),
            ["1", "1.I.1", "1.I.2", "1.II.1", "1.II.2", "2", "2(a)", "2(b)", "3"]
        );
        assert!(
            text_of(&b, "2(b)").contains("terrorism"),
            "{:?}",
            text_of(&b, "2(b)")
        );
    }

    #[test]
    fn a_quoted_resolution_is_numbered_inside_its_paragraph_and_the_report_goes_on() {
        let b = body("1. The Conference adopted two resolutions.\n\n2. The text of resolution 8/1 reads as follows:\n\nResolution 8/1\n\nThe Conference of the Parties,\n\n1. Takes note of the report;\n\n2. Decides to continue;\n\n3. Requests the Secretariat to report.\n\n3. The text of resolution 8/4 reads as follows:\n\nResolution 8/4\n\n1. Urges States to ratify the Protocol.\n\nB. Decisions\n\n4. The Conference decided.");
        assert_eq!(
            numbers(&b),
            ["1", "2", "2.1", "2.2", "2.3", "3", "3.1", "4"]
        );
        assert!(text_of(&b, "3").starts_with("The text of resolution 8/4"));
    }

    /// A declaration quoted in the first person: its operative paragraphs open with a
    /// bare verb, and the report's next paragraph ("2. The Conference") is not one.
    #[test]
    fn a_quoted_declaration_in_the_first_person_is_numbered_inside_its_paragraph() {
        let b = body("1. At its tenth session, the Conference adopted the following resolution:\n\nResolution 10/1\n\nPalermo Declaration\n\nWe, the States parties to the Convention,\n\nRecalling its resolution 9/1,\n\n1. Reaffirm our commitment to the Convention;\n\n2. Welcome the launch of the Review Mechanism;\n\n3. Commit ourselves to act.\n\n2. The Conference also adopted the following resolutions.");
        assert_eq!(numbers(&b), ["1", "1.1", "1.2", "1.3", "2"]);
        assert!(text_of(&b, "1.2").starts_with("Welcome the launch"));
    }

    /// Two resolutions quoted in one paragraph, after a list of the titles adopted:
    /// each numbered by its symbol, the first renumbered when the second comes.
    #[test]
    fn resolutions_quoted_in_one_paragraph_are_numbered_by_their_symbols() {
        let b = body("1. The Conference adopted the following resolutions:\n\nResolution 5/1. Harbour safety\n\nResolution 5/2. Lake fisheries\n\nResolution 5/1\n\nThe Conference,\n\n1. Decides to act;\n\n2. Requests a report.\n\nResolution 5/2\n\n1. Urges States to act;\n\n2. Invites donors to help;\n\n3. Requests a report.\n\n2. The Conference also adopted decisions.");
        assert_eq!(
            numbers(&b),
            ["1", "1.5-1.1", "1.5-1.2", "1.5-2.1", "1.5-2.2", "1.5-2.3", "2"]
        );
        assert!(text_of(&b, "1").contains("The Conference,"));
        // The heading that names a quoted resolution is its paragraph's text.
        assert_eq!(text_of(&b, "1").matches("Resolution 5/2").count(), 2);
    }

    /// A list an operative paragraph introduces is that paragraph's text, its lettered
    /// items entries of their own, and the draft goes on after them.
    #[test]
    fn a_list_inside_an_operative_paragraph_is_its_text() {
        let b = body("1. The Commission recommends the following draft resolution:\n\nDraft resolution\n\nThe General Assembly,\n\n1. Decides to meet;\n\n2. Approves the following agenda:\n\n1. Opening.\n\n2. Adoption of the report.\n\n3. Decides further:\n\n(a) To act;\n\n(b) To report.\n\n2. The Commission adopted the report.");
        assert_eq!(
            numbers(&b),
            ["1", "1.1", "1.2", "1.3", "1.3(a)", "1.3(b)", "2"]
        );
        assert!(text_of(&b, "1.2").ends_with("1. Opening. 2. Adoption of the report."));
        assert_eq!(text_of(&b, "1.3(b)"), "To report.");
    }

    /// A draft printed with its own title and no "Draft resolution" line: its first
    /// operative paragraph opens it; a decision's lettered paragraphs and the agenda it
    /// prints are its own too.
    #[test]
    fn a_draft_with_no_draft_title_line_opens_at_its_first_operative_paragraph() {
        let b = body("1. The Meeting opened.\n\n2. The Commission recommends the adoption of the following draft resolution:\n\nSafer harbours\n\nThe Council,\n\nRecalling its work,\n\n1. Encourages States to act;\n\n2. Requests a report.\n\n3. The Commission recommends the adoption of the following draft decision:\n\nReport of the Commission\n\nThe Council:\n\n(a) Takes note of the report;\n\n(b) Approves the agenda set out below.\n\n1. Election of officers.\n\n2. Strategic questions:\n\n(a) Governance;\n\n(b) Working methods.\n\n3. General debate.\n\nD. Other matters\n\n4. The Commission adopted the report.");
        assert_eq!(
            numbers(&b),
            ["1", "2", "2.1", "2.2", "3", "3(a)", "3(b)", "4"],
            "{:?}",
            b.paragraphs
        );
        assert!(text_of(&b, "2").ends_with("Recalling its work,"));
        assert!(text_of(&b, "3(b)").ends_with("Working methods. 3. General debate."));
    }

    #[test]
    fn item_heading_is_not_a_paragraph_and_names_the_agenda() {
        let b = body("B. Substantive items\n\n- 3. Fighting crime in all its forms (agenda item 5); and looking ahead: data for people (workshop 3)\n\n1. A statement was made.\n\nSummary of deliberations\n\n2. Speakers spoke.\n\n3. More.");
        assert_eq!(numbers(&b), ["1", "2", "3"]);
        assert_eq!(b.paragraphs[0].section, Section::Proceedings);
        assert_eq!(b.paragraphs[1].section, Section::Summary);
        assert_eq!(
            b.agenda_items,
            [AgendaRef {
                number: "5".into(),
                title: Some("Fighting crime in all its forms".into())
            }]
        );
        assert_eq!(
            b.workshops,
            [AgendaRef {
                number: "3".into(),
                title: Some("looking ahead: data for people".into())
            }]
        );
    }

    #[test]
    fn numbering_out_of_order_with_heading_between() {
        let b = body("1. Statements were made.\n\n3. Fighting crime (agenda item 5); and data (workshop 3);\n\nSummary of deliberations\n\n2. Speakers.\n\n3. Others.");
        assert_eq!(numbers(&b), ["1", "2", "3"]);
        assert_eq!(text_of(&b, "3"), "Others.");
    }

    #[test]
    fn unnumbered_item_heading() {
        let b = body("## B. Substantive items\n\n4 Cooperation against crime: (a) terrorism; and (b) new crime (agenda item 6); and crime trends (workshop 4)\n\n1. Text.");
        assert_eq!(b.agenda_items[0].number, "6");
        assert_eq!(
            b.agenda_items[0].title.as_deref(),
            Some("Cooperation against crime: (a) terrorism; and (b) new crime")
        );
        assert_eq!(b.workshops[0].number, "4");
        assert_eq!(numbers(&b), ["1"]);
    }

    #[test]
    fn paragraph_split_by_page_break_and_footer() {
        let b = body("5. Speakers noted that proceeds from such\n\n\n\nPlease recycle\n\n\n\ncrimes are large.\n\n6. Next.");
        assert_eq!(
            text_of(&b, "5"),
            "Speakers noted that proceeds from such crimes are large."
        );
    }

    #[test]
    fn page_header_inside_a_paragraph() {
        let b = body("5. Speakers noted that the United\nA/CONF.999/L.1/Add.2\n\n3/5\nArab Emirates spoke.\n6. Next.");
        assert_eq!(
            text_of(&b, "5"),
            "Speakers noted that the United Arab Emirates spoke."
        );
    }

    #[test]
    fn hard_wrapped_lines_and_hyphen_breaks() {
        let b = body("7. Speakers addressed money-\nlaundering and the United Arab\nEmirates. The next sentence\nstarts on a line.\n\n8. Next.");
        assert_eq!(text_of(&b, "7"), "Speakers addressed money-laundering and the United Arab Emirates. The next sentence starts on a line.");
    }

    #[test]
    fn a_word_broken_at_a_line_end_is_whole_where_the_document_prints_it_whole() {
        let b = body("7. Gangs and organ-\nized criminal groups, money-launder-\ning and cross-\nborder crime.\n8. Organized crime and laundering.");
        assert_eq!(
            text_of(&b, "7"),
            "Gangs and organized criminal groups, money-laundering and cross-border crime."
        );
    }

    /// "manufacture" is printed whole nowhere in the document, but the reference data
    /// has it; "cross-border" stays a compound: neither prints "crossborder".
    #[test]
    fn a_word_broken_inside_a_line_is_whole_where_the_document_prints_it_whole() {
        let b = body("1. The Crime and Justice Re- search Institute and pre- and post-trial detention.\n\n2. Research was done.");
        assert_eq!(
            text_of(&b, "1"),
            "The Crime and Justice Research Institute and pre- and post-trial detention."
        );
    }

    #[test]
    fn a_broken_word_the_reference_data_prints_whole_is_joined() {
        let b = body("7. The illicit manu-\nfacture of arms and cross-\nborder crime.\n8. Next.");
        assert_eq!(
            text_of(&b, "7"),
            "The illicit manufacture of arms and cross-border crime."
        );
    }

    #[test]
    fn a_long_lettered_item_heading_after_a_paragraph_is_not_its_text() {
        let b = body("1. Illegal logging and trafficking in falsified medicines were also mentioned.\n\nD. National approaches to public participation in strengthening crime prevention and criminal justice (agenda item 7)\n\n2. At its 5th meeting, the Meeting considered agenda item 7.");
        assert_eq!(numbers(&b), ["1", "2"]);
        assert_eq!(
            text_of(&b, "1"),
            "Illegal logging and trafficking in falsified medicines were also mentioned."
        );
    }

    #[test]
    fn sentence_ending_at_page_break_still_continues() {
        let b = body("9. The first sentence ends here.\n\n\nThe second sentence is after the break and is long enough to be text, not a heading.\n\n10. Next.");
        assert!(text_of(&b, "9").ends_with("not a heading."));
    }

    #[test]
    fn lettered_recommendations_with_ocr_one_and_run_in_item() {
        let text = "Outcome of deliberations\n\n18. The following recommendations were identified:\n\n(a) Adopt;\n\n(b) Consider;\n\n(c) Strengthen;\n\n(d) Enhance the framework, held in 2022; (e) Consider signing;\n\n(f) F;\n\n(g) G;\n\n(h) H;\n\n(i) I;\n\n(j) J;\n\n(k) K;\n\n(1) Integrate capabilities.";
        let b = body(text);
        assert_eq!(
            numbers(&b),
            [
                "18", "18(a)", "18(b)", "18(c)", "18(d)", "18(e)", "18(f)", "18(g)", "18(h)",
                "18(i)", "18(j)", "18(k)", "18(l)"
            ]
        );
        assert_eq!(text_of(&b, "18(d)"), "Enhance the framework, held in 2022;");
        assert_eq!(text_of(&b, "18(e)"), "Consider signing;");
        assert_eq!(b.paragraphs[0].section, Section::Outcome);
        assert_eq!(b.paragraphs[1].section, Section::Recommendations);
    }

    #[test]
    fn lettered_items_under_proceedings_stay_proceedings() {
        let b = body("Proceedings\n\n1. The Congress had before it:\n\n(a) Working paper;\n\n(b) Discussion guide.\n\n2. Next.");
        assert_eq!(numbers(&b), ["1", "1(a)", "1(b)", "2"]);
        assert!(b
            .paragraphs
            .iter()
            .all(|p| p.section == Section::Proceedings));
    }

    #[test]
    fn chapter_headings_do_not_change_the_section() {
        let b = body("II. Recommendations (continued)\n\n# II. Conclusions and recommendations (continued)\n\n1. Statement.\n\n#### Outcome of deliberations\n\n2. Chapeau:\n\n(a) Do.");
        assert_eq!(b.paragraphs[0].section, Section::Proceedings);
        assert_eq!(b.paragraphs[1].section, Section::Outcome);
        assert_eq!(b.paragraphs[2].section, Section::Recommendations);
    }

    #[test]
    fn chapeau_without_outcome_heading() {
        let b = body("Summary of deliberations\n\n1. Text.\n\n2. The following recommendations were made:\n\n(a) Do.");
        assert_eq!(b.paragraphs[1].section, Section::Outcome);
        assert_eq!(b.paragraphs[2].section, Section::Recommendations);
    }

    #[test]
    fn agenda_from_congress_proceedings() {
        let b = body("Proceedings\n\n1. At its 14th meeting, the Congress considered agenda item 6, entitled “International cooperation”.\n\n2. A summary of workshop 4, on the topic “Current crime trends”, was presented.");
        assert_eq!(
            b.agenda_items[0],
            AgendaRef {
                number: "6".into(),
                title: Some("International cooperation".into())
            }
        );
        assert_eq!(
            b.workshops[0],
            AgendaRef {
                number: "4".into(),
                title: Some("Current crime trends".into())
            }
        );
    }

    #[test]
    fn wrapped_enumeration_inside_a_sentence_is_not_an_item() {
        let b = body("1. The Congress considered the item on all forms of crime:\n(a) terrorism in all its forms; and\n(b) new forms of crime.\n\n2. Next.");
        assert_eq!(numbers(&b), ["1", "2"]);
    }

    #[test]
    fn a_numbered_section_heading_is_not_a_paragraph() {
        let b = body(
            "IV. Consideration of agenda items\n\nC. An item\n\n1. Proceedings\n\n131. At its 6th meeting, the Congress considered the item.\n\n132. Statements were made.\n\n2. Summary of the discussion\n\n133. Speakers noted it.",
        );
        assert_eq!(numbers(&b), ["131", "132", "133"]);
    }

    #[test]
    fn a_numbered_conclusions_heading_opens_the_outcome() {
        let b = body(
            "IV. Consideration of agenda items\n\nC. An item\n\n2. Summary of the discussion\n\n148. Speakers noted it.\n\n3. Conclusions\n\n149. The following conclusions were drawn:\n\n(a) States should act;\n\n(b) States should report.",
        );
        assert_eq!(numbers(&b), ["148", "149", "149(a)", "149(b)"]);
    }

    #[test]
    fn a_year_at_a_line_start_is_not_a_paragraph() {
        let b = body("3. Text about the\n15. Something\n\n4. Next.");
        // 15 is not plausible after 3.
        assert_eq!(numbers(&b), ["3", "4"]);
        assert_eq!(text_of(&b, "3"), "Text about the 15. Something");
    }
}
