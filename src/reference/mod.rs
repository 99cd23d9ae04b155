//! `ontology/*.ttl` -> the [`Vocabulary`]: every State, organization, instrument, crime
//! type, place and anaphor rule, with all their names.
//!
//! This is the one source of truth: the extractors are built from it and the same
//! triples are stored in the reference graph. The Turtle is parsed with `oxttl` (the
//! maintained successor of `rio_turtle`, by the authors of Oxigraph).

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxttl::TurtleParser;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Namespace of the crimegraph ontology.
pub const CG: &str = "https://w3id.org/crimegraph/ontology#";
/// The default base of minted IRIs.
pub const ID: &str = "https://w3id.org/crimegraph/id/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";

/// The project's own classes and properties (`ontology/crimegraph.ttl`), built in.
pub const SCHEMA_TTL: &str = include_str!("../../ontology/crimegraph.ttl");

/// The ontology files built into the binary, so that it runs from any folder; a folder
/// given with `--ontology` replaces them.
const BUILT_IN: &[(&str, &str)] = &[
    ("crimegraph.ttl", SCHEMA_TTL),
    ("states.ttl", include_str!("../../ontology/states.ttl")),
    ("places.ttl", include_str!("../../ontology/places.ttl")),
    (
        "organizations.ttl",
        include_str!("../../ontology/organizations.ttl"),
    ),
    (
        "instruments.ttl",
        include_str!("../../ontology/instruments.ttl"),
    ),
    (
        "crime-types.ttl",
        include_str!("../../ontology/crime-types.ttl"),
    ),
    ("regions.ttl", include_str!("../../ontology/regions.ttl")),
];

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: {source}")]
    Turtle {
        file: String,
        source: oxttl::TurtleSyntaxError,
    },
    #[error("{file}: {entity} has no rdfs:label")]
    NoLabel { file: String, entity: String },
    #[error("no .ttl files in {0}")]
    NoFiles(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    State,
    Organization,
    Instrument,
    CrimeType,
}

impl EntityKind {
    /// The segment of the entity IRIs of this kind (`id:state/FRA`).
    pub fn segment(self) -> &'static str {
        match self {
            EntityKind::State => "state",
            EntityKind::Organization => "org",
            EntityKind::Instrument => "instrument",
            EntityKind::CrimeType => "crime",
        }
    }

    fn from_class(iri: &str) -> Option<Self> {
        Some(match iri.strip_prefix(CG)? {
            "State" => EntityKind::State,
            "Organization" => EntityKind::Organization,
            "Instrument" | "Convention" => EntityKind::Instrument,
            "CrimeType" => EntityKind::CrimeType,
            _ => return None,
        })
    }
}

/// How a name relates to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// `rdfs:label`
    Label,
    /// `skos:altLabel`, `cg:shortName`
    Alias,
    /// `skos:hiddenLabel`: a phrasing, not a name to show.
    Hidden,
    /// `cg:acronym`: matched exactly.
    Acronym,
}

#[derive(Debug, Clone)]
pub struct Name {
    pub text: String,
    pub kind: NameKind,
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub iri: String,
    pub kind: EntityKind,
    pub label: String,
    pub names: Vec<Name>,
    /// `cg:pattern` regular expressions.
    pub patterns: Vec<String>,
    /// `cg:matchNames`: whether the extractors look for the names themselves.
    pub match_names: bool,
    /// Every `rdf:type`.
    pub classes: Vec<String>,
    /// Other IRI-valued properties (`cg:reviewMechanism`, ...), by property IRI.
    pub links: HashMap<String, Vec<String>>,
    /// `cg:resolutionKey`: of a body, the key prefix of the resolutions it adopts.
    pub resolution_key: Option<String>,
    /// `cg:firstSymbolSession`: of a body, the lowest first number of its resolutions'
    /// symbols by session or year ("31/..." of the General Assembly).
    pub first_symbol_session: Option<u32>,
}

impl Entity {
    /// The key of the IRI: `FRA`, `unodc`.
    pub fn key(&self) -> &str {
        self.iri.rsplit('/').next().unwrap_or(&self.iri)
    }
}

#[derive(Debug, Clone)]
pub struct Place {
    pub names: Vec<String>,
    pub state: String,
}

#[derive(Debug, Clone)]
pub struct AnaphorRule {
    pub iri: String,
    pub phrases: Vec<String>,
    pub antecedent_class: String,
    pub via: Option<String>,
    pub resolution: Resolution,
}

/// How an anaphor picks its antecedent (`cg:resolution`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The one antecedent of the sentence, else of the one before.
    Unique,
    /// The last antecedent before the anaphor.
    Nearest,
    /// Every antecedent before it (plural anaphors).
    All,
}

/// Everything the reference data says, indexed for the extractors.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub entities: Vec<Entity>,
    by_iri: HashMap<String, usize>,
    pub places: Vec<Place>,
    pub anaphors: Vec<AnaphorRule>,
    /// Regions: canonical label first, then the other forms.
    pub regions: Vec<Vec<String>>,
    /// Head nouns of minted names, by the kind they mint (`cg:nameHead`).
    pub name_heads: Vec<(EntityKind, String)>,
    /// Words that, before a State's name, make it a place's ("Gulf of", "Lake":
    /// `cg:placePrefix` on `cg:Place`).
    pub place_prefixes: Vec<String>,
    /// Lower-case words that, after a State's name, make it a place's ("the Congo
    /// basin": `cg:placeSuffix` on `cg:Place`).
    pub place_suffixes: Vec<String>,
    /// Committees a session sets up for itself (`cg:sessionalBody`): not organizations.
    pub sessional_bodies: Vec<String>,
    /// The titles of a session's officers (`cg:meetingOfficer`): no speakers to mint.
    pub meeting_officers: Vec<String>,
    /// Heads of bodies whose name may open with a State's (`cg:civilHead`).
    pub civil_heads: Vec<String>,
    /// Words that make a body's name more than one State's (`cg:scopeWord`).
    pub scope_words: Vec<String>,
    /// The last words of the names of buildings meetings are held in (`cg:venueHead`).
    pub venue_heads: Vec<String>,
    /// The titles of the officials of the Secretariat's offices (`cg:officialTitle`).
    pub official_titles: Vec<String>,
    /// Words that name a unit of an office (`cg:unitHead`).
    pub unit_heads: Vec<String>,
    /// The office that services the meetings of a class whose reports name no organ
    /// (`cg:Congress cg:secretariat org:unodc`): class IRI -> entity IRI.
    pub meeting_secretariats: HashMap<String, String>,
    /// Every triple of the ontology files, for the reference graph.
    pub triples: Vec<Triple>,
}

/// Every word of the built-in reference data (labels, patterns, notes), lower case, regex
/// escapes cut off: the reader's second dictionary for a word a document breaks at a
/// line end and never prints whole ("manu-" / "facture" for the "illicit manufacture of
/// ..." of the Firearms Protocol). Split at every non-letter, so a compound the data
/// writes with a hyphen ("cross-border") gives its parts, never the joined word.
pub fn built_in_words() -> &'static HashSet<String> {
    static WORDS: std::sync::LazyLock<HashSet<String>> = std::sync::LazyLock::new(|| {
        BUILT_IN
            .iter()
            .flat_map(|(_, text)| text.split(|c: char| !c.is_alphabetic() && c != '\\'))
            .map(|w| match w.rsplit_once('\\') {
                // "\\bfund" of a pattern: the escape's letter is not the word's.
                Some((_, escaped)) => escaped.get(1..).unwrap_or(""),
                None => w,
            })
            .filter(|w| w.chars().count() > 2)
            .map(str::to_lowercase)
            .collect()
    });
    &WORDS
}

impl Vocabulary {
    /// The vocabulary built into the binary.
    pub fn built_in() -> Result<Self, ReferenceError> {
        Self::from_sources(BUILT_IN.iter().map(|(f, t)| (f.to_string(), t.to_string())))
    }

    /// Every `*.ttl` file of a folder.
    pub fn from_dir(dir: &Path) -> Result<Self, ReferenceError> {
        let io = |source| ReferenceError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(ReferenceError::NoFiles(dir.to_path_buf()));
        }
        let mut sources = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| ReferenceError::Io {
                path: path.clone(),
                source,
            })?;
            sources.push((path.display().to_string(), text));
        }
        Self::from_sources(sources)
    }

    fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ReferenceError> {
        let mut triples = Vec::new();
        let mut file_of: HashMap<String, String> = HashMap::new();
        for (file, text) in sources {
            for t in TurtleParser::new().for_slice(text.as_bytes()) {
                let t = t.map_err(|source| ReferenceError::Turtle {
                    file: file.clone(),
                    source,
                })?;
                if let NamedOrBlankNode::NamedNode(s) = &t.subject {
                    file_of
                        .entry(s.as_str().to_string())
                        .or_insert_with(|| file.clone());
                }
                triples.push(t);
            }
        }
        let mut props: HashMap<&str, Vec<(&str, &Term)>> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for t in &triples {
            if let NamedOrBlankNode::NamedNode(s) = &t.subject {
                let entry = props.entry(s.as_str()).or_insert_with(|| {
                    order.push(s.as_str());
                    Vec::new()
                });
                entry.push((t.predicate.as_str(), &t.object));
            }
        }
        let mut vocab = Vocabulary::default();
        for subject in order {
            let p = &props[subject];
            let classes: Vec<String> = p
                .iter()
                .filter(|(k, _)| *k == RDF_TYPE)
                .filter_map(|(_, o)| iri(o))
                .collect();
            let literals = |prop: &str| -> Vec<String> {
                p.iter()
                    .filter(|(k, _)| *k == prop)
                    .filter_map(|(_, o)| literal(o))
                    .collect()
            };
            let label = literals(RDFS_LABEL).into_iter().next();
            let cg = |local: &str| format!("{CG}{local}");
            if let Some(kind) = classes.iter().find_map(|c| EntityKind::from_class(c)) {
                let label = label.ok_or_else(|| ReferenceError::NoLabel {
                    file: file_of.get(subject).cloned().unwrap_or_default(),
                    entity: subject.to_string(),
                })?;
                let mut names = vec![Name {
                    text: label.clone(),
                    kind: NameKind::Label,
                }];
                for (prop, kind) in [
                    (format!("{SKOS}prefLabel"), NameKind::Label),
                    (format!("{SKOS}altLabel"), NameKind::Alias),
                    (cg("shortName"), NameKind::Alias),
                    (format!("{SKOS}hiddenLabel"), NameKind::Hidden),
                    (cg("acronym"), NameKind::Acronym),
                ] {
                    names.extend(literals(&prop).into_iter().map(|text| Name { text, kind }));
                }
                let mut links: HashMap<String, Vec<String>> = HashMap::new();
                for (k, o) in p {
                    if *k != RDF_TYPE {
                        if let Some(target) = iri(o) {
                            links.entry(k.to_string()).or_default().push(target);
                        }
                    }
                }
                vocab
                    .by_iri
                    .insert(subject.to_string(), vocab.entities.len());
                vocab.entities.push(Entity {
                    iri: subject.to_string(),
                    kind,
                    label,
                    names,
                    patterns: literals(&cg("pattern"))
                        .into_iter()
                        .chain(goods_patterns(
                            &literals(&cg("tradedGood")),
                            &literals(&cg("extractedGood")),
                        ))
                        .collect(),
                    match_names: literals(&cg("matchNames"))
                        .first()
                        .is_none_or(|v| v != "false"),
                    classes,
                    links,
                    resolution_key: literals(&cg("resolutionKey")).into_iter().next(),
                    first_symbol_session: literals(&cg("firstSymbolSession"))
                        .first()
                        .and_then(|v| v.parse().ok()),
                });
            } else if classes.contains(&cg("Place")) {
                let mut names: Vec<String> = label.into_iter().collect();
                names.extend(literals(&format!("{SKOS}altLabel")));
                let state = p
                    .iter()
                    .find(|(k, _)| *k == cg("inState"))
                    .and_then(|(_, o)| iri(o));
                if let Some(state) = state {
                    vocab.places.push(Place { names, state });
                }
            } else if classes.contains(&cg("Region")) {
                let mut names: Vec<String> = label.into_iter().collect();
                names.extend(literals(&format!("{SKOS}altLabel")));
                vocab.regions.push(names);
            } else if classes.contains(&cg("AnaphorRule")) {
                let find =
                    |prop: String| p.iter().find(|(k, _)| *k == prop).and_then(|(_, o)| iri(o));
                if let Some(antecedent_class) = find(cg("antecedentClass")) {
                    vocab.anaphors.push(AnaphorRule {
                        iri: subject.to_string(),
                        phrases: literals(&cg("phrase")),
                        antecedent_class,
                        via: find(cg("via")),
                        resolution: match literals(&cg("resolution")).first().map(String::as_str) {
                            Some("nearest") => Resolution::Nearest,
                            Some("all") => Resolution::All,
                            _ => Resolution::Unique,
                        },
                    });
                }
            }
        }
        for (subject, p) in &props {
            // The literals a class carries under `prop` (its place prefixes, its
            // sessional bodies).
            let of_class = |class: &str, prop: &str| -> Vec<String> {
                if *subject != cg_iri(class) {
                    return Vec::new();
                }
                p.iter()
                    .filter(|(k, _)| *k == cg_iri(prop))
                    .filter_map(|(_, o)| literal(o))
                    .collect()
            };
            vocab
                .place_prefixes
                .extend(of_class("Place", "placePrefix"));
            vocab
                .place_suffixes
                .extend(of_class("Place", "placeSuffix"));
            vocab
                .sessional_bodies
                .extend(of_class("Organization", "sessionalBody"));
            vocab
                .meeting_officers
                .extend(of_class("Organization", "meetingOfficer"));
            vocab
                .civil_heads
                .extend(of_class("Organization", "civilHead"));
            vocab
                .scope_words
                .extend(of_class("Organization", "scopeWord"));
            vocab.venue_heads.extend(of_class("Place", "venueHead"));
            vocab
                .official_titles
                .extend(of_class("Office", "officialTitle"));
            vocab.unit_heads.extend(of_class("Office", "unitHead"));
            if subject.starts_with(CG) {
                let secretariat = p.iter().find(|(k, _)| *k == cg_iri("secretariat"));
                if let Some((_, Term::NamedNode(office))) = secretariat {
                    vocab
                        .meeting_secretariats
                        .insert(subject.to_string(), office.as_str().to_string());
                }
            }
            if let Some(kind) = EntityKind::from_class(subject) {
                for (k, o) in p {
                    if *k == cg_iri("nameHead") {
                        if let Some(head) = literal(o) {
                            vocab.name_heads.push((kind, head));
                        }
                    }
                }
            }
        }
        vocab.name_heads.sort();
        vocab.place_prefixes.sort();
        vocab.triples = triples;
        derive_names(&mut vocab);
        Ok(vocab)
    }

    pub fn get(&self, iri: &str) -> Option<&Entity> {
        self.by_iri.get(iri).map(|&i| &self.entities[i])
    }

    pub fn index_of(&self, iri: &str) -> Option<usize> {
        self.by_iri.get(iri).copied()
    }

    /// The State a printed name names, by any of its names ("the United States").
    pub fn state_named(&self, printed: &str) -> Option<&Entity> {
        let wanted = fold_name(
            printed
                .trim()
                .trim_start_matches("the ")
                .trim_start_matches("The "),
        );
        self.entities
            .iter()
            .filter(|e| e.kind == EntityKind::State)
            .find(|e| e.names.iter().any(|n| fold_name(&n.text) == wanted))
    }

    /// The canonical form of a region as printed ("African" -> "Africa").
    pub fn region_named(&self, printed: &str) -> Option<&str> {
        let wanted = fold_name(printed);
        self.regions
            .iter()
            .find(|names| names.iter().any(|n| fold_name(n) == wanted))
            .map(|names| names[0].as_str())
    }

    /// The State a city lies in.
    pub fn state_of_place(&self, city: &str) -> Option<&Entity> {
        let wanted = fold_name(city);
        let place = self
            .places
            .iter()
            .find(|p| p.names.iter().any(|n| fold_name(n) == wanted))?;
        self.get(&place.state)
    }
}

/// Names UN documents print that follow from the listed ones by class, added as hidden
/// names (`NameKind::Hidden`) so that the reference data need not list each:
///
/// - **the body last**: an instrument named after its body, "SADC Protocol against
///   Corruption", "Additional Protocol to the SAARC Regional Convention on Suppression
///   of Terrorism", is also printed with the body's name after the title: "Protocol
///   against Corruption of the Southern African Development Community";
/// - **the title to its first comma**: "ECOWAS Convention on Small Arms and Light
///   Weapons, Their Ammunition and Other Related Materials" is also printed as
///   "ECOWAS Convention on Small Arms and Light Weapons" (five words or more, ending on
///   a content word: "Protocol to Prevent, Suppress and Punish ..." gives nothing);
/// - **British spelling**: "-isation" for "-ization" and "Center" for "Centre", and back
///   ("Southern African Regional Police Chiefs Cooperation Organisation").
///
/// A derived name that another entity already has is dropped: it would be ambiguous.
fn derive_names(vocab: &mut Vocabulary) {
    let taken: HashSet<String> = vocab
        .entities
        .iter()
        .flat_map(|e| e.names.iter().map(|n| fold_name(&n.text)))
        .collect();
    // Every name in lower case, with its entity: a title cut at its comma must not be
    // the start of another's ("Code of Conduct concerning the Repression of Piracy").
    let lower: Vec<(usize, String)> = vocab
        .entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.names.iter().map(move |n| (i, n.text.to_lowercase())))
        .collect();
    let starts_another = |i: usize, head: &str| {
        let head = format!("{} ", head.to_lowercase());
        lower.iter().any(|(j, n)| *j != i && n.starts_with(&head))
    };
    // Each body's label and acronyms, longest first, as an instrument's name may start
    // with it ("SADC ") or hold it after "the" (" the SADC "); with the body's label.
    let mut bodies: Vec<Body> = vocab
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Organization)
        .flat_map(|e| {
            e.names
                .iter()
                .filter(|n| matches!(n.kind, NameKind::Label | NameKind::Acronym))
                .filter(|n| n.text.len() >= 3)
                .map(|n| Body {
                    first: format!("{} ", n.text),
                    inside: format!(" the {} ", n.text),
                    label: e.label.clone(),
                })
        })
        .collect();
    bodies.sort_by_key(|b| std::cmp::Reverse(b.first.len()));
    // What each entity's names give, then kept where one entity alone derives it: two
    // entities deriving the same text would make it ambiguous, as `taken` does.
    let mut derived: Vec<(usize, String)> = Vec::new();
    for (i, e) in vocab.entities.iter().enumerate() {
        for name in e.names.iter().filter(|n| n.kind != NameKind::Acronym) {
            let mut add = |text: Option<String>| derived.extend(text.map(|t| (i, t)));
            if e.kind == EntityKind::Instrument {
                add(body_last(&name.text, &bodies));
                add(title_to_comma(&name.text).filter(|h| !starts_another(i, h)));
            }
            if matches!(e.kind, EntityKind::Instrument | EntityKind::Organization) {
                add(other_spelling(&name.text));
            }
        }
    }
    let mut by_text: HashMap<String, HashSet<usize>> = HashMap::new();
    for (i, text) in &derived {
        by_text.entry(fold_name(text)).or_default().insert(*i);
    }
    let mut added: HashSet<(usize, String)> = HashSet::new();
    for (i, text) in derived {
        let folded = fold_name(&text);
        let alone = by_text[&folded].len() == 1;
        if alone && !taken.contains(&folded) && added.insert((i, folded)) {
            vocab.entities[i].names.push(Name {
                text,
                kind: NameKind::Hidden,
            });
        }
    }
}

/// A body's name as [`body_last`] looks for it in an instrument's name.
struct Body {
    /// "SADC ": starting the instrument's name.
    first: String,
    /// " the SADC ": inside it.
    inside: String,
    /// "Southern African Development Community": what the derived name ends with.
    label: String,
}

/// "SADC Protocol against Corruption" -> "Protocol against Corruption of the Southern
/// African Development Community"; the body's words at the start or after "the ".
fn body_last(name: &str, bodies: &[Body]) -> Option<String> {
    bodies.iter().find_map(|b| {
        let rest = match name.strip_prefix(b.first.as_str()) {
            Some(rest) => rest.to_string(),
            None => {
                let at = name.find(b.inside.as_str())?;
                format!("{} {}", &name[..at + 4], &name[at + b.inside.len()..])
            }
        };
        (rest.split(' ').count() >= 3).then(|| format!("{rest} of the {}", b.label))
    })
}

/// A title's words before its first comma, when they are a name of their own and what
/// follows the comma goes on listing, capitalised ("..., Their Ammunition and Other
/// Related Materials"), not qualifying ("Additional Protocol to the Convention on
/// Cybercrime, concerning ..." is one of two such protocols).
fn title_to_comma(name: &str) -> Option<String> {
    const ENDS: [&str; 8] = ["the", "of", "and", "in", "on", "for", "to", "against"];
    let comma = name.find(", ")?;
    if !name[comma + 2..].starts_with(char::is_uppercase) {
        return None;
    }
    let head = &name[..comma];
    let words: Vec<&str> = head.split(' ').collect();
    let last = words.last()?.to_lowercase();
    (words.len() >= 5 && !ENDS.contains(&last.as_str())).then(|| head.to_string())
}

/// The name in the other of British and American spelling: "-ization" and "-isation",
/// "Centre" and "Center" (the UNODC-INEGI "Center of Excellence" in Mexico's English).
fn other_spelling(name: &str) -> Option<String> {
    const PAIRS: [(&str, &str); 2] = [("ization", "isation"), ("Centre", "Center")];
    let mut out = name.to_string();
    for (a, b) in PAIRS {
        if out.contains(a) {
            out = out.replace(a, b);
        } else if out.contains(b) {
            out = out.replace(b, a);
        }
    }
    (out != name).then_some(out)
}

fn fold_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn iri(t: &Term) -> Option<String> {
    match t {
        Term::NamedNode(n) => Some(n.as_str().to_string()),
        _ => None,
    }
}

fn literal(t: &Term) -> Option<String> {
    match t {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }
}

fn cg_iri(local: &str) -> String {
    format!("{CG}{local}")
}

/// An IRI of the crimegraph ontology.
/// The patterns a crime type's goods make: its `cg:tradedGood`s named as traded,
/// trafficked or smuggled against the law ("illicit trade in antiquities", "trafficking
/// in pangolin scales", "trade in protected species of timber", "to smuggle firearms"), its
/// `cg:extractedGood`s named as extracted or exploited against the law ("illegal
/// extraction of sand", "the illegal harvesting of and trade in timber"; smuggled gold is
/// no illegal mining). The UN names these crimes by
/// their goods in many words: the goods are data, the forms of words are these two
/// patterns (trade in the goods alone, "the timber trade", is no crime). A good may come
/// after others in a list ("the illicit trade in timber and wildlife", "trafficking in
/// drugs, arms and wildlife"), each perhaps with the preposition again ("illicit
/// trafficking in forest products and in endangered species"): up to three items of one
/// or two words before it, in ASCII letters (English words of trade; a run of any
/// Unicode letters there made each pattern's DFA outgrow its limit, 8-12 MB, and the
/// slower lazy DFA ran instead at every "trafficking").
fn goods_patterns(traded: &[String], extracted: &[String]) -> Vec<String> {
    const AGAINST_THE_LAW: &str = r"(?:illicit|illegal|unlawful|criminal)(?:ly)?\s+";
    let traded_forms = format!(
        r"{AGAINST_THE_LAW}(?:trade|trading|trafficking|traffic|sale|smuggling|exports?)\s+(?:in|of)\s+(?:protected\s+species\s+of\s+)?|(?:trade|trafficking)\s+in\s+protected\s+species\s+of\s+|(?:trafficking|smuggling)\s+(?:in|of)\s+|(?:smuggl(?:e|es|ing)|traffick(?:s|ing))\s+"
    );
    let extracted_forms = format!(
        r"{AGAINST_THE_LAW}(?:exploitation|extraction|harvesting|felling|mining)\s+of\s+(?:and\s+(?:trade|trafficking)\s+in\s+)?"
    );
    [(traded, traded_forms), (extracted, extracted_forms)]
        .into_iter()
        .filter(|(goods, _)| !goods.is_empty())
        .map(|(goods, forms)| {
            let mut goods: Vec<String> = goods
                .iter()
                .map(|g| {
                    let words: Vec<String> = g.split_whitespace().map(regex::escape).collect();
                    words.join(r"\s+")
                })
                .collect();
            // The longest first, so that "pangolin scales" is read before "pangolins".
            goods.sort_by_key(|g| std::cmp::Reverse(g.len()));
            let before =
                r"(?:[a-z-]+(?:\s+[a-z-]+)?(?:,\s+|,?\s+(?:and|or)\s+)(?:(?:in|of)\s+)?){0,3}";
            // A quantity before the goods: "smuggling of small numbers of weapons".
            let quantity = r"(?:(?:small|large|great|significant)\s+)?(?:numbers|quantities|amounts|volumes|consignments|shipments)\s+of\s+";
            format!(
                r"\b(?:{forms}){before}(?:{quantity})?(?:live\s+)?(?:{})\b",
                goods.join("|")
            )
        })
        .collect()
}

pub fn cg(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{CG}{local}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference graph's triple count is kept as an aggregate from these triples:
    /// one stated twice (an entity written again in another file, say) would make it
    /// disagree with the store, which keeps each once.
    #[test]
    fn the_reference_data_states_each_triple_once() {
        let v = Vocabulary::built_in().unwrap();
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<String> = v
            .triples
            .iter()
            .filter(|t| !seen.insert(*t))
            .map(|t| t.to_string())
            .collect();
        assert!(twice.is_empty(), "stated twice: {twice:#?}");
    }

    #[test]
    fn built_in_vocabulary_is_complete() {
        let v = Vocabulary::built_in().unwrap();
        let count = |k| v.entities.iter().filter(|e| e.kind == k).count();
        // 193 Members, 2 observer States, 5 former Members (Serbia and Montenegro, the
        // Union of Soviet Socialist Republics, Czechoslovakia, Yugoslavia, the German
        // Democratic Republic).
        assert_eq!(count(EntityKind::State), 200);
        assert!(count(EntityKind::CrimeType) >= 28);
        assert!(count(EntityKind::Organization) >= 25);
        assert!(count(EntityKind::Instrument) >= 15);
        assert!(v.anaphors.len() >= 3);
        assert!(v.places.len() > 195);
    }

    #[test]
    fn states_and_places_by_printed_names() {
        let v = Vocabulary::built_in().unwrap();
        let key = |e: Option<&Entity>| e.map(|e| e.key().to_string());
        assert_eq!(key(v.state_named("the United States")), Some("USA".into()));
        assert_eq!(key(v.state_named("Turkey")), Some("TUR".into()));
        assert_eq!(
            key(v.state_named("Islamic Republic of Iran")),
            Some("IRN".into())
        );
        assert_eq!(key(v.state_of_place("Beirut")), Some("LBN".into()));
        assert_eq!(key(v.state_of_place("Kyoto")), Some("JPN".into()));
        assert!(v.state_named("Atlantis").is_none());
        assert_eq!(v.region_named("African"), Some("Africa"));
        assert_eq!(
            v.region_named("Asia and Pacific"),
            Some("Asia and the Pacific")
        );
        assert_eq!(
            v.region_named("Latin American and Caribbean"),
            Some("Latin America and the Caribbean")
        );
        assert!(v
            .name_heads
            .iter()
            .any(|(k, h)| *k == EntityKind::Organization && h == "Campaign"));
    }

    #[test]
    fn a_bad_file_is_named_with_its_line() {
        let err = Vocabulary::from_sources([(
            "bad.ttl".to_string(),
            "@prefix x: <http://x/> .\nx:a x:b .\nx:c x:d".to_string(),
        )])
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("bad.ttl:"), "{err}");
        assert!(err.contains('3') || err.contains("line"), "{err}");
    }
}
