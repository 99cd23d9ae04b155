//! The home page, search and the list of reports.

use super::{render, saved_list, Pager};
use crate::serve::queries::{select_as, PageNo};
use crate::serve::reports::PageParams;
use crate::serve::rows::{OverviewRow, SearchRow};
use crate::serve::search::{find, SearchParams, HITS_PAGE};
use crate::serve::{ApiError, Shared};
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::{context, Value as Jv};
use oxigraph::model::{Literal, Term};
use serde::Serialize;

/// `/`: what the graph holds (the summary's totals) and the questions people ask.
pub(super) async fn home(State(state): State<Shared>) -> Result<Response, ApiError> {
    let overview: Vec<OverviewRow> = select_as(&state, "overview", &[]).await?;
    let o = overview.into_iter().next().unwrap_or_default();
    render(
        &state,
        "home.html",
        context! { o => o, saved => saved_list() },
    )
}

/// `/search?q=`: entities whose names contain the words (`queries/search.rq`, at most
/// 50), then the paragraphs whose text matches (`serve::search`), a page at a time,
/// with the counts per facet as links that narrow the search.
pub(super) async fn search(
    State(state): State<Shared>,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let q: String =
        p.q.as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect();
    let results: Vec<SearchRow> = if q.is_empty() || page.number() > 1 {
        Vec::new()
    } else {
        let v = [("q", Term::Literal(Literal::from(q.as_str())))];
        select_as(&state, "search", &v).await?
    };
    let found = if p.is_empty() {
        None
    } else {
        Some(find(&state, &p, page).await?)
    };
    let pager = found.as_ref().map(|f| {
        let pages = f.total.div_ceil(HITS_PAGE).max(1);
        Pager::new(page.number(), pages, |n| p.href("/search", n))
    });
    let facets: Vec<FacetLink> = found
        .iter()
        .flat_map(|f| &f.facets)
        .map(|f| FacetLink {
            facet: f.facet.name(),
            label: f.named.label.clone(),
            count: f.count,
            href: format!("/search?{}", p.narrowed(f.facet, &f.value)),
        })
        .collect();
    render(
        &state,
        "search.html",
        context! { q => q, results => results, found => found, facets => facets, pager => pager },
    )
}

/// A facet value as a link that narrows the search to it.
#[derive(Serialize)]
struct FacetLink {
    facet: &'static str,
    label: String,
    count: u64,
    href: String,
}

/// `/reports.html?page=N`: one page of the reports (`reports::PAGE_SIZE`), with links
/// to the pages before and after.
pub(super) async fn reports(
    State(state): State<Shared>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let page = PageNo::parse(p.page.as_deref())?;
    let page = crate::serve::reports::page(&state, page).await?;
    let first = (page.page - 1) * page.page_size + 1;
    let ctx = context! {
        first => first,
        last => first + page.reports.len() - 1,
        next => page.next(),
        prev => page.prev(),
        ..Jv::from_serialize(&page)
    };
    render(&state, "reports.html", ctx)
}
