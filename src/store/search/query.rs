//! One search of the paragraphs: the words (tantivy's query language: words, "phrases",
//! a prefix with `*`, AND/OR/NOT, `-word`), narrowed by facets from the graph, ranked
//! by relevance (BM25), with snippets and counts per facet.

use super::{Fields, ParagraphDoc, SearchError};
use crate::map::IriBase;
use serde::Serialize;
use std::collections::HashMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, QueryParser, RegexQuery,
    TermQuery,
};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Searcher, TantivyDocument, Term};

/// The longest search text read: a search is words, not a program.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// The deepest nesting of parentheses read (tantivy's parser recurses on each).
const MAX_DEPTH: usize = 16;
/// Values a facet lists, most frequent first.
const FACET_SIZE: usize = 10;
/// The best hits whose facet values are counted: all of them up to this many (the
/// answer says how many were counted), so that a facet costs the same for a rare word
/// and for one in every paragraph.
pub const FACET_SAMPLE: usize = 5_000;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 240;

/// What a search can be narrowed by: what the paragraph names (State, organization,
/// instrument, crime type), who spoke in its report, and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    State,
    Org,
    Instrument,
    Crime,
    Speaker,
    Meeting,
    Congress,
    Region,
    Year,
}

/// A facet's value in a row.
pub(super) enum FacetValue<'a> {
    Text(&'a str),
    Number(u64),
}

impl Facet {
    pub const ALL: [Facet; 9] = [
        Facet::State,
        Facet::Org,
        Facet::Instrument,
        Facet::Crime,
        Facet::Speaker,
        Facet::Meeting,
        Facet::Congress,
        Facet::Region,
        Facet::Year,
    ];

    /// Its field in the index, and its parameter in `/api/paragraphs`.
    pub fn name(self) -> &'static str {
        match self {
            Facet::State => "state",
            Facet::Org => "org",
            Facet::Instrument => "instrument",
            Facet::Crime => "crime",
            Facet::Speaker => "speaker",
            Facet::Meeting => "meeting",
            Facet::Congress => "congress",
            Facet::Region => "region",
            Facet::Year => "year",
        }
    }

    pub fn named(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    pub(super) fn is_number(self) -> bool {
        matches!(self, Facet::Congress | Facet::Year)
    }

    /// Whether its values are entities (id paths such as `state/EGY`).
    pub fn is_entity(self) -> bool {
        matches!(
            self,
            Facet::State
                | Facet::Org
                | Facet::Instrument
                | Facet::Crime
                | Facet::Speaker
                | Facet::Meeting
        )
    }

    /// The segment of the entity IRIs a paragraph's mentions give this facet.
    fn mention_segment(self) -> Option<&'static str> {
        match self {
            Facet::State => Some("state/"),
            Facet::Org => Some("org/"),
            Facet::Instrument => Some("instrument/"),
            Facet::Crime => Some("crime/"),
            _ => None,
        }
    }

    pub(super) fn values_of<'a>(
        self,
        p: &'a ParagraphDoc,
        base: &'a IriBase,
    ) -> Vec<FacetValue<'a>> {
        if let Some(segment) = self.mention_segment() {
            return p
                .mentions
                .iter()
                .filter(|m| m.starts_with(segment))
                .map(|m| FacetValue::Text(m))
                .collect();
        }
        match self {
            Facet::Speaker => p.speakers.iter().map(|s| FacetValue::Text(s)).collect(),
            Facet::Meeting => p
                .meeting
                .as_deref()
                .and_then(|m| base.path_of(m))
                .map(FacetValue::Text)
                .into_iter()
                .collect(),
            Facet::Congress => p.congress.map(FacetValue::Number).into_iter().collect(),
            Facet::Region => p
                .region
                .as_deref()
                .map(FacetValue::Text)
                .into_iter()
                .collect(),
            Facet::Year => p.year.map(FacetValue::Number).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The indexed value a request's value names: `EGY` or `state/EGY` or the IRI for
    /// a State; `EGY` or `org/unodc` for a speaker; a number for Congress and year.
    pub fn indexed_value(self, raw: &str, base: &IriBase) -> Result<String, String> {
        let raw = raw.trim();
        let raw = base.path_of(raw).unwrap_or(raw);
        if self.is_number() {
            return raw
                .parse::<u64>()
                .map(|n| n.to_string())
                .map_err(|_| format!("{} must be a number, not {raw:?}", self.name()));
        }
        let segment = match self {
            Facet::Meeting => Some("meeting/"),
            Facet::Speaker if raw.contains('/') => None,
            Facet::Speaker if raw.len() == 3 && raw.chars().all(|c| c.is_ascii_uppercase()) => {
                Some("state/")
            }
            Facet::Speaker => Some("org/"),
            other => other.mention_segment(),
        };
        Ok(match segment {
            Some(s) if !raw.starts_with(s) => format!("{s}{raw}"),
            _ => raw.to_string(),
        })
    }
}

/// One search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The words; empty: every paragraph the filters leave.
    pub query: String,
    /// Facet values every hit must have (already `Facet::indexed_value`).
    pub filters: Vec<(Facet, String)>,
    pub offset: usize,
    pub limit: usize,
    /// Whether to count hits per facet value.
    pub facets: bool,
}

/// One paragraph found.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub paragraph: String,
    pub report: String,
    pub number: String,
    pub score: f32,
    /// The best passage, with the matching words in `<b>` (HTML-escaped).
    pub snippet_html: String,
    /// The same passage as plain text.
    pub snippet: String,
    /// What the paragraph names (id paths), and where it stands.
    pub entities: Vec<String>,
    pub meeting: Option<String>,
    pub congress: Option<u64>,
    pub region: Option<String>,
    pub year: Option<u64>,
}

/// How many hits have a facet value.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub facet: Facet,
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchAnswer {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetCount>,
    /// The hits the facets counted: `total`, or the best [`FACET_SAMPLE`] of them.
    pub facets_counted: usize,
}

/// Runs `request` on `searcher`: one pass ranks the hits and counts them; the facets
/// count the values of the best [`FACET_SAMPLE`] hits (all of them in most searches),
/// so that a word found in a million paragraphs costs what a page of it shows.
pub(super) fn run(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    base: &IriBase,
    request: &SearchRequest,
) -> Result<SearchAnswer, SearchError> {
    let words = Words { index, fields }.query(&request.query)?;
    let query = narrowed(fields, words.box_clone(), &request.filters)?;
    let limit = request.limit.max(1);
    let ranked = if request.facets {
        FACET_SAMPLE.max(request.offset + limit)
    } else {
        request.offset + limit
    };
    let (best, total) = searcher.search(&query, &(TopDocs::with_limit(ranked), Count))?;
    let (facets, facets_counted) = if request.facets {
        let sample = &best[..best.len().min(FACET_SAMPLE)];
        (facet_counts(searcher, sample)?, sample.len())
    } else {
        (Vec::new(), 0)
    };
    let mut snippets = SnippetGenerator::create(searcher, &*words, fields.text)?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut out = Vec::with_capacity(limit);
    for (score, address) in best.into_iter().skip(request.offset).take(limit) {
        let doc: TantivyDocument = searcher.doc(address)?;
        out.push(hit(fields, &doc, score, &snippets, base));
    }
    Ok(SearchAnswer {
        total,
        hits: out,
        facets,
        facets_counted,
    })
}

/// The words of a search as a query on the text.
struct Words<'a> {
    index: &'a Index,
    fields: &'a Fields,
}

impl Words<'_> {
    fn query(&self, text: &str) -> Result<Box<dyn Query>, SearchError> {
        let bad = |reason: String| SearchError::Query {
            query: text.chars().take(80).collect(),
            reason,
        };
        if text.trim().is_empty() {
            return Ok(Box::new(AllQuery));
        }
        check_shape(text).map_err(bad)?;
        let ast = query_grammar::parse_query(&quoted_prefixes(text))
            .map_err(|_| bad("it does not parse (unbalanced quotes or parentheses?)".into()))?;
        self.build(ast).map_err(bad)
    }

    fn build(&self, ast: UserInputAst) -> Result<Box<dyn Query>, String> {
        match ast {
            UserInputAst::Clause(items) => {
                let mut clauses = Vec::with_capacity(items.len() + 1);
                for (occur, sub) in items {
                    clauses.push((occur_of(occur), self.build(sub)?));
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
            UserInputAst::Boost(sub, boost) => {
                Ok(Box::new(BoostQuery::new(self.build(*sub)?, boost as f32)))
            }
            UserInputAst::Leaf(leaf) => self.leaf(*leaf),
        }
    }

    fn leaf(&self, leaf: UserInputLeaf) -> Result<Box<dyn Query>, String> {
        match leaf {
            UserInputLeaf::Literal(l) if l.field_name.is_some() => Err(format!(
                "{:?}: narrow a search with the facets (state=, crime=, ...), not field:value",
                l.phrase
            )),
            UserInputLeaf::Literal(l) if l.prefix && !l.phrase.contains(char::is_whitespace) => {
                self.prefix(&l)
            }
            UserInputLeaf::Literal(_) | UserInputLeaf::All => {
                let parser = QueryParser::for_index(self.index, vec![self.fields.text]);
                parser
                    .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf)))
                    .map_err(|e| e.to_string())
            }
            _ => Err("ranges, sets and field tests are not part of a text search".into()),
        }
    }

    /// `word*`: every indexed word that begins as the word does. The text is stemmed,
    /// so the prefix is what the word and its stem share (`trafficking*` looks for
    /// `traffick…`, which `traffickers` and `trafficking` are indexed as).
    fn prefix(&self, literal: &UserInputLiteral) -> Result<Box<dyn Query>, String> {
        let lower = literal.phrase.to_lowercase();
        let mut analyzer = self
            .index
            .tokenizer_for_field(self.fields.text)
            .map_err(|e| e.to_string())?;
        let mut stem = None;
        analyzer.token_stream(&lower).process(&mut |t| {
            stem.get_or_insert_with(|| t.text.clone());
        });
        let stem = stem.unwrap_or_default();
        let shared: String = lower
            .chars()
            .zip(stem.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect();
        if shared.chars().count() < 2 {
            return Err(format!(
                "{:?}*: a prefix needs two letters or more",
                literal.phrase
            ));
        }
        let pattern = format!("{}.*", regex_syntax::escape(&shared));
        RegexQuery::from_pattern(&pattern, self.fields.text)
            .map(|q| Box::new(q) as Box<dyn Query>)
            .map_err(|e| e.to_string())
    }
}

/// `word*` as tantivy's grammar reads a prefix (`"word"*`): unquoted, it reads the word,
/// then `*` as "every paragraph".
fn quoted_prefixes(text: &str) -> String {
    static PREFIX: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"([\p{L}\p{N}][\p{L}\p{N}_-]*)\*").expect("a fixed pattern")
    });
    text.split('"')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                PREFIX.replace_all(part, "\"$1\"*").into_owned()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\"")
}

/// Refuses what no person types: a search too long, or nested too deep for the
/// parser's recursion.
fn check_shape(text: &str) -> Result<(), String> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("a search has at most {MAX_QUERY_CHARS} characters"));
    }
    let (mut depth, mut deepest, mut quoted) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_DEPTH {
        return Err(format!("parentheses nest at most {MAX_DEPTH} deep"));
    }
    Ok(())
}

fn occur_of(occur: Option<query_grammar::Occur>) -> Occur {
    match occur {
        Some(query_grammar::Occur::Should) => Occur::Should,
        Some(query_grammar::Occur::MustNot) => Occur::MustNot,
        // Words without an operator must all be there, as in a web search.
        Some(query_grammar::Occur::Must) | None => Occur::Must,
    }
}

/// The words' query with every filter required (filters do not change the ranking).
fn narrowed(
    fields: &Fields,
    words: Box<dyn Query>,
    filters: &[(Facet, String)],
) -> Result<BooleanQuery, SearchError> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words)];
    for (facet, value) in filters {
        let field = fields.facet(*facet);
        let term = if facet.is_number() {
            let n = value.parse::<u64>().map_err(|_| SearchError::Query {
                query: value.clone(),
                reason: format!("{} must be a number", facet.name()),
            })?;
            Term::from_field_u64(field, n)
        } else {
            Term::from_field_text(field, value)
        };
        let filter = TermQuery::new(term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
        ));
    }
    Ok(BooleanQuery::new(clauses))
}

/// The most frequent values of each facet among `hits`, read from the fast fields of
/// their segments.
fn facet_counts(
    searcher: &Searcher,
    hits: &[(f32, DocAddress)],
) -> Result<Vec<FacetCount>, SearchError> {
    let mut tally: HashMap<(Facet, String), u64> = HashMap::new();
    let mut sorted = hits.to_vec();
    sorted.sort_by_key(|(_, a)| (a.segment_ord, a.doc_id));
    let mut term = String::new();
    for chunk in sorted.chunk_by(|a, b| a.1.segment_ord == b.1.segment_ord) {
        let fast = searcher
            .segment_reader(chunk[0].1.segment_ord)
            .fast_fields();
        for facet in Facet::ALL {
            if facet.is_number() {
                let column = fast.u64(facet.name())?;
                for (_, a) in chunk {
                    for n in column.values_for_doc(a.doc_id) {
                        *tally.entry((facet, n.to_string())).or_default() += 1;
                    }
                }
                continue;
            }
            let Some(column) = fast.str(facet.name())? else {
                continue;
            };
            let mut per_ord: HashMap<u64, u64> = HashMap::new();
            for (_, a) in chunk {
                for ord in column.term_ords(a.doc_id) {
                    *per_ord.entry(ord).or_default() += 1;
                }
            }
            for (ord, n) in per_ord {
                term.clear();
                if column
                    .ord_to_str(ord, &mut term)
                    .map_err(tantivy::TantivyError::from)?
                {
                    *tally.entry((facet, term.clone())).or_default() += n;
                }
            }
        }
    }
    Ok(most_frequent(tally))
}

/// Each facet's [`FACET_SIZE`] most frequent values, in facet order, then by count
/// (ties by value, so that an answer does not change between runs).
fn most_frequent(tally: HashMap<(Facet, String), u64>) -> Vec<FacetCount> {
    let mut counts: Vec<FacetCount> = tally
        .into_iter()
        .map(|((facet, value), count)| FacetCount {
            facet,
            value,
            count,
        })
        .collect();
    let rank = |f: Facet| Facet::ALL.iter().position(|x| *x == f);
    counts.sort_by(|a, b| {
        (rank(a.facet), std::cmp::Reverse(a.count), &a.value).cmp(&(
            rank(b.facet),
            std::cmp::Reverse(b.count),
            &b.value,
        ))
    });
    let mut out = Vec::with_capacity(counts.len());
    let mut shown = 0;
    let mut current = None;
    for c in counts {
        if current != Some(c.facet) {
            current = Some(c.facet);
            shown = 0;
        }
        if shown < FACET_SIZE {
            shown += 1;
            out.push(c);
        }
    }
    out
}

fn hit(
    fields: &Fields,
    doc: &TantivyDocument,
    score: f32,
    snippets: &SnippetGenerator,
    base: &IriBase,
) -> Hit {
    let text = |f: Field| {
        doc.get_first(f)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let facet = |f: Facet| fields.facet(f);
    let all = |f: Facet| -> Vec<String> {
        doc.get_all(facet(f))
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let number = |f: Facet| doc.get_first(facet(f)).and_then(|v| v.as_u64());
    let snippet = snippets.snippet_from_doc(doc);
    let mut entities = Vec::new();
    for f in [Facet::State, Facet::Org, Facet::Instrument, Facet::Crime] {
        entities.extend(all(f));
    }
    Hit {
        paragraph: text(fields.paragraph),
        report: text(fields.report),
        number: text(fields.number),
        score,
        snippet_html: snippet.to_html(),
        snippet: snippet.fragment().to_string(),
        entities,
        meeting: all(Facet::Meeting)
            .into_iter()
            .next()
            .map(|m| base.id(&m).into_string()),
        congress: number(Facet::Congress),
        region: all(Facet::Region).into_iter().next(),
        year: number(Facet::Year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_quoted_outside_phrases_only() {
        assert_eq!(quoted_prefixes("crypto*"), "\"crypto\"*");
        assert_eq!(quoted_prefixes("a crypto* -b"), "a \"crypto\"* -b");
        assert_eq!(
            quoted_prefixes("\"big bad wo\"* x*"),
            "\"big bad wo\"* \"x\"*"
        );
        assert_eq!(quoted_prefixes("\"a*b\""), "\"a*b\"");
    }

    #[test]
    fn shapes_no_person_types_are_refused() {
        assert!(check_shape(&"(".repeat(17)).is_err());
        assert!(check_shape(&"(".repeat(16)).is_ok());
        assert!(check_shape("\"((((((((((((((((((\"").is_ok());
        assert!(check_shape(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn request_values_name_indexed_values() {
        let base = IriBase::default();
        assert_eq!(
            Facet::State.indexed_value("EGY", &base).unwrap(),
            "state/EGY"
        );
        assert_eq!(
            Facet::Speaker.indexed_value("EGY", &base).unwrap(),
            "state/EGY"
        );
        assert_eq!(
            Facet::Speaker.indexed_value("org/unodc", &base).unwrap(),
            "org/unodc"
        );
        assert_eq!(
            Facet::Speaker.indexed_value("unodc", &base).unwrap(),
            "org/unodc"
        );
        assert_eq!(
            Facet::Crime
                .indexed_value("https://w3id.org/crimegraph/id/crime/cybercrime", &base)
                .unwrap(),
            "crime/cybercrime"
        );
        assert_eq!(
            Facet::Meeting.indexed_value("congress-14", &base).unwrap(),
            "meeting/congress-14"
        );
        assert!(Facet::Congress.indexed_value("fifteen", &base).is_err());
    }
}
