//! The coordination pass: "trafficking in firearms and drugs" names two crimes.

use super::*;

/// A list of what is trafficked opened by "including" or the like after the crime's
/// first word ("many forms of trafficking, including in drugs, arms and wildlife"): the
/// crime word and the preposition make the head its conjuncts share.
static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(trafficking|smuggling),?\s+(?:including|in\s+particular|notably|especially|such\s+as)\s+(in|of)\s+").unwrap()
});

impl Extractor {
    /// "trafficking in firearms and drugs": each conjunct after a head shared with a
    /// crime-type name names that crime; so does each of a list opened by "including"
    /// after the head's first word ([`LEAD_IN`]).
    pub(super) fn coordination(&self, folded: &str, kept: &[Cand], found: &mut Vec<Found>) {
        // Its first word and a space, or its first two when the second is "in" or "of"
        // (the longer first), looked up among the heads.
        let head_of = |c: &Cand| {
            let name = folded[c.start..c.end].to_ascii_lowercase();
            let first = name.find(' ')? + 1;
            let second = name[first..].find(' ').map(|k| first + k + 1);
            let two = second.filter(|&k| matches!(&name[first..k - 1], "in" | "of"));
            [two, Some(first)].into_iter().flatten().find_map(|k| {
                let head = &name[..k];
                self.heads
                    .binary_search_by(|h| h.as_str().cmp(head))
                    .ok()
                    .map(|i| &self.heads[i])
            })
        };
        let lists: Vec<(&str, usize)> = kept
            .iter()
            .filter_map(|c| head_of(c).map(|h| (h.as_str(), c.end)))
            .collect();
        let lead_in = folded.contains("ing, includ") || folded.contains("ing includ");
        if lists.is_empty() && !lead_in {
            return;
        }
        // ASCII lower case keeps every byte offset (full Unicode lower-casing may not).
        let lower = folded.to_ascii_lowercase();
        for (head, end) in lists {
            self.conjuncts(&lower, head, end, true, found);
        }
        if lead_in {
            for m in LEAD_IN.captures_iter(&lower) {
                let head = format!("{} {} ", &m[1], &m[2]);
                if let Ok(i) = self.heads.binary_search(&head) {
                    let head = &self.heads[i];
                    let end = m.get(0).expect("match").end();
                    self.conjuncts(&lower, head, end, false, found);
                }
            }
        }
    }

    /// The conjuncts of a list from `pos` on (after a first one when `after_first`),
    /// each with `head` before it a crime-type name, found as that crime.
    fn conjuncts(
        &self,
        lower: &str,
        head: &str,
        mut pos: usize,
        after_first: bool,
        found: &mut Vec<Found>,
    ) {
        for i in 0..8 {
            let rest = &lower[pos..];
            let sep = match after_first || i > 0 {
                true => [", and ", ", or ", ", ", " and ", " or ", " as well as "]
                    .iter()
                    .find(|s| rest.starts_with(*s))
                    .map(|s| s.len()),
                false => Some(0),
            };
            let Some(sep) = sep else { break };
            let start = pos + sep;
            let words: Vec<(usize, usize)> = word_spans(&lower[start..], 4)
                .into_iter()
                .map(|(s, e)| (start + s, start + e))
                .collect();
            if words.is_empty() {
                break;
            }
            let rests = self.conjuncts_of.get(head);
            let hit = (1..=words.len()).rev().find_map(|k| {
                let end = words[k - 1].1;
                rests?.get(&lower[start..end]).map(|&e| (end, e))
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
