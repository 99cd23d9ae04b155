//! The minting pass: names the reference data lacks, where the text marks them as
//! names, and the longest proper name over a listed one inside it.

use super::anaphora::goes_on;
use super::names::qualifies;
use super::*;

/// A run of capitalised words (joined by small words) after "the": a candidate name;
/// "the " is cut off by hand. A forward DFA searched anchored at each "the" of the text
/// (see [`runs_after_the`]): compiled once (under 1 MB), where the regex engine's lazy DFA
/// filled its cache on every text and searched back from each match for its start.
pub(super) static NAME_AFTER_THE: LazyLock<dfa::dense::DFA<Vec<u32>>> = LazyLock::new(|| {
    dfa::dense::Builder::new()
        .configure(dfa::dense::Config::new().start_kind(dfa::StartKind::Anchored))
        .build(r"(?-u:\b)[Tt]he\s+\p{Lu}[\p{L}\d'’.]*(?:\s+(?:(?:of|on|for|and|or|the|in|against|to)\s+)*\p{Lu}[\p{L}\d'’.]*)+")
        .expect("the pattern of a name after \"the\" compiles")
});
/// The rest of a name whose last words are a list ("Network for Security, Justice and
/// Human Rights"): commas, then "and", each before capitalised words with no "the".
/// Within an item "the" comes only after "of", "in" ...: "Save the Children Sweden"
/// after a comma is a name of its own, the next in a list of bodies.
static LISTED_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let words = r"\p{Lu}[\p{L}\d'’.]*(?:\s+(?:of|on|for|in|to)(?:\s+the)?\s+\p{Lu}[\p{L}\d'’.]*|\s+\p{Lu}[\p{L}\d'’.]*)*";
    Regex::new(&format!(r"^(?:,\s+{words})+,?\s+and\s+{words}")).unwrap()
});
/// The years a plan or a strategy runs for, printed as the end of its title ("the G20
/// Anti-Corruption Action Plan for 2015–2016", "the Strategy 2021–2025"): a range of
/// years, not a single year ("the Forum held in 2014"). The folded text has the dash
/// between the years as a space.
static PERIOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ (?:for )?(?:the period )?\d{4} \d{2,4}\b").unwrap());
/// The words before a State's name that make it the State whose speaker it is: "the
/// representative of ", "the observer for ", "a speaker from ".
static STATE_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:representatives?|observers?|speakers?)\s+(?:of|for|from)\s+(?:the\s+)?$")
        .unwrap()
});
/// A run of capitalised words followed by an acronym in parentheses (cut off by hand).
static NAME_BEFORE_ACRONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Lu}[\p{L}\d'’.]*(?:\s+(?:(?:of|on|for|and|or|the|in|against|to)\s+)*\p{Lu}[\p{L}\d'’.]*)+\s+\(\p{Lu}[\p{Lu}\d]{1,9}s?\)").unwrap()
});

/// What the minting pass reads of one paragraph, shared by its steps.
struct MintScan<'a> {
    folded: &'a str,
    /// The listed names the scan kept.
    kept: &'a [Cand],
    /// Name heads, with their index in `name_heads`.
    heads: &'a [(Cand, usize)],
    anaphors: &'a [(Cand, usize)],
    /// The items of a list of non-governmental organizations ([`ngo_items`]).
    listed: &'a [Span],
}

impl Extractor {
    /// Whether `name` is a committee the session set up for itself, alone or "of the"
    /// meeting it belongs to.
    fn is_sessional(&self, name: &str) -> bool {
        const OF_THE_MEETING: [&str; 5] = [
            " of the Congress",
            " of the Conference",
            " of the Meeting",
            " of the Commission",
            " of the session",
        ];
        self.sessional_bodies.iter().any(|b| {
            name.strip_prefix(b.as_str())
                .is_some_and(|rest| rest.is_empty() || OF_THE_MEETING.contains(&rest))
        })
    }

    /// Names the reference data lacks, where the text marks them as names: capitalised
    /// words after "the" or before an acronym in parentheses that hold a head noun of
    /// the vocabulary ("the Blue Heart Campaign"). A run that touches a known body,
    /// instrument or State is left to it; crime words inside a minted name name no crime.
    pub(super) fn mint(
        &self,
        folded: &str,
        kept: &[Cand],
        heads: &[(Cand, usize)],
        anaphors: &[(Cand, usize)],
        found: &mut Vec<Found>,
    ) {
        // A span holds a name head, or is a listed body's or instrument's name whole
        // ("... Fund for Women and the International Narcotics Control Board": two
        // names, the second listed; not a State's: "... of Central America and the
        // Dominican Republic" is one name).
        let listed_body = |c: &Cand| {
            self.entities_of(c, folded).iter().any(|&(x, _)| {
                matches!(
                    self.kinds[x],
                    EntityKind::Organization | EntityKind::Instrument
                )
            })
        };
        let has_head = |s: usize, e: usize| {
            heads.iter().any(|(h, _)| h.start >= s && h.end <= e)
                || kept
                    .iter()
                    .any(|c| c.start == s && c.end == e && listed_body(c))
        };
        let (spans, listed) = name_runs(folded, has_head);
        let scan = MintScan {
            folded,
            kept,
            heads,
            anaphors,
            listed: &listed,
        };
        let mut last_end = 0;
        for (start, end) in spans {
            if start < last_end {
                continue;
            }
            let end = self.before_a_city(folded, (start, end));
            if self.not_a_name(&scan, (start, end), found) {
                continue;
            }
            if let Some(taken) = self.mint_run(&scan, (start, end), found) {
                last_end = taken;
            }
        }
    }

    /// Runs that are no body's or instrument's name: a part of the session ("the
    /// Committee of the Whole"), an official's office ("the Director of the Division for
    /// Treaty Affairs"), a building meetings are held in (a State's name in it is the
    /// building's, dropped here), an anaphor's words ("the Conference of the States
    /// Parties to the Convention").
    fn not_a_name(&self, scan: &MintScan, (start, end): Span, found: &mut Vec<Found>) -> bool {
        let folded = scan.folded;
        let name = &folded[start..end];
        if self.is_sessional(name) || self.is_office(name) {
            return true;
        }
        if self.venue_heads.iter().any(|v| name.ends_with(v.as_str())) {
            found.retain(|f| {
                !(f.start >= start
                    && f.end <= end
                    && matches!(f.target, Target::Known(i) if self.kinds[i] == EntityKind::State))
            });
            return true;
        }
        scan.anaphors.iter().any(|(c, _)| {
            c.start <= start && start < c.end && !goes_on(folded, c.end, scan.kept, scan.anaphors)
        })
    }

    /// Mints the run at `start..end` (or takes it as a listed name printed otherwise):
    /// where the mention it gives ends, if it gives one, for the runs after it not to
    /// overlap.
    fn mint_run(
        &self,
        scan: &MintScan,
        (start, end): Span,
        found: &mut Vec<Found>,
    ) -> Option<usize> {
        let folded = scan.folded;
        // An item of a list of non-governmental organizations is a name, and a
        // State's name in it is the organization's ("Association of Women Lawyers
        // of Kenya"; "Youth for Integrity, Mauritius").
        let listed_item = scan.listed.contains(&(start, end));
        let touching: Vec<&Cand> = scan
            .kept
            .iter()
            .filter(|k| k.start < end && start < k.end && self.names_a_non_crime(k))
            .filter(|k| !(listed_item && self.names_a_state(k)))
            .collect();
        if !self.extends_known(folded, &touching, (start, end)) {
            return self.longer_name_printed(folded, &touching, (start, end), found);
        }
        let own_heads = self.own_heads(scan, &touching, (start, end));
        let kind = own_heads
            .iter()
            .min()
            .map(|&i| self.name_heads[i].0)
            .or(listed_item.then_some(EntityKind::Organization))?;
        // An instrument's period ends its title; a body's is its work's ("the
        // workplan of the Expert Group for the period 2018–2021").
        let end = match kind {
            EntityKind::Instrument => end + PERIOD.find(&folded[end..]).map_or(0, |m| m.end()),
            _ => end,
        };
        let name = &folded[start..end];
        let state_led = self.takes_in(folded, &touching, (start, end), kind, &own_heads)?;
        // A short name printed as the name before it: a listed one gets the
        // mention; a minted one has its mention already.
        if let Some(named) = self.short_name_of(folded, start, kind, found) {
            if let Target::Known(_) = named {
                found.push(Found::new(start, end, named, Method::Alias));
            }
            return Some(end);
        }
        if self.bare_head(name) {
            return None;
        }
        // "the African Institute" once the report has named the "African Institute
        // for the Prevention of Crime ...": a short form of one listed body's name.
        // Or a listed name printed with a small word missing ("Alliance of NGOs
        // Crime Prevention ...").
        let listed_as = match self.short_form_of(name, kind) {
            ShortForm::Of(entity) => Some(entity),
            // Of several listed names ("the Ad Hoc Committee" of two such
            // committees): a name, but none to tell which, and none to mint.
            ShortForm::OfSeveral => return Some(end),
            ShortForm::None => self.organization_like(name),
        };
        if listed_as.is_none()
            && kind == EntityKind::Organization
            && touching.is_empty()
            && self.a_states_organ(folded, (start, end), &own_heads, found)
        {
            return Some(end);
        }
        let target = match listed_as {
            Some(entity) => Target::Known(entity),
            None => Target::Minted {
                kind,
                name: name.to_string(),
                key: None,
            },
        };
        self.take_run(target, (start, end), listed_item || state_led, found);
        Some(end)
    }

    /// The run's mention, in place of the crimes named inside it (and of the States,
    /// where the name takes them in: `states_inside`).
    fn take_run(
        &self,
        target: Target,
        (start, end): Span,
        states_inside: bool,
        found: &mut Vec<Found>,
    ) {
        found.retain(|f| {
            !(f.start >= start
                && f.end <= end
                && matches!(&f.target, Target::Known(i) if self.kinds[*i] == EntityKind::CrimeType
                    || (states_inside && self.kinds[*i] == EntityKind::State)))
        });
        let method = match target {
            Target::Known(_) => Method::Alias,
            Target::Minted { .. } => Method::Minted,
        };
        found.push(Found::new(start, end, target, method));
    }

    /// A listed body's longer name as printed over the whole run: one mention, and no
    /// crime named inside it.
    fn longer_name_printed(
        &self,
        folded: &str,
        touching: &[&Cand],
        (start, end): Span,
        found: &mut Vec<Found>,
    ) -> Option<usize> {
        let entity = self.printed_longer_name(folded, touching, (start, end))?;
        found.retain(|f| {
            !(f.start >= start
                && f.end <= end
                && matches!(&f.target, Target::Known(i)
                    if *i == entity || self.kinds[*i] == EntityKind::CrimeType))
        });
        found.push(Found::new(start, end, Target::Known(entity), Method::Alias));
        Some(end)
    }

    /// The heads of the vocabulary that stand in the run as words of their own (between
    /// spaces or at the run's ends), outside the known names a longer name takes in
    /// ("African Union Commission"); the first of the vocabulary's order decides.
    fn own_heads(&self, scan: &MintScan, touching: &[&Cand], (start, end): Span) -> Vec<usize> {
        let bytes = scan.folded.as_bytes();
        scan.heads
            .iter()
            .filter(|(h, _)| {
                h.start >= start
                    && h.end <= end
                    && (h.start == start || bytes[h.start - 1] == b' ')
                    && (h.end == end || bytes[h.end] == b' ')
                    && !touching.iter().any(|k| h.start < k.end && k.start < h.end)
            })
            .map(|(_, i)| *i)
            .collect()
    }

    /// A crime's name printed capitalised inside a longer run of capitalised words after
    /// "the" ("the Terrorism Prevention Branch", "the Digest of Organized Crime Cases",
    /// "the Qatar Foundation for Combating Human Trafficking") is a word of that name,
    /// listed or not, and names no crime, as inside a listed name. The run must hold a
    /// capitalised word no crime's name covers: "the Trafficking in Persons and
    /// Smuggling of Migrants" printed as a title names both crimes.
    pub(super) fn drop_crimes_in_names(&self, folded: &str, found: &mut Vec<Found>) {
        let crime = |f: &Found| matches!(f.target, Target::Known(i) if self.kinds[i] == EntityKind::CrimeType);
        let capital = |f: &Found| crime(f) && folded[f.start..].starts_with(char::is_uppercase);
        if !found.iter().any(capital) {
            return;
        }
        let crimes: Vec<(usize, usize)> = found
            .iter()
            .filter(|f| crime(f))
            .map(|f| (f.start, f.end))
            .collect();
        // Each run ends with its sentence ("the Kyoto Congress. Ransomware ...").
        let runs: Vec<(usize, usize)> = runs_after_the(folded)
            .into_iter()
            .map(|(start, end)| {
                let m = &folded[start..end];
                (start, m.find(". ").map_or(end, |i| start + i))
            })
            .filter(|&(start, end)| {
                // A word of the run past its "the" that no crime's name covers.
                let mut at = start;
                folded[start..end].split(' ').skip(1).any(|w| {
                    at += folded[at..].find(' ').map_or(0, |i| i + 1);
                    w.starts_with(char::is_uppercase)
                        && !crimes
                            .iter()
                            .any(|&(cs, ce)| cs <= at && at + w.len() <= ce)
                })
            })
            .collect();
        found.retain(|f| !(capital(f) && runs.iter().any(|&(s, e)| s < f.start && f.end <= e)));
    }

    /// Where a run ends that closes on the city its body sits in ("the Interregional
    /// Coordination Centre in Yaoundé", "the Arab Forum on Asset Recovery in
    /// Marrakech"): before " in" and the city. A region or a State goes on being the
    /// name's ("... on Money Laundering in Central Africa", "... against Impunity in
    /// Guatemala").
    /// Each " in " of the run is tried, the first whose rest is a place's whole name
    /// (the longest such name) cuts it: a set lookup each, where every place's name was
    /// compared with the run's end.
    fn before_a_city(&self, folded: &str, (start, end): (usize, usize)) -> usize {
        let run = &folded[start..end];
        run.match_indices(" in ")
            .find(|&(i, _)| {
                let rest = &run[i + 4..];
                // A month ends the run as a city does ("the European Migrant Smuggling
                // Centre in February"): the time, not the name.
                let month = crate::read::MONTHS.contains(&rest);
                i > 0 && (self.cities.contains(rest) || month)
            })
            .map_or(end, |(i, _)| start + i)
    }

    /// The name a run starting at `start` is printed as the short name of ("the
    /// Principles on Effective Interviewing ..., known as the Méndez Principles", "...
    /// (the Istanbul Protocol)"): the name of its kind that ends just before the words
    /// that say so.
    fn short_name_of(
        &self,
        folded: &str,
        start: usize,
        kind: EntityKind,
        found: &[Found],
    ) -> Option<Target> {
        let at = alias_of(folded, start)?;
        found
            .iter()
            .rev()
            .find(|f| {
                f.end == at
                    && match &f.target {
                        Target::Known(i) => self.kinds[*i] == kind,
                        Target::Minted { kind: k, .. } => *k == kind,
                    }
            })
            .map(|f| f.target.clone())
    }

    /// Whether a candidate names a State.
    fn names_a_state(&self, c: &Cand) -> bool {
        self.targets[c.pattern].iter().any(|t| {
            matches!(t.role, Role::Name { entity, .. } if self.kinds[entity] == EntityKind::State)
        })
    }

    /// Whether a candidate names a body, instrument or State (not only a crime type).
    fn names_a_non_crime(&self, c: &Cand) -> bool {
        self.targets[c.pattern].iter().any(|t| match t.role {
            Role::Name { entity, .. } => self.kinds[entity] != EntityKind::CrimeType,
            Role::Anaphor(_) | Role::Head(_) | Role::Trigger(_) => false,
        })
    }

    /// Whether a run of capitalised words may be minted although it touches known
    /// names: when it touches none, or when it takes in one known body whole and goes
    /// on with words of its own, the longest proper name wins ("African Union
    /// Commission"; the Union stays named inside it). Not when the body is qualified
    /// ("Programme Network Institutes of Crime Prevention ..." is that body), nor when
    /// the run crosses a known name, joins it to another by "and" ("... Organized Crime
    /// and the Alliance of NGOs"),
    /// or touches a State or an instrument, which are left to their own rules.
    fn extends_known(
        &self,
        folded: &str,
        touching: &[&Cand],
        (start, end): (usize, usize),
    ) -> bool {
        let all = |k: &Cand, kind: EntityKind| self.names_only(k, folded, kind);
        match touching {
            [] => true,
            // A body named for what it works on, ending in an instrument's name ("the
            // Expert Group on the Standard Minimum Rules for the Treatment of
            // Prisoners"): the longer name wins, the instrument is named inside it.
            [k] if all(k, EntityKind::Instrument) => {
                k.start > start
                    && k.end == end
                    && [" on the ", " on ", " for the ", " for "]
                        .iter()
                        .any(|w| folded[start..k.start].ends_with(w))
            }
            // A body whose name opens with its State's ("the Qatar Foundation for ...",
            // "the Jordan River Foundation"): the State's name is the body's.
            [k] if all(k, EntityKind::State) => self.state_led(folded, k, (start, end)),
            [k] => {
                k.start >= start
                    && k.end <= end
                    && (k.start, k.end) != (start, end)
                    && !qualifies(&folded[k.end..end])
                    && !folded[k.end..end].starts_with(" and ")
                    && !folded[start..k.start].ends_with(" and ")
                    && !folded[k.end..end].starts_with(", ")
                    && !folded[start..k.start].ends_with(", ")
                    && self
                        .entities_of(k, folded)
                        .iter()
                        .all(|&(e, _)| self.kinds[e] == EntityKind::Organization)
            }
            _ => false,
        }
    }

    /// Whether a run that holds a known name, the only one it touches, may be minted as
    /// `kind`, and then whether the State inside is the name's (`Some(true)`): only a
    /// body takes in a State's or an instrument's name this way, a State's only with a
    /// civil body's head ("the Qatar Foundation for ...", not "the Kuwait
    /// Anti-Corruption Authority", the State's organ).
    fn takes_in(
        &self,
        folded: &str,
        touching: &[&Cand],
        span: (usize, usize),
        kind: EntityKind,
        own_heads: &[usize],
    ) -> Option<bool> {
        let [k] = touching else {
            return Some(false);
        };
        if self.names_a_state(k) && self.state_led(folded, k, span) {
            let civil = own_heads
                .iter()
                .any(|&i| self.civil_heads.contains(&self.name_heads[i].1));
            return (civil && kind == EntityKind::Organization).then_some(true);
        }
        let instrument = self.names_only(k, folded, EntityKind::Instrument);
        (!instrument || kind == EntityKind::Organization).then_some(false)
    }

    /// "The representative of Nigeria described the work of the Economic and Financial
    /// Crimes Commission", "the National Agency for the Prohibition of Traffic in
    /// Persons": a body with a State organ's head (no civil head) and no word of a wider
    /// scope (`cg:scopeWord`: "the Council of Arab Ministers of Justice") that a State's
    /// own speaker presents in the sentence, or that is "National ...", is that State's
    /// organ, not a body to mint, as one that opens with its State's name is not
    /// ([`Self::takes_in`]).
    fn a_states_organ(
        &self,
        folded: &str,
        (start, end): (usize, usize),
        own_heads: &[usize],
        found: &[Found],
    ) -> bool {
        let civil = own_heads
            .iter()
            .any(|&i| self.civil_heads.contains(&self.name_heads[i].1));
        let wider = folded[start..end]
            .split(' ')
            .any(|w| self.scope_words.iter().any(|s| s == w));
        if civil || wider {
            return false;
        }
        if folded[start..].starts_with("National ") {
            return true;
        }
        let from = folded[..start].rfind(['.', ';']).map_or(0, |i| i + 1);
        found.iter().any(|f| {
            f.start >= from
                && f.end <= start
                && matches!(f.target, Target::Known(i) if self.kinds[i] == EntityKind::State)
                && STATE_SPEAKER.is_match(&folded[from..f.start])
        })
    }

    /// A name head alone, or after "... of the" ("the Task Force", "the Bureau", "the
    /// Chair of the Working Group"): the body named before, or an officer of it, not a
    /// name to mint.
    fn bare_head(&self, name: &str) -> bool {
        let tail = name.rsplit_once(" of the ").map_or(name, |(_, t)| t);
        self.name_heads
            .iter()
            .any(|(_, h)| tail.eq_ignore_ascii_case(h))
    }

    /// Whether a candidate names entities of `kind` only (and some).
    fn names_only(&self, k: &Cand, folded: &str, kind: EntityKind) -> bool {
        let of = self.entities_of(k, folded);
        !of.is_empty() && of.iter().all(|&(e, _)| self.kinds[e] == kind)
    }

    /// Whether a run opens with a State's name and goes on in capitalised words (not
    /// "of", not a comma: "the Russian Federation, Serbia ..." is a list).
    fn state_led(&self, folded: &str, k: &Cand, (start, end): (usize, usize)) -> bool {
        k.start == start
            && k.end < end
            && folded[k.end..]
                .strip_prefix(' ')
                .is_some_and(|rest| rest.starts_with(char::is_uppercase))
    }

    /// The organization a run of capitalised words names by the start of a longer name
    /// of its own, printed with a small word more or less ("Centre for Combating the
    /// Illicit Trafficking of ..." where the reference data has "... Combating Illicit
    /// Trafficking of ..."): the run takes in one listed name of the body (a shorter
    /// one) from its start, and the run's content words begin one of the body's longer
    /// names. Without it the qualified run ("X for ...") is left alone and the crime in
    /// the body's own name is taken as a crime.
    fn printed_longer_name(
        &self,
        folded: &str,
        touching: &[&Cand],
        (start, end): (usize, usize),
    ) -> Option<usize> {
        let [k] = touching else { return None };
        if k.start != start || k.end >= end {
            return None;
        }
        let [(entity, _)] = self.entities_of(k, folded)[..] else {
            return None;
        };
        if self.kinds[entity] != EntityKind::Organization {
            return None;
        }
        let (known, run) = (
            content_words(&folded[k.start..k.end]),
            content_words(&folded[start..end]),
        );
        let longer = self
            .org_words
            .iter()
            .any(|(e, words)| *e == entity && words.len() >= run.len() && words.starts_with(&run));
        (run.len() > known.len() && longer).then_some(entity)
    }

    /// The one listed organization or instrument (of `kind`) whose name goes on from
    /// `printed` with "for", "of", "on" or "against" ("African Institute" of the "African
    /// Institute for the Prevention of Crime and the Treatment of Offenders", the
    /// "International Guidelines" of the "International Guidelines for Crime Prevention
    /// ..."), `printed` ending in its head noun and of two words or more; or that
    /// several names go on from it ("the International Institute").
    fn short_form_of(&self, printed: &str, kind: EntityKind) -> ShortForm {
        let lower = printed.to_lowercase();
        let ends_in_head = self.name_heads.iter().any(|(_, h)| {
            lower
                .strip_suffix(h.as_str())
                .is_some_and(|r| r.ends_with(' '))
        });
        if !ends_in_head {
            return ShortForm::None;
        }
        let of_kind = self
            .long_names
            .iter()
            .filter(|(e, _)| self.kinds[*e] == kind);
        let mut found = of_kind.filter_map(|(e, n)| {
            let rest = n.strip_prefix(lower.as_str())?.strip_prefix(' ')?;
            ["for ", "of ", "on ", "against "]
                .iter()
                .any(|w| rest.starts_with(w))
                .then_some(*e)
        });
        let Some(first) = found.next() else {
            return ShortForm::None;
        };
        match found.all(|e| e == first) {
            true => ShortForm::Of(first),
            false => ShortForm::OfSeveral,
        }
    }

    /// An organization whose printed name lacks or adds a small word ("Alliance of NGOs
    /// Crime Prevention ..." for "... NGOs on Crime Prevention ..."): same content words.
    pub fn organization_like(&self, printed: &str) -> Option<usize> {
        let words = content_words(printed);
        if words.len() < 2 {
            return None;
        }
        self.org_words
            .iter()
            .find(|(_, w)| *w == words)
            .map(|(e, _)| *e)
    }
}

/// A run of text by its byte offsets in the folded paragraph.
type Span = (usize, usize);

/// What a printed name is a short form of ([`Extractor::short_form_of`]).
enum ShortForm {
    None,
    Of(usize),
    OfSeveral,
}

/// Where the name ends whose short name starts at `start`, when the text prints it as
/// one: after ", known as the", ", also known as the" or "(the".
fn alias_of(folded: &str, start: usize) -> Option<usize> {
    let before = folded[..start].trim_end();
    let before = match before.strip_suffix("the") {
        Some(b) if b.ends_with([' ', '(']) => b.trim_end(),
        _ => before,
    };
    let rest = match before.strip_suffix('(') {
        Some(r) => r,
        None => {
            let r = before.strip_suffix("known as")?.trim_end();
            let r = r.strip_suffix("also").unwrap_or(r).trim_end();
            r.strip_suffix(',')?
        }
    };
    Some(rest.trim_end().len())
}

/// Runs of capitalised words the text marks as names: after "the", or before an
/// acronym in parentheses; each taken on over a list that ends its name
/// ([`listed_tail`]), longest first at each start. And apart, the items of lists of
/// non-governmental organizations ([`ngo_items`]), which are runs too.
fn name_runs(folded: &str, has_head: impl Fn(usize, usize) -> bool) -> (Vec<Span>, Vec<Span>) {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (start, end) in runs_after_the(folded) {
        let m = &folded[start..end];
        let the = m.find(char::is_whitespace).unwrap_or(0);
        let skip = the + m[the..].len() - m[the..].trim_start().len();
        spans.push((start + skip, end));
    }
    // Only a paragraph with an acronym in parentheses can hold the second kind.
    let acronym = folded
        .match_indices('(')
        .any(|(i, _)| folded[i + 1..].starts_with(char::is_uppercase));
    if acronym {
        for m in NAME_BEFORE_ACRONYM.find_iter(folded) {
            let paren = m.as_str().rfind('(').unwrap_or(m.len());
            spans.push((m.start(), m.start() + m.as_str()[..paren].trim_end().len()));
        }
    }
    for (start, end) in spans.iter_mut() {
        *end = sentence_end(folded, (*start, *end));
        // A list that ends the name stops at a full stop too ("... and Human Rights.
        // At the 3rd meeting").
        *end = sentence_end(folded, (*start, listed_tail(folded, (*start, *end))));
    }
    // "the ASEAN Network and the South Asia Network": two names, each with a head.
    let mut parted = Vec::new();
    spans.retain(
        |&(start, end)| match two_names(folded, (start, end), &has_head) {
            Some((left, right)) => {
                parted.extend([left, right]);
                false
            }
            None => true,
        },
    );
    spans.extend(parted);
    // An attendance list's commas are its own: its items are not taken on over them.
    let mut listed = Vec::new();
    if folded.contains(": ") {
        // "... the United Nations Development Fund for Women and the International
        // Narcotics Control Board.": a list's last item may be two names.
        for item in list_items(folded, &has_head) {
            match two_names(folded, item, &has_head) {
                Some((left, right)) => spans.extend([left, right]),
                None => spans.push(item),
            }
        }
    }
    if folded.contains(": ") || folded.contains("includ") {
        listed = ngo_items(folded, &has_head);
        spans.extend(listed.iter().copied());
    }
    spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    spans.dedup();
    (spans, listed)
}

/// The matches of [`NAME_AFTER_THE`], leftmost first and not overlapping, as a search
/// from left to right finds them: every match starts at a "the" or "The", so the DFA is
/// searched anchored at each one after the last match (its word boundary is read from
/// the byte before).
fn runs_after_the(folded: &str) -> Vec<Span> {
    use regex_automata::dfa::Automaton;
    let mut out = Vec::new();
    let mut last_end = 0;
    for (i, _) in folded.match_indices("he") {
        let Some(start) = i.checked_sub(1) else {
            continue;
        };
        if start < last_end || !matches!(folded.as_bytes()[start], b't' | b'T') {
            continue;
        }
        let input = Input::new(folded).range(start..).anchored(Anchored::Yes);
        if let Ok(Some(end)) = NAME_AFTER_THE.try_search_fwd(&input) {
            out.push((start, end.offset()));
            last_end = end.offset();
        }
    }
    out
}

/// A run that is two names joined by "and", "and the", "and to the" or "and of the",
/// each holding a name head and
/// the second capitalised ("Institute for Security Studies and the Global Initiative"),
/// as the two; `None` for one name ("Centre for the Study of Violence and
/// Reconciliation", "Commission on Crime Prevention and Criminal Justice"). The second
/// name's head stands before any further "and" in it: "Foundation for Justice,
/// Security and Human Development in the Sahel and the Institute for Justice, Peace and
/// Reconciliation" parts before "the Institute", not before "Human Development".
fn two_names(
    folded: &str,
    (start, end): (usize, usize),
    has_head: &impl Fn(usize, usize) -> bool,
) -> Option<((usize, usize), (usize, usize))> {
    let run = &folded[start..end];
    run.match_indices(" and ").find_map(|(i, _)| {
        let after = &run[i + 5..];
        // "... and to the Kuala Lumpur Statement", "... and of the Caracas Declaration":
        // the preposition is the sentence's, not the second name's.
        let skip = ["to the ", "of the ", "the "]
            .iter()
            .find(|w| after.starts_with(*w))
            .map_or(0, |w| w.len());
        let left = (start, start + i);
        let right = (start + i + 5 + skip, end);
        let first = folded[right.0..end]
            .find(" and ")
            .map_or(end, |j| right.0 + j);
        (after[skip..].starts_with(char::is_uppercase)
            && has_head(left.0, left.1)
            && has_head(right.0, first))
        .then_some((left, right))
    })
}

/// The items of a list ([`list_openings`]) whose sentence says they are
/// non-governmental organizations ("The following non-governmental organizations were
/// represented by observers: ..."): split at semicolons where the list has them (its
/// items then keep their commas and need no name head: "Integrity Watch Afghanistan"),
/// else at commas (each item then holds a name head or two words or more, as a city
/// after a comma is one word: "..., Tirana"). An item's "the" is not its name's.
fn ngo_items(folded: &str, has_head: &impl Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for from in list_openings(folded) {
        let sentence = folded[..from].rsplit(". ").next().unwrap_or("");
        // Folded text reads a hyphen as a space.
        if !sentence.to_lowercase().contains("non governmental organi") {
            continue;
        }
        let rest = &folded[from..];
        let list = &rest[..rest.find(". ").unwrap_or(rest.len())];
        let semicolons = list.contains("; ");
        let mut at = from;
        for item in list.split(if semicolons { "; " } else { ", " }) {
            let lead = item.len() - item.trim_start().len();
            let mut start = at + lead;
            let mut text = item.trim();
            for small in ["and ", "the "] {
                if let Some(t) = text.strip_prefix(small) {
                    (text, start) = (t, start + small.len());
                }
            }
            let text = text.trim_end_matches('.');
            let end = start + text.len();
            let named = LIST_ITEM.is_match(&text.replace(", ", " "));
            // A city after a comma is one word ("..., Tirana"); a name with no head
            // noun has two or more ("Soroptimist International").
            let words = text.split(' ').count();
            if named && (semicolons || words >= 2 || has_head(start, end)) {
                match two_names(folded, (start, end), has_head) {
                    Some((left, right)) => out.extend([left, right]),
                    None => out.push((start, end)),
                }
            }
            at += item.len() + 2;
        }
    }
    out
}

/// Where the lists of a paragraph may start: after a colon, or after "included" or
/// "including" ("Non-governmental organizations ... represented included the Academic
/// Council on the United Nations System, ...").
fn list_openings(folded: &str) -> impl Iterator<Item = usize> + '_ {
    let colons = folded.match_indices(": ").map(|(i, _)| i + 2);
    let verbs = ["included ", "including "]
        .into_iter()
        .flat_map(move |verb| {
            folded
                .match_indices(verb)
                .filter(move |(i, _)| *i == 0 || folded.as_bytes()[i - 1] == b' ')
                .map(move |(i, _)| i + verb.len())
        });
    colons.chain(verbs)
}

/// A whole list item that is a run of capitalised words (joined by small words).
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}\d'’-]*(?:\s+(?:(?:of|on|for|and|the|in|against|to)\s+)*\p{Lu}[\p{L}\d'’-]*)*$").unwrap()
});

/// The items of a list of names after a colon, as attendance lists print them ("were
/// represented: Centre for the Study of Violence and Reconciliation, Institute for
/// Security Studies and Penal Reform International."): each item between commas that
/// is a run of capitalised words, parted at an " and " between two names
/// ([`two_names`]). An item with no name head after one whose name governs a list
/// ("Foundation for Justice, Security and Human Development in the Sahel") may be the
/// rest of that name: the longer span is offered too ([`rest_of_name`]). `mint` still
/// mints only a span holding a name head and no known name it cannot take in.
fn list_items(folded: &str, has_head: &impl Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (colon, _) in folded.match_indices(": ") {
        let from = colon + 2;
        let rest = &folded[from..];
        let until = rest.find(". ").unwrap_or(rest.len());
        // A list of names starts with a name: after "the following draft resolution:"
        // come its title and its preamble, whose clauses commas part too.
        let first = rest[..until].split(", ").next().unwrap_or("");
        if !LIST_ITEM.is_match(first.trim().trim_end_matches('.')) {
            continue;
        }
        let mut at = from;
        let mut last: Option<(usize, usize)> = None;
        for item in folded[from..from + until].split(", ") {
            let (lead, trail) = (item.len() - item.trim_start().len(), item.trim_end().len());
            let mut text = &item[lead..trail];
            let mut start = at + lead;
            if let Some(t) = text.strip_prefix("and ") {
                (text, start) = (t, start + 4);
            }
            let text = text.trim_end_matches('.');
            if !LIST_ITEM.is_match(text) {
                last = None;
            } else {
                // After a name that governs a list, the item's first words may be the
                // rest of that name (a longer span beside it); the words after its
                // " and ", if any, are an item of their own.
                let governed = last.filter(|&(s, e)| crate::extract::governs_a_list(&folded[s..e]));
                let (text, start) = match governed
                    .and_then(|p| rest_of_name(text, start, has_head).map(|n| (p, n)))
                {
                    Some((p, n)) => {
                        out.push((p.0, start + n));
                        last = Some((p.0, start + n));
                        match text.get(n + 5..) {
                            Some(after) if n < text.len() => (after, start + n + 5),
                            _ => ("", start + text.len()),
                        }
                    }
                    None => (text, start),
                };
                if !text.is_empty() {
                    let whole = (start, start + text.len());
                    let items = match two_names(folded, whole, has_head) {
                        Some((left, right)) => vec![left, right],
                        None => vec![whole],
                    };
                    last = items.last().copied();
                    out.extend(items);
                }
            }
            at += item.len() + 2;
        }
    }
    out
}

/// How much of a list item, from its start, is the rest of the name before it: the
/// whole item when it holds no name head ("Peace and Reconciliation of the Great
/// Lakes"), or its words up to the last " and " before a name with a head of its own
/// ("Security and Human Development in the Sahel" and "Institute for Justice"). `None`
/// when the item starts with a name of its own.
fn rest_of_name(
    text: &str,
    start: usize,
    has_head: &impl Fn(usize, usize) -> bool,
) -> Option<usize> {
    let end = start + text.len();
    if !has_head(start, end) {
        return Some(text.len());
    }
    text.match_indices(" and ")
        .map(|(i, _)| i)
        .filter(|&i| !has_head(start, start + i) && has_head(start + i + 5, end))
        .last()
}

/// Where a run of capitalised words ends that runs on over a full stop into the next
/// sentence ("the SADC Protocol against Corruption. Many speakers"): at the stop after
/// a word of three letters or more. An initial or a short abbreviation ("U.S.",
/// "St. Kitts") goes on.
fn sentence_end(folded: &str, (start, end): (usize, usize)) -> usize {
    let run = &folded[start..end];
    for (i, _) in run.match_indices(". ") {
        let word = run[..i]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if word.chars().count() >= 3 {
            return start + i;
        }
    }
    // The paragraph's own last stop, after a word.
    let last = run.strip_suffix('.').and_then(|r| r.rsplit(' ').next());
    match last {
        Some(word) if word.chars().count() >= 3 && !word.contains('.') => end - 1,
        _ => end,
    }
}

/// Where a name ends that goes on in a list after its "for", "of" or "on" ("the Centre
/// for Justice, Reconciliation and Human Rights"): a list of names ("the Asia
/// Foundation, Oxfam and ...") has none of those words in its first name.
pub(super) fn listed_tail(folded: &str, (start, end): (usize, usize)) -> usize {
    let name = &folded[start..end];
    let governed = crate::extract::governs_a_list(name);
    match LISTED_TAIL.find(&folded[end..]) {
        Some(m) if governed => end + m.end(),
        _ => end,
    }
}
