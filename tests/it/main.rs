//! One integration-test binary: the real `crimegraph` binary over a real on-disk store,
//! a real server on 127.0.0.1:0, and real clients (curl, the Python scorer).

mod bound_values;
mod browser;
mod cli;
mod common;
mod concurrency;
mod crash;
mod documents;
mod gold;
mod hostile;
mod hostile_pages;
mod paged;
mod properties;
mod remote;
mod search;
mod service;
mod summary;
mod variants;
