//! Resolutions by their symbol: "General Assembly resolution 76/185", "in its
//! resolution 9/1" after the Conference is named, a bare "resolution 32/1" in the report
//! of the Commission's own session. Each is the instrument `{issuer}-resolution-N-M`,
//! the issuer's prefix its `cg:resolutionKey` (SPEC keys `unga-resolution-74-247`); a
//! resolution the reference data lists is that entity, any other is minted under the key.

use super::{EntityKind, Extractor, Found, Method, Target};
use crate::extract::Discourse;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A resolution's symbol: session and number, or a special session's `S-32/1`. Case
/// and word boundaries in ASCII: a case-insensitive or Unicode-boundary pattern has no
/// literal to skip ahead by and costs a full search of every paragraph.
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Rr]esolution\s+((?:S-)?\d{1,4}/\d{1,4}(?:\s[A-H])?)(?-u:\b)").unwrap()
});

/// Resolutions named together: "resolutions 27/1 to 27/4", "resolutions 10/1, 10/2 and
/// 10/3", each perhaps with its date ("resolutions 4/1 of 28 October 2011, 6/1 of 6
/// November 2015 and 9/1 of 17 December 2021"). Each symbol is one resolution, and a
/// range ("to", a dash) names those between.
static SYMBOLS: LazyLock<Regex> = LazyLock::new(|| {
    let dated = r"(?:S-)?\d{1,4}/\d{1,4}(?:\s+of\s+\d{1,2}\s+\p{Lu}\p{Ll}+\s+\d{4})?";
    Regex::new(&format!(r"(?-u:\b)[Rr]esolutions\s+({dated}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+to\s+|\s*[–-]\s*){dated})+)(?-u:\b)")).unwrap()
});
/// A resolution numbered with its year, as the Security Council numbers them:
/// "resolution 2240 (2015)". Only the body named right before it can be its issuer.
static YEAR_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Rr]esolution\s+(\d{3,4})\s+\((?:19|20)\d{2}\)").unwrap()
});
/// Such resolutions named together, each perhaps with its date: "resolutions 2178 (2014)
/// and 2199 (2015)", "resolutions 1816 (2008) of 2 June 2008, 1846 (2008) of 2 December
/// 2008 and 1897 (2009)"; or with the session in roman numerals, as in `ROMAN_SYMBOL`:
/// "resolutions 663 C (XXIV) of 31 July 1957 and 2076 (LXII)".
static YEAR_SYMBOLS: LazyLock<Regex> = LazyLock::new(|| {
    let one = r"\d{1,4}(?:\s[A-H])?\s+\((?:(?:19|20)\d{2}|[IVXL]{1,7})\)(?:\s+of\s+\d{1,2}\s+\p{Lu}\p{Ll}+\s+\d{4})?";
    Regex::new(&format!(
        r"(?-u:\b)[Rr]esolutions\s+({one}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){one})+)"
    ))
    .unwrap()
});
/// One resolution of such a list: its number (and letter), and its year or session.
static ONE_YEAR_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{1,4}(?:\s[A-H])?)\s+\(((?:19|20)\d{2}|[IVXL]{1,7})\)").unwrap()
});
/// A resolution of the General Assembly's (or the Economic and Social Council's) early
/// sessions, numbered with the session in roman numerals: "resolution 415 (V)", keyed
/// `unga-resolution-415-v`. As with a year, only the body named right before it can be
/// its issuer.
static ROMAN_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Rr]esolution\s+(\d{1,4}(?:\s[A-H])?)\s+\(([IVXL]{1,7})\)").unwrap()
});
static ONE_SYMBOL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:S-)?(\d{1,4})/(\d{1,4})").unwrap());
/// What stands between a resolution's symbol and the body named as adopting it: its
/// date, its title, "adopted by the" ("resolution 11/3, entitled "...", adopted by the
/// Conference of the Parties to ...").
static ADOPTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:\s+of\s+\d{1,2}\s+\p{L}+\s+\d{4})?(?:\s*,\s*entitled\s+["“][^"”]{0,300}["”])?\s*,?\s+adopted\s+by\s+(?:the\s+)?$"#).unwrap()
});
/// The most resolutions a range is read as naming.
const MAX_RANGE: u32 = 50;

/// A resolution named by symbol: where its words start (for its issuer), its span, and
/// its symbol.
struct Named {
    at: usize,
    start: usize,
    end: usize,
    symbol: String,
    /// Numbered with its year: its issuer must be named right before it.
    by_year: bool,
}

/// Every resolution named by symbol in `folded`, alone or together with others.
fn named_resolutions(folded: &str) -> Vec<Named> {
    // Every pattern below names "resolution(s)": most paragraphs hold none, and one
    // substring search costs less than the five regex searches that would find none.
    if !folded.contains("esolution") {
        return Vec::new();
    }
    // One resolution named alone: the whole match, its symbol the first group.
    let alone = |m: regex::Captures, by_year: bool| {
        let whole = m.get(0).expect("match");
        Named {
            at: whole.start(),
            start: whole.start(),
            end: whole.end(),
            symbol: m[1].to_string(),
            by_year,
        }
    };
    let mut out: Vec<Named> = SYMBOL
        .captures_iter(folded)
        .map(|m| alone(m, false))
        .collect();
    out.extend(YEAR_SYMBOL.captures_iter(folded).map(|m| alone(m, true)));
    out.extend(ROMAN_SYMBOL.captures_iter(folded).map(|m| {
        let whole = m.get(0).expect("match");
        Named {
            at: whole.start(),
            start: whole.start(),
            end: whole.end(),
            symbol: format!("{} {}", &m[1], &m[2]),
            by_year: true,
        }
    }));
    for m in YEAR_SYMBOLS.captures_iter(folded) {
        let at = m.get(0).expect("match").start();
        let list = m.get(1).expect("group");
        // `YEAR_SYMBOL` wants "resolution" alone: none of these is named twice.
        out.extend(ONE_YEAR_SYMBOL.captures_iter(list.as_str()).map(|s| {
            let whole = s.get(0).expect("match");
            // Keyed as `ROMAN_SYMBOL` keys a session, as `YEAR_SYMBOL` a year.
            let symbol = match s[2].starts_with(['1', '2']) {
                true => s[1].to_string(),
                false => format!("{} {}", &s[1], &s[2]),
            };
            Named {
                at,
                start: list.start() + whole.start(),
                end: list.start() + whole.end(),
                symbol,
                by_year: true,
            }
        }));
    }
    for m in SYMBOLS.captures_iter(folded) {
        let at = m.get(0).expect("match").start();
        let list = m.get(1).expect("group");
        let mut last: Option<(u32, u32, usize)> = None;
        for s in ONE_SYMBOL.captures_iter(list.as_str()) {
            let whole = s.get(0).expect("match");
            let (start, end) = (list.start() + whole.start(), list.start() + whole.end());
            let (session, number) = (s[1].parse::<u32>().ok(), s[2].parse::<u32>().ok());
            // A range: the resolutions between the two symbols, spanned by the range.
            if let (Some((ls, ln, lstart)), Some(session), Some(number)) = (last, session, number) {
                let between = &folded[lstart..start];
                let range = between.contains(" to ") || between.contains(['–', '-']);
                if range && ls == session && number > ln && number - ln <= MAX_RANGE {
                    for n in ln + 1..number {
                        out.push(Named {
                            at,
                            start: lstart,
                            end,
                            symbol: format!("{session}/{n}"),
                            by_year: false,
                        });
                    }
                }
            }
            out.push(Named {
                at,
                start,
                end,
                symbol: whole.as_str().to_string(),
                by_year: false,
            });
            last = session.zip(number).map(|(s, n)| (s, n, start));
        }
    }
    out
}

/// What may stand between "in its resolution N/M" and the body it is of: ", the ",
/// after the resolution's date ("By its resolution 58/138 of 22 December 2003, the
/// General Assembly").
static AFTER_ITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\s+of\s+\d{1,2}\s+[a-z]+\s+\d{4})?\s*,\s*(?:the\s+)?$").unwrap()
});

/// "In resolution 53/110 of 9 December 1998, the Assembly decided": a body's short name
/// where `AFTER_ITS` wants its name.
static AFTER_ITS_SHORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+of\s+\d{1,2}\s+[A-Za-z]+\s+\d{4})?\s*,\s*the\s+(\p{Lu}\p{Ll}+)\b").unwrap()
});

/// The head word of a body's name: its last word before "on", "of", "for" or "to"
/// ("Commission on Narcotic Drugs", "Conference of the Parties"), else its last word
/// ("General Assembly").
fn head_word(label: &str) -> String {
    let words: Vec<&str> = label.split_whitespace().collect();
    let stop = words
        .iter()
        .position(|w| matches!(*w, "on" | "of" | "for" | "to"))
        .unwrap_or(words.len());
    words[..stop]
        .last()
        .copied()
        .unwrap_or_default()
        .to_string()
}

/// Where the name of a resolution's issuer ends when it is named right before the
/// resolution at `at`: before "in its", "by its" or "as" ("adopted by the Council as
/// resolution 2004/30").
fn body_end(folded: &str, at: usize) -> &str {
    let before = folded[..at].trim_end();
    ["in its", "by its", " as"]
        .iter()
        .find_map(|its| before.strip_suffix(its))
        .map_or(before, str::trim_end)
}

/// The session a resolution's symbol is of ("69" of "69/313"); none for a special
/// session's ("S-32/1").
fn session_of(symbol: &str) -> Option<u32> {
    symbol.split_once('/')?.0.parse().ok()
}

/// Whether a symbol of `session` is of a session later than the one the report is of.
fn later_than_report(session: Option<u32>, discourse: &Discourse) -> bool {
    matches!((session, discourse.session), (Some(s), Some(d)) if s > d)
}

/// The issuers of the resolutions named so far in a paragraph: a resolution whose
/// issuer the text does not tell is the last one's of the same numbering ("Security
/// Council resolution 1373 (2001) ... welcomed the adoption of resolution 1566 (2004)";
/// "adopted by the General Assembly in its resolution 51/59, and ... adopted in
/// resolution 51/191").
#[derive(Default)]
struct Carried {
    by_year: Option<usize>,
    by_session: Option<usize>,
}

/// The bodies that adopt resolutions, and the resolutions the reference data lists.
#[derive(Debug, Default)]
pub(super) struct Issuers {
    /// Body -> (key prefix, label).
    prefixes: HashMap<usize, (String, String)>,
    /// The head word of each body's name ("Commission" of the Commission on Crime
    /// Prevention and Criminal Justice, "Assembly" of the General Assembly), with the
    /// bodies of that head.
    heads: HashMap<String, Vec<usize>>,
    /// Instrument key -> entity.
    instruments: HashMap<String, usize>,
    /// Body -> the lowest first number of its symbols (`cg:firstSymbolSession`).
    first_session: HashMap<usize, u32>,
}

impl Issuers {
    /// Whether `body` numbers resolutions so that one of `session` can be its: not the
    /// General Assembly's "resolution 9/1" (its symbols by session start at 31).
    fn may_have(&self, body: usize, session: Option<u32>) -> bool {
        match (session, self.first_session.get(&body)) {
            (Some(s), Some(&first)) => s >= first,
            _ => true,
        }
    }
}

impl Issuers {
    pub(super) fn new(vocab: &crate::reference::Vocabulary) -> Self {
        let mut out = Issuers::default();
        for (i, e) in vocab.entities.iter().enumerate() {
            if let Some(prefix) = &e.resolution_key {
                out.prefixes.insert(i, (prefix.clone(), e.label.clone()));
                if let Some(first) = e.first_symbol_session {
                    out.first_session.insert(i, first);
                }
                out.heads.entry(head_word(&e.label)).or_default().push(i);
            }
            if e.kind == EntityKind::Instrument {
                out.instruments.insert(e.key().to_string(), i);
            }
        }
        out
    }
}

impl Extractor {
    /// Adds each resolution named by symbol whose issuer the text or the report tells.
    pub(super) fn resolutions(&self, folded: &str, discourse: &Discourse, found: &mut Vec<Found>) {
        let mut added = Vec::new();
        let mut named_all = named_resolutions(folded);
        named_all.sort_by_key(|n| (n.start, n.end));
        // The issuers of the last resolutions named before, one per numbering.
        let mut last = Carried::default();
        for named in named_all {
            let symbol = named.symbol.as_str();
            let listed = found.iter().any(|f| {
                f.start < named.end
                    && named.start < f.end
                    && matches!(&f.target, Target::Known(i) if self.kinds[*i] == EntityKind::Instrument)
            });
            let issuer = match named.by_year {
                true => self
                    .named_just_before(folded, named.at, found)
                    .or(last.by_year),
                false => {
                    let session = session_of(symbol);
                    let later = later_than_report(session, discourse);
                    let carried = last
                        .by_session
                        .filter(|&i| self.issuers.may_have(i, session));
                    self.issuer(folded, (named.at, named.end), session, discourse, found)
                        .or(carried.filter(|i| !(later && discourse.document.contains(i))))
                }
            };
            let Some(issuer) = issuer else {
                continue;
            };
            match named.by_year {
                true => last.by_year = Some(issuer),
                false => last.by_session = Some(issuer),
            }
            // Listed by name ("resolution 1373 (2001)" in the reference data): found
            // already, its issuer carried all the same.
            if listed {
                continue;
            }
            let (prefix, label) = &self.issuers.prefixes[&issuer];
            let key = format!(
                "{prefix}-resolution-{}",
                symbol.to_lowercase().replace(['/', ' '], "-")
            );
            let target = match self.issuers.instruments.get(&key) {
                Some(&i) => Target::Known(i),
                None => Target::Minted {
                    kind: EntityKind::Instrument,
                    name: format!("{label} resolution {symbol}"),
                    key: Some(key),
                },
            };
            added.push(Found::new(named.start, named.end, target, Method::Minted));
        }
        found.extend(added);
    }

    /// The body named right before "resolution" at `at` ("Security Council resolution",
    /// "the Economic and Social Council in its resolution", "adopted by the Economic and
    /// Social Council as resolution").
    fn named_just_before(&self, folded: &str, at: usize, found: &[Found]) -> Option<usize> {
        let before = body_end(folded, at);
        found
            .iter()
            .filter(|f| f.end == before.len())
            .find_map(|f| match f.target {
                Target::Known(i) if self.issuers.prefixes.contains_key(&i) => Some(i),
                _ => None,
            })
    }

    /// The body `word` ("Assembly", "Council") is the short name of: the last body
    /// named before `at` in the paragraph whose name ends with that word, or whose head
    /// word it is ("Commission" of the Commission on Narcotic Drugs).
    fn by_short_name(&self, word: &str, at: usize, found: &[Found]) -> Option<usize> {
        if !word.starts_with(char::is_uppercase) || word.len() < 4 {
            return None;
        }
        found
            .iter()
            .filter(|f| f.end <= at)
            .filter_map(|f| match f.target {
                Target::Known(i) => self.issuers.prefixes.get(&i).map(|p| (f.start, i, p)),
                _ => None,
            })
            .filter(|&(_, i, (_, label))| {
                let last =
                    label.ends_with(word) && label[..label.len() - word.len()].ends_with(' ');
                last || self.issuers.heads.get(word).is_some_and(|b| b.contains(&i))
            })
            .max_by_key(|(s, _, _)| *s)
            .map(|(_, i, _)| i)
    }

    /// Which of `bodies` (of one head word, named by it alone) the text means: the one
    /// the paragraph before, the chapter's title or the report's own body names, else
    /// the only one of that head in the reference data.
    fn by_head(&self, bodies: &[usize], discourse: &Discourse) -> Option<usize> {
        let named = discourse.before.iter().rev();
        named
            .chain(&discourse.chapter)
            .chain(&discourse.document)
            .find(|e| bodies.contains(e))
            .copied()
            .or(match bodies {
                [only] => Some(*only),
                _ => None,
            })
    }

    /// Who adopted the resolution whose "resolution" starts at `at` (its symbol ends at
    /// `end`): the body named just before it ("General Assembly resolution"); for "its
    /// resolution", the body named right after it ("In its resolution 67/184, the
    /// General Assembly"), or else the last such body named before it in the paragraph;
    /// for "in resolution", the body named right after it, by name or short name ("In
    /// resolution 53/110 of 9 December 1998, the Assembly"); else, and for a bare
    /// symbol, the body whose session the report is of. Before
    /// "its" and the report: a body named as adopting it after its symbol ("adopted by
    /// the"), and a body named before by the last word of its name ("Assembly
    /// resolution"). A symbol of a session later than the report's (`session`, "69/313"
    /// in the report of a seventh session) is not the report's body's: its issuer is
    /// the last such body named before it in the paragraph, if any.
    fn issuer(
        &self,
        folded: &str,
        (at, end): (usize, usize),
        session: Option<u32>,
        discourse: &Discourse,
        found: &[Found],
    ) -> Option<usize> {
        let before = folded[..at].trim_end();
        let issuing = |t: &Target| match t {
            Target::Known(i) if self.issuers.prefixes.contains_key(i) => Some(*i),
            _ => None,
        };
        let named_just_before = self.named_just_before(folded, at, found);
        if named_just_before.is_some() {
            return named_just_before;
        }
        let adopted_by = found
            .iter()
            .filter(|f| f.start >= end && ADOPTED_BY.is_match(&folded[end..f.start]))
            .find_map(|f| issuing(&f.target));
        if adopted_by.is_some() {
            return adopted_by;
        }
        // A short name right before "resolution" ("and Assembly resolution 75/311"
        // after "General Assembly resolution 76/185"): a body named before it in the
        // paragraph; else ("Commission resolution 16/1" in a report of a Conference) a
        // body of that head word, never the report's body of another.
        let word = body_end(folded, at).rsplit(' ').next().unwrap_or_default();
        if let Some(short) = self.by_short_name(word, at, found) {
            return Some(short);
        }
        if let Some(bodies) = self.issuers.heads.get(word) {
            return self.by_head(bodies, discourse);
        }
        let document = || {
            discourse
                .document
                .iter()
                .copied()
                .find(|e| self.issuers.prefixes.contains_key(e))
        };
        let word_before = before.rsplit(|c: char| !c.is_alphanumeric()).next();
        let its = word_before.is_some_and(|w| w.eq_ignore_ascii_case("its"));
        let after = || {
            found
                .iter()
                .filter(|f| f.start >= end && AFTER_ITS.is_match(&folded[end..f.start]))
                .find_map(|f| issuing(&f.target))
                .or_else(|| {
                    let short = AFTER_ITS_SHORT.captures(&folded[end..])?;
                    self.by_short_name(&short[1], at, found)
                })
        };
        // "In resolution 53/110 of 9 December 1998, the Assembly decided".
        let in_resolution = word_before
            .is_some_and(|w| w.eq_ignore_ascii_case("in") || w.eq_ignore_ascii_case("by"));
        if in_resolution {
            if let Some(body) = after() {
                return Some(body);
            }
        }
        let later = later_than_report(session, discourse);
        // Not the report's body, for a symbol of a session it has not held.
        let last = || {
            found
                .iter()
                .filter(|f| f.end <= at)
                .filter_map(|f| issuing(&f.target).map(|i| (f.start, i)))
                .filter(|(_, i)| !(later && discourse.document.contains(i)))
                .filter(|&(_, i)| self.issuers.may_have(i, session))
                .max_by_key(|(s, _)| *s)
                .map(|(_, i)| i)
        };
        let document = || document().filter(|_| !later);
        if its {
            // "in its resolution 73/191 of 17 December 2018, the General Assembly":
            // the body the sentence goes on with is the one "its" stands for.
            return after().or_else(last).or_else(document);
        }
        match later {
            true => last(),
            false => document(),
        }
    }
}
