//! Values set in a parsed query's algebra: a `VALUES` table's rows, a `LIMIT`/`OFFSET`.
//! How a query parsed once runs with a request's values (and how the remote store
//! asks its questions) without any query text built from them: each value stays an
//! RDF term, written by the serializer.

use spargebra::algebra::GraphPattern;
use spargebra::term::{GroundTerm, Variable};
use spargebra::Query;

/// The pattern a query's form wraps.
pub fn pattern_mut(query: &mut Query) -> &mut GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// The patterns directly under `pattern`.
fn children_mut(pattern: &mut GraphPattern) -> Vec<&mut GraphPattern> {
    match pattern {
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => vec![left, right],
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Service { inner, .. } => vec![inner],
        GraphPattern::Values { .. } | GraphPattern::Bgp { .. } | GraphPattern::Path { .. } => {
            Vec::new()
        }
    }
}

/// Sets every one-column `VALUES ?var` table under `pattern` to `rows` (one term
/// each); false when there is none.
pub fn set_values(pattern: &mut GraphPattern, var: &Variable, rows: &[GroundTerm]) -> bool {
    if let GraphPattern::Values {
        variables,
        bindings,
    } = pattern
    {
        let ours = variables.as_slice() == std::slice::from_ref(var);
        if ours {
            *bindings = rows.iter().map(|t| vec![Some(t.clone())]).collect();
        }
        return ours;
    }
    // Every table, not the first: a query may name the value in two branches.
    let mut found = false;
    for child in children_mut(pattern) {
        found |= set_values(child, var, rows);
    }
    found
}

/// Cuts `pattern`'s answer to `length` rows from `start`: a `LIMIT`/`OFFSET` (`Slice`)
/// around it.
pub fn wrap_slice(pattern: &mut GraphPattern, start: usize, length: usize) {
    let inner = std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *pattern = GraphPattern::Slice {
        inner: Box::new(inner),
        start,
        length: Some(length),
    };
}

/// Moves the first `LIMIT`/`OFFSET` (`Slice`) under `pattern` to `start`, `length`;
/// false when there is none.
pub fn set_slice(pattern: &mut GraphPattern, new_start: usize, new_length: usize) -> bool {
    if let GraphPattern::Slice { start, length, .. } = pattern {
        *start = new_start;
        *length = Some(new_length);
        return true;
    }
    children_mut(pattern)
        .into_iter()
        .any(|child| set_slice(child, new_start, new_length))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    #[test]
    fn values_and_slice_are_set_in_the_algebra() {
        let mut q = SparqlParser::new()
            .parse_query(
                "SELECT ?o WHERE { { VALUES ?s { <http://a> } ?s ?p ?o } UNION \
                 { VALUES ?s { <http://a> } ?o ?p ?s } } LIMIT 3",
            )
            .unwrap();
        let rows = [
            GroundTerm::NamedNode(spargebra::term::NamedNode::new_unchecked("http://b")),
            GroundTerm::NamedNode(spargebra::term::NamedNode::new_unchecked("http://c")),
        ];
        assert!(set_values(
            pattern_mut(&mut q),
            &Variable::new_unchecked("s"),
            &rows
        ));
        assert!(set_slice(pattern_mut(&mut q), 10, 5));
        assert!(!set_values(
            pattern_mut(&mut q),
            &Variable::new_unchecked("x"),
            &rows
        ));
        let text = q.to_string();
        assert_eq!(text.matches("<http://b>").count(), 2, "{text}");
        assert_eq!(text.matches("<http://c>").count(), 2, "{text}");
        assert!(
            text.contains("LIMIT 5") && text.contains("OFFSET 10"),
            "{text}"
        );
        assert!(!text.contains("http://a"), "{text}");
    }
}
