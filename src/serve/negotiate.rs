//! Content negotiation, in one place: `Accept` with q-values against what a route can
//! give; a default when there is no `Accept`, 406 when nothing offered fits.

use super::ApiError;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What a response can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Results(QueryResultsFormat),
    Rdf(RdfFormat),
    Html,
    Json,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Results(f) => f.media_type(),
            Format::Rdf(f) => f.media_type(),
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

/// Every RDF format the server writes.
pub const RDF_FORMATS: [RdfFormat; 6] = [
    RdfFormat::Turtle,
    RdfFormat::NTriples,
    RdfFormat::NQuads,
    RdfFormat::TriG,
    RdfFormat::RdfXml,
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    },
];

pub const RESULT_FORMATS: [QueryResultsFormat; 4] = [
    QueryResultsFormat::Json,
    QueryResultsFormat::Xml,
    QueryResultsFormat::Csv,
    QueryResultsFormat::Tsv,
];

/// The format `offers[0]` unless `Accept` prefers another of `offers`.
///
/// As HTTP says (RFC 9110, 12.5.1): each offer takes the q-value of the most specific
/// range that matches it (`text/csv` before `text/*` before `*/*`), and q=0 means "not
/// acceptable", so `application/sparql-results+json;q=0, */*` is anything but JSON.
/// The highest q wins; among equals, the one the client listed first, then the
/// server's order.
pub fn negotiate(accept: Option<&str>, offers: &[Format]) -> Result<Format, ApiError> {
    let accept = accept.map(str::trim).filter(|a| !a.is_empty());
    let Some(accept) = accept else {
        return Ok(offers[0]);
    };
    let ranges = media_ranges(accept);
    let best = offers
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let (q, listed) = quality(*f, &ranges)?;
            (q > 0.0).then_some((q, listed, i))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    if let Some((_, _, i)) = best {
        return Ok(offers[i]);
    }
    Err(ApiError::NotAcceptable(format!(
        "cannot answer in any of {accept:?}; this resource is available as {}",
        offers
            .iter()
            .map(|f| f.media_type().split(';').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// The ranges of an `Accept`: (media range in lower case, q).
fn media_ranges(accept: &str) -> Vec<(String, f32)> {
    accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let media = it.next()?.trim().to_ascii_lowercase();
            let q = it
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty()).then_some((media, q))
        })
        .collect()
}

/// The q of `f` and the position of the range it comes from: the most specific range
/// that matches `f`, the first such; `None` when no range matches.
fn quality(f: Format, ranges: &[(String, f32)]) -> Option<(f32, usize)> {
    let specificity = |media: &str| {
        if media == "*/*" {
            Some(0)
        } else if let Some(prefix) = media.strip_suffix("/*") {
            f.media_type()
                .starts_with(&format!("{prefix}/"))
                .then_some(1)
        } else {
            matches(f, media).then_some(2)
        }
    };
    ranges
        .iter()
        .enumerate()
        .filter_map(|(i, (media, q))| Some((specificity(media)?, i, *q)))
        // The most specific; among equals, the first listed.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, i, q)| (q, i))
}

fn matches(f: Format, media: &str) -> bool {
    match f {
        Format::Results(r) => QueryResultsFormat::from_media_type(media) == Some(r),
        Format::Rdf(r) => {
            RdfFormat::from_media_type(media).is_some_and(|m| m.media_type() == r.media_type())
        }
        Format::Html => media == "text/html" || media == "application/xhtml+xml",
        Format::Json => media == "application/json",
    }
}

/// An RDF format from a file extension (`/id/state/FRA.ttl`).
pub fn rdf_format_of_extension(ext: &str) -> Option<RdfFormat> {
    RDF_FORMATS.into_iter().find(|f| {
        f.file_extension() == ext || (ext == "json" && matches!(f, RdfFormat::JsonLd { .. }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_values_order_and_fallbacks() {
        let offers = [
            Format::Rdf(RdfFormat::Turtle),
            Format::Rdf(RdfFormat::NTriples),
            Format::Html,
        ];
        assert_eq!(negotiate(None, &offers).unwrap(), offers[0]);
        assert_eq!(
            negotiate(Some("application/n-triples"), &offers).unwrap(),
            offers[1]
        );
        assert_eq!(
            negotiate(
                Some("text/turtle;q=0.5, application/n-triples;q=0.9"),
                &offers
            )
            .unwrap(),
            offers[1]
        );
        assert_eq!(
            negotiate(Some("text/html,application/xhtml+xml,*/*;q=0.8"), &offers).unwrap(),
            Format::Html
        );
        assert_eq!(
            negotiate(Some("image/png, */*;q=0.1"), &offers).unwrap(),
            offers[0]
        );
        assert!(matches!(
            negotiate(Some("image/png"), &offers),
            Err(ApiError::NotAcceptable(_))
        ));
        assert!(matches!(
            negotiate(Some("text/turtle;q=0"), &offers),
            Err(ApiError::NotAcceptable(_))
        ));
        // q=0 refuses a format even where a wildcard would take it.
        assert_eq!(
            negotiate(Some("text/turtle;q=0, */*"), &offers).unwrap(),
            offers[1]
        );
        assert_eq!(
            negotiate(Some("text/turtle;q=0, text/*;q=0.5, */*;q=0.1"), &offers).unwrap(),
            Format::Html
        );
        // A specific range outranks a wildcard listed before it with a higher q.
        assert_eq!(
            negotiate(Some("*/*, application/n-triples;q=0.2"), &offers).unwrap(),
            offers[0]
        );
        let results = [
            Format::Results(QueryResultsFormat::Json),
            Format::Results(QueryResultsFormat::Xml),
        ];
        assert_eq!(
            negotiate(Some("application/sparql-results+json;q=0, */*"), &results).unwrap(),
            results[1]
        );
    }
}
