//! The command line: clap definitions, and a dispatch to one module per command.
//! Kept thin over the library: commands build a scan request, run it, and hand the
//! result to an output format.

mod advise;
mod check;
mod clean;
mod completions;
mod emit;
mod files;
mod fix;
mod graph;
mod man;
mod migrate;
mod output;
mod request;
mod rules;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::FailLevel;
use crate::formats::KubernetesRelease;
use crate::report::FormatSpec;

pub(crate) use crate::advise::report::AdviseFormat;

#[derive(Parser, Debug)]
#[command(
    name = "orchlint",
    version,
    about = "Lints container deployment specs (Compose, Kubernetes, Marathon) with exact locations, and advises which orchestrator fits them",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct ConfigArgs {
    /// Use this configuration file instead of searching for orchlint.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, global = true)]
    pub(crate) isolated: bool,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct WalkArgs {
    /// Files or directories to scan (`-` reads one document stream from stdin).
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// Do not honour .gitignore, .ignore and .orchlintignore.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// Only scan paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) include: Vec<String>,
    /// Skip paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Skip files larger than this many bytes (with a finding).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub(crate) max_file_size: u64,
    /// Follow symbolic links while walking.
    #[arg(long)]
    pub(crate) follow_symlinks: bool,
    /// The file name to use for stdin input (decides detection and is printed).
    #[arg(long, value_name = "NAME")]
    pub(crate) stdin_filename: Option<PathBuf>,
    /// Worker threads (0: one per core; at most 256).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub(crate) threads: u16,
}

// One value per run, parsed once: the size of `check`'s options costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Lint spec files and print findings.
    Check(Box<CheckArgs>),
    /// List the files a scan would consider and what each was detected as.
    Files {
        #[command(flatten)]
        walk: WalkArgs,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Infer each project's scale and statefulness and recommend the orchestrator that fits.
    Advise {
        #[command(flatten)]
        walk: WalkArgs,
        /// `human` (default), `markdown` (for a pull-request comment) or `json`.
        #[arg(long, value_enum, default_value = "human")]
        format: AdviseFormat,
    },
    /// Draw each project's services, dependencies, volumes and exposed ports.
    Graph {
        #[command(flatten)]
        walk: WalkArgs,
        /// `mermaid` (default) or `dot` (Graphviz).
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphFormat,
    },
    /// Write each project's specs for another orchestrator (the recommended one
    /// unless --to names it), with a MIGRATION.md of what is left for a person.
    Migrate {
        #[command(flatten)]
        walk: WalkArgs,
        /// The orchestrator to write specs for (default: the advisor's recommendation).
        #[arg(long, value_enum)]
        to: Option<MigrateTarget>,
        /// The folder to write into, one subfolder per project (never over the sources).
        #[arg(long, value_name = "DIR", default_value = "migrated")]
        out: PathBuf,
        /// Write into a folder that is not empty (files of the same name are replaced).
        #[arg(long)]
        force: bool,
    },
    /// List every rule.
    Rules {
        /// `text`, `json`, or `markdown` (the catalog of `docs/rules.md`).
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Print a rule's documentation.
    Rule {
        /// The rule name or `family/name`.
        name: String,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Run the language server for editors (LSP over stdin and stdout).
    Server,
    /// Remove the content cache of `check`, and say what was removed.
    Clean {
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Print a shell completion script (bash, elvish, fish, powershell, zsh).
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), or write one page per command into a directory.
    Man {
        /// Write orchlint.1 and orchlint-<command>.1 into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The options of `orchlint check`.
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) walk: WalkArgs,
    /// Output format, optionally written to a file: `human`, `concise`, `json`,
    /// `sarif`, `github`, `gitlab` or `junit`, as `FORMAT` (stdout) or
    /// `FORMAT=PATH` (repeatable; at most one to stdout; default: human on a
    /// terminal, concise otherwise).
    #[arg(long, value_name = "FORMAT[=PATH]")]
    pub(crate) format: Vec<FormatSpec>,
    /// Print the number of findings per rule instead of the findings (on
    /// stdout; formats written to files are still written).
    #[arg(long)]
    pub(crate) statistics: bool,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record this run's findings in a baseline file (then report none of them).
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Exit 0 even when findings reach the fail level (2 still means an error).
    #[arg(long)]
    pub(crate) exit_zero: bool,
    /// Report only findings in files changed since this git revision (and
    /// untracked files); projects are still read whole.
    #[arg(long, value_name = "REV")]
    pub(crate) changed_since: Option<String>,
    /// Read this directory for context (whole projects), but report only
    /// findings in the PATHS given (as a pre-commit hook passes them).
    #[arg(long, value_name = "DIR")]
    pub(crate) context: Option<PathBuf>,
    /// Run only these rules (names, `family/name`, families, `default` or `all`;
    /// comma-separated or repeated). Without it, the config's `select`, else the
    /// default set (`orchlint rules` marks which rules are in it).
    #[arg(long, value_delimiter = ',')]
    pub(crate) select: Option<Vec<String>>,
    /// Run these rules too (added to `--select` or to the config's selection).
    #[arg(long, value_delimiter = ',')]
    pub(crate) extend_select: Vec<String>,
    /// Do not run these rules (names, `family/name` or families).
    #[arg(long, value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
    /// Exit 1 when a finding reaches this severity.
    #[arg(long, value_enum)]
    pub(crate) fail_level: Option<FailLevel>,
    /// Judge Kubernetes API versions against this release (`1.29`; default: the
    /// config's `[kubernetes] version`, else the newest orchlint knows).
    #[arg(long, value_name = "X.Y")]
    pub(crate) kubernetes_version: Option<KubernetesRelease>,
    /// Validate custom resources against the CustomResourceDefinitions in these
    /// files or directories too (repeatable; read, not linted).
    #[arg(long = "crds", value_name = "PATH")]
    pub(crate) crds: Vec<std::path::PathBuf>,
    /// Say which files were skipped and why (on stderr).
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Colour in human output. `auto`: on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE (other than `0`) turns it on off a terminal too.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Apply the safe fixes of the findings (edits of the files in place; with
    /// `-`, print the fixed text), then report what remains.
    #[arg(long)]
    pub(crate) fix: bool,
    /// Also apply unsafe fixes with --fix (without it, count them as available).
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change and write nothing (exit 1
    /// when there is a change).
    #[arg(long)]
    pub(crate) diff: bool,
    /// Neither read nor write the content cache: parse and lint every file.
    #[arg(long)]
    pub(crate) no_cache: bool,
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
}

/// Where the content cache lives.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct CacheArgs {
    /// The cache directory (default: $ORCHLINT_CACHE_DIR, else the platform's
    /// cache directory, e.g. ~/.cache/orchlint).
    #[arg(long, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,
}

impl CacheArgs {
    /// The directory named, else the default one (none when the platform has no
    /// cache directory).
    pub(crate) fn dir(&self) -> Option<PathBuf> {
        self.cache_dir.clone().or_else(crate::cache::default_dir)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum GraphFormat {
    Mermaid,
    Dot,
}

/// `migrate --to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum MigrateTarget {
    Compose,
    Swarm,
    Kubernetes,
    Nomad,
    Dokku,
}

impl MigrateTarget {
    fn target(self) -> crate::migrate::Target {
        match self {
            MigrateTarget::Compose => crate::migrate::Target::Compose,
            MigrateTarget::Swarm => crate::migrate::Target::Swarm,
            MigrateTarget::Kubernetes => crate::migrate::Target::Kubernetes,
            MigrateTarget::Nomad => crate::migrate::Target::Nomad,
            MigrateTarget::Dokku => crate::migrate::Target::Dokku,
        }
    }
}

/// What ends a run before its command is done.
#[derive(Debug)]
pub enum Fatal {
    /// An error to print; the run exits with code 2.
    Error(String),
    /// The reader of stdout closed it (`orchlint check | head`): not an error, the
    /// run stops quietly.
    ClosedOutput,
}

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, Fatal> {
    if let Command::Server = cli.command {
        // The server writes protocol messages to stdout itself: no lock held here.
        let options = crate::server::Options {
            config: cli.config.config,
            isolated: cli.config.isolated,
        };
        crate::server::run_stdio(options).map_err(Fatal::Error)?;
        return Ok(0);
    }
    let stdout = std::io::stdout();
    // Large reports (JSON and SARIF of a monorepo run to tens of megabytes) go
    // out in few large writes.
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let code = dispatch(cli, &mut out)?;
    out.flush().map_err(output::io)?;
    Ok(code)
}

fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<i32, Fatal> {
    let config = &cli.config;
    match cli.command {
        Command::Check(args) => check::run(*args, config, out),
        Command::Files { walk, format } => files::run(&walk, &format, config, out),
        Command::Advise { walk, format } => advise::run(&walk, format, config, out),
        Command::Graph { walk, format } => graph::run(&walk, format, config, out),
        Command::Migrate {
            walk,
            to,
            out: dir,
            force,
        } => migrate::run(&walk, to, &dir, force, config, out),
        Command::Rules { format } => rules::list(&format, config, out),
        Command::Rule { name, format } => rules::describe(&name, &format, out),
        Command::Completions { shell } => completions::run(shell, out),
        // Served by `run` before stdout is locked.
        Command::Server => Ok(0),
        Command::Man { dir } => man::run(dir.as_deref(), out),
        Command::Clean { cache } => clean::run(&cache, out),
    }
}
