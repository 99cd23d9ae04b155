//! The patterns pass: the vocabulary's `cg:pattern`s, each searched only where one of
//! its triggers was seen.

use super::*;

/// Above this many triggers of one pattern in a paragraph, one search from the first
/// replaces the anchored searches at each (each costs a call into the meta regex
/// engine) when the pattern has no compiled DFA (where a search costs next to nothing).
pub(super) const ANCHORED_SEARCHES: usize = 4;

impl Extractor {
    /// The patterns that run everywhere, and those whose trigger the scan saw, outside
    /// proper names (`proper_spans`).
    pub(super) fn patterns_pass(
        &self,
        folded: &str,
        triggered: Vec<(usize, usize)>,
        proper_spans: &[(usize, usize)],
        found: &mut Vec<Found>,
    ) {
        let inside_proper =
            |s: usize, e: usize| proper_spans.iter().any(|&(ps, pe)| s >= ps && e <= pe);
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for &i in &self.untriggered {
            self.patterns[i].find_from(folded, 0, &mut spans, i);
        }
        let mut starts = triggered;
        starts.sort_unstable();
        starts.dedup();
        for group in starts.chunk_by(|a, b| a.0 == b.0) {
            let (i, first) = group[0];
            let rule = &self.patterns[i];
            if group.len() > ANCHORED_SEARCHES && rule.dfa.is_none() {
                // A common trigger ("the") of a pattern with no compiled DFA: one search
                // of the meta regex from the first is cheaper than many anchored ones.
                rule.find_from(folded, first, &mut spans, i);
                continue;
            }
            let mut last_end = 0;
            for &(_, start) in group {
                // Non-overlapping, as a search from left to right would find them.
                if start < last_end {
                    continue;
                }
                if let Some(end) = rule.find_at(folded, start, &mut spans, i) {
                    last_end = end;
                }
            }
        }
        for (start, end, i) in spans {
            if !inside_proper(start, end) {
                let entity = self.patterns[i].entity;
                found.push(Found::new(
                    start,
                    end,
                    Target::Known(entity),
                    Method::Pattern,
                ));
            }
        }
    }
}

/// Literals, lower case, one of which starts every match of `pattern` (its prefixes as
/// regex-syntax extracts them, read case-sensitively and then lowered: the pattern
/// runs case-insensitively and the automaton ignores ASCII case). `None` when no such
/// finite set exists, or it holds the empty string or non-ASCII text the automaton
/// could not stand for. (Unicode case folding also lets `k` match the Kelvin sign and
/// `s` the long s, which no trigger sees; reports do not print them.)
pub(super) fn triggers(pattern: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::Extractor as Literals;
    let hir = regex_syntax::parse(pattern).ok()?;
    let seq = Literals::new().extract(&hir);
    let mut out: Vec<String> = Vec::new();
    for literal in seq.literals()? {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        if text.is_empty() || !text.is_ascii() {
            return None;
        }
        out.push(fold(text).to_ascii_lowercase());
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// A `cg:pattern`, searched anchored where one of its triggers starts: every match
/// starts with a trigger, so the search need not read the rest of the paragraph.
#[derive(Debug)]
pub(super) struct PatternRule {
    pub(super) re: meta::Regex,
    /// The same pattern as a fully compiled forward DFA that only starts where it is
    /// told (anchored), for the searches at a trigger: most start at a trigger that
    /// starts no match, and a compiled DFA answers that with no cache to fetch and no
    /// strategy to pick, where the meta regex spends more on the call than on the few
    /// bytes it reads. The start is the trigger's, so no reverse DFA is needed, and an
    /// anchored DFA has no unanchored prefix to determinize: it stays small where an
    /// unanchored one outgrew [`DFA_LIMIT`] (a run of letters, `[\p{L}-]+`, before the
    /// goods of a trade). `None` if it would not build; the groups of a named pattern
    /// always come from `re`.
    pub(super) dfa: Option<dfa::dense::DFA<Vec<u32>>>,
    pub(super) entity: usize,
    /// Whether the pattern marks its name with `(?P<name>...)`.
    pub(super) named: bool,
    /// Literals every match starts with (see [`triggers`]); `None`: run everywhere.
    pub(super) triggers: Option<Vec<String>>,
}

/// The most memory a pattern's compiled DFA (and building it) may take: the largest,
/// a traded goods' list, takes 1-3 MB; all of them together about 22 MB.
const DFA_LIMIT: usize = 1 << 22;

impl PatternRule {
    /// A pattern as the reference data writes it. Word boundaries are taken as ASCII
    /// ones: a Unicode `\b` makes the regex engine leave its fast DFA for the slowest
    /// search on any non-ASCII text (a dash or a curly quote is enough), and names'
    /// boundaries are ASCII.
    pub(super) fn from_reference(
        pattern: &str,
        entity: usize,
    ) -> Result<Self, Box<meta::BuildError>> {
        Self::new(&pattern.replace(r"\b", r"(?-u:\b)"), entity)
    }

    /// `pattern` is read case-insensitively.
    pub(super) fn new(pattern: &str, entity: usize) -> Result<Self, Box<meta::BuildError>> {
        let syntax = syntax::Config::new().case_insensitive(true);
        let re = meta::Regex::builder()
            .syntax(syntax)
            .build(pattern)
            .map_err(Box::new)?;
        // Bounded: a pattern of many case-folded Unicode alternatives can take
        // gigabytes to determinize; it then keeps the lazy DFA of `re`.
        let limits = dfa::dense::Config::new()
            .start_kind(dfa::StartKind::Anchored)
            .dfa_size_limit(Some(DFA_LIMIT))
            .determinize_size_limit(Some(DFA_LIMIT));
        let dfa = dfa::dense::Builder::new()
            .configure(limits)
            .syntax(syntax)
            .build(pattern)
            .ok();
        let named = re
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .any(|n| n == Some("name"));
        Ok(PatternRule {
            re,
            dfa,
            entity,
            named,
            triggers: triggers(pattern),
        })
    }

    /// The match that starts at `start`, by the DFA where there is one.
    fn search_at(&self, text: &str, start: usize) -> Option<regex_automata::Match> {
        use regex_automata::dfa::Automaton;
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        match self.dfa.as_ref().map(|d| d.try_search_fwd(&input)) {
            Some(Ok(end)) => end.map(|end| {
                regex_automata::Match::new(regex_automata::PatternID::ZERO, start..end.offset())
            }),
            _ => self.re.search(&input),
        }
    }

    /// Pushes what to keep of match `m`: the `name` group if the pattern has one.
    fn keep(
        &self,
        text: &str,
        m: regex_automata::Match,
        out: &mut Vec<(usize, usize, usize)>,
        id: usize,
    ) {
        if !self.named {
            out.push((m.start(), m.end(), id));
            return;
        }
        // The groups of this match: searched anchored on its span (look-arounds still
        // see the text around it).
        let input = Input::new(text).span(m.range()).anchored(Anchored::Yes);
        let mut caps = self.re.create_captures();
        self.re.search_captures(&input, &mut caps);
        if let Some(k) = caps.get_group_by_name("name") {
            out.push((k.start, k.end, id));
        }
    }

    /// The match starting at `start`, if any: pushes what to keep of it and returns
    /// its end.
    pub(super) fn find_at(
        &self,
        text: &str,
        start: usize,
        out: &mut Vec<(usize, usize, usize)>,
        id: usize,
    ) -> Option<usize> {
        let m = self.search_at(text, start)?;
        self.keep(text, m, out, id);
        Some(m.end())
    }

    /// Every match from `start` on, left to right.
    pub(super) fn find_from(
        &self,
        text: &str,
        start: usize,
        out: &mut Vec<(usize, usize, usize)>,
        id: usize,
    ) {
        let mut at = start;
        while at <= text.len() {
            let Some(m) = self.re.search(&Input::new(text).range(at..)) else {
                return;
            };
            self.keep(text, m, out, id);
            // Patterns match no empty text; stepping past one keeps this finite anyway.
            at = if m.is_empty() { m.end() + 1 } else { m.end() };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_prefixes_or_none() {
        assert_eq!(
            triggers(r"(?-u:\b)(?:funds?|financ(?:e|ing))\s+of\s+terrorism"),
            Some(vec![
                "finance".into(),
                "financing".into(),
                "fund".into(),
                "funds".into()
            ])
        );
        assert_eq!(
            triggers(r"(?-u:\b)the\s+(?P<name>United\s+Nations)"),
            Some(vec!["the".into()])
        );
        // No literal starts every match: run everywhere.
        assert_eq!(triggers(r"\p{Lu}\w+ Campaign"), None);
        assert_eq!(triggers(r"(?:x)?"), None);
    }

    const FUNDING: &str = r"(?-u:\b)(?:the\s+)?(?:funds?|financing)(?:\s+of)?\s+terrorism(?-u:\b)";
    const NAMED: &str =
        r"(?-u:\b)the\s+(?P<name>United\s+Nations)(?:\s*[,.;:)]|\s+(?:and|or)(?-u:\b)|$)";
    static RULES: LazyLock<[PatternRule; 2]> = LazyLock::new(|| {
        [
            PatternRule::new(FUNDING, 0).unwrap(),
            PatternRule::new(NAMED, 0).unwrap(),
        ]
    });

    /// What a plain left-to-right search of the meta regex keeps: matches, or the
    /// `name` group.
    fn plain(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let re = meta::Regex::builder()
            .syntax(syntax::Config::new().case_insensitive(true))
            .build(pattern)
            .unwrap();
        re.captures_iter(text)
            .filter_map(|c| {
                c.get_group_by_name("name")
                    .or(c.get_match().map(|m| m.span()))
            })
            .map(|s| (s.start, s.end))
            .collect()
    }

    /// Every pattern of the reference data with no bounded gap (`{0,n}`, which a DFA
    /// holds as n copies) compiles to a DFA within the limit: one that does not runs on
    /// the meta regex's lazy DFA at every trigger, several times slower (the traded
    /// goods' patterns did while a run of any Unicode letters stood before the goods).
    #[test]
    fn the_reference_patterns_compile_to_dfas() {
        let vocab = crate::reference::Vocabulary::built_in().unwrap();
        let slow: Vec<&String> = vocab
            .entities
            .iter()
            .flat_map(|e| &e.patterns)
            .filter(|p| !p.contains("{0,"))
            .filter(|p| PatternRule::from_reference(p, 0).unwrap().dfa.is_none())
            .collect();
        assert!(slow.is_empty(), "{slow:#?}");
    }

    #[test]
    fn patterns_compile_to_dfas() {
        assert!(RULES.iter().all(|r| r.dfa.is_some()));
        assert!(RULES[1].named);
    }

    proptest::proptest! {
        /// Anchored searches at trigger places find what a plain left-to-right search
        /// finds.
        #[test]
        fn anchored_at_triggers_equals_plain_search(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["the", "The", "funds", "of", "terrorism", "fund", "financing", "x", "-", "."]),
                0..40,
            )
        ) {
            let text = words.join(" ");
            let rule = &RULES[0];
            let literals = triggers(FUNDING).unwrap();
            let lower = text.to_ascii_lowercase();
            let mut starts: Vec<usize> = literals
                .iter()
                .flat_map(|l| lower.match_indices(l.as_str()).map(|(i, _)| i).collect::<Vec<_>>())
                .collect();
            starts.sort_unstable();
            starts.dedup();
            let mut got = Vec::new();
            let mut last_end = 0;
            for start in starts {
                if start < last_end {
                    continue;
                }
                if let Some(end) = rule.find_at(&text, start, &mut got, 0) {
                    last_end = end;
                }
            }
            let got: Vec<(usize, usize)> = got.into_iter().map(|(s, e, _)| (s, e)).collect();
            proptest::prop_assert_eq!(got, plain(FUNDING, &text));
        }

        /// A search from the start keeps what the plain search keeps, the `name`
        /// group of a named pattern included.
        #[test]
        fn search_from_the_start_equals_plain_search(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["the", "The", "United", "Nations", "nations", "and", ",", "funds", "of", "terrorism", "x"]),
                0..40,
            )
        ) {
            let text = words.join(" ");
            for (rule, pattern) in RULES.iter().zip([FUNDING, NAMED]) {
                let mut got = Vec::new();
                rule.find_from(&text, 0, &mut got, 0);
                let got: Vec<(usize, usize)> = got.into_iter().map(|(s, e, _)| (s, e)).collect();
                proptest::prop_assert_eq!(got, plain(pattern, &text));
            }
        }
    }
}
