//! The anaphora pass: "the Convention", "the Office" resolved to what the sentence,
//! the paragraph before or the document names.

use super::*;

/// After an anaphor's words, the rest of a longer name: "on", "of" or "for" and a
/// capitalised word ("the Commission on the Status of Women").
static NAME_GOES_ON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+(?:on|of|for)\s+(?:the\s+)?\p{Lu}").unwrap());

/// The crime types a treaty is made against (`cg:addresses`), as the links key them.
pub(super) static ADDRESSES: LazyLock<String> =
    LazyLock::new(|| format!("{}addresses", crate::reference::CG));

impl Extractor {
    /// Anaphors resolve to the single entity of their class named in the same sentence,
    /// or else in the sentence before; anything else is left out.
    pub(super) fn resolve_anaphors(
        &self,
        folded: &str,
        anaphors: &[(Cand, usize)],
        kept: &[Cand],
        discourse: &Discourse,
        found: &mut Vec<Found>,
    ) {
        if anaphors.is_empty() {
            return;
        }
        let sentences = sentence_starts(folded);
        let sentence_of = |pos: usize| sentences.partition_point(|&s| s <= pos).saturating_sub(1);
        let mut named: Vec<(usize, usize, usize)> = found
            .iter()
            .filter_map(|f| match (&f.target, f.method) {
                (Target::Known(e), Method::Label | Method::Alias) => {
                    Some((f.start, sentence_of(f.start), *e))
                }
                _ => None,
            })
            .collect();
        named.sort();
        for (a, rule) in leftmost_longest(anaphors, |(c, _)| (c.start, c.end)) {
            // Part of a name: a known one (unless it stands inside it, after its
            // start: "... Convention ... and the Protocols thereto" names the
            // Protocols too), or one the text goes on to print ("the Commission on the
            // Status of Women").
            let part_of = |k: &Cand| {
                k.start < a.end && a.start < k.end && !(a.start > k.start && a.end <= k.end)
            };
            // Or the first word of a name found inside a longer one ("the secretariat of
            // the Convention on International Trade in ..."): that name's.
            let opens_a_name = found
                .iter()
                .any(|f| a.start <= f.start && f.start < a.end && f.end > a.end);
            let (class, via, resolution) = &self.anaphors[rule];
            if kept.iter().any(part_of)
                || opens_a_name
                || goes_on(folded, a.end, kept, anaphors)
                || self.of_another(folded, a.end, kept, class)
            {
                continue;
            }
            let here = sentence_of(a.start);
            let candidates =
                self.candidates_for(&named, (a.start, here), class, *resolution, discourse);
            let antecedents =
                self.chosen(*resolution, candidates, class, (a.start, discourse), found);
            for antecedent in antecedents {
                let target = match via {
                    None => Some(antecedent),
                    Some(prop) => self.links[antecedent]
                        .get(prop.as_str())
                        .and_then(|t| t.first().copied()),
                };
                if let Some(entity) = target {
                    found.push(Found::new(
                        a.start,
                        a.end,
                        Target::Known(entity),
                        Method::Anaphora,
                    ));
                    // "the Convention and the Protocols thereto": a resolved anaphor is
                    // an antecedent for the next.
                    if via.is_none() {
                        named.push((a.start, here, entity));
                    }
                }
            }
        }
    }

    /// The antecedents an anaphor at `pos` takes among its `candidates`, as its rule's
    /// `resolution` says: for a `unique` one, the only candidate, or else the one
    /// [`Self::by_topic`] tells; with none named, the one of its class made against a
    /// crime the paragraph names before it ("the Protocol" in a paragraph on trafficking
    /// in persons, no protocol named). Of several that no crime tells apart, the one the
    /// report's body is of ("the Review Mechanism" after a sentence naming both
    /// conventions, in a report of the Conference of one of them).
    fn chosen(
        &self,
        resolution: Resolution,
        candidates: Vec<usize>,
        class: &str,
        (pos, discourse): (usize, &Discourse),
        found: &[Found],
    ) -> Vec<usize> {
        match resolution {
            Resolution::Unique if candidates.len() == 1 => candidates,
            Resolution::Unique if candidates.is_empty() => {
                let of_class = self
                    .addressing
                    .iter()
                    .copied()
                    .filter(|&e| self.classes[e].iter().any(|c| c == class));
                self.by_topic(of_class, pos, found).into_iter().collect()
            }
            Resolution::Unique => {
                let own = || {
                    let mut own = candidates.iter().filter(|c| discourse.document.contains(c));
                    match (own.next(), own.next()) {
                        (Some(&c), None) => Some(c),
                        _ => None,
                    }
                };
                let by_topic = self.by_topic(candidates.iter().copied(), pos, found);
                by_topic.or_else(own).into_iter().collect()
            }
            Resolution::Nearest => candidates.last().copied().into_iter().collect(),
            Resolution::All => candidates,
        }
    }

    /// Of several antecedents of a `unique` anaphor at `pos`, the one made against a crime
    /// its paragraph names before it (`cg:addresses`): "the Protocol" after a paragraph
    /// naming the Trafficking in Persons and the Migrants Protocols, in a paragraph on
    /// "the trade in human beings". None if no candidate, or more than one, is. The
    /// candidates are read only when the paragraph has named a crime.
    fn by_topic(
        &self,
        candidates: impl IntoIterator<Item = usize>,
        pos: usize,
        found: &[Found],
    ) -> Option<usize> {
        let named_crimes: Vec<usize> = found
            .iter()
            .filter(|f| f.end <= pos)
            .filter_map(|f| match f.target {
                Target::Known(i) if self.kinds[i] == EntityKind::CrimeType => Some(i),
                _ => None,
            })
            .collect();
        if named_crimes.is_empty() {
            return None;
        }
        let mut addressing = candidates.into_iter().filter(|&c| {
            self.links[c]
                .get(ADDRESSES.as_str())
                .is_some_and(|crimes| crimes.iter().any(|k| named_crimes.contains(k)))
        });
        match (addressing.next(), addressing.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// The antecedents of class `class` an anaphor at `pos` (in sentence `here`) may
    /// have: those of its sentence before it, else of the sentence before, else of the
    /// last sentence of the paragraph before (from its first sentence), else of its
    /// paragraph before it, else, for a `unique` anaphor, of its sentence after it, else
    /// of its chapter's title, else, for a `unique` anaphor, the report's own body, else
    /// of the whole paragraph before ([`Discourse`]). `named` holds (position, sentence,
    /// entity) of the names found, in order.
    pub(super) fn candidates_for(
        &self,
        named: &[(usize, usize, usize)],
        (pos, here): (usize, usize),
        class: &str,
        resolution: Resolution,
        discourse: &Discourse,
    ) -> Vec<usize> {
        let of_class = |e: usize| self.classes[e].iter().any(|c| c == class);
        let in_sentence = |s: usize, before: bool| -> Vec<usize> {
            let mut v: Vec<usize> = Vec::new();
            for &(p, sent, e) in named {
                if sent == s && (!before || p < pos) && of_class(e) && !v.contains(&e) {
                    v.push(e);
                }
            }
            v
        };
        let mut candidates = in_sentence(here, true);
        if candidates.is_empty() && here > 0 {
            candidates = in_sentence(here - 1, false);
        }
        let beyond = |entities: &[usize]| -> Vec<usize> {
            entities.iter().copied().filter(|&e| of_class(e)).collect()
        };
        // Opening a paragraph, a `unique` anaphor in a report of a session is its own
        // body's ("the Convention" in a report of its Conference of the Parties), though
        // the paragraph before ended on another's name (a review by the body that
        // follows up another convention).
        if candidates.is_empty() && here == 0 && resolution == Resolution::Unique {
            candidates = beyond(&discourse.document);
        }
        if candidates.is_empty() && here == 0 {
            candidates = beyond(&discourse.previous);
        }
        if candidates.is_empty() {
            // Earlier in its paragraph.
            for &(p, _, e) in named {
                if p < pos && of_class(e) && !candidates.contains(&e) {
                    candidates.push(e);
                }
            }
        }
        if candidates.is_empty() && resolution == Resolution::Unique {
            // Later in its sentence: "the Convention" whose name the sentence goes on
            // to print. After what came before it: "the complementarity of the Protocol
            // with regional instruments such as the Nairobi Protocol" means another.
            candidates = in_sentence(here, false);
        }
        if candidates.is_empty() {
            candidates = beyond(&discourse.chapter);
        }
        if candidates.is_empty() && resolution == Resolution::Unique {
            candidates = beyond(&discourse.document);
        }
        // Last, the paragraph before, anywhere in it: a report of a session means its
        // own convention by "the Convention", whatever the paragraph before named.
        if candidates.is_empty() {
            candidates = beyond(&discourse.before);
        }
        candidates
    }

    /// The entities a paragraph names by name (not by anaphor), each once, in order:
    /// in its last sentence (`last_sentence`, [`Discourse::previous`] for the paragraph
    /// after it) or anywhere in it ([`Discourse::before`]).
    pub fn named_from(&self, text: &str, found: &[EntityMatch], last_sentence: bool) -> Vec<usize> {
        let from = if last_sentence {
            super::sentence_starts(text).last().copied().unwrap_or(0)
        } else {
            0
        };
        let mut out: Vec<usize> = Vec::new();
        for m in found {
            if let (Target::Known(e), Method::Label | Method::Alias) = (&m.target, m.method) {
                if m.start >= from && !out.contains(e) {
                    out.push(*e);
                }
            }
        }
        out
    }

    /// [`Discourse::document`] of a report of a session of `organ`: the organ, the
    /// convention whose conference of the parties it is (`cg:conferenceOfParties`), and
    /// the office that services it (`cg:secretariat`).
    pub fn document_antecedents(&self, organ: usize) -> Vec<usize> {
        let conference = format!("{CG}conferenceOfParties");
        let mut out = vec![organ];
        if let Some(offices) = self.links[organ].get(&format!("{CG}secretariat")) {
            out.extend(offices);
        }
        out.extend((0..self.links.len()).filter(|&c| {
            self.links[c]
                .get(&conference)
                .is_some_and(|o| o.contains(&organ))
        }));
        out
    }
}

impl Extractor {
    /// Whether the words after an anaphor ending at `end` make it another's: "of", "on"
    /// or "for" and a known name of no entity of the anaphor's class ("the secretariat
    /// of the Pacific Community" is not a conference's secretariat; "the review mechanism
    /// of the Convention" is the Convention's). Measured over the blind sets, also taking
    /// the entities linked to one of the class missed as many as it found.
    fn of_another(&self, folded: &str, end: usize, kept: &[Cand], class: &str) -> bool {
        let Some(m) = NAME_GOES_ON.find(&folded[end..]) else {
            return false;
        };
        let capital = end + m.end() - 1;
        let of_class = |e: usize| self.classes[e].iter().any(|k| k == class);
        kept.iter().find(|c| c.start == capital).is_some_and(|c| {
            let entities = self.entities_of(c, folded);
            !entities.is_empty() && !entities.iter().any(|&(e, _)| of_class(e))
        })
    }
}

/// Whether the words after an anaphor ending at `end` go on as a longer name: "of",
/// "on" or "for" and a capitalised word that starts no name or anaphor of its own
/// ("the Commission on the Status of Women", but not "the review mechanism of the
/// Convention").
pub(super) fn goes_on(folded: &str, end: usize, kept: &[Cand], anaphors: &[(Cand, usize)]) -> bool {
    let Some(m) = NAME_GOES_ON.find(&folded[end..]) else {
        return false;
    };
    let capital = end + m.end() - 1;
    let starts_there = |c: &Cand| c.start <= capital && capital < c.end;
    !kept.iter().any(starts_there) && !anaphors.iter().any(|(c, _)| starts_there(c))
}
