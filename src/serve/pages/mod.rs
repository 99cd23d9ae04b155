//! Web pages where people look instead of writing SPARQL: home, search, the States x
//! crime types matrix and its evidence, entity pages (the HTML face of every `/id/...`
//! IRI), reports, and a SPARQL page. Rendered on the server with minijinja; plain CSS;
//! no JavaScript needed. Every table is one saved query (no query per row), and every
//! list either reads a count the summary keeps or is paged (`?page=N`), so that no page
//! grows with the collection.
//!
//! One module per family of pages: `home` (home, search, reports), `matrix`, `entity`,
//! `editor`; `text` turns rows into what the templates show.
//!
//! IRIs come from the request and from the data, so either can be `javascript:...`:
//! [`Links::href`] alone decides what may become a link, and every response carries a
//! Content-Security-Policy ([`security_headers`]) that forbids inline script and style,
//! so the few lines of JavaScript and all CSS are files under `/static/`.

mod editor;
mod entity;
mod home;
mod matrix;
mod text;

pub use entity::{entity, shows_own_tables};

use super::queries::{question, SAVED};
use super::{ApiError, Shared};
use crate::map::IriBase;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{Environment, Value as Jv};
use serde::Serialize;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("home.html", include_str!("templates/home.html")),
    ("search.html", include_str!("templates/search.html")),
    ("matrix.html", include_str!("templates/matrix.html")),
    ("evidence.html", include_str!("templates/evidence.html")),
    ("entity.html", include_str!("templates/entity.html")),
    ("sparql.html", include_str!("templates/sparql.html")),
    ("reports.html", include_str!("templates/reports.html")),
];
/// Files under `/static/`: (name, media type, content). Kept out of the HTML because
/// the Content-Security-Policy lets no inline script or style run.
const STATIC: &[(&str, &str, &str)] = &[
    // YASGUI 4.6.2 (@zazuko/yasgui, MIT): its built files as the npm package has them
    // (static/vendor/README.md).
    (
        "yasgui.min.js",
        "text/javascript; charset=utf-8",
        include_str!("static/vendor/yasgui.min.js"),
    ),
    (
        "yasgui.min.css",
        "text/css; charset=utf-8",
        include_str!("static/vendor/yasgui.min.css"),
    ),
    (
        "editor-yasgui.js",
        "text/javascript; charset=utf-8",
        include_str!("static/editor-yasgui.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("static/style.css"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_str!("static/editor.js"),
    ),
];
/// Same origin only, nothing inline, no plugins; `base-uri`, `form-action` and
/// `frame-ancestors` are not covered by `default-src`, so they are named too.
const CSP: &str =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/// Which IRIs may become links, and to where: one per server, from its `--base`.
#[derive(Debug, Clone)]
pub struct Links {
    /// IRIs under it are resources of this server, linked by their local path.
    id_base: String,
}

impl Links {
    pub fn new(base: &IriBase) -> Self {
        Links {
            id_base: base.id("").as_str().to_string(),
        }
    }

    /// Where a link to `iri` may point, or `None` when it must be shown as text: an IRI
    /// under the id base becomes its local path (`/id/state/EGY`), an `http(s)://` IRI
    /// stays as it is, a path of this server (`/...`) stays; anything else
    /// (`javascript:`, `data:`, `vbscript:`, `mailto:`, `urn:`, `//other.host`) is not
    /// a link, because the IRI may come from the request or from ingested data. The one
    /// rule for every href the pages render, in Rust and in the templates (the `href`
    /// filter).
    pub fn href(&self, iri: &str) -> Option<String> {
        if let Some(rest) = iri.strip_prefix(self.id_base.as_str()) {
            return Some(format!("/id/{rest}"));
        }
        // Browsers drop tabs and newlines inside a URL and read `\` as `/`, so a path
        // with them could turn into `//other.host` or a scheme: such paths are not links.
        let own_path = iri.starts_with('/')
            && !iri[1..].starts_with(['/', '\\'])
            && !iri.chars().any(|c| c.is_control() || c.is_whitespace());
        let web = iri.split_once("://").is_some_and(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
        });
        (own_path || web).then(|| iri.to_string())
    }
}

/// The templates of one server, with its [`Links`] in the `href` filter: made once at
/// start-up from the configuration, never changed by a request.
pub struct Pages {
    env: Environment<'static>,
    links: Links,
}

impl Pages {
    pub fn new(base: &IriBase) -> Self {
        let links = Links::new(base);
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).expect("template parses");
        }
        let l = links.clone();
        env.add_filter("href", move |iri: Option<String>| {
            iri.as_deref().and_then(|i| l.href(i))
        });
        env.add_filter("short", |iri: String| short(&iri));
        Pages { env, links }
    }

    pub fn links(&self) -> &Links {
        &self.links
    }

    fn render(&self, name: &str, ctx: Jv) -> Result<Response, ApiError> {
        let html = self
            .env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| ApiError::Internal(format!("template {name}: {e:#}")))?;
        Ok(Html(html).into_response())
    }
}

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(home::home))
        .route("/search", get(home::search))
        .route("/matrix", get(matrix::matrix))
        .route("/matrix/evidence", get(matrix::evidence))
        .route("/reports.html", get(home::reports))
        .route("/sparql-editor", get(editor::sparql_editor))
        .route("/static/{file}", get(static_file))
}

async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match STATIC.iter().find(|(name, _, _)| *name == file) {
        Some((_, media, body)) => ([(header::CONTENT_TYPE, *media)], *body).into_response(),
        None => ApiError::NotFound(format!("no static file {file:?}")).into_response(),
    }
}

/// `Content-Security-Policy` and `X-Content-Type-Options: nosniff` on every response
/// (pages, static files, API and SPARQL results alike): should an IRI ever slip into a
/// page as markup, the browser still runs no inline script; and no response is sniffed
/// into HTML. A handler that sets its own policy keeps it.
pub(super) async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(header::HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

/// The last segment of an IRI, to show when it has no label.
fn short(iri: &str) -> String {
    iri.rsplit(['/', '#']).next().unwrap_or(iri).to_string()
}

fn render(state: &Shared, name: &str, ctx: Jv) -> Result<Response, ApiError> {
    state.pages.render(name, ctx)
}

/// A saved question offered as an example: its name and the question it answers.
#[derive(Serialize)]
struct SavedQuestion {
    name: &'static str,
    question: String,
}

/// The saved questions people may open in the editor (not those that only serve a
/// page), by question.
fn saved_list() -> Vec<SavedQuestion> {
    let mut list: Vec<SavedQuestion> = SAVED
        .iter()
        .filter(|(name, _)| {
            !matches!(
                *name,
                "matrix"
                    | "matrix-evidence"
                    | "report-paragraphs"
                    | "overview"
                    | "search"
                    | "entity-trend"
            )
        })
        .map(|(name, q)| SavedQuestion {
            name,
            question: question(q),
        })
        .collect();
    list.sort_by(|a, b| a.question.cmp(&b.question));
    list
}

/// Which page of a page's lists it shows, and the links to the pages before and
/// after (each list says how much of it the page shows).
#[derive(Debug, Serialize)]
struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

impl Pager {
    /// Page `page` of `pages`; `href(n)` is the address of page n.
    fn new(page: usize, pages: usize, href: impl Fn(usize) -> String) -> Self {
        let pages = pages.max(1);
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| href((page - 1).min(pages))),
            next: (page < pages).then(|| href(page + 1)),
        }
    }

    /// The `Link` header values of the pages before and after, for clients that page
    /// by headers as they do the JSON and RDF answers.
    fn link_headers(&self) -> Vec<axum::http::HeaderValue> {
        [(&self.next, "next"), (&self.prev, "prev")]
            .into_iter()
            .filter_map(|(href, rel)| {
                let href = href.as_ref()?;
                axum::http::HeaderValue::from_str(&format!("<{href}>; rel=\"{rel}\"")).ok()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    /// What may become a link: `(IRI, href)`; `None` is shown as text.
    #[test]
    fn only_web_iris_and_own_paths_are_links() {
        let table: &[(&str, Option<&str>)] = &[
            ("https://example.org/a", Some("https://example.org/a")),
            ("http://example.org/a#b", Some("http://example.org/a#b")),
            ("HTTPS://example.org/", Some("HTTPS://example.org/")),
            ("/id/state/EGY", Some("/id/state/EGY")),
            ("/sparql-editor?query=x", Some("/sparql-editor?query=x")),
            ("javascript:alert(document.domain)", None),
            ("JaVaScRiPt:alert(1)", None),
            ("javascript://%0aalert(1)", None),
            (" javascript:alert(1)", None),
            ("java\tscript:alert(1)", None),
            ("data:text/html,<script>alert(1)</script>", None),
            ("vbscript:msgbox(1)", None),
            ("mailto:someone@example.org", None),
            ("urn:isbn:0451450523", None),
            ("//evil.example/", None),
            ("/\\evil.example/", None),
            ("/\t/evil.example/", None),
            ("x-http://example.org/", None),
            ("", None),
        ];
        let links = Links::new(&IriBase::default());
        for (iri, want) in table {
            assert_eq!(links.href(iri).as_deref(), *want, "{iri:?}");
        }
        assert_eq!(
            links
                .href("https://w3id.org/crimegraph/id/state/EGY")
                .as_deref(),
            Some("/id/state/EGY")
        );
    }

    #[test]
    fn link_macro_shows_a_hostile_iri_as_text() {
        let mut env = Pages::new(&IriBase::default()).env;
        let source = r#"{% import "macros.html" as m %}{{ m.link(iri, text, "p-1") }}"#;
        env.add_template("t.html", source).unwrap();
        let t = env.get_template("t.html").unwrap();
        let hostile = t
            .render(context! { iri => "javascript:alert(1)", text => "<b>x</b>" })
            .unwrap();
        assert_eq!(
            hostile,
            r#"<span class="iri">&lt;b&gt;x&lt;&#x2f;b&gt;</span>"#
        );
        let web = t
            .render(context! { iri => "https://example.org/a", text => "A" })
            .unwrap();
        assert_eq!(
            web,
            r#"<a href="https:&#x2f;&#x2f;example.org&#x2f;a#p-1">A</a>"#
        );
    }

    #[test]
    fn templates_parse() {
        let pages = Pages::new(&IriBase::default());
        for (name, _) in TEMPLATES {
            pages.env.get_template(name).unwrap();
        }
    }
}
