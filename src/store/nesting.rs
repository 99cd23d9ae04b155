//! A bound on how deeply a SPARQL text nests, checked before it is parsed.
//!
//! Oxigraph's parser, optimizer and evaluator all recurse over the query's tree, one
//! stack frame (or several) per level: 3,000 nested braces in a 6 KB anonymous GET
//! overflowed a query thread's stack and aborted the whole process. The tree is deep
//! not only where brackets nest: the parser folds a chain (`a UNION b UNION c`,
//! `?x || ?y || ?z`, `1 + 1 + 1`, a property path `a/b/c`, `{ } { } { }`) into a
//! left-deep tree as deep as the chain is long, and dropping that tree recurses too.
//! So a text is refused before any parsing when its brackets nest deeper than
//! [`MAX_DEPTH`] or when it holds more than [`MAX_OPERATORS`] tokens that make a tree
//! level (operators and the keywords that join patterns). The threads that parse and
//! evaluate have a stack sized for those bounds ([`STACK_SIZE`]), and a test runs every
//! shape at the bound on such a thread.
//!
//! The scan is a lexer's skeleton, linear in the text: it skips comments, strings and
//! IRIs so that a `{` or `|` inside them counts for nothing, and it reads names whole so
//! that `cg:crime-type` is one name, not a subtraction.

/// The deepest bracket nesting (`{`, `(`, `[` together) a query or update may have.
/// Real queries stay under 20; the saved questions under 10.
pub const MAX_DEPTH: usize = 128;

/// The most tree-making tokens (operators, `{`, and `UNION`, `OPTIONAL`, `MINUS`,
/// `FILTER`, `BIND`, `GRAPH`, `SERVICE`, `VALUES`) a query or update may hold. A
/// hand-written query has tens; a generated one with a thousand alternatives in a
/// `FILTER` still passes (a long `VALUES` block or `IN ( … )` list counts nothing per
/// item).
pub const MAX_OPERATORS: usize = 2_000;

/// The stack of every thread that parses or evaluates a query or update: enough for
/// the deepest text the bounds above let through (tested by
/// `tests::every_shape_at_the_bound_runs_on_a_query_stack`), with room to spare.
/// Reserved, not committed: a thread touches only the pages its deepest query uses.
pub const STACK_SIZE: usize = 256 << 20;

/// Why a text was refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NestingError {
    #[error(
        "brackets nest {MAX_DEPTH} deep or more at character {at}: this server takes at most {MAX_DEPTH} levels of {{ ( [ in a query or update"
    )]
    TooDeep { at: usize },
    #[error(
        "more than {MAX_OPERATORS} operators and pattern keywords (UNION, OPTIONAL, ||, /, + …): this server takes at most {MAX_OPERATORS} in a query or update; use VALUES or IN ( … ) for long lists of alternatives"
    )]
    TooManyOperators,
}

/// The keywords that make a level of the algebra tree each time they appear.
const KEYWORDS: [&str; 8] = [
    "union", "optional", "minus", "filter", "bind", "graph", "service", "values",
];

/// Checks `text` against [`MAX_DEPTH`] and [`MAX_OPERATORS`].
pub fn check(text: &str) -> Result<(), NestingError> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut operators) = (0, 0usize, 0usize);
    while i < b.len() {
        let c = b[i];
        i = match c {
            b'#' => memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n + 1),
            b'"' | b'\'' => skip_string(b, i),
            b'<' => match iri_end(b, i) {
                Some(end) => end,
                None => {
                    operators += 1;
                    i + 1
                }
            },
            b'{' | b'(' | b'[' => {
                depth += 1;
                if depth >= MAX_DEPTH {
                    return Err(NestingError::TooDeep {
                        at: text[..i].chars().count(),
                    });
                }
                operators += usize::from(c == b'{');
                i + 1
            }
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                i + 1
            }
            b'?' | b'$' => skip_while(b, i + 1, is_var_char),
            b'+' | b'-' | b'*' | b'/' | b'|' | b'^' | b'!' | b'=' | b'>' | b'&' => {
                operators += 1;
                i + 1
            }
            c if c.is_ascii_digit() => skip_number(b, i),
            c if is_name_start(c) => {
                let end = skip_name(b, i);
                let word = &text[i..end];
                operators += usize::from(KEYWORDS.iter().any(|k| word.eq_ignore_ascii_case(k)));
                end
            }
            _ => i + 1,
        };
        if operators > MAX_OPERATORS {
            return Err(NestingError::TooManyOperators);
        }
    }
    Ok(())
}

fn is_var_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

/// A prefixed name, keyword or blank node label: `-`, `.`, `:`, `%` and `\`-escapes
/// belong to the name, as in the grammar's PN_LOCAL.
fn skip_name(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if is_var_char(c) || matches!(c, b'-' | b'.' | b':' | b'%') => i += 1,
            _ => break,
        }
    }
    i.min(b.len())
}

/// A number: digits, a point, an exponent with its sign. A `-` or `+` after a digit
/// otherwise is an operator (`1-1-1` is a chain).
fn skip_number(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' | b'.' => i += 1,
            b'e' | b'E' => {
                i += 1;
                if i < b.len() && matches!(b[i], b'+' | b'-') {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

fn skip_while(b: &[u8], mut i: usize, f: impl Fn(u8) -> bool) -> usize {
    while i < b.len() && f(b[i]) {
        i += 1;
    }
    i
}

/// A string in any of the four quotings, with backslash escapes; an unclosed one runs
/// to the end (the parser then says what is wrong).
fn skip_string(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let long = b.len() >= i + 3 && b[i + 1] == q && b[i + 2] == q;
    let mut j = if long { i + 3 } else { i + 1 };
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            c if c == q && !long => return j + 1,
            c if c == q && b.len() >= j + 3 && b[j + 1] == q && b[j + 2] == q => return j + 3,
            b'\n' | b'\r' if !long => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// The end of an IRIREF starting at `i` (`<` then no space, quote, bracket or `<`
/// before `>`), or `None` when the `<` is a comparison.
fn iri_end(b: &[u8], i: usize) -> Option<usize> {
    for (j, &c) in b.iter().enumerate().skip(i + 1) {
        match c {
            b'>' => return Some(j + 1),
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' => return None,
            c if c <= b' ' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn real_queries_pass() {
        for q in [
            "SELECT * WHERE { ?s <http://x/a|b> ?o FILTER(?o != \"{{{{((((\" ) } # {{{{",
            "PREFIX cg: <https://w3id.org/crimegraph/ontology#> SELECT ?x { ?x cg:crime-type-of-a-b-c ?y }",
            "SELECT (1-1 AS ?z) { VALUES (?a ?b) { (1 2) (3 4) (5 6) } }",
            "SELECT * { ?s ?p '''it's a } { quote''' }",
        ] {
            assert_eq!(check(q), Ok(()), "{q}");
        }
        let many_rows = format!(
            "SELECT * {{ VALUES ?x {{ {} }} }}",
            (0..20_000)
                .map(|i| format!("<http://x/{i}> "))
                .collect::<String>()
        );
        assert_eq!(check(&many_rows), Ok(()));
        let long_in = format!(
            "SELECT * {{ ?s ?p ?o FILTER(?o IN ({})) }}",
            (0..20_000).map(|i| format!("{i}, ")).collect::<String>() + "0"
        );
        assert_eq!(check(&long_in), Ok(()));
    }

    #[test]
    fn deep_or_long_shapes_are_refused() {
        let too_deep = [
            format!("SELECT * WHERE {}", nested("{", "", "}", 3000)),
            format!("SELECT * {{ FILTER({}) }}", nested("(", "1", ")", 5000)),
            format!(
                "INSERT DATA {{ <a:b> <a:c> {} }}",
                nested("[ <a:p> ", "1", "]", 5000)
            ),
        ];
        for q in &too_deep {
            assert!(
                matches!(check(q), Err(NestingError::TooDeep { .. })),
                "{}",
                &q[..40]
            );
        }
        let too_long = [
            format!("SELECT * {{ {{}} {} }}", "UNION {} ".repeat(10_000)),
            format!("SELECT * {{ ?s <a:p>{} ?o }}", "/<a:p>".repeat(5000)),
            format!("SELECT * {{ FILTER(1{}) }}", "+1".repeat(5000)),
            format!("SELECT * {{ FILTER(1{}) }}", "-1".repeat(5000)),
            format!("SELECT * {{ FILTER(?a{}) }}", "||?a".repeat(5000)),
            format!("SELECT * {{ {} }}", "{} ".repeat(5000)),
        ];
        for q in &too_long {
            assert_eq!(
                check(q),
                Err(NestingError::TooManyOperators),
                "{}",
                &q[..40]
            );
        }
    }
}
