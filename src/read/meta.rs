//! The report's heading: meeting, venue, dates, document date, symbol and rapporteur.
//!
//! Read from the lines before the first numbered paragraph, taken together, because
//! converters split the title, the venue and `Distr.: Limited` / date over lines freely.

use super::clean::{clean_line, Line};
use super::{MeetingKind, Rapporteur, Report};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// The months as an alternation for the date patterns: the reader's one list,
/// [`super::MONTHS`], joined by `|` where a pattern names `{MONTHS}`.
struct Alternation(&'static [&'static str]);

impl std::fmt::Display for Alternation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("|"))
    }
}

const MONTHS: Alternation = Alternation(&super::MONTHS);

static PARAGRAPH_START: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.\s").unwrap());
/// The date an Official Records report (a Commission's session) prints on a line of its
/// own, in brackets, where it has no "Distr." line: "[14 June 2023]".
static BRACKETED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?m)^\s*\[(\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}})\]\s*$"
    ))
    .unwrap()
});
/// A date alone on a line of the heading: where a converter put `Distr.: General` in the
/// right column but the date under it at the left margin (a small indent), so that the
/// columns, read apart, part them.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?m)^\s*(\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}})\s*$"
    ))
    .unwrap()
});
static DISTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"Distr\.?\s*:?\s*(?:General|Limited|Restricted)?\s*(\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}})"
    ))
    .unwrap()
});
/// A Congress, or a regional meeting for one, by the Congress's name: "on Crime
/// Prevention and Criminal Justice" since the Eleventh (2005), "on the Prevention of
/// Crime and the Treatment of Offenders" for the First to the Tenth; in capitals too, as
/// the mastheads of the 1990s print it ("EIGHTH UNITED NATIONS CONGRESS ON THE
/// PREVENTION OF CRIME ...").
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:(?-u:\b)((?:[A-Z][A-Za-z]*|and|the)(?:[ -](?:[A-Z][A-Za-z]*|and|the))*?)\s+Regional\s+Preparatory\s+Meeting|Regional\s+Preparatory\s+Meeting\s+for\s+((?:[A-Z][A-Za-z]*|and|the)(?:[ -](?:[A-Z][A-Za-z]*|and|the))*?))\s+for\s+the\s+)?(?-u:\b)([A-Z][a-z]+(?:-[a-z]+)?|[A-Z]+(?:-[A-Z]+)?)\s+(?i:United\s+Nations\s+Congress\s+on\s+(?:Crime\s+Prevention\s+and\s+Criminal\s+Justice|the\s+Prevention\s+of\s+Crime\s+and\s+the\s+Treatment\s+of\s+Offenders))")
        .unwrap()
});
/// A session of the Commission or of a Conference of the Parties, as the heading
/// names it: "Commission on Crime Prevention and Criminal Justice / Thirty-second
/// session" (or "/ Report on the thirty-second session"), "Report of the Conference of the Parties to the United Nations Convention
/// against Transnational Organized Crime on its eleventh session".
static SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(Commission\s+on\s+Crime\s+Prevention\s+and\s+Criminal\s+Justice|Conference\s+of\s+the\s+(?:States\s+)?Parties\s+to\s+the\s+United\s+Nations\s+Convention\s+against\s+(Transnational\s+Organized\s+Crime|Corruption))(?:\s+on\s+its|\s+Report\s+on\s+(?:the|its))?\s+([A-Za-z]+(?:-[a-z]+)?)\s+session(?-u:\b)")
        .unwrap()
});
/// The organization keys of the bodies whose sessions [`SESSION`] reads (as
/// `ontology/organizations.ttl` keys them).
const ORGANS: [(&str, &str); 3] = [
    ("commission", "ccpcj"),
    ("transnational", "untoc-cop"),
    (
        "corruption",
        "conference-of-states-parties-to-united-nations-convention-against-corruption",
    ),
];
/// A place name: up to `max` more capitalised words joined by small words, or an Arabic
/// article run on with a hyphen (`Sharm el-Sheikh`).
fn place_name(max: usize) -> String {
    let word = r"(?:[A-Z][\p{L}'’.-]*|(?:el|al|ad|as|ar|es|an)-[A-Z][\p{L}'’.-]*)";
    let small = r"(?:of|de|del|la|el|the|and|da|do|dos|du|es|al)";
    format!(r"{word}(?:\s+(?:{small}\s+)*{word}){{0,{max}}}")
}

/// "City, Country, 23–25 April 2025", "Port of Spain, 3–6 February 2030", "Lima, 30
/// March–4 April 2031", "(Beirut, 18-20 July 2004)": right after the meeting's name.
static VENUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*[,(]?\s*({})(?:\s*,\s*({}))?\s*,\s*(\d{{1,2}})(?:\s+({MONTHS}))?(?:\s+(\d{{4}}))?\s*[–—-]\s*(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})",
        place_name(4),
        place_name(9)
    ))
    .unwrap()
});
/// The same in prose, as a session's title gives it: ", held in Sharm el-Sheikh, Egypt,
/// from 13 to 17 December 2021".
static VENUE_IN_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*,?\s*(?i:held)\s+(?:in|at)\s+({})(?:\s*,\s*({}))?\s*,?\s+from\s+(\d{{1,2}})(?:\s+({MONTHS}))?(?:\s+(\d{{4}}))?\s+to\s+(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})",
        place_name(4),
        place_name(9)
    ))
    .unwrap()
});
/// The dates alone under a session's title, a session held in parts giving each:
/// "(8 December 2017 and 14–18 May 2018)": the last part is the session proper.
static DATES_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*\((?:[^()]*\s+and\s+)?(\d{{1,2}})\s*[–—-]\s*(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})\s*\)"
    ))
    .unwrap()
});
/// A session's ordinal on a line of its own, as the masthead of a Commission's or a
/// Conference's report prints it above the venue ("Eleventh session" / "Vienna, 17–21
/// October 2022"), apart from the body's name when the heading runs in columns.
static SESSION_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*([A-Z][a-z]+(?:-[a-z]+)?)\s+session\s*$").unwrap());
/// Where and when, in the body, when the heading prints neither: "The Commission held
/// its twenty-seventh session in Vienna from 14 to 18 May 2018" (the ordinal is checked
/// against the session's).
static HELD_ITS_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"held\s+its\s+([a-z]+(?:-[a-z]+)?)\s+session\s+(?:in|at)\s+({})(?:\s*,\s*({}))?\s*,?\s+from\s+(\d{{1,2}})(?:\s+({MONTHS}))?(?:\s+(\d{{4}}))?\s+to\s+(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})",
        place_name(4),
        place_name(9)
    ))
    .unwrap()
});
/// The Congress a session of the Commission prepares, as its agenda item names it.
static PREPARES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:preparations)\s+for\s+the\s+([A-Z][a-z]+(?:-[a-z]+)?)\s+United\s+Nations\s+Congress\s+on\s+Crime\s+Prevention").unwrap()
});
/// The right column of a two-column heading: what follows a run of spaces on a line,
/// or a whole line indented that far (`Distr.: General`, the date, `Original: English`).
static COLUMN_GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S(\s{3,})\S").unwrap());
const RIGHT_INDENT: usize = 20;
/// The report's own symbol as page headers print it: at the start of a line (after the
/// organ's name at most) and at its end (before a page number or `Distr.` at most), so
/// that a document the text cites, "(A/CONF.234/7)", is not taken for it.
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[\s#*>_]*(?:(?:United\s+Nations|General\s+Assembly|Economic\s+and\s+Social\s+Council)[\s*]+)*([AE]/(?:CONF\.\d+|CN\.\d+|AC\.\d+|\d{2,})(?:/[A-Za-z0-9.]+)+)[*\s]*(?:$|Distr\.|\d{1,3}(?:\s*/\s*\d{1,3})?\s*$)")
        .unwrap()
});
/// The job number of the UN document system: office letter(s), year, serial, and the
/// language of this version in parentheses (`V.25-01234 (E)`). New York prints it
/// without an office letter (`25-01234 (E)`), which is only taken with its language.
static JOB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:((?:V|GE|N)\.\d{2}-\d{5})(?:\s*\(([EFSRCA])\))?|(\d{2}-\d{5})\s*\(([EFSRCA])\))",
    )
    .unwrap()
});
/// "English only", "Original: English": the language the heading prints.
static LANGUAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(English|French|Spanish|Russian|Chinese|Arabic)\s+only(?-u:\b)|Original\s*:\s*(English|French|Spanish|Russian|Chinese|Arabic)(?-u:\b))")
        .unwrap()
});
static RAPPORTEUR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(Rapporteur(?:-General)?)\s*:\s*([^()]+?)\s*\(([^)]+)\)").unwrap()
});
static BROKEN_HYPHEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\p{L})- (\p{Lu})").unwrap());

/// Reads the heading part of a report. Paragraphs are left empty.
///
/// `raw` is the text as given: the document symbol is printed in page headers, which
/// the line clean-up removes as furniture.
pub fn read_meta(lines: &[Line], raw: &str) -> Report {
    // The heading's lines as the source has them (cleaning closes up the runs of spaces
    // that part its columns), each cleaned after the columns are taken apart.
    let normal: std::borrow::Cow<str> = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        raw.into()
    };
    let source: Vec<&str> = normal.split('\n').collect();
    let head: Vec<&str> = lines
        .iter()
        .filter_map(|l| Some((l.number, l.text.as_deref()?)))
        .take_while(|(_, t)| !PARAGRAPH_START.is_match(t))
        .map(|(n, t)| source.get(n - 1).copied().unwrap_or(t))
        .collect();
    // Lines stay apart so that a region name cannot run on from the line above it.
    let head = columns(&head);
    let mut report = Report::default();

    if let Some(c) = DISTR
        .captures(&head)
        .or_else(|| BRACKETED_DATE.captures(&head))
        .or_else(|| DATE_LINE.captures(&head).filter(|_| head.contains("Distr")))
    {
        report.document_date = parse_date(&c[1]);
    }
    // Page headers repeat the symbol; the first few pages are enough to find it.
    // Only lines that can hold a symbol ("A/", "E/") go to the regex: the pattern never
    // reaches across a line that does not.
    let raw_head: String = raw
        .lines()
        .take(200)
        .filter(|l| l.contains("A/") || l.contains("E/"))
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(c) = SYMBOL.captures(&raw_head) {
        report.symbol = Some(c[1].to_string());
    }
    // The job number is printed at the foot of the first page and often of every page,
    // which a converter may put anywhere in the text.
    if let Some(c) = find_job(raw) {
        report.job_number = c.get(1).or(c.get(3)).map(|m| m.as_str().to_string());
        report.language = c.get(2).or(c.get(4)).map(|m| language_code(m.as_str()));
    }
    if report.language.is_none() {
        if let Some(c) = LANGUAGE.captures(&head) {
            report.language = c.get(1).or(c.get(2)).map(|m| language_code(m.as_str()));
        }
    }
    // A regional meeting's heading may name the Congress it prepares first, with the
    // Congress's own venue: the title that names a region is the meeting's.
    let congress = TITLE
        .captures_iter(&head)
        .find(|c| c.get(1).or(c.get(2)).is_some())
        .or_else(|| TITLE.captures(&head));
    let session = SESSION.captures(&head);
    // A session's heading may cite a Congress it prepares, and the reverse: the one
    // named first is the meeting.
    let is_session = match (&congress, &session) {
        (Some(c), Some(s)) => s.get(0).unwrap().start() < c.get(0).unwrap().start(),
        (None, Some(_)) => true,
        _ => false,
    };
    let title_end = if is_session {
        session.map(|c| read_session(&mut report.meeting, &c))
    } else {
        congress.map(|c| read_congress(&mut report.meeting, &c))
    };
    if let Some(end) = title_end {
        read_when_and_where(&mut report.meeting, &head, end, raw);
    }
    if let Some(c) = RAPPORTEUR.captures(&head) {
        let name = BROKEN_HYPHEN.replace_all(c[2].trim(), "$1-$2");
        report.rapporteur = Some(Rapporteur {
            name: collapse(&name),
            state: Some(c[3].trim().to_string()),
            title: c[1].to_string(),
        });
    }
    report
}

/// A Congress or its regional meeting, from the title; where the title ends.
fn read_congress(m: &mut super::Meeting, c: &regex::Captures<'_>) -> usize {
    m.title = Some(collapse(c.get(0).unwrap().as_str()));
    m.congress_number = ordinal(&c[3]);
    // The region before the words ("Western Asia Regional Preparatory Meeting") or
    // after them ("Regional Preparatory Meeting for Europe and North America").
    match c.get(1).or(c.get(2)) {
        Some(region) => {
            m.kind = MeetingKind::RegionalPreparatoryMeeting;
            // "Report of the Western Asian Regional …": the article is not the name.
            let region = region.as_str();
            let region = region.strip_prefix("the ").unwrap_or(region);
            m.region = Some(collapse(region));
        }
        None => m.kind = MeetingKind::Congress,
    }
    c.get(0).unwrap().end()
}

/// A session of the Commission or of a Conference of the Parties; where its name ends.
fn read_session(m: &mut super::Meeting, c: &regex::Captures<'_>) -> usize {
    let body = c[1].to_lowercase();
    m.kind = if body.starts_with("commission") {
        MeetingKind::CommissionSession
    } else {
        MeetingKind::ConferenceOfParties
    };
    m.organ = ORGANS
        .iter()
        .find(|(word, _)| body.contains(word))
        .map(|(_, key)| key.to_string());
    m.session_number = ordinal(&c[3]);
    m.title = Some(collapse(c.get(0).unwrap().as_str()));
    c.get(0).unwrap().end()
}

/// The heading's lines as read: a two-column heading (the title on the left, `Distr.`,
/// the date and the language on the right) becomes its left column, then its right,
/// each in order, so that neither runs into the other.
fn columns(lines: &[&str]) -> String {
    let mut left = Vec::with_capacity(lines.len());
    let mut right = Vec::new();
    for line in lines {
        let line = line.trim_end();
        let indent = line.len() - line.trim_start().len();
        if indent >= RIGHT_INDENT {
            right.extend(clean_line(line));
            continue;
        }
        match COLUMN_GAP.captures(line) {
            Some(c) => {
                let gap = c.get(1).unwrap();
                left.extend(clean_line(&line[..gap.start()]));
                right.extend(clean_line(&line[gap.end()..]));
            }
            None => left.extend(clean_line(line)),
        }
    }
    left.extend(right);
    left.join("\n")
}

/// The Congress a Commission session prepares: "preparations for the Nth Congress" in
/// its agenda or text, also in the title of a resolution of this session ("resolution
/// 30/1, entitled ... preparations for the Fifteenth Congress"), but not in the title of
/// a resolution of another session or body that it recalls ("Recalling its resolution
/// 69/193 on the preparations for the Thirteenth Congress", printed after that Congress).
fn congress_prepared(raw: &str, session: Option<u32>) -> Option<u32> {
    PREPARES
        .captures_iter(raw)
        .find(|c| {
            let at = c.get(0).map_or(0, |m| m.start());
            let sentence = raw[..at]
                .rfind(['.', ';', '\n'])
                .map_or(&raw[..at], |i| &raw[i + 1..at]);
            RESOLUTION_SESSION
                .captures_iter(sentence)
                .all(|r| r[1].parse::<u32>().ok() == session)
        })
        .and_then(|c| ordinal(&c[1]))
}

/// A resolution's symbol in a sentence, and the session that adopted it.
static RESOLUTION_SESSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)resolutions?\s+(\d{1,3})/\d").unwrap());

/// The venue and dates: right after the meeting's name (its end at `end` in `head`);
/// else the dates alone there, and the venue under the session's ordinal line; else,
/// for a session, where the body says it was held. A Commission session also gets the
/// Congress it prepares.
fn read_when_and_where(m: &mut super::Meeting, head: &str, end: usize, raw: &str) {
    read_near_the_title(m, head, end, raw);
    if m.city.is_none() && m.start_date.is_none() {
        venue_on_a_line_of_its_own(m, &head[end..]);
    }
}

/// A venue line below the distribution lines, none of the above having found one: a
/// line that holds "City[, Country], 18–25 April 2005" and nothing else, the first such
/// line after the meeting's name.
fn venue_on_a_line_of_its_own(m: &mut super::Meeting, after: &str) {
    let whole = after.split('\n').find_map(|line| {
        VENUE
            .captures(line)
            .filter(|v| line[v.get(0).unwrap().end()..].trim().is_empty())
    });
    if let Some(v) = whole {
        set_venue(m, &v, 1);
    }
}

/// [`read_when_and_where`] where the heading prints the venue: right after the name,
/// after the name printed again, under the session's ordinal, or in the body.
fn read_near_the_title(m: &mut super::Meeting, head: &str, end: usize, raw: &str) {
    if m.kind == MeetingKind::CommissionSession && m.congress_number.is_none() {
        m.congress_number = congress_prepared(raw, m.session_number);
    }
    let after = &head[end..];
    if read_venue(m, after) || venue_after_name_again(m, head, end) {
        return;
    }
    if let Some(d) = DATES_ONLY.captures(after) {
        m.start_date = parse_date(&format!("{} {} {}", &d[1], &d[3], &d[4]));
        m.end_date = parse_date(&format!("{} {} {}", &d[2], &d[3], &d[4]));
    }
    let Some(session) = m.session_number else {
        return;
    };
    let ours = |word: &str| ordinal(word) == Some(session);
    let under_ordinal = SESSION_LINE
        .captures_iter(head)
        .find(|c| ours(&c[1]))
        .map(|c| c.get(0).unwrap().end());
    if under_ordinal.is_some_and(|at| read_venue(m, &head[at..])) {
        return;
    }
    if let Some(v) = HELD_ITS_SESSION.captures_iter(raw).find(|c| ours(&c[1])) {
        set_venue(m, &v, 2);
    }
}

/// The venue under a later line that prints the meeting's name again (the report's
/// title, "Report of the Fourteenth United Nations Congress ...", with the venue and
/// dates under it, where the masthead's name has the distribution lines under it).
/// The name is the line the first one ends (`end` in `head`); whether a venue was read.
fn venue_after_name_again(m: &mut super::Meeting, head: &str, end: usize) -> bool {
    let start = head[..end].rfind('\n').map_or(0, |i| i + 1);
    let name = head[start..end].trim();
    if name.len() < 20 {
        return false;
    }
    head[end..]
        .match_indices(name)
        .any(|(at, _)| read_venue(m, &head[end + at + name.len()..]))
}

/// "City, Country, 23–25 April 2025" (or in prose) at the start of `after`; whether
/// it was there.
fn read_venue(m: &mut super::Meeting, after: &str) -> bool {
    let Some(v) = VENUE
        .captures(after)
        .or_else(|| VENUE_IN_PROSE.captures(after))
    else {
        return false;
    };
    set_venue(m, &v, 1);
    true
}

/// The venue and dates of a match of [`VENUE`] or alike, whose groups start at `first`:
/// city, country, start day, month, year, end day, month, year.
fn set_venue(m: &mut super::Meeting, v: &regex::Captures<'_>, first: usize) {
    let g = |i: usize| v.get(first + i - 1);
    m.city = g(1).map(|c| c.as_str().to_string());
    m.country = g(2).map(|c| c.as_str().to_string());
    let (Some(day), Some(end_day), Some(end_month), Some(year)) = (g(3), g(6), g(7), g(8)) else {
        return;
    };
    let (year, end_month) = (year.as_str(), end_month.as_str());
    let start_month = g(4).map_or(end_month, |m| m.as_str());
    let start_year = g(5).map_or(year, |y| y.as_str());
    m.start_date = parse_date(&format!("{} {start_month} {start_year}", day.as_str()));
    m.end_date = parse_date(&format!("{} {end_month} {year}", end_day.as_str()));
}

/// The first job number in the text. Every job number holds two digits, a hyphen and
/// five digits, so the regex runs only around such a hyphen, not over the whole text
/// (it has no literal the regex engine could look for instead).
fn find_job(raw: &str) -> Option<regex::Captures<'_>> {
    let b = raw.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    for (i, _) in raw.match_indices('-') {
        if i < 2 || !digits(i - 2..i) || !digits(i + 1..i + 6) {
            continue;
        }
        // Office letters and the language tag sit within a few bytes of the hyphen;
        // look-behind still sees the text before `from`.
        let from = (i.saturating_sub(6)..=i).find(|&j| raw.is_char_boundary(j))?;
        let to = (i + 6..=(i + 64).min(raw.len()))
            .rev()
            .find(|&j| raw.is_char_boundary(j))?;
        if let Some(c) = JOB.captures_at(&raw[..to], from) {
            if c.get(0).is_some_and(|m| m.start() <= i) {
                return Some(c);
            }
        }
    }
    None
}

/// ISO 639-1 code of a UN official language, by its English name or the letter of
/// job numbers.
fn language_code(name: &str) -> String {
    match name {
        "E" | "English" => "en",
        "F" | "French" => "fr",
        "S" | "Spanish" => "es",
        "R" | "Russian" => "ru",
        "C" | "Chinese" => "zh",
        "A" | "Arabic" => "ar",
        other => other,
    }
    .to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&collapse(s), "%d %B %Y").ok()
}

/// "Fifteenth" -> 15, "Twenty-first" -> 21.
fn ordinal(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    const TENS: [(&str, &str, u32); 2] = [("twentieth", "twenty", 20), ("thirtieth", "thirty", 30)];
    let w = word.to_lowercase();
    if let Some(n) = UNITS.iter().position(|u| !u.is_empty() && *u == w) {
        return Some(n as u32);
    }
    for (exact, prefix, n) in TENS {
        if w == exact {
            return Some(n);
        }
        if let Some(rest) = w.strip_prefix(prefix).and_then(|r| r.strip_prefix('-')) {
            return UNITS.iter().position(|u| *u == rest).map(|u| n + u as u32);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::clean_lines;

    fn meta(text: &str) -> Report {
        read_meta(&clean_lines(text), text)
    }

    #[test]
    fn the_venue_under_the_reports_title_when_the_masthead_has_none() {
        let r = meta("United Nations A/CONF.250/16\n\nSeventeenth United Nations Congress on Crime Prevention and Criminal Justice\n\nDistr.: General\n20 May 2030\n\nReport of the Seventeenth United Nations Congress on Crime Prevention and Criminal Justice\n\nOslo, Norway, 1–8 May 2030\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.congress_number, Some(17));
        assert_eq!(m.city.as_deref(), Some("Oslo"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2030, 5, 1));
        assert_eq!(m.end_date, NaiveDate::from_ymd_opt(2030, 5, 8));
    }

    #[test]
    fn regional_meeting_on_one_line_with_country() {
        let r = meta("Distr.: Limited 3 May 2030\n\nNorthern Lights Regional Preparatory Meeting for the Seventeenth United Nations Congress on Crime Prevention and Criminal Justice Oslo, Norway, 1–3 May 2030\n\nRapporteur: Ana Al- Silva (Chile)\n\n1. Text.");
        assert_eq!(r.document_date, NaiveDate::from_ymd_opt(2030, 5, 3));
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::RegionalPreparatoryMeeting);
        assert_eq!(m.congress_number, Some(17));
        assert_eq!(m.region.as_deref(), Some("Northern Lights"));
        assert_eq!(m.city.as_deref(), Some("Oslo"));
        assert_eq!(m.country.as_deref(), Some("Norway"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2030, 5, 1));
        assert_eq!(m.end_date, NaiveDate::from_ymd_opt(2030, 5, 3));
        let rap = r.rapporteur.unwrap();
        assert_eq!(rap.name, "Ana Al-Silva");
        assert_eq!(rap.state.as_deref(), Some("Chile"));
    }

    #[test]
    fn congress_with_split_distr_and_wrapped_title() {
        let r = meta("General Assembly\nA/CONF.999/L.4/Add.2\n\nTwenty-first United Nations Congress on Crime\nPrevention and Criminal Justice\n\nLima, 30 March–4 April 2031\n\nDistr.: Limited\n2 April 2031\n\nRapporteur-General: Bo **Kim** (Peru)\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::Congress);
        assert_eq!(m.congress_number, Some(21));
        assert_eq!(m.region, None);
        assert_eq!(m.city.as_deref(), Some("Lima"));
        assert_eq!(m.country, None);
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2031, 3, 30));
        assert_eq!(m.end_date, NaiveDate::from_ymd_opt(2031, 4, 4));
        assert_eq!(r.document_date, NaiveDate::from_ymd_opt(2031, 4, 2));
        assert_eq!(r.symbol.as_deref(), Some("A/CONF.999/L.4/Add.2"));
        let rap = r.rapporteur.unwrap();
        assert_eq!(
            (rap.name.as_str(), rap.title.as_str()),
            ("Bo Kim", "Rapporteur-General")
        );
    }

    /// A masthead of 1990, the Congress's name in capitals over two lines.
    #[test]
    fn a_congress_title_in_capitals() {
        let r = meta("UNITED NATIONS\n\nGeneral Assembly\n\nA/CONF.144/28\n5 October 1990\n\nEIGHTH UNITED NATIONS CONGRESS ON THE PREVENTION\nOF CRIME AND THE TREATMENT OF OFFENDERS\n\nHavana, Cuba, 27 August-7 September 1990\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::Congress);
        assert_eq!(m.congress_number, Some(8));
        assert_eq!(m.city.as_deref(), Some("Havana"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(1990, 8, 27));
        assert_eq!(m.end_date, NaiveDate::from_ymd_opt(1990, 9, 7));
    }

    /// `Distr.: General` in the right column, the date under it at a small indent (the
    /// left column, read apart from the right): the date alone on its line.
    #[test]
    fn a_date_under_distr_at_the_left_margin_is_the_date() {
        let r = meta("United Nations      E/2030/30\n\nEconomic and Social Council      Distr.: General\n      4 June 2030\n\n      Original: English\n\nCommission on Crime Prevention and Criminal Justice\n\nReport on the fortieth session\n(14\u{2013}18 May 2030)\n\n1. Text.");
        assert_eq!(r.document_date, NaiveDate::from_ymd_opt(2030, 6, 4));
    }

    /// An Official Records report has no "Distr." line: its date stands in brackets.
    #[test]
    fn a_bracketed_date_is_the_document_date_where_no_distr_line_gives_one() {
        let r = meta("E/2031/30\n\nCommission on Crime Prevention and Criminal Justice\n\nReport on the fortieth session\n\n[3 June 2031]\n\n1. Text.");
        assert_eq!(r.document_date, NaiveDate::from_ymd_opt(2031, 6, 3));
    }

    #[test]
    fn a_region_named_after_the_meeting_and_the_congress_venue_in_the_masthead() {
        let r = meta("United Nations                 A/CONF.999/RPM.9/1\n\nNinth United Nations Congress on\nCrime Prevention and Criminal Justice\nLima, 1–8 May 2031\n\nReport of the Regional Preparatory Meeting for Northern Lands for the Ninth United Nations Congress on Crime Prevention and Criminal Justice, held in Oslo, Norway, from 2 to 4 June 2030\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::RegionalPreparatoryMeeting);
        assert_eq!(m.region.as_deref(), Some("Northern Lands"));
        assert_eq!(m.city.as_deref(), Some("Oslo"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2030, 6, 2));
    }

    #[test]
    fn a_two_column_heading_and_a_venue_in_prose() {
        let r = meta("United Nations                                   CAC/COSP/2021/17\n\nConference of the States Parties to the            Distr.: General\nUnited Nations Convention                          24 January 2022\nagainst Corruption\n                                                   Original: English\n\nReport of the Conference of the States Parties to the United Nations Convention against Corruption on its ninth session, held in Sharm el-Sheikh, Egypt, from 13 to 17 December 2021\n\n1. Text.");
        assert_eq!(r.document_date, NaiveDate::from_ymd_opt(2022, 1, 24));
        let m = &r.meeting;
        assert_eq!(m.session_number, Some(9));
        assert_eq!(m.city.as_deref(), Some("Sharm el-Sheikh"));
        assert_eq!(m.country.as_deref(), Some("Egypt"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2021, 12, 13));
        assert_eq!(m.end_date, NaiveDate::from_ymd_opt(2021, 12, 17));
    }

    #[test]
    fn a_regional_title_after_the_congress_it_prepares() {
        let r = meta("Eleventh United Nations Congress on Crime\nPrevention and Criminal Justice\nBangkok, 18-25 April 2005\n\nReport of the Western Asian Regional Preparatory Meeting for the Eleventh United Nations Congress on Crime Prevention and Criminal Justice\n\n(Beirut, 18-20 July 2004)\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::RegionalPreparatoryMeeting);
        assert_eq!(m.region.as_deref(), Some("Western Asian"));
        assert_eq!(m.city.as_deref(), Some("Beirut"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2004, 7, 18));
    }

    #[test]
    fn venues_with_small_words_and_long_country_names() {
        let title = "Twenty-first United Nations Congress on Crime Prevention and Criminal Justice";
        for (venue, city, country) in [
            ("Port of Spain, Trinidad and Tobago, 3–6 February 2030", "Port of Spain", Some("Trinidad and Tobago")),
            ("Oxford, United Kingdom of Great Britain and Northern Ireland, 12–15 September 2022", "Oxford", Some("United Kingdom of Great Britain and Northern Ireland")),
            ("Rio de Janeiro, 1-4 May 2030", "Rio de Janeiro", None),
        ] {
            let r = meta(&format!("{title}\n{venue}\n\n1. Text."));
            assert_eq!(r.meeting.city.as_deref(), Some(city), "{venue}");
            assert_eq!(r.meeting.country.as_deref(), country, "{venue}");
            assert!(r.meeting.start_date.is_some(), "{venue}");
        }
    }

    #[test]
    fn symbol_is_the_page_header_not_a_cited_document() {
        for (text, symbol) in [
            (
                "United Nations A/CONF.999/RPM.1/L.1/Add.3\n\n1. Text.",
                Some("A/CONF.999/RPM.1/L.1/Add.3"),
            ),
            (
                "**General Assembly** E/CN.15/2030/L.2 Distr.: Limited\n\n1. Text.",
                Some("E/CN.15/2030/L.2"),
            ),
            ("1. Text.\n\nA/CONF.999/7   2/9\n", Some("A/CONF.999/7")),
            ("(a) Working paper ([A/CONF.999/7](#));\n\n1. Text.", None),
            ("1. As the working paper (\nA/CONF.999/7) says.", None),
        ] {
            assert_eq!(meta(text).symbol.as_deref(), symbol, "{text}");
        }
    }

    #[test]
    fn job_number_and_language() {
        let r = meta(
            "Distr.: Limited 3 May 2030\nEnglish only\n\n1. Text.\n\nV.30-04321 (E)    *3004321*\n",
        );
        assert_eq!(r.job_number.as_deref(), Some("V.30-04321"));
        assert_eq!(r.language.as_deref(), Some("en"));
        let r = meta("Original: Spanish\n\n1. Text.\n\n30-12345 (F)\n");
        assert_eq!(r.job_number.as_deref(), Some("30-12345"));
        assert_eq!(r.language.as_deref(), Some("fr"));
        let r = meta("Original: English\n\n1. Text, 12-34567 and V.30-1 are no job numbers.");
        assert_eq!(r.job_number, None);
        assert_eq!(r.language.as_deref(), Some("en"));
    }

    #[test]
    fn sessions_of_the_commission_and_of_a_conference_of_the_parties() {
        let r = meta("Economic and Social Council\n\nCommission on Crime Prevention and Criminal Justice\nThirty-second session\nVienna, 22–26 May 2023\nAgenda item 11\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::CommissionSession);
        assert_eq!(
            (m.session_number, m.organ.as_deref()),
            (Some(32), Some("ccpcj"))
        );
        assert_eq!(m.city.as_deref(), Some("Vienna"));
        assert_eq!(m.start_date, NaiveDate::from_ymd_opt(2023, 5, 22));
        assert_eq!(m.congress_number, None);
        let r = meta("Commission on Crime Prevention and Criminal Justice\nThirty-second session\nVienna, 22–26 May 2023\n\n1. Follow-up to the Fourteenth United Nations Congress on Crime Prevention and Criminal Justice and preparations for the Fifteenth United Nations Congress on Crime Prevention and Criminal Justice.");
        assert_eq!(r.meeting.congress_number, Some(15));
        let r = meta("Commission on Crime Prevention and Criminal Justice\nTwenty-fourth session\nVienna, 18–22 May 2015\n\n1. Recalling its resolution 69/193 on the preparations for the Thirteenth United Nations Congress on Crime Prevention and Criminal Justice, the Commission spoke.");
        assert_eq!(
            r.meeting.congress_number, None,
            "a recalled resolution's title"
        );
        let r = meta("Report of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime on its eleventh session\n\nheld in Vienna\n\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.kind, MeetingKind::ConferenceOfParties);
        assert_eq!(
            (m.session_number, m.organ.as_deref()),
            (Some(11), Some("untoc-cop"))
        );
        assert_eq!(m.congress_number, None);
    }

    #[test]
    fn a_congress_by_its_name_before_2005() {
        let r = meta("United Nations A/CONF.187/15\n\nTenth United Nations Congress\non the Prevention of Crime and\nthe Treatment of Offenders\n\nDistr.: General\n19 July 2000\n\nVienna, 10\u{2013}17 April 2000\n\n1. Text.\n");
        assert_eq!(r.meeting.kind, MeetingKind::Congress);
        assert_eq!(r.meeting.congress_number, Some(10));
        assert_eq!(r.meeting.start_date, NaiveDate::from_ymd_opt(2000, 4, 10));
        assert_eq!(r.meeting.end_date, NaiveDate::from_ymd_opt(2000, 4, 17));
    }

    #[test]
    fn a_session_report_with_its_ordinal_under_the_name_and_its_venue_in_the_body() {
        let r = meta("Commission on Crime Prevention and Criminal Justice\n\n          Report on the twenty-seventh session\n          (8 December 2017 and 14–18 May 2018)\n\n1. Text on the preparations for the Fourteenth United Nations Congress on Crime Prevention and Criminal Justice, to be held in Kyoto from 20 to 27 April 2020.\n2. The Commission held its twenty-sixth session in Vienna from 22 to 26 May 2017.\n3. The Commission held its twenty-seventh session in Vienna from 14 to 18 May 2018.");
        let m = &r.meeting;
        assert_eq!(
            (m.kind, m.session_number, m.organ.as_deref()),
            (MeetingKind::CommissionSession, Some(27), Some("ccpcj"))
        );
        assert_eq!(m.congress_number, Some(14));
        assert_eq!(m.city.as_deref(), Some("Vienna"));
        assert_eq!(
            (m.start_date, m.end_date),
            (
                NaiveDate::from_ymd_opt(2018, 5, 14),
                NaiveDate::from_ymd_opt(2018, 5, 18)
            )
        );
    }

    #[test]
    fn a_venue_under_the_sessions_ordinal_apart_from_the_bodys_name() {
        let r = meta("Conference of the Parties to the United Nations Convention against Transnational Organized Crime\nDistr.: Limited\n21 October 2022\nEleventh session\nVienna, 17–21 October 2022\nReport of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime on its eleventh session\n1. Text.");
        let m = &r.meeting;
        assert_eq!(m.session_number, Some(11));
        assert_eq!(m.city.as_deref(), Some("Vienna"));
        assert_eq!(m.end_date, NaiveDate::from_ymd_opt(2022, 10, 21));
        let r = meta("Report of the Regional Preparatory Meeting for Africa for the Thirteenth United Nations Congress on Crime Prevention and Criminal Justice\n\nHeld in San José from 5 to 7 February 2014\n\n1. Text.");
        assert_eq!(r.meeting.city.as_deref(), Some("San José"));
        assert_eq!(r.meeting.start_date, NaiveDate::from_ymd_opt(2014, 2, 5));
    }

    #[test]
    fn a_venue_on_a_line_of_its_own_below_the_distribution_lines() {
        let r = meta(
            "United Nations A/CONF.1/18\n\nEleventh United Nations Congress on Crime Prevention and Criminal Justice\n\nDistr.: General\n17 May 2005\n\nOriginal: English\n\nBangkok, 18\u{2013}25 April 2005\n\nReport of the Congress\n\n1. Text.\n",
        );
        assert_eq!(r.meeting.city.as_deref(), Some("Bangkok"));
        assert_eq!(r.meeting.start_date, NaiveDate::from_ymd_opt(2005, 4, 18));
        assert_eq!(r.meeting.end_date, NaiveDate::from_ymd_opt(2005, 4, 25));
        // A dated line that says more is not a venue.
        let r = meta(
            "Eleventh United Nations Congress on Crime Prevention and Criminal Justice\n\nDistr.: General\n17 May 2005\n\nMeetings in Bangkok, 18\u{2013}25 April 2005 and after\n\n1. Text.\n",
        );
        assert_eq!(r.meeting.city, None);
    }

    #[test]
    fn ordinals() {
        for (w, n) in [
            ("Fourteenth", 14),
            ("fifteenth", 15),
            ("Twentieth", 20),
            ("Twenty-first", 21),
        ] {
            assert_eq!(ordinal(w), Some(n), "{w}");
        }
        assert_eq!(ordinal("Annual"), None);
    }
}
