//! The names pass: one scan of the automaton for names, anaphor phrases, name heads
//! and pattern triggers, and the listed names it finds, longest first.

use super::*;

impl Extractor {
    /// The listed names the scan kept, and the bodies and instruments named inside a
    /// longer name; with the spans of the proper names (bodies, instruments) found.
    pub(super) fn names_pass(
        &self,
        folded: &str,
        names: &[Cand],
        kept: &[Cand],
    ) -> (Vec<Found>, Vec<(usize, usize)>) {
        let mut found: Vec<Found> = Vec::new();
        let mut proper_spans: Vec<(usize, usize)> = Vec::new();
        for c in kept {
            let mut outer: Vec<usize> = Vec::new();
            for (entity, kind) in self.by_subject(self.entities_of(c, folded), folded, c.end) {
                found.push(Found::new(
                    c.start,
                    c.end,
                    Target::Known(entity),
                    method_of(kind),
                ));
                outer.push(entity);
                if matches!(
                    self.kinds[entity],
                    EntityKind::Organization | EntityKind::Instrument
                ) {
                    proper_spans.push((c.start, c.end));
                }
            }
            // A name inside a name names its own entity ("UNODC Global Programme on
            // Cybercrime" names UNODC), but only bodies and instruments do: crime words
            // inside a proper name name no crime.
            if outer.iter().any(|&e| {
                matches!(
                    self.kinds[e],
                    EntityKind::Organization | EntityKind::Instrument
                )
            }) {
                // A shorter name of the same entity that starts the longer one
                // ("ASEAN Convention against Trafficking in Persons" in its full
                // title) would hide the names inside it: left out. One further in
                // stays, to hide what it holds ("Standard Minimum Rules for the
                // Administration of Juvenile Justice" in the Beijing Rules' title
                // holds the other Rules' short name).
                let inner: Vec<Cand> = names
                    .iter()
                    .filter(|n| {
                        n.start >= c.start
                            && n.end <= c.end
                            && (n.end - n.start) < (c.end - c.start)
                            && !(n.start == c.start
                                && self
                                    .entities_of(n, folded)
                                    .iter()
                                    .any(|(e, _)| outer.contains(e)))
                    })
                    .copied()
                    .collect();
                for n in leftmost_longest(&inner, |c| (c.start, c.end)) {
                    for (entity, kind) in self.entities_of(&n, folded) {
                        let is_body = matches!(
                            self.kinds[entity],
                            EntityKind::Organization | EntityKind::Instrument
                        );
                        // A name that ends the longer one is its head ("Convention on
                        // Cybercrime" in "United Nations Convention on Cybercrime"), not
                        // a second entity; unless "of" puts it there, as the body the
                        // longer one belongs to ("working group on ... of the United
                        // Nations Office on Drugs and Crime").
                        let before = folded[c.start..n.start].trim_end();
                        let of = before.ends_with(" of") || before.ends_with(" of the");
                        // Nor one the longer title goes on from with a second subject
                        // ("Convention on Laundering, ... from Crime and on the Financing
                        // of Terrorism" holds the 1990 convention's whole title).
                        let extended = folded[n.end..c.end].starts_with(" and on ");
                        let head = ((n.end == c.end && !of) || extended)
                            && outer.iter().any(|&o| self.kinds[o] == self.kinds[entity]);
                        // Nor does one that starts it before "of", "for" ...: the
                        // longer name is another body of that kind ("Financial Action
                        // Task Force of Latin America" is not FATF).
                        let qualified = n.start == c.start && qualifies(&folded[n.end..c.end]);
                        if is_body && !head && !qualified && !outer.contains(&entity) {
                            found.push(Found::new(
                                n.start,
                                n.end,
                                Target::Known(entity),
                                method_of(kind),
                            ));
                        }
                    }
                }
            }
        }
        (found, proper_spans)
    }

    /// Of several instruments or bodies one name stands for ("the Warsaw Convention":
    /// the Council of Europe's conventions on trafficking in human beings and on
    /// laundering, both opened for signature at Warsaw in 2005), those whose full names
    /// hold the subject the text gives after "on" or "against" ("the Warsaw Convention on
    /// trafficking"); all of them when the text gives none, or one that picks none.
    fn by_subject(
        &self,
        entities: Vec<(usize, NameKind)>,
        folded: &str,
        end: usize,
    ) -> Vec<(usize, NameKind)> {
        if entities.len() < 2 {
            return entities;
        }
        let rest = &folded[end..];
        let Some(rest) = rest
            .strip_prefix(" on ")
            .or_else(|| rest.strip_prefix(" against "))
        else {
            return entities;
        };
        let rest = rest.strip_prefix("the ").unwrap_or(rest);
        // Folded text has its hyphens as spaces: a word is its letters and digits.
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if word.len() < 4 {
            return entities;
        }
        let holds = |e: usize| {
            self.long_names.iter().any(|(x, name)| {
                *x == e
                    && name
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == word)
            })
        };
        let picked: Vec<(usize, NameKind)> = entities
            .iter()
            .copied()
            .filter(|&(e, _)| holds(e))
            .collect();
        if picked.is_empty() {
            entities
        } else {
            picked
        }
    }

    /// One overlapping scan of the automaton: boundary- and case-checked names,
    /// anaphor phrases and name heads apart, and the patterns whose trigger was seen.
    /// `lower` is `folded` in ASCII lower case, for the automaton. The automaton holds
    /// the texts' first bytes only ([`PREFIX`]); each text of a prefix that matched is
    /// checked in full here.
    pub(super) fn candidates(&self, folded: &str, lower: &str) -> Candidates {
        let mut out = Candidates::default();
        for m in self.automaton.find_overlapping_iter(lower) {
            let start = m.start();
            for &pattern in &self.prefix_texts[m.pattern().as_usize()] {
                let text = &self.texts[pattern];
                if lower.as_bytes()[start..].starts_with(text.as_bytes()) {
                    self.candidate(folded, start, start + text.len(), pattern, &mut out);
                }
            }
        }
        // In the order the automaton of whole texts gave them: by end.
        out.names.sort_by_key(|c| (c.end, c.start));
        out.anaphors.sort_by_key(|(c, _)| (c.end, c.start));
        out.heads.sort_by_key(|(c, _)| (c.end, c.start));
        out
    }

    /// What the text `pattern` matched at `start..text_end` is, if anything.
    fn candidate(
        &self,
        folded: &str,
        start: usize,
        text_end: usize,
        pattern: usize,
        out: &mut Candidates,
    ) {
        let bytes = folded.as_bytes();
        let mut end = text_end;
        let ts = &self.targets[pattern];
        // Triggers are prefixes of a pattern's match: no boundary applies to them.
        for t in ts {
            if let Role::Trigger(i) = t.role {
                out.triggered.push((i, start));
            }
        }
        if start > 0 && is_word_byte(folded, start - 1, true) {
            return;
        }
        if end < bytes.len() && is_word_byte(folded, end, false) {
            // Crime types also match their plurals: "scams", "hate crimes".
            let crime = ts.iter().any(|t| matches!(t.role, Role::Name { entity, .. } if self.kinds[entity] == EntityKind::CrimeType));
            let plural = ["s", "es"].iter().find(|suffix| {
                folded[end..].starts_with(*suffix)
                    && !folded[end + suffix.len()..].starts_with(|c: char| c.is_alphanumeric())
            });
            match plural {
                Some(suffix) if crime => end += suffix.len(),
                _ => return,
            }
        }
        let matched = &folded[start..text_end];
        let cand = Cand {
            start,
            end,
            pattern,
        };
        let (mut name, mut anaphor) = (false, None);
        for t in ts.iter().filter(|t| case_ok(t, matched)) {
            match t.role {
                Role::Name { .. } => name = true,
                Role::Anaphor(r) => anaphor = anaphor.or(Some(r)),
                // A head is a whole word as printed, not a plural ("Councils").
                Role::Head(h) if end == text_end => out.heads.push((cand, h)),
                Role::Head(_) | Role::Trigger(_) => {}
            }
        }
        if name {
            out.names.push(cand);
        }
        if let Some(r) = anaphor {
            out.anaphors.push((cand, r));
        }
    }

    pub(super) fn entities_of(&self, c: &Cand, folded: &str) -> Vec<(usize, NameKind)> {
        let matched = &folded[c.start..c.end];
        let mut out: Vec<(usize, NameKind)> = Vec::new();
        for t in &self.targets[c.pattern] {
            if let Role::Name { entity, kind } = t.role {
                if case_ok(t, matched.get(..t.folded.len()).unwrap_or(matched))
                    && !out.iter().any(|(e, _)| *e == entity)
                {
                    out.push((entity, kind));
                }
            }
        }
        out
    }
}

/// Whether the rest of a longer name qualifies the name before it ("... of Latin
/// America", "... for West Africa"): then the longer name is another body.
pub(super) fn qualifies(rest: &str) -> bool {
    [" of ", " for ", " in ", " on "]
        .iter()
        .any(|w| rest.starts_with(w))
}
