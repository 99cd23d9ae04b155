//! Who spoke: statement lists ("Statements were made by the representatives of A, B and
//! C"), observers, the Secretariat's introduction, a workshop chair's summary, the right
//! of reply, and who chaired which meeting.
//!
//! The speakers are the entity matches the gazetteer found inside a list; a name the
//! reference data lacks is matched loosely against organization names, else minted.

use super::{EntityMatch, Extractor, Method, Office, SpeaksFor, Target};
use crate::reference::EntityKind;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Representative,
    Observer,
    Secretariat,
    WorkshopChair,
    RightOfReply,
}

/// A statement found in paragraph `paragraph` (index into the report's paragraphs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFound {
    pub paragraph: usize,
    pub speaker: Speaker,
    pub role: Role,
    /// Byte span of the speaker's name in the paragraph text.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speaker {
    Entity(Target),
    /// The unnamed chair of a workshop.
    WorkshopChair {
        workshop: String,
    },
}

/// "The 14th plenary meeting was chaired by NAME (State)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chair {
    pub paragraph: usize,
    pub session: String,
    pub name: String,
    pub state: Option<usize>,
}

/// Who opens a list of speakers: "the representatives of", "the observers for", "the
/// heads of delegation of" (a high-level segment's speakers, representatives).
static LIST_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:the|a|by)\s+(?:\p{Ll}+-[\p{Ll}-]+\s+)?(representatives?|observers?|heads\s+of\s+delegations?)\s+(?:of|for)\s+").unwrap()
});
static SECRETARIAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:a|the)\s+representatives?\s+of\s+the\s+Secretariat(?-u:\b)|(?-u:\b)introduced\s+(?:the\s+(?:agenda\s+)?item\s+)?by\s+the\s+Secretariat(?-u:\b)|(?-u:\b)(?:introductory\s+(?:statement|presentation|remarks)\s+(?:was|were)\s+(?:made|delivered|given)\s+by\s+the\s+Secretariat)(?-u:\b)|(?-u:\b)the\s+Secretariat\s+(?:introduced|made\s+an\s+introductory)").unwrap()
});
/// Where a list of speakers ends: a verb after it, "on behalf of", "and by" or ", by the"
/// (the next list: "..., by the observer for Qatar and by ..."), a stop, or
/// an apposition that says what the last one is ("..., a non-governmental organization
/// in consultative status with the Economic and Social Council"; "..., institutes of the
/// programme network"; "..., States signatories to the Convention"; "..., States that
/// had signed but not ratified the Convention"), whose names are not speakers.
static LIST_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s+(?:an?|institutes?|one|both)\s+\p{Ll}|,\s+States\s+(?:signatories|parties|members|not\s+parties|that|which)(?-u:\b)|\s+(?:made|in\s+exercise|delivered|introduced|presented|also\s+made|were\s+also|was\s+also|who)(?-u:\b)|,?\s+(?:speaking\s+)?on\s+behalf\s+of(?-u:\b)|,?\s+(?:and|as\s+well\s+as)\s+by(?-u:\b)|,?\s+(?:and\s+)?the\s+(?:representatives?|observers?)\s+(?:of|for)\s|,\s+by\s+(?:the|an?)\s|[.;:](?:\s|$)|$").unwrap()
});
/// Where one body of a list item is named "of" another (`known` sorted by position, the
/// item starting at `floor`): a body's own secretariat speaks as the body, "the Executive
/// Secretariat of CICAD" (the words before "Secretariat" are the body's too); any other
/// body "of" another is the one that speaks, "the International Centre for Asset Recovery
/// of the Basel Institute on Governance" (the second is its parent).
fn bodies_of_bodies(extractor: &Extractor, text: &str, floor: usize, known: &mut Vec<EntityMatch>) {
    // A body's own secretariat speaks as the body: "the Executive Secretariat of CICAD"
    // (the words before "Secretariat" are the body's too).
    let of_body = |a: &EntityMatch, b: &EntityMatch| {
        is_org(extractor, a)
            && is_org(extractor, b)
            && a.end <= b.start
            && OF_PARENT.is_match(&text[a.end..b.start])
    };
    let secretariats: Vec<(usize, usize)> = known
        .windows(2)
        .filter(|w| of_body(&w[0], &w[1]) && text[w[0].start..w[0].end] == *"Secretariat")
        .map(|w| (w[0].start, w[1].start))
        .collect();
    for (part, body) in secretariats {
        known.retain(|e| e.start != part);
        if let Some(b) = known.iter_mut().find(|e| e.start == body) {
            b.start = capitalised_run_start(text, floor, part);
        }
    }
    // A body "of" another is the one that speaks: "the International Centre for Asset
    // Recovery of the Basel Institute on Governance" (the second is its parent).
    let parents: Vec<(usize, usize)> = known
        .windows(2)
        .filter(|w| of_body(&w[0], &w[1]))
        .map(|w| (w[1].start, w[1].end))
        .collect();
    known.retain(|e| !parents.contains(&(e.start, e.end)));
}

/// Where the capitalised words that end at `at` start ("Executive Secretariat"), not
/// before `floor`.
fn capitalised_run_start(text: &str, floor: usize, at: usize) -> usize {
    let mut start = at;
    while let Some(word_start) = text[floor..start]
        .trim_end()
        .rfind(' ')
        .map(|i| floor + i + 1)
        .filter(|&w| {
            text[w..].starts_with(|c: char| c.is_uppercase()) && text[..start].ends_with(' ')
        })
    {
        start = word_start;
    }
    start
}

/// The opening of a list of speakers by role: "the observers for ".
static SPEAKERS_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^the\s+(?:representatives?|observers?)\s+(?:of|for)\s").unwrap());
/// What joins a body to the body it is part of: "... of the ...".
static OF_PARENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s+of\s+(?:the\s+)?$").unwrap());
/// "Statements were also made by the Minister of Justice of Georgia and by the Attorney
/// General of Kenya": who spoke, named by office.
static BY_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:(?:statements?|remarks)\s+(?:were|was)\s+(?:also\s+|further\s+)?(?:made|delivered|given)\s+by\s+)the\s").unwrap()
});
/// The words of an office right before the State it serves: "the Minister of Justice of
/// ", "the Attorney General of ", "the Minister of Justice and Human Rights of ", "the
/// Minister of State for Home Affairs of ". Capitalised words joined by "of", "for",
/// "and" and "the", so "the representatives of" is none.
static OFFICE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^the\s+\p{Lu}[\p{L}'’-]*\s+(?:(?:\p{Lu}[\p{L}'’-]*|of|for|and|the)\s+)*(?:of|for)\s+(?:the\s+)?$").unwrap()
});
/// What may follow the body an office serves in a list of speakers: its acronym, "at
/// its <n>th session" (its chair's), then the list's punctuation.
static OFFICE_ENDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+\(\p{Lu}[\p{Lu}\d]+\))?(?:\s+at\s+its\s+[\p{Ll}-]+\s+session)?\s*(?:[,;.]|and\s|$)").unwrap()
});
/// "the representatives of the following Member States: A, B and C".
static LIST_INTRO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^the\s+following\s+[^:.;]{0,80}:\s*").unwrap());
static WORKSHOP_CHAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)workshop\s+(\d+)(?-u:\b)[^.]{0,400}?(?-u:\b)presented\s+by\s+the\s+Chair\s+of\s+(?:that|the)\s+workshop").unwrap()
});
static CHAIRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)the\s+(\d+(?:st|nd|rd|th))\s+((?:plenary\s+)?meeting)\s+was\s+chaired\s+by\s+([^()]+?)\s*\(([^)]+)\)").unwrap()
});
static SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*,\s*(?:and\s+)?|\s+and\s+the\s+|\s+as\s+well\s+as\s+").unwrap()
});

/// Statements and chairs of the whole report, in order of appearance.
///
/// `mentions[i]` are the gazetteer's matches in `texts[i]`; speakers named only by a
/// minted or loosely matched name are added to them (method `StatementList`).
pub fn find_statements(
    extractor: &Extractor,
    texts: &[&str],
    mentions: &mut [Vec<EntityMatch>],
) -> (Vec<StatementFound>, Vec<Chair>) {
    let mut statements = Vec::new();
    let mut chairs = Vec::new();
    for (p, text) in texts.iter().enumerate() {
        for s in sentences(text) {
            let sentence = &text[s.clone()];
            let lower = sentence.to_lowercase();
            let officials = official_statements(extractor, text, (p, s.clone()), &mentions[p]);
            // Where a list of speakers meets an official, it has ended: "... and the
            // Executive Director of UNODC" is the Secretariat's, no body of the list.
            let list_stop = officials.iter().map(|o| o.list_stop).min();
            for o in officials {
                push_new(&mut statements, o.statement);
            }
            if let Some(m) = SECRETARIAT.find(sentence) {
                let span = (s.start + m.start(), s.start + m.end());
                if let Some(e) = mentions[p]
                    .iter()
                    .find(|e| within(e, span) && is_org(extractor, e))
                {
                    statements.push(StatementFound {
                        paragraph: p,
                        speaker: Speaker::Entity(e.target.clone()),
                        role: Role::Secretariat,
                        start: e.start,
                        end: e.end,
                    });
                }
            }
            if let Some(c) = WORKSHOP_CHAIR.captures(sentence) {
                let m = c.get(0).unwrap();
                statements.push(StatementFound {
                    paragraph: p,
                    speaker: Speaker::WorkshopChair {
                        workshop: c[1].to_string(),
                    },
                    role: Role::WorkshopChair,
                    start: s.start + m.end() - "Chair of that workshop".len().min(m.len()),
                    end: s.start + m.end(),
                });
            }
            for c in CHAIRED.captures_iter(sentence) {
                let state_span = (
                    s.start + c.get(4).unwrap().start(),
                    s.start + c.get(4).unwrap().end(),
                );
                let state = mentions[p].iter().find_map(|e| match e.target {
                    Target::Known(i)
                        if within(e, state_span) && extractor.kind(i) == EntityKind::State =>
                    {
                        Some(i)
                    }
                    _ => None,
                });
                chairs.push(Chair {
                    paragraph: p,
                    session: format!("{} {}", &c[1], c[2].to_lowercase()),
                    name: c[3].split_whitespace().collect::<Vec<_>>().join(" "),
                    state,
                });
            }
            if !lower.contains("statement") {
                // Only a sentence that names a representative or an observer can report one.
                if lower.contains("representative") || lower.contains("observer") {
                    let reply = lower.contains("right of reply");
                    let (sentence, found) = ((p, s.clone()), &mentions[p]);
                    for st in reported_speakers(extractor, text, sentence, found, reply) {
                        push_new(&mut statements, st);
                    }
                }
                continue;
            }
            for (target, role, start, end) in by_office(extractor, text, s.clone(), &mentions[p]) {
                let said = Speaker::Entity(target.clone());
                // Not a name inside an office already read (the Secretariat's official,
                // by title: "by the Executive Director of UNODC").
                if statements.iter().any(|st| {
                    st.paragraph == p && (st.speaker == said || (st.start < end && start < st.end))
                }) {
                    continue;
                }
                statements.push(StatementFound {
                    paragraph: p,
                    speaker: Speaker::Entity(target),
                    role,
                    start,
                    end,
                });
            }
            let reply = lower.contains("right of reply");
            for c in LIST_TRIGGER.captures_iter(sentence) {
                let trigger = c.get(0).unwrap();
                if reply && replied_to(&sentence[..trigger.start()], &sentence[trigger.end()..]) {
                    continue;
                }
                let mut list_start = trigger.end();
                if let Some(intro) = LIST_INTRO.find(&sentence[list_start..]) {
                    list_start += intro.end();
                }
                let stop = list_stop
                    .filter(|&k| k >= s.start + list_start)
                    .map_or(sentence.len(), |k| k - s.start);
                let rest = &sentence[list_start..stop];
                if rest.starts_with("the Secretariat") {
                    continue;
                }
                let plain = if c[1].to_lowercase().starts_with("observer") {
                    Role::Observer
                } else {
                    Role::Representative
                };
                let roles = match reply {
                    true if replied_too(sentence, trigger.start()) => {
                        vec![plain, Role::RightOfReply]
                    }
                    true if in_reply(sentence, trigger.start()) => vec![Role::RightOfReply],
                    _ => vec![plain],
                };
                let found: Vec<_> = list_parts(rest)
                    .into_iter()
                    .flat_map(|(a, b)| {
                        let span = (s.start + list_start + a, s.start + list_start + b);
                        speakers(extractor, text, span, roles[0], &mut mentions[p])
                    })
                    .collect();
                let found = roles
                    .iter()
                    .flat_map(|&role| found.iter().cloned().map(move |f| (role, f)));
                for (role, (target, start, end)) in found {
                    if !statements.iter().any(|st: &StatementFound| {
                        st.paragraph == p
                            && st.role == role
                            && st.speaker == Speaker::Entity(target.clone())
                    }) {
                        statements.push(StatementFound {
                            paragraph: p,
                            speaker: Speaker::Entity(target),
                            role,
                            start,
                            end,
                        });
                    }
                }
            }
        }
    }
    statements.sort_by_key(|s| (s.paragraph, s.start));
    (statements, chairs)
}

/// What a speaker did, right after the name or an aside on it ("..., a State that had not
/// signed the Convention, also took the floor"): the verbs of reported speech.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:,\s+(?:a|an|which|who|whose)\s[^,;()]{{1,80}},)?,?\s+{SPEECH_ADVERB}(?:{SPEECH_VERBS}|{TOOK_THE_FLOOR})(?-u:\b)")).unwrap()
});
/// Speakers who did as the ones before them in the sentence did, who spoke: "... addressed
/// the Conference, as did the observers for A and B" (not "States participated as
/// observers, as did the observers for Palestine").
static AS_DID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?-u:\b)(?:{SPEECH_VERBS}|{TOOK_THE_FLOOR}|made\s+(?:a\s+)?statements?)(?-u:\b)[^.;]*,\s+as\s+did\s*$")).unwrap()
});
/// The verbs of reported speech, for [`REPORTED`], [`AS_DID`] and [`OFFICIAL_ACTS`].
const SPEECH_VERBS: &str = r"said|stated|exercised|replied|responded|described|noted|informed|highlighted|emphasi[sz]ed|underlined|underscored|stressed|reported|presented|expressed|called|welcomed|drew|outlined|explained|referred|recalled|proposed|suggested|announced|indicated|gave|shared|provided|briefed|updated|observed|pointed|mentioned|requested|urged|introduced|reiterated|affirmed|thanked|acknowledged|spoke|detailed|reviewed|summarized|summarised";
/// What a State's or a body's speaker did, besides the verbs of speech: "The observer for
/// Oman also took the floor", "The observers for A and B addressed the Conference". Not
/// an official's: "The Secretary-General addressed the opening by video message" is no
/// statement of the United Nations as an observer.
const TOOK_THE_FLOOR: &str = r"took\s+the\s+floor|addressed\s+the";
/// An adverb a speech verb may follow.
const SPEECH_ADVERB: &str = r"(?:also\s+|further\s+|then\s+|briefly\s+|subsequently\s+)?";

/// Speakers reported outside a statement list, in a sentence that says what they said:
/// "the representative of Mali described ...", "The observer for the Network
/// highlighted ...", "the representatives of Egypt and Libya referred to ...", "The
/// observer for Oman, a State that had not signed the Convention, also took the floor",
/// "... addressed the Conference, as did the observers for A and B". The
/// names right after the opening words, joined by commas or "and", then a verb of
/// reported speech; only names the gazetteer found (nothing is minted from a summary).
/// A speaker already listed adds nothing new; one that is not has spoken all the same.
fn reported_speakers(
    x: &Extractor,
    text: &str,
    (paragraph, sentence): (usize, std::ops::Range<usize>),
    mentions: &[EntityMatch],
    reply: bool,
) -> Vec<StatementFound> {
    let mut out = Vec::new();
    // Subjects waiting for the verb of a subject coordinated after them.
    let mut waiting: Vec<StatementFound> = Vec::new();
    for c in LIST_TRIGGER.captures_iter(&text[sentence.clone()]) {
        let reply = reply && in_reply(&text[sentence.clone()], c.get(0).unwrap().start());
        let role = match (reply, c[1].to_lowercase().starts_with("observer")) {
            (true, _) => Role::RightOfReply,
            (false, true) => Role::Observer,
            (false, false) => Role::Representative,
        };
        let opened = sentence.start + c.get(0).unwrap().end();
        // The Secretariat's own rule reads its introductions; a chair is no speaker's
        // name.
        if ["the Secretariat", "the Chair"]
            .iter()
            .any(|w| text[opened..].starts_with(w))
        {
            continue;
        }
        let (names, at) = subject_names(x, text, (opened, sentence.end), mentions);
        if names.is_empty() {
            waiting.clear();
            continue;
        }
        let found = names.into_iter().map(|e| StatementFound {
            paragraph,
            speaker: Speaker::Entity(e.target.clone()),
            role,
            start: e.start,
            end: e.end,
        });
        let rest = &text[at..sentence.end];
        let opening = sentence.start + c.get(0).unwrap().start();
        // "X addressed the Conference, as did the observers for A and B."
        let as_did = AS_DID.is_match(&text[sentence.start..opening]);
        let said = as_did
            || REPORTED.is_match(rest)
            || (!out.is_empty()
                && gapped(
                    &text[sentence.start..sentence.start + c.get(0).unwrap().start()],
                    rest,
                ));
        if said {
            out.append(&mut waiting);
            out.extend(found);
        } else if COORDINATED_SUBJECT.is_match(rest) {
            waiting.extend(found);
        } else {
            waiting.clear();
        }
    }
    out
}

/// The names right after a speaker's opening words ("the observers for "), joined by
/// commas or "and": only States and bodies the gazetteer found, the first right there.
/// Also where the names end.
fn subject_names<'m>(
    x: &Extractor,
    text: &str,
    (mut at, end): (usize, usize),
    mentions: &'m [EntityMatch],
) -> (Vec<&'m EntityMatch>, usize) {
    static JOIN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:,\s+|\s+and\s+|,\s+and\s+)?(?:the\s+)?$").unwrap());
    let mut names = Vec::new();
    while let Some(e) = mentions
        .iter()
        .filter(|e| e.start >= at && e.end <= end)
        .filter(|e| JOIN.is_match(&text[at..e.start]))
        .max_by_key(|e| e.end - e.start)
    {
        if !(is_state(x, e) || is_org(x, e)) || (names.is_empty() && e.start - at > 4) {
            break;
        }
        names.push(e);
        at = e.end;
    }
    (names, at)
}

/// Speakers whose verb comes after a further subject: "The observers for India and
/// Japan, which were signatories, and the observer for the Holy See also spoke."
static COORDINATED_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,\s+(?:which|who)\s[^,]*)?,?\s+and\s+(?:the|a)\s+(?:representatives?|observers?)\s+(?:of|for)\s").unwrap()
});

/// A clause that leaves out the verb of a reported speaker before it in the sentence:
/// "The representative of Nigeria spoke on behalf of ...; the representative of
/// Mozambique on behalf of ...; and the representative of Saint Lucia on behalf of
/// ...". The clause opens after a semicolon and goes on with "on behalf of".
fn gapped(before: &str, after: &str) -> bool {
    static AFTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^,?\s+on\s+behalf\s+of\s").unwrap());
    let before = before.trim_end();
    let before = before.strip_suffix("and").unwrap_or(before).trim_end();
    before.ends_with(';') && AFTER.is_match(after)
}

/// What an official did, right after the office's words: a verb of speech, after an
/// aside that says in what capacity ("The Executive Director of UNODC, speaking also on
/// behalf of the Secretary-General, observed ..."; "..., in his capacity as
/// Secretary-General of the Congress, ...").
static OFFICIAL_ACTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:\s*\([^)]*\))?(?:,\s+(?:speaking|in\s+(?:his|her)\s+capacity)[^,]*,)?\s+{SPEECH_ADVERB}(?:made|delivered|read|{SPEECH_VERBS})(?-u:\b)")).unwrap()
});
/// A statement said to be made by the speakers named after it: "Closing statements were
/// made by the President, ... and the Executive Director of UNODC", "the Commission
/// heard closing statements by the representative of Fiji ... and the Director of the
/// Division for Treaty Affairs".
static MADE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:statements?|remarks|presentations?)\s+(?:(?:was|were)\s+(?:also\s+)?(?:made|delivered|given)\s+)?by\s").unwrap()
});

/// What lies between two officials of one list: a comma or "and", after an acronym in
/// parentheses.
static OFFICIALS_JOINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s*\([^)]*\))?(?:,\s+(?:and\s+)?|,?\s+and\s+)$").unwrap());

/// A statement of an official, and where the official's words start ("the" before the
/// title), which ends any list of speakers before them.
struct Official {
    statement: StatementFound,
    list_stop: usize,
}

/// Statements of officials: "The Chief of the Terrorism Prevention Branch introduced the
/// item", "An introductory statement was made by the Executive Director of UNODC" (the
/// Secretariat speaks, in its role, SPEC `secretariat`); "Opening statements were made
/// by the Deputy Executive Secretary of ESCWA" (the body, as its observer). Whom the
/// office serves is [`Extractor::speaks_for`]'s.
fn official_statements(
    x: &Extractor,
    text: &str,
    (paragraph, sentence): (usize, std::ops::Range<usize>),
    mentions: &[EntityMatch],
) -> Vec<Official> {
    let said = &text[sentence.clone()];
    let made_by = MADE_BY.find(said).map(|m| sentence.start + m.end());
    let shift = |k: usize| sentence.start + k;
    let offices: Vec<Office> = x
        .officials_in(said)
        .into_iter()
        .map(|o| Office {
            the: shift(o.the),
            start: shift(o.start),
            name_start: shift(o.name_start),
            end: shift(o.end),
        })
        .collect();
    // Officials listed before the one whose verb they share: "The Secretary-General of
    // INTERPOL and the Executive Director of UNODC made statements".
    let mut spoke = vec![false; offices.len()];
    for i in (0..offices.len()).rev() {
        let office = &offices[i];
        let shares = offices.get(i + 1).is_some_and(|next| {
            spoke[i + 1]
                && next.the >= office.end
                && OFFICIALS_JOINED.is_match(&text[office.end..next.the])
        });
        spoke[i] = shares
            || made_by.is_some_and(|by| by <= office.start)
            || OFFICIAL_ACTS.is_match(&text[office.end..sentence.end]);
    }
    offices
        .into_iter()
        .zip(spoke)
        .filter(|(_, spoke)| *spoke)
        .filter_map(|(office, _)| {
            let (speaker, role) = match x.speaks_for(text, &office, mentions)? {
                SpeaksFor::Secretariat(i) => (Target::Known(i), Role::Secretariat),
                SpeaksFor::Body(body) => (body, Role::Observer),
            };
            Some(Official {
                statement: StatementFound {
                    paragraph,
                    speaker: Speaker::Entity(speaker),
                    role,
                    start: office.start,
                    end: office.end,
                },
                list_stop: office.the,
            })
        })
        .collect()
}

/// Adds a statement unless its paragraph already has the same speaker in the same role.
fn push_new(statements: &mut Vec<StatementFound>, found: StatementFound) {
    if !statements.iter().any(|st| {
        st.paragraph == found.paragraph && st.role == found.role && st.speaker == found.speaker
    }) {
        statements.push(found);
    }
}

/// The States and bodies whose officials a sentence says made statements, named by
/// office ("by the Minister of Justice of Georgia and by the Attorney General of Kenya";
/// "by the Secretary General of the Council of Europe"; "by the Vice-President for
/// Governance of the World Bank"): each right after an office's words, after the
/// sentence's "made by". The official speaks for a State as its representative, for a
/// body as its observer.
fn by_office(
    x: &Extractor,
    text: &str,
    sentence: std::ops::Range<usize>,
    mentions: &[EntityMatch],
) -> Vec<(Target, Role, usize, usize)> {
    let Some(m) = BY_OFFICE.find(&text[sentence.clone()]) else {
        return Vec::new();
    };
    let from = sentence.start + m.start();
    mentions
        .iter()
        .filter(|e| e.start > from && e.end <= sentence.end)
        // The State or body ends the office's words ("the Ambassador of Japan to
        // Lebanon" is an office in Lebanon, not one this rule can read).
        .filter(|e| OFFICE_ENDS.is_match(&text[e.end..sentence.end]))
        .filter(|e| OFFICE_OF.is_match(office_words(&text[from..e.start])))
        // An item of a list of observers or representatives is a name of its own ("by
        // the observers for UNESCO and the Regional Anti-Terrorist Structure of the
        // Shanghai Cooperation Organisation"), no office.
        .filter(|e| {
            let before = &text[from..e.start];
            let item = before.rfind(" by ").map_or(before, |k| &before[k + 4..]);
            !SPEAKERS_LIST.is_match(item)
        })
        .filter_map(|e| {
            let role = if is_state(x, e) {
                Role::Representative
            } else if is_org(x, e) && observes_by_office(x, e) {
                Role::Observer
            } else {
                return None;
            };
            Some((e.target.clone(), role, e.start, e.end))
        })
        .collect()
}

/// Whether a body after an official's office speaks as its observer: not the meeting's
/// own body, named by its anaphor ("by the President of the Conference"), nor a
/// principal organ of the United Nations or an office of its Secretariat, whose
/// officers speak for the United Nations ("by the President of the General Assembly",
/// "by the Regional Representative of the UNODC Regional Office for ...").
fn observes_by_office(x: &Extractor, e: &EntityMatch) -> bool {
    e.method != Method::Anaphora
        && match e.target {
            Target::Known(i) => !x.is_principal_organ(i) && !x.in_the_secretariat(i),
            Target::Minted { .. } => true,
        }
}

/// The words of the office a list item names before its State: what follows the last
/// "by", semicolon, comma or "and the" ("by the Vice-President of Panama; the Minister
/// of Justice of " gives "the Minister of Justice of ").
fn office_words(before: &str) -> &str {
    let after = |sep: &str, keep: usize| before.rfind(sep).map(|i| i + sep.len() - keep);
    let cut = [
        after(" by ", 0),
        after(";", 0),
        after(",", 0),
        after(" and the ", "the ".len()),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(0);
    before[cut..].trim_start()
}

/// Whether the speakers whose list opens at `at` in `sentence` (which speaks of the
/// right of reply) spoke in exercise of it. Their own clause, from their opening to the
/// next speakers', tells: it says so ("..., and the representative of D made a statement
/// in exercise of the right of reply"), or it has a statement of its own that does not
/// ("the representatives of A, B and C made statements, and ..."): not in reply. One
/// who answers a reply replies too ("..., to which the representative of E responded").
/// A clause with no verb of its own shares the sentence's ("the representative of A and
/// the observer for B made statements in exercise of the right of reply").
fn in_reply(sentence: &str, at: usize) -> bool {
    static OWN_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:made\s+(?:a\s+)?statements?|spoke|took\s+the\s+floor)(?-u:\b)")
            .unwrap()
    });
    let own = own_clause(sentence, at).to_lowercase();
    let answers = sentence[..at]
        .trim_end()
        .to_lowercase()
        .ends_with("to which");
    own.contains("right of reply") || answers || !OWN_STATEMENT.is_match(&own)
}

/// Whether the speakers whose list opens at `at` made a statement of their own and then
/// one in reply, in one clause: "The observers for A and B made statements and also made
/// statements in exercise of the right of reply" (SPEC: one entry per role).
fn replied_too(sentence: &str, at: usize) -> bool {
    static BOTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[^.;]*?(?-u:\b)made\s+(?:a\s+)?statements?,?\s+and\s+(?:also\s+|then\s+|later\s+)?(?:made\s+(?:a\s+)?(?:further\s+)?statements?\s+|spoke\s+)?in\s+exercise\s+of\s+the\s+right\s+of\s+reply").unwrap()
    });
    BOTH.is_match(own_clause(sentence, at))
}

/// The clause of the speakers whose list opens at `at`: up to the next speakers' opening.
fn own_clause(sentence: &str, at: usize) -> &str {
    let next = LIST_TRIGGER
        .find_iter(sentence)
        .map(|m| m.start())
        .find(|&o| o > at)
        .unwrap_or(sentence.len());
    &sentence[at..next]
}

/// Whether the speaker named between `before` and `after` in a sentence on a right of
/// reply is the one replied to, not one replying: "... in exercise of the right of reply
/// in respect of (to, with regard to, in response to) a statement made by the
/// representative of X";
/// unless X replied in turn ("..., who in turn spoke in exercise of the right of reply").
fn replied_to(before: &str, after: &str) -> bool {
    static IN_TURN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[^,.;]*,\s+who\s+(?:in\s+turn\s+|also\s+)?(?:replied|responded|spoke|made|exercised)(?-u:\b)").unwrap()
    });
    let lower = before.to_lowercase();
    let target = lower.rfind("right of reply").is_some_and(|at| {
        let after = &lower[at..];
        // Not "made by": "statements in exercise of the right of reply were made by
        // the representatives of ..." names those replying; nor "in response to which
        // the representative of X made a statement", who replied too. The one replied to
        // is named right after the statement's "made by".
        [
            "in respect of",
            "in reply to",
            "with regard to",
            "reply to the statement",
            "reply to a statement",
            "reply to statements",
            "in response to a statement",
            "in response to the statement",
            "in response to statements",
        ]
        .iter()
        .any(|w| after.contains(w))
            && after.trim_end().ends_with("made by")
    });
    target && !IN_TURN.is_match(after)
}

/// The parts of a list that name speakers, as byte ranges of `rest` (the text after the
/// list's opening words). A list ends at a stop, a colon, a verb or "on behalf of"; but
/// a list whose items hold commas or say for whom they spoke runs on after a semicolon
/// ("Guyana, on behalf of the Group of 77 and China; Angola, on behalf of ...; and the
/// European Union"; "Council of Europe; International Organization for Migration; and
/// ...") or after ", and for" ("for the Council of Europe, on behalf of GRECO, and for
/// the Academy"): the next item goes on the list, and the "on behalf of" clause before
/// it is left out.
fn list_parts(rest: &str) -> Vec<(usize, usize)> {
    static BEHALF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^,?\s+(?:speaking\s+)?on\s+behalf\s+of(?-u:\b)").unwrap());
    static NEXT_ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:;\s+(?:and\s+)?|,\s+and\s+(?:for|of)\s+)(?:the\s+)?\p{Lu}").unwrap()
    });
    // Where an "on behalf of" clause ends: a semicolon, a stop, or ", and for" / ", and
    // of" that names the next speaker.
    static BEHALF_END: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[;.]|,\s+and\s+(?:for|of)\s").unwrap());
    let mut parts = Vec::new();
    let mut from = 0;
    loop {
        // An aside in parentheses is the item's: "Sweden (also on behalf of Denmark and
        // Norway), Belarus" goes on.
        let end = LIST_END
            .find_iter(&rest[from..])
            .find(|m| {
                let before = &rest[from..from + m.start()];
                before.matches('(').count() <= before.matches(')').count()
            })
            .map_or(rest.len(), |m| from + m.start());
        parts.push((from, end));
        // Past an "on behalf of" clause, to the semicolon that may end it.
        let mut at = end;
        if BEHALF.is_match(&rest[at..]) {
            match BEHALF_END.find(&rest[at..]) {
                Some(k) => at += k.start(),
                None => break,
            }
        }
        let Some(next) = NEXT_ITEM.find(&rest[at..]) else {
            break;
        };
        // The next item starts at its name (the pattern's last char).
        let name = next.as_str().chars().next_back().map_or(0, char::len_utf8);
        from = at + next.end() - name;
    }
    parts
}

/// The speakers of one list: known names in order, and the gaps between them read as
/// names the reference data lacks.
fn speakers(
    extractor: &Extractor,
    text: &str,
    (start, end): (usize, usize),
    role: Role,
    mentions: &mut Vec<EntityMatch>,
) -> Vec<(Target, usize, usize)> {
    let mut out: Vec<(Target, usize, usize)> = Vec::new();
    let mut cursor = start;
    let mut gaps = Vec::new();
    // Names in parentheses are not speakers: "(GAATW)" repeats the one before it, and
    // "(on behalf of the Group of African States)" names those it spoke for.
    let in_parens = |pos: usize| {
        let before = &text[start..pos];
        before.matches('(').count() > before.matches(')').count()
    };
    let mut known: Vec<EntityMatch> = mentions
        .iter()
        .filter(|e| within(e, (start, end)) && (is_org(extractor, e) || is_state(extractor, e)))
        .filter(|e| !in_parens(e.start))
        .cloned()
        .collect();
    // A State's name that starts or ends a longer name in the list is that name's
    // ("the Japan Federation of Bar Associations", "the Society for ... Rule of Law of
    // Nigeria"): no speaker, no mention of its own; the longer name is in a gap.
    let inside: Vec<(usize, usize)> = known
        .iter()
        .filter(|e| is_state(extractor, e) && inside_a_name(text, e.start, e.end))
        .map(|e| (e.start, e.end))
        .collect();
    if !inside.is_empty() {
        known.retain(|e| !inside.contains(&(e.start, e.end)));
        mentions.retain(|m| !(inside.contains(&(m.start, m.end)) && is_state(extractor, m)));
    }
    // The longest name at a place speaks: "the African Union Commission", not the
    // African Union named inside it.
    known.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    bodies_of_bodies(extractor, text, start, &mut known);
    for e in &known {
        if e.start < cursor {
            continue; // a name nested in a longer one
        }
        if e.start > cursor {
            gaps.push((cursor, e.start));
        }
        out.push((e.target.clone(), e.start, e.end));
        cursor = e.end;
    }
    if cursor < end {
        gaps.push((cursor, end));
    }
    if role != Role::RightOfReply {
        let comma_list = text[start..end].contains(", ");
        for (gs, ge) in gaps {
            for (ns, ne) in names_in_gap(text, gs, ge, comma_list && ge == end) {
                let printed = &text[ns..ne];
                // "... and the Chair": the meeting's officer, no body; an aside in
                // parentheses names no speaker.
                // "... the Government of the United Arab Emirates": the State speaks.
                if extractor.is_meeting_officer(printed)
                    || in_parens(ns)
                    || GOVERNMENT_OF.is_match(printed)
                {
                    continue;
                }
                // "the ASEAN Secretariat": the body speaks, not a minted "Secretariat".
                let part = known.iter().any(|e| {
                    is_org(extractor, e) && crate::extract::part_of_body(text, e.end, ns, printed)
                });
                if part {
                    continue;
                }
                let target = match extractor.organization_like(printed) {
                    Some(e) => Target::Known(e),
                    None => Target::Minted {
                        kind: EntityKind::Organization,
                        name: printed.to_string(),
                        key: None,
                    },
                };
                let method = if matches!(target, Target::Known(_)) {
                    Method::StatementList
                } else {
                    Method::Minted
                };
                mentions.push(EntityMatch {
                    target: target.clone(),
                    start: ns,
                    end: ne,
                    method,
                });
                out.push((target, ns, ne));
            }
        }
        mentions.sort_by_key(|m| (m.start, m.end));
    }
    out.sort_by_key(|(_, s, _)| *s);
    let mut seen = Vec::new();
    out.retain(|(t, _, _)| {
        let fresh = !seen.contains(t);
        seen.push(t.clone());
        fresh
    });
    out
}

/// Names in a stretch of a list between known names: split at commas and "and the",
/// each piece a name if it starts with a capital after an optional "the". At the end
/// of a list with commas (`tail`), a last piece whose separator held no "and" holds the
/// list's "and" itself ("..., the Japan Federation of Bar Associations and Soroptimist
/// International"): it is parted at its last "and" before a capital.
fn names_in_gap(text: &str, start: usize, end: usize, tail: bool) -> Vec<(usize, usize)> {
    let gap = &text[start..end];
    let mut out = Vec::new();
    // Each piece, and whether its separator ended in "the".
    let mut pieces = Vec::new();
    let mut last = (0, false);
    let mut last_sep_and = false;
    for m in SEPARATORS.find_iter(gap) {
        pieces.push((last.0, m.start(), last.1));
        last = (m.end(), m.as_str().ends_with("the "));
        last_sep_and = m.as_str().contains("and");
    }
    let conjunction = (tail && !last_sep_and)
        .then(|| gap[last.0..].rfind(" and "))
        .flatten()
        .map(|i| last.0 + i)
        .filter(|&i| {
            // Two names: each of two words or more ("Accountability and Rule of Law"
            // is one name's list), and none in parentheses.
            let (left, right) = (&gap[last.0..i], &gap[i + 5..]);
            right.starts_with(char::is_uppercase)
                && !gap[last.0..].contains(['(', ')'])
                && left.trim_start_matches(", ").split_whitespace().count() >= 2
                && right.split_whitespace().count() >= 2
        });
    match conjunction {
        Some(i) => {
            pieces.push((last.0, i, last.1));
            // After the list's own "and" a name starts: never the rest of the name
            // before it (`join_listed_tails` reads the flag as an article).
            pieces.push((i + 5, gap.len(), true));
        }
        None => pieces.push((last.0, gap.len(), last.1)),
    }
    for (ps, pe) in join_listed_tails(gap, pieces) {
        let piece = &gap[ps..pe];
        let trimmed = piece.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        let trimmed = trimmed.strip_prefix("and ").unwrap_or(trimmed);
        let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
        let offset = ps + (piece.len() - trimmed.len());
        let trimmed = trimmed
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '–' | '-' | '—'));
        // Before a known name the gap ends with the list's "and": not the name's.
        let trimmed = trimmed.strip_suffix(" and").unwrap_or(trimmed);
        let words = trimmed.split_whitespace().count();
        if words >= 1 && trimmed.starts_with(|c: char| c.is_uppercase()) && trimmed.len() > 2 {
            out.push((start + offset, start + offset + trimmed.len()));
        }
    }
    out
}

/// Joins a piece to the name before it where that name's last words are a list after
/// its "for", "of" or "on" ("the Network for Security" + "Justice and Human Rights"): a
/// piece with no "the" after one that has it goes on with the name before.
fn join_listed_tails(gap: &str, pieces: Vec<(usize, usize, bool)>) -> Vec<(usize, usize)> {
    let bare = |s: usize, e: usize| {
        let t = gap[s..e].trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        t.strip_prefix("and ").unwrap_or(t)
    };
    let article = |s: usize, e: usize, after_the: bool| after_the || bare(s, e).starts_with("the ");
    let mut out: Vec<(usize, usize, bool)> = Vec::new();
    for (s, e, after_the) in pieces {
        let text = bare(s, e);
        let goes_on = !article(s, e, after_the)
            && text.starts_with(|c: char| c.is_uppercase())
            && out.last().is_some_and(|&(ls, le, lt)| {
                article(ls, le, lt) && super::governs_a_list(bare(ls, le))
            });
        match out.last_mut() {
            Some(last) if goes_on => last.1 = e,
            _ => out.push((s, e, after_the)),
        }
    }
    out.into_iter().map(|(s, e, _)| (s, e)).collect()
}

/// A State's Government, before its name in a list of speakers ("the representative of
/// the Government of Japan"): the words of no name.
static GOVERNMENT_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Governments?(?:\s+of(?:\s+the)?)?$").unwrap());

/// Whether the State named at `start..end` of a list is part of a longer name: followed
/// by a capitalised word ("Japan Federation"), after one ("Integrity Watch Kenya"), or
/// after a capitalised name's "of" ("Rule of Law of Nigeria", not "the representatives
/// of Nigeria").
fn inside_a_name(text: &str, start: usize, end: usize) -> bool {
    // A word of a name as the place and person rule reads one: no punctuation after it
    // ("States:", "Chile,"), no job number a page left ("V.26-01004").
    let capitalised = |w: Option<&str>| w.is_some_and(super::proper_names::is_name_word);
    let followed = capitalised(
        text[end..]
            .strip_prefix(' ')
            .and_then(|a| a.split(' ').next()),
    );
    let before = &text[..start];
    // "the Government of Japan" is Japan: a name's "of", not a Government's.
    let after_of = before.strip_suffix(" of ").is_some_and(|b| {
        let word = b.rsplit(' ').next();
        capitalised(word) && !word.is_some_and(|w| GOVERNMENT_OF.is_match(w))
    });
    // "Integrity Watch Kenya": a capitalised word of the name just before it.
    let after_word = before
        .strip_suffix(' ')
        .is_some_and(|b| capitalised(b.rsplit(' ').next()));
    followed || after_of || after_word
}

fn within(e: &EntityMatch, (start, end): (usize, usize)) -> bool {
    e.start >= start && e.end <= end
}

fn is_org(x: &Extractor, e: &EntityMatch) -> bool {
    match e.target {
        Target::Known(i) => x.kind(i) == EntityKind::Organization,
        Target::Minted { kind, .. } => kind == EntityKind::Organization,
    }
}

fn is_state(x: &Extractor, e: &EntityMatch) -> bool {
    matches!(e.target, Target::Known(i) if x.kind(i) == EntityKind::State)
}

/// Byte ranges of sentences (the space after a stop belongs to neither).
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let starts = super::sentence_starts(text);
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| s..starts.get(k + 1).map_or(text.len(), |&next| next - 1))
        .collect()
}
