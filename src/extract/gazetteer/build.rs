//! Building the extractor from the vocabulary: one automaton over every name, anaphor
//! phrase, name head and pattern trigger, each text with what it stands for.

use super::*;

/// The automaton's texts (folded, lower case, each once) and what each stands for.
#[derive(Default)]
struct Texts {
    texts: Vec<String>,
    targets: Vec<Vec<PatternTarget>>,
    index: HashMap<String, usize>,
}

impl Texts {
    fn add(&mut self, text: &str, target: PatternTarget) {
        let key = fold(text).to_lowercase();
        let i = *self.index.entry(key.clone()).or_insert_with(|| {
            self.texts.push(key);
            self.targets.push(Vec::new());
            self.texts.len() - 1
        });
        self.targets[i].push(target);
    }

    /// `text` in the automaton for `role`, its case checked by `rule`.
    fn add_as(&mut self, text: &str, role: Role, rule: CaseRule) {
        let target = PatternTarget {
            role,
            rule,
            folded: text.to_string(),
        };
        self.add(text, target);
    }
}

/// What the entities' names and patterns give besides the automaton's texts.
#[derive(Default)]
struct NameTables {
    crime_names: HashMap<String, usize>,
    heads: HashSet<String>,
    org_words: Vec<(usize, Vec<String>)>,
    long_names: Vec<(usize, String)>,
    patterns: Vec<PatternRule>,
}

impl Extractor {
    pub fn new(vocab: &Vocabulary) -> Result<Self, ExtractorError> {
        // Compiled here, with the rest, not at the first paragraph.
        std::sync::LazyLock::force(&super::minting::NAME_AFTER_THE);
        let mut texts = Texts::default();
        let tables = entity_names(vocab, &mut texts)?;
        let untriggered = pattern_triggers(&tables.patterns, &mut texts);
        let name_heads = name_heads(vocab, &mut texts);
        let anaphors = anaphor_phrases(vocab, &mut texts);
        // Case-sensitive over lower-case names, run on an ASCII-lower-cased copy of the
        // text: the same matches as an ASCII-case-insensitive automaton, with half the
        // transitions to follow.
        let (prefixes, prefix_texts) = prefixes_of(&texts.texts);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            // A full DFA over lower-case names: interleaved in `cargo bench --bench
            // extract`, 0.52x of the baseline against 0.47x for the default contiguous
            // NFA (5.4 MB against 0.3 MB, 2026-11-24). With the reference data of
            // 2026-12-04 (1,756 texts) it is 17.7 MB and still ahead: extract 0.80-0.84
            // ms against 0.91-0.92 ms for the NFA (0.5 MB) on the seed. Over
            // case-insensitive names it was 11 MB and lost to the NFA on cache misses.
            // Over the texts' 24-byte prefixes (2026-12-05) extract is 0.81 ms against
            // 0.84-0.85 ms over the whole texts, with the same output.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&prefixes)?;
        let mut heads: Vec<String> = tables.heads.into_iter().collect();
        heads.sort();
        let mut conjuncts_of: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (name, &crime) in &tables.crime_names {
            for head in heads.iter().filter(|h| name.starts_with(h.as_str())) {
                let rests = conjuncts_of.entry(head.clone()).or_default();
                rests.insert(name[head.len()..].to_string(), crime);
            }
        }
        let links = links_of(vocab);
        let addressing = (0..links.len())
            .filter(|&e| links[e].contains_key(super::anaphora::ADDRESSES.as_str()))
            .collect();
        Ok(Extractor {
            automaton,
            prefix_texts,
            texts: texts.texts,
            targets: texts.targets,
            kinds: vocab.entities.iter().map(|e| e.kind).collect(),
            classes: vocab.entities.iter().map(|e| e.classes.clone()).collect(),
            links,
            addressing,
            patterns: tables.patterns,
            untriggered,
            conjuncts_of,
            heads,
            anaphors,
            org_words: tables.org_words,
            long_names: tables.long_names,
            name_heads,
            sessional_bodies: vocab
                .sessional_bodies
                .iter()
                .map(|b| crate::extract::fold(b))
                .collect(),
            meeting_officers: vocab
                .meeting_officers
                .iter()
                .map(|t| t.to_lowercase())
                .collect(),
            scope_words: vocab.scope_words.iter().map(|w| fold(w)).collect(),
            civil_heads: vocab
                .civil_heads
                .iter()
                .map(|h| crate::extract::fold(h).to_lowercase())
                .collect(),
            venue_heads: vocab
                .venue_heads
                .iter()
                .map(|h| crate::extract::fold(h))
                .collect(),
            cities: vocab
                .places
                .iter()
                .flat_map(|p| &p.names)
                // A city that is a State ("in Singapore") may be the name's, as a State is.
                .filter(|n| vocab.state_named(n).is_none())
                .map(|n| crate::extract::fold(n))
                .collect(),
            longer_names: crate::extract::proper_names::LongerNames::new(vocab),
            issuers: resolutions::Issuers::new(vocab),
            officials: super::officials::Officials::new(vocab)?,
        })
    }
}

/// How many bytes of each text the automaton holds. The long names (an institute's
/// title runs to 150 bytes) made most of the DFA's states and its size (17.7 MB for
/// 1,756 texts), and a scan of a paragraph then waited on memory; their first bytes
/// tell the few that may match, checked in full on a match.
pub(super) const PREFIX: usize = 24;

/// The texts' prefixes (each once) and, for each, the texts that start with it.
fn prefixes_of(texts: &[String]) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut prefixes: Vec<String> = Vec::new();
    let mut of: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, text) in texts.iter().enumerate() {
        let mut cut = text.len().min(PREFIX);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let p = *index.entry(&text[..cut]).or_insert_with(|| {
            prefixes.push(text[..cut].to_string());
            of.push(Vec::new());
            prefixes.len() - 1
        });
        of[p].push(i);
    }
    (prefixes, of)
}

/// Every name of every entity that is matched by name, and every entity's patterns.
fn entity_names(vocab: &Vocabulary, texts: &mut Texts) -> Result<NameTables, ExtractorError> {
    let mut tables = NameTables::default();
    for (i, e) in vocab.entities.iter().enumerate() {
        for name in e.names.iter().filter(|_| e.match_names) {
            let folded = fold(name.text.trim());
            if folded.is_empty() {
                continue;
            }
            let rule = match (name.kind, e.kind) {
                (NameKind::Acronym, _) => CaseRule::Exact,
                (_, EntityKind::CrimeType) => CaseRule::Any,
                _ => CaseRule::Capitalized,
            };
            let role = Role::Name {
                entity: i,
                kind: name.kind,
            };
            if let Some(dated) = dated_form(&folded, e.kind) {
                texts.add_as(&dated, role.clone(), rule);
            }
            texts.add_as(&folded, role, rule);
            if e.kind == EntityKind::CrimeType {
                let lower = folded.to_lowercase();
                let words: Vec<&str> = lower.split(' ').collect();
                if words.len() >= 3 && matches!(words[1], "in" | "of") {
                    tables.heads.insert(format!("{} {} ", words[0], words[1]));
                } else if words.len() == 2 {
                    // "illegal fishing and logging": the qualifier is shared.
                    tables.heads.insert(format!("{} ", words[0]));
                }
                tables.crime_names.insert(lower, i);
            }
            if e.kind == EntityKind::Organization && name.kind != NameKind::Acronym {
                tables.org_words.push((i, content_words(&name.text)));
            }
            let named = matches!(e.kind, EntityKind::Organization | EntityKind::Instrument);
            if named && name.kind != NameKind::Acronym {
                tables.long_names.push((i, folded.to_lowercase()));
            }
        }
        for p in &e.patterns {
            let rule =
                PatternRule::from_reference(p, i).map_err(|source| ExtractorError::Pattern {
                    entity: e.iri.clone(),
                    pattern: p.clone(),
                    source,
                })?;
            tables.patterns.push(rule);
        }
    }
    Ok(tables)
}

/// A treaty's name that the reference data prints with its year first ("1970 UNESCO
/// Convention"), with the year after it ("UNESCO Convention of 1970"): reports name a
/// treaty both ways, the second the more in older ones.
fn dated_form(folded: &str, kind: EntityKind) -> Option<String> {
    let (year, rest) = folded.split_once(' ')?;
    let treaty = rest
        .split(' ')
        .any(|w| matches!(w, "Convention" | "Protocol"));
    let is_year = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    (kind == EntityKind::Instrument && is_year && treaty).then(|| format!("{rest} of {year}"))
}

/// The patterns' triggers in the automaton; the patterns that have none (these run on
/// every paragraph).
fn pattern_triggers(patterns: &[PatternRule], texts: &mut Texts) -> Vec<usize> {
    let mut untriggered = Vec::new();
    for (i, rule) in patterns.iter().enumerate() {
        match &rule.triggers {
            Some(literals) => {
                for literal in literals {
                    texts.add_as(literal, Role::Trigger(i), CaseRule::Any);
                }
            }
            None => untriggered.push(i),
        }
    }
    untriggered
}

/// The head nouns of names to mint (`cg:nameHead`), lower case (the automaton holds
/// them as printed, checked by their capitals). A head
/// counts where its capitals are printed (a name's words are): "statement", "standards"
/// or "agreement" in running text would send every paragraph through minting.
fn name_heads(vocab: &Vocabulary, texts: &mut Texts) -> Vec<(EntityKind, String)> {
    let heads: Vec<(EntityKind, String)> = vocab
        .name_heads
        .iter()
        .map(|(k, h)| (*k, fold(h).to_lowercase()))
        .collect();
    for (i, (_, h)) in vocab.name_heads.iter().enumerate() {
        texts.add_as(&fold(h), Role::Head(i), CaseRule::Capitals);
    }
    heads
}

/// The anaphor rules' phrases in the automaton; each rule's antecedent class, the
/// property it may be reached by, and how it resolves.
fn anaphor_phrases(
    vocab: &Vocabulary,
    texts: &mut Texts,
) -> Vec<(String, Option<String>, Resolution)> {
    let mut anaphors = Vec::new();
    for (r, rule) in vocab.anaphors.iter().enumerate() {
        for phrase in &rule.phrases {
            texts.add_as(&fold(phrase), Role::Anaphor(r), CaseRule::Capitals);
        }
        anaphors.push((
            rule.antecedent_class.clone(),
            rule.via.clone(),
            rule.resolution,
        ));
    }
    anaphors
}

/// Each entity's links to other entities (`cg:conferenceOfParties` ...), by index.
fn links_of(vocab: &Vocabulary) -> Vec<HashMap<String, Vec<usize>>> {
    vocab
        .entities
        .iter()
        .map(|e| {
            e.links
                .iter()
                .map(|(k, v)| {
                    let targets = v.iter().filter_map(|t| vocab.index_of(t)).collect();
                    (k.clone(), targets)
                })
                .collect()
        })
        .collect()
}
