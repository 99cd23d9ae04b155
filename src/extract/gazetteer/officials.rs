//! Officials by their office: "the Executive Director of UNODC", "the Chief of the
//! Terrorism Prevention Branch", "the Secretary-General of the Congress", "the Deputy
//! Executive Secretary of ESCWA" (`cg:officialTitle`, `cg:unitHead` and `cg:partOf` in
//! the ontology). The statements pass reads what they said as the Secretariat's, or as
//! the body's they serve.

use super::*;

/// The words of an office after its title and "of": capitalised words (an acronym is
/// one) joined by small words, "the" before any ("the Division for Treaty Affairs of
/// the Office").
static OFFICE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:the\s+)?\p{Lu}[\p{L}\d'’.-]*(?:\s+(?:(?:of|on|for|and|against|in|the)\s+)*\p{Lu}[\p{L}\d'’.-]*)*").unwrap()
});

/// The titles of officials, as one search, and what tells whom they speak for.
#[derive(Debug)]
pub(super) struct Officials {
    /// "the <title>", each title with its "of" where one follows.
    titles: Regex,
    /// A title and "of" at the start of a run of capitalised words.
    opens_office: Regex,
    /// Words that name a unit of an office ("Branch", "Division"), lower case.
    unit_heads: Vec<String>,
    /// The body the offices are part of (`cg:partOf`): the Secretariat.
    secretariat: usize,
}

impl Officials {
    /// None where the reference data names no titles or no body offices are part of.
    pub(super) fn new(vocab: &Vocabulary) -> Result<Option<Officials>, ExtractorError> {
        let part_of = format!("{CG}partOf");
        let secretariat = vocab
            .entities
            .iter()
            .find_map(|e| e.links.get(&part_of)?.first())
            .and_then(|iri| vocab.index_of(iri));
        let Some(secretariat) = secretariat.filter(|_| !vocab.official_titles.is_empty()) else {
            return Ok(None);
        };
        let alternatives: Vec<String> = vocab
            .official_titles
            .iter()
            .map(|t| regex::escape(t).replace(' ', r"\s+"))
            .collect();
        let alternatives = alternatives.join("|");
        let titles = Regex::new(&format!(
            r"(?-u:\b)[Tt]he\s+((?:{alternatives}))(?:\s+of\s+|(?-u:\b))"
        ))?;
        let opens_office = Regex::new(&format!(r"^(?:{alternatives})\s+of\s"))?;
        Ok(Some(Officials {
            titles,
            opens_office,
            unit_heads: vocab.unit_heads.iter().map(|h| h.to_lowercase()).collect(),
            secretariat,
        }))
    }
}

impl Extractor {
    /// Whether a run of capitalised words is an official's office ("Director of the
    /// Division for Treaty Affairs"): a person's, no name to mint.
    pub(super) fn is_office(&self, run: &str) -> bool {
        self.officials
            .as_ref()
            .is_some_and(|o| o.opens_office.is_match(run))
    }

    /// The offices of officials printed in `sentence`: the span from the title to the
    /// end of the office's name ("Executive Director of UNODC"), and where that name
    /// starts.
    pub(crate) fn officials_in(&self, sentence: &str) -> Vec<Office> {
        let Some(o) = &self.officials else {
            return Vec::new();
        };
        o.titles
            .captures_iter(sentence)
            .filter_map(|c| {
                let (whole, title) = (c.get(0)?, c.get(1)?);
                let of = whole.as_str().ends_with(|ch: char| ch.is_whitespace());
                // A title names an office only with the body or unit after its "of".
                if !of {
                    return None;
                }
                let name = OFFICE_NAME.find(&sentence[whole.end()..])?.as_str();
                // "... of ESCWA and the Director of ILANUD": the next speaker's.
                let name = name.find(" and the ").map_or(name, |k| &name[..k]);
                let name_end = whole.end() + name.len();
                Some(Office {
                    the: whole.start(),
                    start: title.start(),
                    name_start: whole.end(),
                    end: name_end,
                })
            })
            .collect()
    }

    /// Whether `entity` is the Secretariat or one of its offices (`cg:partOf`, at any
    /// depth: UNODC's regional offices are UNODC's).
    pub(crate) fn in_the_secretariat(&self, entity: usize) -> bool {
        let Some(o) = &self.officials else {
            return false;
        };
        let part_of = format!("{CG}partOf");
        let mut at = vec![entity];
        // The chain of parts is short; the bound guards against a cycle in the data.
        for _ in 0..4 {
            if at.contains(&o.secretariat) {
                return true;
            }
            at = at
                .iter()
                .filter_map(|&i| self.links[i].get(&part_of))
                .flatten()
                .copied()
                .collect();
        }
        false
    }

    /// Whether `entity` is a principal organ of the United Nations
    /// (`cg:PrincipalOrgan`), whose officers speak for the United Nations.
    pub(crate) fn is_principal_organ(&self, entity: usize) -> bool {
        self.has_class(entity, "PrincipalOrgan")
    }

    /// Whom an official speaks for, by the office (byte offsets in `text`): the
    /// Secretariat, where the office's name holds bodies the reference data makes parts of
    /// it (or the Secretariat itself) and no other, or names a unit ("the Terrorism
    /// Prevention Branch") or the meeting it serves ("the Congress") and no body; another
    /// body where the name is that body's ("the Deputy Executive Secretary of ESCWA"), as
    /// its observer. None for a State's office (statement lists read those) or a name
    /// that holds what is no body or several.
    pub(crate) fn speaks_for(
        &self,
        text: &str,
        office: &Office,
        mentions: &[EntityMatch],
    ) -> Option<SpeaksFor> {
        let o = self.officials.as_ref()?;
        let kind = |e: &EntityMatch| match &e.target {
            Target::Known(i) => self.kinds[*i],
            Target::Minted { kind, .. } => *kind,
        };
        let named: Vec<&EntityMatch> = mentions
            .iter()
            .filter(|e| e.start >= office.name_start && e.end <= office.end)
            .filter(|e| kind(e) != EntityKind::CrimeType)
            .collect();
        if named.is_empty() {
            let name = text[office.name_start..office.end].to_lowercase();
            let unit = name
                .split_whitespace()
                .any(|w| o.unit_heads.iter().any(|h| h == w));
            return unit.then_some(SpeaksFor::Secretariat(o.secretariat));
        }
        if named.iter().any(|e| kind(e) != EntityKind::Organization) {
            return None;
        }
        let ours = |e: &&EntityMatch| match e.target {
            Target::Known(i) => self.in_the_secretariat(i),
            Target::Minted { .. } => false,
        };
        if named.iter().all(ours) {
            return Some(SpeaksFor::Secretariat(o.secretariat));
        }
        // The longest body named, and none outside it.
        let body = named.iter().max_by_key(|e| e.end - e.start)?;
        named
            .iter()
            .all(|e| e.start >= body.start && e.end <= body.end)
            .then(|| SpeaksFor::Body(body.target.clone()))
    }
}

/// Whom an official speaks for ([`Extractor::speaks_for`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeaksFor {
    /// The Secretariat (its entity index), in its own role.
    Secretariat(usize),
    /// Another body, as its observer.
    Body(Target),
}

/// An official's office in a sentence (byte offsets): where "the" before its title
/// starts, the title's start, where the office's name starts and where it ends.
#[derive(Debug, Clone, Copy)]
pub struct Office {
    /// Where "the" before the title starts.
    pub the: usize,
    pub start: usize,
    pub name_start: usize,
    pub end: usize,
}
