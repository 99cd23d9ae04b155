//! What is not a State although it holds a State's name: a longer proper name around
//! it. A person named in an officer line ("Jordan Whyte (Ghana)", "Georgia Ramos
//! (Chile)"), a city ("Kuwait City"), a feature ("Panama Canal", "South China Sea",
//! "Gulf of Mexico", "Lake Chad"). The longest proper name wins: a State's name
//! followed by a capitalised word that no known name continues is part of a longer
//! name, and so is one after a place prefix of the reference data (`cg:placePrefix`,
//! on `cg:Place`). A body named after a State ("Kenya Police Service") is left to the
//! names and minting passes: a run holding a name head (`cg:nameHead`) is not taken for
//! a person or a place.

use crate::reference::Vocabulary;
use std::collections::{HashMap, HashSet};

/// Words that may follow a State's name, capitalised, without making a longer name:
/// function words a title-cased heading or a wrapped list puts there.
const FREE: &[&str] = &[
    "and", "or", "the", "of", "in", "on", "at", "for", "to", "with", "by", "as", "but",
];
/// Capitalised words read after the State's name, at most, looking for a name head.
const RUN: usize = 6;

/// The rule, built from the reference data.
#[derive(Debug, Clone, Default)]
pub struct LongerNames {
    /// Place prefixes as written, capitalised, each ending in a space ("Gulf of ",
    /// "Lake "): a place's name, not a common noun ("the port of Djibouti" names the
    /// State's port, "Port of Spain" a city).
    prefixes: Vec<String>,
    /// Lower-case name heads of bodies and instruments ("institute", "task force").
    heads: Vec<String>,
    /// Lower-case words after a State's name that make it a feature's ("the Congo
    /// basin"), each after a space.
    suffixes: Vec<String>,
    /// The names of places (`cg:Place`) that hold a State's name, folded: "Hong Kong,
    /// China", where no capitalised word after the State's name tells.
    places: Places,
    /// The States' names, folded.
    state_names: HashSet<String>,
}

impl LongerNames {
    pub fn new(vocab: &Vocabulary) -> Self {
        let state_names: HashSet<String> = vocab
            .entities
            .iter()
            .filter(|e| e.kind == crate::reference::EntityKind::State)
            .flat_map(|e| &e.names)
            .map(|n| super::fold(&n.text))
            .collect();
        LongerNames {
            prefixes: vocab
                .place_prefixes
                .iter()
                .map(|p| format!("{} ", super::fold(p).trim()))
                .collect(),
            heads: vocab
                .name_heads
                .iter()
                .map(|(_, h)| super::fold(h).to_lowercase())
                .collect(),
            suffixes: vocab
                .place_suffixes
                .iter()
                .map(|s| format!(" {}", super::fold(s).trim()))
                .collect(),
            places: Places::new(places_with_a_states_name(vocab, &state_names)),
            state_names,
        }
    }

    /// Whether the State's name at `start..end` of `folded` is part of a longer proper
    /// name that is not the State.
    pub fn covers(&self, folded: &str, start: usize, end: usize) -> bool {
        self.followed_by_a_name(&folded[end..])
            || self.after_a_prefix(&folded[..start])
            || ends_a_persons_name(&folded[..start], &folded[end..])
            || self.inside_a_place(folded, start, end)
            || self.before_a_suffix(&folded[end..])
    }

    /// "the Congo basin": a place suffix right after, as a word of its own.
    fn before_a_suffix(&self, after: &str) -> bool {
        self.suffixes.iter().any(|s| {
            after.starts_with(s.as_str())
                && after[s.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    }

    /// "Hong Kong, China": the State's name at `start..end` is inside a place's name
    /// printed there.
    fn inside_a_place(&self, folded: &str, start: usize, end: usize) -> bool {
        let Some(at) = self.places.by_words.get(&folded[start..end]) else {
            return false;
        };
        at.iter().any(|&(p, k)| {
            start >= k
                && folded
                    .get(start - k..)
                    .is_some_and(|t| t.starts_with(self.places.names[p].as_str()))
        })
    }

    /// "Jordan Whyte", "Kuwait City": a capitalised word right after, and no name head
    /// in the run of capitalised words it starts.
    fn followed_by_a_name(&self, after: &str) -> bool {
        let Some(rest) = after.strip_prefix(' ') else {
            return false;
        };
        // The run ends with its sentence or clause: "the Uruguay River. The Convention"
        // holds no name head of the river's.
        let mut run: Vec<&str> = Vec::new();
        for word in rest.split(' ').take(RUN) {
            let trimmed = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !trimmed.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            run.push(trimmed);
            if trimmed.len() < word.len() {
                break;
            }
        }
        let Some(first) = run.first() else {
            return false;
        };
        // "the Guatemala–Mexico border region": two States' names side by side, each
        // its own, when a common noun follows (a person's names go on capitalised:
        // "Georgia Ireland (New Zealand)", "Israel Montenegro Vargas").
        if self.state_then_noun(rest) {
            return false;
        }
        // A label that starts the next line of an officer list ("... and Zambia /
        // Rapporteur-General: Israel Montero"), not a name going on.
        if rest.split(' ').next().is_some_and(|w| w.ends_with(':')) {
            return false;
        }
        let lower = first.to_lowercase();
        if !is_name_word(first) || FREE.contains(&lower.as_str()) {
            return false;
        }
        let words: Vec<String> = run.iter().map(|w| w.to_lowercase()).collect();
        !self.heads.iter().any(|h| {
            words
                .windows(h.split(' ').count())
                .any(|w| w.join(" ") == *h)
        })
    }

    /// Whether `rest` opens with a State's whole name and then a lower-case word.
    fn state_then_noun(&self, rest: &str) -> bool {
        let ends = rest.match_indices(' ').map(|(i, _)| i).take(RUN);
        ends.into_iter().any(|i| {
            self.state_names.contains(&rest[..i])
                && rest[i + 1..].starts_with(|c: char| c.is_lowercase())
        })
    }

    /// "Gulf of Mexico", "Lake Chad": a place prefix right before, as written.
    fn after_a_prefix(&self, before: &str) -> bool {
        let before = before.strip_suffix("the ").unwrap_or(before);
        self.prefixes.iter().any(|p| {
            before.ends_with(p.as_str())
                && before[..before.len() - p.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    }
}

/// Places' names, each looked up by any run of whole words in it: a State's name
/// found in a paragraph is checked against the few places that hold it, not against
/// every place (that was one substring search a place for every State's name found).
#[derive(Debug, Clone, Default)]
struct Places {
    names: Vec<String>,
    /// A run of whole words (bounded by no letter or digit either side) -> (the place,
    /// where the run starts in its name).
    by_words: HashMap<String, Vec<(usize, usize)>>,
}

impl Places {
    fn new(names: Vec<String>) -> Self {
        let mut by_words: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (p, name) in names.iter().enumerate() {
            let word = |i: usize| name[i..].chars().next().is_some_and(char::is_alphanumeric);
            let before_word = |i: usize| {
                name[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            };
            let bounds: Vec<usize> = (0..=name.len())
                .filter(|&i| name.is_char_boundary(i))
                .collect();
            let starts = bounds
                .iter()
                .filter(|&&i| i < name.len() && !before_word(i));
            for &s in starts {
                let ends = bounds.iter().filter(|&&e| e > s && !word(e));
                for &e in ends {
                    by_words
                        .entry(name[s..e].to_string())
                        .or_default()
                        .push((p, s));
                }
            }
        }
        Places { names, by_words }
    }
}

/// The folded names of places that hold a State's name as words of their own and are
/// not that name (`states`: the States' names, folded).
fn places_with_a_states_name(vocab: &Vocabulary, states: &HashSet<String>) -> Vec<String> {
    let holds = |place: &str, state: &str| {
        place != state
            && place.match_indices(state).any(|(k, _)| {
                let before = place[..k].chars().next_back();
                let after = place[k + state.len()..].chars().next();
                before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric())
            })
    };
    vocab
        .places
        .iter()
        .flat_map(|p| &p.names)
        .map(|n| super::fold(n))
        .filter(|p| states.iter().any(|s| holds(p, s)))
        .collect()
}

/// "Ramon Israel (Philippines)", "Israel Ramírez Montenegro (Mexico)": right after a
/// name word and right before a State's name in brackets, a State's name is the last of
/// a person's names, as an officer line prints them. Not a State's own bracket
/// ("Venezuela (Bolivarian Republic of)", ending in "of") nor one after a list's comma.
fn ends_a_persons_name(before: &str, after: &str) -> bool {
    let Some(bracketed) = after
        .strip_prefix(" (")
        .and_then(|a| a.split_once(')'))
        .map(|(inside, _)| inside)
    else {
        return false;
    };
    let a_states_name = !bracketed.is_empty()
        && bracketed.len() <= 60
        && !bracketed.ends_with(" of")
        && bracketed
            .split(' ')
            .all(|w| is_name_word(w) || FREE.contains(&w));
    let given = before
        .strip_suffix(' ')
        .and_then(|b| b.rsplit(' ').next())
        .is_some_and(|w| is_name_word(w) && !FREE.contains(&w.to_lowercase().as_str()));
    a_states_name && given
}

/// A word of a person's or a place's name: a capital, then lower-case letters (hyphens
/// and apostrophes inside), as in "Whyte", "City", "Domínguez", "O'Neill". Not an
/// acronym, a symbol ("A/CONF.234/16" that a page header left) or a number.
pub(crate) fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && chars.all(|c| c.is_lowercase() || matches!(c, '-' | '\'' | '’' | 'A'..='Z'))
        && word.chars().skip(1).any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> LongerNames {
        LongerNames {
            prefixes: vec!["Gulf of ".into(), "Lake ".into(), "Port of ".into()],
            heads: vec!["institute".into(), "police".into(), "convention".into()],
            suffixes: vec![" basin".into()],
            places: Places::new(vec!["Hong Kong, China".into()]),
            state_names: [
                "Guatemala",
                "Mexico",
                "Chad",
                "Ireland",
                "Jordan",
                "Montenegro",
            ]
            .map(String::from)
            .into(),
        }
    }

    /// `(text, the State's name in it, whether a longer name covers it)`.
    #[test]
    fn persons_places_and_bodies() {
        let cases: &[(&str, &str, bool)] = &[
            ("chaired by Jordan Whyte (Ghana).", "Jordan", true),
            ("chaired by Ms. Ramos (Chile).", "Chile", false),
            ("held in Kuwait City on", "Kuwait", true),
            ("the Gulf of Mexico and", "Mexico", true),
            ("the Gulf of the Congo", "Congo", true),
            ("around Lake Chad.", "Chad", true),
            ("Chad and Niger spoke", "Chad", false),
            ("Egypt, Jordan, Kuwait", "Jordan", false),
            ("the representative of Egypt. The Meeting", "Egypt", false),
            ("the Kenya Police Service", "Kenya", false),
            ("the Thailand Institute of Justice", "Thailand", false),
            ("Egypt And Jordan", "Egypt", false),
            ("a Chadian official", "Chad", false),
            ("Armenia, Cuba A/CONF.234/16 and Turkey", "Cuba", false),
            ("Kenya UNODC office", "Kenya", false),
            ("Jordan McAllister (Ghana)", "Jordan", true),
            (
                "across the Uruguay River. The Convention was",
                "Uruguay",
                true,
            ),
            ("the Guatemala Mexico border region", "Guatemala", false),
            ("presided over by Chad Jordan (Australia)", "Chad", true),
            ("Georgia Ireland (New Zealand)", "Georgia", true),
            (
                "the Chair, Israel Montenegro Vargas (Ecuador)",
                "Israel",
                true,
            ),
            ("Rapporteur: Ramon Israel (Philippines)", "Israel", true),
            (
                "President: Israel Ramírez Montenegro (Mexico)",
                "Montenegro",
                true,
            ),
            ("Patrick Ireland (Australia)", "Ireland", true),
            (
                "Colombia, Venezuela (Bolivarian Republic of)",
                "Venezuela",
                false,
            ),
            (
                "Nevis Venezuela (Bolivarian Republic of)",
                "Venezuela",
                false,
            ),
            ("the representative of Egypt (on behalf of", "Egypt", false),
            ("Thailand (Chair)", "Thailand", false),
            ("the Commission of Hong Kong, China, and", "China", true),
            ("Hong Kong and China", "China", false),
            ("forests of the Congo basin and", "Congo", true),
            ("the Congo basins' forests", "Congo", false),
            ("and Jordan (Chair)", "Jordan", false),
            ("held in Port of Spain, Trinidad", "Spain", true),
            ("through the port of Djibouti.", "Djibouti", false),
            ("the lake Chad shares", "Chad", false),
            (
                "Turkey and Zambia Rapporteur-General: Israel",
                "Zambia",
                false,
            ),
        ];
        for (text, name, want) in cases {
            let start = text.find(name).unwrap();
            let got = rule().covers(text, start, start + name.len());
            assert_eq!(got, *want, "{text:?}: {name}");
        }
    }
}
