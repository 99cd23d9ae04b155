//! The command line: every flag and environment variable is defined here, once.

use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// crimegraph: a knowledge graph of the reports of the UN crime-prevention process.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
pub struct Cli {
    /// Data directory of the on-disk store (Oxigraph on RocksDB).
    #[arg(
        long,
        global = true,
        env = "CRIMEGRAPH_DATA",
        default_value = "./crimegraph-data"
    )]
    pub data: PathBuf,

    /// Use a throw-away in-memory store instead of the data directory.
    #[arg(long, global = true, conflicts_with = "data")]
    pub memory: bool,

    /// Keep no full-text index of the paragraphs in this run: writes pass it by, searches
    /// are refused, and the next run without this flag rebuilds it. For loads where
    /// search is not wanted, and to time a load without the index.
    #[arg(long, global = true, env = "CRIMEGRAPH_NO_TEXT_INDEX")]
    pub no_text_index: bool,

    /// Keep the graph in a triple store reached over HTTP instead of the data directory:
    /// its SPARQL 1.1 Protocol query endpoint (e.g. Oxigraph's `http://host:7878/query`,
    /// Virtuoso's `http://host:8890/sparql`). Reports are read and extracted here; see
    /// the README for what runs on the store's side.
    #[arg(
        long,
        global = true,
        env = "CRIMEGRAPH_REMOTE_QUERY",
        conflicts_with = "memory"
    )]
    pub remote_query: Option<String>,

    /// The remote store's SPARQL 1.1 Update endpoint (needed to write).
    #[arg(long, global = true, env = "CRIMEGRAPH_REMOTE_UPDATE")]
    pub remote_update: Option<String>,

    /// The remote store's Graph Store Protocol endpoint (needed to write; each report's
    /// graph goes in with one PUT).
    #[arg(long, global = true, env = "CRIMEGRAPH_REMOTE_STORE")]
    pub remote_store: Option<String>,

    /// Account on the remote store (HTTP Basic; HTTP Digest once the store asks for it).
    #[arg(long, global = true, env = "CRIMEGRAPH_REMOTE_USER")]
    pub remote_user: Option<String>,

    /// Password of --remote-user (prefer the environment variable: a flag shows in `ps`).
    #[arg(
        long,
        global = true,
        env = "CRIMEGRAPH_REMOTE_PASSWORD",
        hide_env_values = true
    )]
    pub remote_password: Option<String>,

    /// Time limit of one request to the remote store, in seconds.
    #[arg(
        long,
        global = true,
        env = "CRIMEGRAPH_REMOTE_TIMEOUT",
        default_value_t = 60
    )]
    pub remote_timeout: u64,

    /// Folder of Turtle files to use as reference data instead of the built-in `ontology/`.
    #[arg(long, global = true, env = "CRIMEGRAPH_ONTOLOGY")]
    pub ontology: Option<PathBuf>,

    /// Base of minted IRIs: entities are `{base}id/state/FRA`.
    #[arg(
        long,
        global = true,
        env = "CRIMEGRAPH_BASE",
        default_value = "https://w3id.org/crimegraph/"
    )]
    pub base: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read reports (files or folders, recursive: .txt, .md, .pdf, .docx) into the
    /// store. Each report replaces its own graph whole; a bad file (a scanned PDF, a
    /// .doc) is named with its reason and the rest go in.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// New reports per bulk-load commit: each commit goes in whole or not at all,
        /// so a crash costs at most this many reports to redo. Fewer, larger commits
        /// load faster; memory does not grow with the batch.
        #[arg(long, default_value_t = crate::ingest::COMMIT_EVERY)]
        batch: usize,
        /// Read every file again, even one whose report is stored from the same bytes
        /// by the same version and reference data (skipped by default).
        #[arg(long)]
        force: bool,
    },
    /// Remove reports (by key: the file name without its extension) from the store.
    Remove {
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// Run a SPARQL query over all graphs.
    Query {
        /// The query text (or use --file).
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        query: Option<String>,
        /// Read the query from a file, such as queries/statements-by-report.rq.
        #[arg(short, long)]
        file: Option<PathBuf>,
        /// Output format: a table on a terminal by default.
        #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
        format: QueryFormat,
    },
    /// Stream the store (or one graph) to stdout.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Nq)]
        format: ExportFormat,
        /// Export only this named graph (IRI).
        #[arg(long)]
        graph: Option<String>,
    },
    /// Load an RDF dump (N-Quads, TriG; or Turtle, N-Triples into --graph) as it is,
    /// in one transaction: to restore a `dump.nq` into a fresh store.
    Load {
        file: PathBuf,
        /// The graph for a graph format (Turtle, N-Triples, RDF/XML).
        #[arg(long)]
        graph: Option<String>,
    },
    /// Search the text of every paragraph: words, "a phrase", a prefix*, AND, OR,
    /// NOT or -word; narrowed by what the paragraph names and where it stands.
    Search {
        /// The search, in the words of `/search` (empty: every paragraph the filters
        /// leave).
        #[arg(default_value = "")]
        query: String,
        /// A State the paragraph names (ISO3: EGY).
        #[arg(long)]
        state: Option<String>,
        /// An organization the paragraph names (its key: unodc).
        #[arg(long)]
        org: Option<String>,
        /// An instrument the paragraph names (its key: untoc).
        #[arg(long)]
        instrument: Option<String>,
        /// A crime type the paragraph names (its key: cybercrime).
        #[arg(long)]
        crime: Option<String>,
        /// Who made statements in the paragraph's report (EGY, or org/unodc).
        #[arg(long)]
        speaker: Option<String>,
        /// The meeting (congress-14, ccpcj-32).
        #[arg(long)]
        meeting: Option<String>,
        #[arg(long)]
        congress: Option<u64>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<u64>,
        /// How many hits to print.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the answer as JSON (hits, total and counts per facet).
        #[arg(long)]
        json: bool,
    },
    /// Read every report graph into the full-text index again (it is kept in step with
    /// every write and repaired on open; this is for an index lost or damaged).
    Reindex,
    /// Compact the store on disk: merges what bulk loads left in many files, so that
    /// queries read fewer. A large ingest leaves its work to background compaction,
    /// which a server then does while it answers; this does it now, and can take a
    /// while on a large store.
    Optimize,
    /// Write a deterministic scale corpus: N reports in the real format under
    /// OUT/reports/ and their expected extraction (gold format) under OUT/expected/.
    GenCorpus {
        #[arg(long)]
        reports: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Write the reports as text, PDF or Word files.
        #[arg(long, value_enum, default_value_t)]
        format: crate::gen::OutputFormat,
    },
    /// Serve the SPARQL endpoint, linked data, dumps and the JSON API.
    Serve {
        #[arg(long, env = "CRIMEGRAPH_BIND", default_value = "127.0.0.1:7878")]
        bind: SocketAddr,
        /// Time limit of one query, in seconds.
        #[arg(long, env = "CRIMEGRAPH_QUERY_TIMEOUT", default_value_t = 30)]
        query_timeout: u64,
        /// Turns on writes (SPARQL Update, Graph Store writes, POST/DELETE /reports);
        /// each then needs `Authorization: Bearer <token>`. Off when not given.
        #[arg(long, env = "CRIMEGRAPH_UPDATE_TOKEN", hide_env_values = true)]
        update_token: Option<String>,
        /// Origins allowed by CORS (repeat, or `*`); none by default.
        #[arg(
            long = "cors-origin",
            env = "CRIMEGRAPH_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
        /// Lets SPARQL `SERVICE` call other (http://) endpoints: outbound requests. Off
        /// by default.
        #[arg(long, env = "CRIMEGRAPH_ALLOW_FEDERATION")]
        allow_federation: bool,
        /// Largest request body, in MiB (a larger one gets 413).
        #[arg(long, env = "CRIMEGRAPH_BODY_LIMIT_MB", default_value_t = 16)]
        body_limit_mb: usize,
        /// Seconds a client may take to send a request's headers, and its whole body; a
        /// slower one is disconnected (headers) or answered 408 (body).
        #[arg(long, env = "CRIMEGRAPH_CLIENT_TIMEOUT", default_value_t = 30)]
        client_timeout: u64,
        /// How many SPARQL queries run at once; more wait their turn, first come first
        /// served, within their time limit. Default: four times the cores. 0: no limit.
        #[arg(long, env = "CRIMEGRAPH_MAX_CONCURRENT_QUERIES")]
        max_concurrent_queries: Option<usize>,
        /// MiB of working memory one query may take (joins, sorts and groups are built in
        /// memory); a query past it is stopped and answered 503. Default: the machine's
        /// memory shared by the query threads (twice the query slots). 0: no limit.
        #[arg(long, env = "CRIMEGRAPH_MAX_QUERY_MEMORY_MB")]
        max_query_memory_mb: Option<usize>,
        /// Time limit of one dump (`/dump.nq`, `/dump.trig`), in seconds: a whole store
        /// takes longer than a query to write and to read.
        #[arg(long, env = "CRIMEGRAPH_DUMP_TIMEOUT", default_value_t = 3600)]
        dump_timeout: u64,
        /// How many dumps are written at once; another waits `--query-timeout` for its
        /// turn at most, then gets 503. Dumps do not take query slots.
        #[arg(long, env = "CRIMEGRAPH_MAX_CONCURRENT_DUMPS", default_value_t = 1)]
        max_concurrent_dumps: usize,
        /// The server's public address (`https://crimegraph.example.org`), for the links
        /// VoID and paged descriptions give: a request's `Host` header is never used.
        /// Default: `http://` and the address it listens on.
        #[arg(long, env = "CRIMEGRAPH_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Internal, run by `ingest` and `serve`: reads one PDF or Word file on stdin and
    /// writes its text on stdout, under the given limits, so that a hostile file
    /// crashes or exhausts this process and not theirs (`read::Sandbox`).
    #[command(hide = true)]
    ReadDocument {
        /// Address-space limit, in bytes.
        #[arg(long)]
        memory_limit: u64,
        /// CPU-time limit, in seconds.
        #[arg(long)]
        cpu_limit: u64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum QueryFormat {
    Table,
    Json,
    Csv,
    Tsv,
    Xml,
    Ttl,
    Nt,
    Nq,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Nq,
    Trig,
    Ttl,
    Nt,
    Jsonld,
}
