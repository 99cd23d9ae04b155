//! The home page, search and the list of reports.

use super::{render, saved_list};
use crate::serve::queries::{select_as, PageNo};
use crate::serve::reports::PageParams;
use crate::serve::rows::{OverviewRow, SearchRow};
use crate::serve::{ApiError, Shared};
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::{context, Value as Jv};
use oxigraph::model::{Literal, Term};
use serde::Deserialize;

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

#[derive(Deserialize)]
pub(super) struct SearchParams {
    q: Option<String>,
}

/// `/search?q=`: entities whose names contain the words (`queries/search.rq`, at most
/// 50).
pub(super) async fn search(
    State(state): State<Shared>,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let q: String = p.q.unwrap_or_default().trim().chars().take(200).collect();
    let results: Vec<SearchRow> = if q.is_empty() {
        Vec::new()
    } else {
        let v = [("q", Term::Literal(Literal::from(q.as_str())))];
        select_as(&state, "search", &v).await?
    };
    render(
        &state,
        "search.html",
        context! { q => q, results => results },
    )
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
