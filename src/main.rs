//! Thin: parse the command line, call the library, print errors with `{:#}`, exit 2.

use anyhow::{Context, Result};
use clap::Parser;
use crimegraph::cli::{Cli, Command, ExportFormat, QueryFormat};
use crimegraph::ingest::{collect_files, report_key, IngestError, Pipeline, Summary};
use crimegraph::map::IriBase;
use crimegraph::read::Isolation;
use crimegraph::reference::Vocabulary;
use crimegraph::serve::{app, AppState, Config};
use crimegraph::store::remote::{RemoteConfig, RemoteStore};
use crimegraph::store::{write_results, Backend, GraphStore, SharedStore};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::QueryResults;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    // The log's lines are written to stderr by a thread of their own: a server logs a
    // line per request, and a write on the thread that answers it cost about a tenth of
    // the CPU of a cheap query (BENCHMARKS.md). Not lossy: a full queue waits. The
    // guard writes what is queued when it is dropped, before any error line.
    let (writer, log_written) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tantivy=warn".into()),
        )
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let result = run(Cli::parse());
    drop(log_written);
    match result {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("crimegraph: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    // The child that parses one PDF or Word file: no store, no extractors.
    if let Command::ReadDocument {
        memory_limit,
        cpu_limit,
    } = cli.command
    {
        let code = crimegraph::read::read_document(memory_limit, cpu_limit)
            .context("cannot read the document")?;
        return Ok(ExitCode::from(code));
    }
    let base = IriBase::new(&cli.base);
    let id_base = base.clone();
    // Built only by the commands that read reports or the reference data: export,
    // load and optimize start without the extractors.
    let ontology = cli.ontology.clone();
    let pipeline = move || -> Result<Pipeline> {
        let vocab = match &ontology {
            Some(dir) => Vocabulary::from_dir(dir)?,
            None => Vocabulary::built_in()?,
        };
        let isolation =
            Isolation::current_exe().context("cannot find the crimegraph executable")?;
        Ok(Pipeline::new(vocab, base.clone())
            .context("cannot build the extractors")?
            .with_isolation(isolation))
    };
    // Checked here, not by clap's `requires`: with global flags, a value from the
    // environment is checked before the flags given before the command are seen.
    let remote_rest = [&cli.remote_update, &cli.remote_store, &cli.remote_user];
    if cli.remote_query.is_none() && remote_rest.iter().any(|f| f.is_some()) {
        anyhow::bail!("--remote-update, --remote-store and --remote-user need --remote-query");
    }
    if cli.remote_password.is_some() && cli.remote_user.is_none() {
        anyhow::bail!("--remote-password needs --remote-user");
    }
    let opened = match &cli.remote_query {
        Some(query) => {
            let config = RemoteConfig {
                query: query.clone(),
                update: cli.remote_update.clone(),
                store: cli.remote_store.clone(),
                user: cli.remote_user.clone(),
                password: cli.remote_password.clone(),
                timeout: remote_timeout(&cli),
            };
            let reference = pipeline()?.reference_quads();
            Opened::Remote(Arc::new(RemoteStore::new(config, &id_base, &reference)?))
        }
        None if cli.memory => Opened::Local(Box::new(GraphStore::memory(&id_base)?)),
        None => Opened::Local(Box::new(GraphStore::open_with(
            &cli.data,
            &id_base,
            !cli.no_text_index,
        )?)),
    };
    let shared = opened.shared();
    let store: &dyn Backend = &*shared;
    match cli.command {
        Command::Ingest {
            paths,
            batch,
            force,
        } => ingest(&pipeline()?, &opened, &paths, batch, force),
        Command::Remove { keys } => {
            let pipeline = pipeline()?;
            let mut missing = 0;
            for key in &keys {
                report_key(key).with_context(|| format!("cannot remove {key}"))?;
                if pipeline.remove(store, key)? {
                    println!("removed {key}");
                } else {
                    eprintln!("crimegraph: no report {key} in the store");
                    missing += 1;
                }
            }
            store.flush()?;
            Ok(if missing > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Query {
            query,
            file,
            format,
        } => {
            let query = match file {
                Some(f) => std::fs::read_to_string(&f)
                    .with_context(|| format!("cannot read {}", f.display()))?,
                None => query.unwrap_or_default(),
            };
            pipeline()?.load_reference(store)?;
            query_cmd(store, &query, format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, graph } => {
            let format = match format {
                ExportFormat::Nq => RdfFormat::NQuads,
                ExportFormat::Trig => RdfFormat::TriG,
                ExportFormat::Ttl => RdfFormat::Turtle,
                ExportFormat::Nt => RdfFormat::NTriples,
                ExportFormat::Jsonld => RdfFormat::JsonLd {
                    profile: oxigraph::io::JsonLdProfileSet::empty(),
                },
            };
            let graph = graph
                .map(NamedNode::new)
                .transpose()
                .context("--graph is not an IRI")?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            store.export(format, graph.as_ref(), &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::GenCorpus {
            reports,
            seed,
            out,
            format,
        } => {
            let pipeline = pipeline()?;
            let bytes = crimegraph::gen::generate(
                pipeline.vocabulary(),
                pipeline.extractor(),
                reports,
                seed,
                format,
                &out,
            )
            .with_context(|| format!("cannot write to {}", out.display()))?;
            println!(
                "{reports} reports ({:.1} MB) in {}",
                bytes as f64 / 1e6,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Load { file, graph } => {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            let format = RdfFormat::from_extension(ext)
                .with_context(|| format!("{}: unknown RDF format .{ext}", file.display()))?;
            let data =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            if format.supports_datasets() && graph.is_none() {
                store.load_dataset(format, &data)?;
            } else {
                let graph = graph
                    .map(NamedNode::new)
                    .transpose()
                    .context("--graph is not an IRI")?;
                store.load_graph(graph.as_ref(), format, &data, true)?;
            }
            store.flush()?;
            if let Opened::Local(store) = &opened {
                println!("{} triples in the store", store.len()?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            state,
            org,
            instrument,
            crime,
            speaker,
            meeting,
            congress,
            region,
            year,
            limit,
            json,
        } => {
            use crimegraph::store::search::{Facet, SearchRequest};
            let given = [
                (Facet::State, state),
                (Facet::Org, org),
                (Facet::Instrument, instrument),
                (Facet::Crime, crime),
                (Facet::Speaker, speaker),
                (Facet::Meeting, meeting),
                (Facet::Congress, congress.map(|n| n.to_string())),
                (Facet::Region, region),
                (Facet::Year, year.map(|n| n.to_string())),
            ];
            let mut filters = Vec::new();
            for (facet, value) in given {
                if let Some(v) = value {
                    let v = facet
                        .indexed_value(&v, &id_base)
                        .map_err(anyhow::Error::msg)?;
                    filters.push((facet, v));
                }
            }
            let request = SearchRequest {
                query,
                filters,
                offset: 0,
                limit,
                facets: json,
            };
            let answer = store.text_index().search(&request)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &answer)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{} paragraphs", answer.total)?;
                for hit in &answer.hits {
                    writeln!(
                        out,
                        "\n{} paragraph {}\n  {}",
                        hit.report, hit.number, hit.snippet
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex => {
            let started = Instant::now();
            let store = opened.local("reindex")?;
            let graphs = store.reindex()?;
            println!(
                "{} paragraphs of {graphs} reports indexed in {:.1} s",
                store.text_index().len(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Optimize => {
            let started = Instant::now();
            opened.local("optimize")?.optimize()?;
            println!(
                "store compacted in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ReadDocument { .. } => unreachable!("run before the store is opened"),
        Command::Serve {
            bind,
            query_timeout,
            update_token,
            cors_origins,
            body_limit_mb,
            allow_federation,
            client_timeout,
            max_concurrent_queries,
            max_query_memory_mb,
            dump_timeout,
            max_concurrent_dumps,
            public_url,
        } => {
            let pipeline = pipeline()?;
            pipeline.load_reference(store)?;
            let query_slots =
                max_concurrent_queries.unwrap_or_else(crimegraph::serve::default_query_slots);
            let config = Config {
                query_timeout: Duration::from_secs(query_timeout),
                update_token: update_token.filter(|t| !t.is_empty()),
                cors_origins,
                body_limit: body_limit_mb << 20,
                allow_federation,
                client_timeout: Duration::from_secs(client_timeout.max(1)),
                query_slots,
                query_memory: match max_query_memory_mb {
                    Some(0) => None,
                    Some(mb) => Some(mb << 20),
                    None => crimegraph::serve::default_query_memory(query_slots),
                },
                public_url: public_url.map(|u| public_url_checked(&u)).transpose()?,
                dump_timeout: Duration::from_secs(dump_timeout.max(1)),
                dump_slots: max_concurrent_dumps.max(1),
            };
            serve(shared.clone(), pipeline, bind, config)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The time limit of one request to a remote store: the server's query time limit when
/// that is shorter, so that a query the store is slow on frees its slot at its deadline.
fn remote_timeout(cli: &Cli) -> Duration {
    let mut seconds = cli.remote_timeout.max(1);
    if let Command::Serve { query_timeout, .. } = &cli.command {
        seconds = seconds.min((*query_timeout).max(1));
    }
    Duration::from_secs(seconds)
}

/// The store a command works on: the embedded one, or one reached over HTTP.
enum Opened {
    Local(Box<GraphStore>),
    Remote(Arc<RemoteStore>),
}

impl Opened {
    fn shared(&self) -> SharedStore {
        match self {
            Opened::Local(s) => Arc::new(GraphStore::clone(s)),
            Opened::Remote(r) => r.clone(),
        }
    }

    /// The embedded store, for the commands that only it has.
    fn local(&self, command: &str) -> Result<&GraphStore> {
        match self {
            Opened::Local(s) => Ok(s),
            Opened::Remote(_) => anyhow::bail!(
                "`{command}` works on the embedded store: the remote store does its own"
            ),
        }
    }
}

fn ingest(
    pipeline: &Pipeline,
    opened: &Opened,
    paths: &[std::path::PathBuf],
    batch: usize,
    force: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let files = collect_files(paths)?;
    let bar = if files.len() > 5 && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(files.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut total = Summary::default();
    let (mut reports, mut failed, mut unchanged) = (0, 0, 0);
    let read = |n: usize| bar.inc(n as u64);
    let done = |_: &std::path::Path, result: Result<Summary, IngestError>| match result {
        Ok(s) if s.unchanged => unchanged += 1,
        Ok(s) => {
            reports += 1;
            total.paragraphs += s.paragraphs;
            total.statements += s.statements;
            total.mentions += s.mentions;
            total.triples += s.triples;
        }
        Err(e) => {
            failed += 1;
            bar.suspend(|| eprintln!("crimegraph: skipped {e}"));
        }
    };
    match opened {
        Opened::Local(store) => pipeline.ingest_files(store, &files, batch, force, read, done)?,
        Opened::Remote(remote) => pipeline.ingest_remote(remote, &files, force, read, done)?,
    }
    bar.finish_and_clear();
    println!(
        "{reports} reports, {} paragraphs, {} statements, {} mentions, {} triples in {:.2} s{}{}",
        total.paragraphs,
        total.statements,
        total.mentions,
        total.triples,
        started.elapsed().as_secs_f64(),
        if unchanged > 0 {
            format!("; {unchanged} unchanged (already stored; --force reads them again)")
        } else {
            String::new()
        },
        if failed > 0 {
            format!("; {failed} files skipped")
        } else {
            String::new()
        }
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs on a thread with the query threads' stack: parsing recurses once per level of
/// nesting (`store::nesting`).
fn query_cmd(store: &dyn Backend, query: &str, format: QueryFormat) -> Result<()> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("query".into())
            .stack_size(crimegraph::store::nesting::STACK_SIZE)
            .spawn_scoped(scope, || run_query_cmd(store, query, format))
            .context("cannot start the query's thread")?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn run_query_cmd(store: &dyn Backend, query: &str, format: QueryFormat) -> Result<()> {
    let results = store.query(query, None)?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let (rf, gf) = match format {
        QueryFormat::Json => (QueryResultsFormat::Json, RdfFormat::Turtle),
        QueryFormat::Csv => (QueryResultsFormat::Csv, RdfFormat::Turtle),
        QueryFormat::Tsv | QueryFormat::Table => (QueryResultsFormat::Tsv, RdfFormat::Turtle),
        QueryFormat::Xml => (QueryResultsFormat::Xml, RdfFormat::Turtle),
        QueryFormat::Ttl => (QueryResultsFormat::Json, RdfFormat::Turtle),
        QueryFormat::Nt => (QueryResultsFormat::Json, RdfFormat::NTriples),
        QueryFormat::Nq => (QueryResultsFormat::Json, RdfFormat::NQuads),
    };
    if matches!(format, QueryFormat::Table) {
        if let QueryResults::Solutions(_) = results {
            let tsv = write_results(results, rf, gf, Vec::new())?;
            let mut out = out;
            out.write_all(table(&String::from_utf8_lossy(&tsv)).as_bytes())?;
            return Ok(out.flush()?);
        }
    }
    write_results(results, rf, gf, out)?.flush()?;
    Ok(())
}

/// Lays TSV results out as aligned columns, with IRIs under the crimegraph base shortened.
fn table(tsv: &str) -> String {
    let rows: Vec<Vec<String>> = tsv
        .lines()
        .map(|l| {
            l.split('\t')
                .map(|c| {
                    c.trim_start_matches('?')
                        .replace("https://w3id.org/crimegraph/id/", "id:")
                        .replace("https://w3id.org/crimegraph/ontology#", "cg:")
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count().min(80)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let c: String = c.chars().take(80).collect();
                format!("{c:<w$}")
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(
                &widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            out.push('\n');
        }
    }
    out.push_str(&format!("({} rows)\n", rows.len().saturating_sub(1)));
    out
}

/// The server's runtime. Its threads (the async workers, and the blocking threads that
/// run SPARQL updates) get the stack `store::nesting` sizes for the deepest text it lets
/// through, as the query threads do: parsing recurses once per level of nesting.
fn serve(
    store: SharedStore,
    pipeline: Pipeline,
    bind: std::net::SocketAddr,
    config: Config,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(crimegraph::store::nesting::STACK_SIZE)
        .build()
        .context("cannot start the server's threads")?;
    let served = runtime.block_on(serve_on(store, pipeline, bind, config));
    // Dropping a runtime waits for its blocking threads without limit, and an
    // abandoned query may still hold one: the drain in `serve::run` was the wait.
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}

/// How long the server waits at exit for cancelled queries to leave their threads.
const EXIT_WAIT: Duration = Duration::from_secs(5);

async fn serve_on(
    store: SharedStore,
    pipeline: Pipeline,
    bind: std::net::SocketAddr,
    mut config: Config,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    config
        .public_url
        .get_or_insert_with(|| format!("http://{addr}"));
    tracing::info!("serving SPARQL at http://{addr}/sparql");
    println!("listening on http://{addr}");
    let client_timeout = config.client_timeout;
    let state = AppState::new(store.clone(), std::sync::Arc::new(pipeline), config)
        .context("cannot start the query threads")?;
    let running = state.running();
    let app = app(state);
    crimegraph::serve::run(listener, app, client_timeout, shutdown()).await;
    // Queries cancelled at the stop end within milliseconds; one that ignores its
    // token is not waited for past this, whichever runner it is on.
    let until = tokio::time::Instant::now() + EXIT_WAIT;
    for jobs in running {
        let left = until.saturating_duration_since(tokio::time::Instant::now());
        if !jobs.stopped(left).await {
            tracing::warn!(running = jobs.count(), "queries still running at exit");
        }
    }
    store.flush()?;
    Ok(())
}

/// `--public-url` without its trailing `/`, refused unless it is an `http(s)` IRI.
fn public_url_checked(url: &str) -> Result<String> {
    let url = url.trim_end_matches('/');
    let web = url.starts_with("http://") || url.starts_with("https://");
    if !web || oxigraph::model::NamedNode::new(url).is_err() {
        anyhow::bail!("--public-url {url:?}: give an http(s) address such as https://example.org");
    }
    Ok(url.to_string())
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
