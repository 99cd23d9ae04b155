//! The coordination pass: "trafficking in firearms and drugs" names two crimes.

use super::*;

impl Extractor {
    /// "trafficking in firearms and drugs": each conjunct after a head shared with a
    /// crime-type name names that crime.
    pub(super) fn coordination(&self, folded: &str, kept: &[Cand], found: &mut Vec<Found>) {
        let head_of = |c: &Cand| {
            let matched = folded.as_bytes()[c.start..c.end].to_vec();
            self.heads.iter().find(|h| {
                matched.len() >= h.len() && matched[..h.len()].eq_ignore_ascii_case(h.as_bytes())
            })
        };
        if !kept.iter().any(|c| head_of(c).is_some()) {
            return;
        }
        // ASCII lower case keeps every byte offset (full Unicode lower-casing may not).
        let lower = folded.to_ascii_lowercase();
        for c in kept {
            let Some(head) = head_of(c) else {
                continue;
            };
            let mut pos = c.end;
            for _ in 0..8 {
                let rest = &lower[pos..];
                let sep = [", and ", ", or ", ", ", " and ", " or ", " as well as "]
                    .iter()
                    .find(|s| rest.starts_with(*s));
                let Some(sep) = sep else { break };
                let start = pos + sep.len();
                let words: Vec<(usize, usize)> = word_spans(&lower[start..])
                    .into_iter()
                    .take(4)
                    .map(|(s, e)| (start + s, start + e))
                    .collect();
                if words.is_empty() {
                    break;
                }
                let hit = (1..=words.len()).rev().find_map(|k| {
                    let end = words[k - 1].1;
                    let phrase = format!("{head}{}", &lower[start..end]);
                    self.crime_names.get(&phrase).map(|&e| (end, e))
                });
                match hit {
                    Some((end, entity)) => {
                        found.push(Found::new(
                            start,
                            end,
                            Target::Known(entity),
                            Method::Coordination,
                        ));
                        pos = end;
                    }
                    None => {
                        // A conjunct that names no crime ("precious metals"): step over
                        // its words and go on with the list.
                        let last_word_end = words
                            .iter()
                            .take_while(|(s, _)| {
                                !lower[*s..].starts_with("and ") && !lower[*s..].starts_with("or ")
                            })
                            .last()
                            .map(|w| w.1);
                        match last_word_end {
                            Some(end) if end > pos => pos = end,
                            _ => break,
                        }
                    }
                }
            }
        }
    }
}
