//! The command line: clap definitions and the commands behind them. Kept thin over
//! the library: commands build a scan request, run it, and hand the result to an
//! output format.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::baseline::Baseline;
use crate::changed::{self, ReportFilter};
use crate::config::{self, Config, FailLevel};
use crate::discover::WalkOptions;
use crate::engine::{self, ScanRequest, StdinInput};
use crate::report::{self, FormatSpec, OutputFormat};
use crate::rules;

#[derive(Parser, Debug)]
#[command(
    name = "orchlint",
    version,
    about = "Lints container deployment specs (Compose, Kubernetes, Marathon) with exact locations, and advises which orchestrator fits them",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// Use this configuration file instead of searching for orchlint.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, global = true)]
    pub isolated: bool,
}

#[derive(Args, Debug, Clone)]
pub struct WalkArgs {
    /// Files or directories to scan (`-` reads one document stream from stdin).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Do not honour .gitignore, .ignore and .orchlintignore.
    #[arg(long)]
    pub no_ignore: bool,
    /// Only scan paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Skip files larger than this many bytes (with a finding).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Follow symbolic links while walking.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// The file name to use for stdin input (decides detection and is printed).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint spec files and print findings.
    Check {
        #[command(flatten)]
        walk: WalkArgs,
        /// Output format, optionally written to a file: `human`, `concise`, `json`,
        /// `sarif`, `github`, `gitlab` or `junit`, as `FORMAT` (stdout) or
        /// `FORMAT=PATH` (repeatable; at most one to stdout; default: human on a
        /// terminal, concise otherwise).
        #[arg(long, value_name = "FORMAT[=PATH]")]
        format: Vec<FormatSpec>,
        /// Print the number of findings per rule instead of the findings (on
        /// stdout; formats written to files are still written).
        #[arg(long)]
        statistics: bool,
        /// Report only findings that this baseline file does not record.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Record this run's findings in a baseline file (then report none of them).
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
        /// Exit 0 even when findings reach the fail level (2 still means an error).
        #[arg(long)]
        exit_zero: bool,
        /// Report only findings in files changed since this git revision (and
        /// untracked files); projects are still read whole.
        #[arg(long, value_name = "REV")]
        changed_since: Option<String>,
        /// Read this directory for context (whole projects), but report only
        /// findings in the PATHS given (as a pre-commit hook passes them).
        #[arg(long, value_name = "DIR")]
        context: Option<PathBuf>,
        /// Run only these rules (names, `family/name`, families or `all`; comma-separated or repeated).
        #[arg(long, value_delimiter = ',')]
        select: Option<Vec<String>>,
        /// Do not run these rules (names, `family/name` or families).
        #[arg(long, value_delimiter = ',')]
        ignore: Vec<String>,
        /// Exit 1 when a finding reaches this severity.
        #[arg(long, value_enum)]
        fail_level: Option<FailLevel>,
        /// Say which files were skipped and why (on stderr).
        #[arg(long, short)]
        verbose: bool,
        /// Colour in human output: auto, always or never.
        #[arg(long, default_value = "auto")]
        color: String,
    },
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
    /// List every rule.
    Rules {
        /// `text` or `json`.
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
    /// Print a shell completion script (bash, elvish, fish, powershell, zsh).
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), or write one page per command into a directory.
    Man {
        /// Write orchlint.1 and orchlint-<command>.1 into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AdviseFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

/// An error that ends the run with exit code 2.
pub struct Fatal(pub String);

fn configs_for(paths: &[PathBuf], args: &ConfigArgs) -> Result<Vec<Config>, Fatal> {
    if args.isolated {
        return Ok(paths.iter().map(|_| Config::default()).collect());
    }
    if let Some(p) = &args.config {
        let c = config::load(p).map_err(|e| Fatal(e.0))?;
        return Ok(paths.iter().map(|_| c.clone()).collect());
    }
    let mut out = Vec::new();
    for p in paths {
        let start = if p.as_os_str() == "-" {
            PathBuf::from(".")
        } else {
            p.clone()
        };
        out.push(match config::find(&start) {
            Some(found) => config::load(&found).map_err(|e| Fatal(e.0))?,
            None => Config::default(),
        });
    }
    Ok(out)
}

fn request(walk: &WalkArgs, cfg: &ConfigArgs) -> Result<ScanRequest, Fatal> {
    let mut paths = Vec::new();
    let mut stdin = None;
    for p in &walk.paths {
        if p.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Fatal(format!("cannot read stdin: {e}")))?;
            let name = walk
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("stdin.yaml"));
            stdin = Some(StdinInput { name, text });
        } else {
            if !p.exists() {
                return Err(Fatal(format!("{}: no such file or directory", p.display())));
            }
            paths.push(p.clone());
        }
    }
    let mut config_roots = paths.clone();
    if config_roots.is_empty() {
        config_roots.push(PathBuf::from("-"));
    }
    let configs = configs_for(&config_roots, cfg)?;
    Ok(ScanRequest {
        paths,
        stdin,
        walk: WalkOptions {
            no_ignore: walk.no_ignore,
            include: walk.include.clone(),
            exclude: walk.exclude.clone(),
            max_file_size: walk.max_file_size,
            follow_symlinks: walk.follow_symlinks,
            threads: walk.threads,
        },
        configs,
        cli_select: None,
        cli_ignore: Vec::new(),
        skip_rules: false,
        advise: false,
    })
}

fn io(e: std::io::Error) -> Fatal {
    Fatal(format!("cannot write output: {e}"))
}

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, Fatal> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = dispatch(cli, &mut out)?;
    out.flush().map_err(io)?;
    Ok(code)
}

fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<i32, Fatal> {
    match cli.command {
        Command::Check {
            walk,
            format,
            statistics,
            baseline,
            write_baseline,
            exit_zero,
            changed_since,
            context,
            select,
            ignore,
            fail_level,
            verbose,
            color,
        } => {
            if walk.threads > 0 {
                let _ = rayon::ThreadPoolBuilder::new()
                    .num_threads(walk.threads)
                    .build_global();
            }
            let to_stdout = format.iter().filter(|f| f.path.is_none()).count();
            if to_stdout > 1 {
                return Err(Fatal(
                    "at most one --format can go to stdout; give the others a file (`--format sarif=orchlint.sarif`)".into(),
                ));
            }
            let mut targets = std::collections::HashSet::new();
            for f in format.iter().filter_map(|f| f.path.as_ref()) {
                if !targets.insert(f) {
                    return Err(Fatal(format!(
                        "{} is the target of two --format options",
                        f.display()
                    )));
                }
            }
            let reads_stdin = walk.paths.iter().any(|p| p.as_os_str() == "-");
            if reads_stdin && (changed_since.is_some() || context.is_some()) {
                return Err(Fatal(
                    "--changed-since and --context need files, not stdin".into(),
                ));
            }
            let cwd = std::env::current_dir()
                .map_err(|e| Fatal(format!("cannot read the working directory: {e}")))?;
            // With --context, the walk covers the context directory (and any named
            // path outside it); findings are limited to the named paths.
            let mut walk = walk;
            let mut filters: Vec<ReportFilter> = Vec::new();
            if let Some(dir) = &context {
                if !dir.is_dir() {
                    return Err(Fatal(format!(
                        "--context {}: not a directory",
                        dir.display()
                    )));
                }
                let named = std::mem::take(&mut walk.paths);
                let root = changed::normalize(&cwd.join(dir));
                walk.paths.push(dir.clone());
                for p in &named {
                    if !p.exists() {
                        return Err(Fatal(format!("{}: no such file or directory", p.display())));
                    }
                    if !changed::normalize(&cwd.join(p)).starts_with(&root) {
                        walk.paths.push(p.clone());
                    }
                }
                filters.push(ReportFilter::new(named, &cwd));
            }
            if let Some(rev) = &changed_since {
                let files = changed::changed_since(rev, &cwd).map_err(Fatal)?;
                filters.push(ReportFilter::new(files, &cwd));
            }
            let mut req = request(&walk, &cli.config)?;
            if let Some(sel) = &select {
                config::check_selectors(sel, "--select").map_err(|e| Fatal(e.0))?;
            }
            config::check_selectors(&ignore, "--ignore").map_err(|e| Fatal(e.0))?;
            req.cli_select = select;
            req.cli_ignore = ignore;
            // Read the baseline before scanning, so a broken one fails fast.
            let loaded_baseline = match &baseline {
                Some(p) => {
                    let text = std::fs::read_to_string(p)
                        .map_err(|e| Fatal(format!("cannot read baseline {}: {e}", p.display())))?;
                    Some(Baseline::parse(&text).map_err(|e| {
                        Fatal(format!("{}: not an orchlint baseline: {e}", p.display()))
                    })?)
                }
                None => None,
            };
            let mut scan = engine::run(&req).map_err(Fatal)?;
            if verbose {
                for f in &scan.files {
                    if let Some(reason) = &f.skipped {
                        eprintln!("orchlint: skipped {}: {reason}", f.display);
                    }
                }
            }
            if !filters.is_empty() {
                let files = &scan.files;
                scan.diagnostics.retain(|d| {
                    let path = &files[d.file.0 as usize].path;
                    filters.iter().all(|f| f.covers(path, &cwd))
                });
            }
            if let Some(p) = &write_baseline {
                let b = crate::baseline::build(&scan.files, &scan.diagnostics, p, &cwd);
                crate::atomic::write(p, b.to_json().as_bytes())
                    .map_err(|e| Fatal(format!("cannot write baseline {}: {e}", p.display())))?;
                eprintln!(
                    "orchlint: recorded {} finding{} in {} baseline entr{} in {}",
                    scan.diagnostics.len(),
                    if scan.diagnostics.len() == 1 { "" } else { "s" },
                    b.entries.len(),
                    if b.entries.len() == 1 { "y" } else { "ies" },
                    p.display()
                );
                // What was just recorded is not new.
                let diags = std::mem::take(&mut scan.diagnostics);
                scan.diagnostics = b.apply(&scan.files, diags, p, &cwd).0;
            }
            if let (Some(b), Some(p)) = (&loaded_baseline, &baseline) {
                let diags = std::mem::take(&mut scan.diagnostics);
                let (kept, stale) = b.apply(&scan.files, diags, p, &cwd);
                scan.diagnostics = kept;
                if !stale.is_empty() {
                    let n: u32 = stale.iter().map(|s| s.unmatched).sum();
                    eprintln!(
                        "orchlint: {n} baseline finding{} in {} no longer occur{}; rerun with --write-baseline to drop {}:",
                        if n == 1 { "" } else { "s" },
                        p.display(),
                        if n == 1 { "s" } else { "" },
                        if n == 1 { "it" } else { "them" },
                    );
                    for s in &stale {
                        let times = if s.unmatched > 1 {
                            format!(" (x{})", s.unmatched)
                        } else {
                            String::new()
                        };
                        let at = if s.entry.path.is_empty() {
                            String::new()
                        } else {
                            format!(" at {}", s.entry.path)
                        };
                        eprintln!("  {} {}{at}{times}", s.entry.rule, s.entry.file);
                    }
                }
            }
            let is_tty = std::io::stdout().is_terminal();
            let use_color = match color.as_str() {
                "always" => true,
                "never" => false,
                _ => is_tty && std::env::var_os("NO_COLOR").is_none(),
            };
            let mut specs = format;
            if specs.iter().all(|f| f.path.is_some()) && (specs.is_empty() || statistics) {
                specs.push(FormatSpec {
                    format: if is_tty {
                        OutputFormat::Human
                    } else {
                        OutputFormat::Concise
                    },
                    path: None,
                });
            }
            for spec in &specs {
                match &spec.path {
                    None if statistics => {
                        if spec.format == OutputFormat::Json {
                            report::statistics::write_json(out, &scan.diagnostics)
                        } else {
                            report::statistics::write_text(out, &scan.diagnostics)
                        }
                        .map_err(io)?;
                    }
                    None => {
                        report::write(spec.format, out, &scan.files, &scan.diagnostics, use_color)
                            .map_err(io)?
                    }
                    Some(path) => {
                        let mut buf = Vec::new();
                        report::write(spec.format, &mut buf, &scan.files, &scan.diagnostics, false)
                            .map_err(io)?;
                        crate::atomic::write(path, &buf)
                            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
                    }
                }
            }
            let level = fail_level
                .or_else(|| req.configs.iter().find_map(|c| c.fail_level))
                .unwrap_or(FailLevel::Warning);
            let failed = scan.diagnostics.iter().any(|d| level.fails(d.severity));
            Ok(i32::from(failed && !exit_zero))
        }
        Command::Advise { walk, format } => {
            let mut req = request(&walk, &cli.config)?;
            req.skip_rules = true;
            req.advise = true;
            let scan = engine::run(&req).map_err(Fatal)?;
            let advice: Vec<&crate::advise::Advice> = scan.advice.iter().flatten().collect();
            let left_out = scan.advice.iter().filter(|a| a.is_none()).count();
            match format {
                AdviseFormat::Human => {
                    crate::advise::report::write_human(out, &scan.files, &advice, left_out)
                }
                AdviseFormat::Markdown => {
                    crate::advise::report::write_markdown(out, &scan.files, &advice, left_out)
                }
                AdviseFormat::Json => {
                    crate::advise::report::write_json(out, &scan.files, &advice, left_out)
                }
            }
            .map_err(io)?;
            Ok(0)
        }
        Command::Graph { walk, format } => {
            let mut req = request(&walk, &cli.config)?;
            req.skip_rules = true;
            let scan = engine::run(&req).map_err(Fatal)?;
            let mut first = true;
            for (project, model) in scan.projects.iter().zip(&scan.models) {
                if model.workloads.is_empty() {
                    continue;
                }
                if !first {
                    writeln!(out).map_err(io)?;
                }
                first = false;
                let g = crate::advise::graph::build(model);
                let text = match format {
                    GraphFormat::Mermaid => crate::advise::graph::mermaid(project, &g),
                    GraphFormat::Dot => crate::advise::graph::dot(project, &g),
                };
                out.write_all(text.as_bytes()).map_err(io)?;
            }
            if first {
                return Err(Fatal("no project with workloads found".into()));
            }
            Ok(0)
        }
        Command::Files { walk, format } => {
            let req = request(&walk, &cli.config)?;
            let loaded = engine::load_files(&req).map_err(Fatal)?;
            write_files(out, &loaded.files, &format).map_err(io)?;
            Ok(0)
        }
        Command::Rules { format } => {
            // The configuration that applies here decides what is on and how severe.
            let config = configs_for(&[PathBuf::from(".")], &cli.config)?
                .pop()
                .unwrap_or_default();
            write_rules(out, &format, &config.rules).map_err(io)?;
            Ok(0)
        }
        Command::Rule { name, format } => {
            let Some(meta) = rules::find(&name) else {
                let names = rules::all_meta();
                let hint = config::closest(&name, names.iter().map(|m| m.name))
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                return Err(Fatal(format!("no rule named `{name}`{hint}")));
            };
            crate::docs::write_rule(out, meta, &format).map_err(io)?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "orchlint", out);
            Ok(0)
        }
        Command::Man { dir } => {
            let cmd = Cli::command();
            match dir {
                None => clap_mangen::Man::new(cmd).render(out).map_err(io)?,
                Some(dir) => {
                    for (name, page) in man_pages(cmd).map_err(io)? {
                        let path = dir.join(&name);
                        crate::atomic::write(&path, &page)
                            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
                    }
                }
            }
            Ok(0)
        }
    }
}

/// `orchlint.1` and one page per command (`orchlint-check.1`, ...).
pub fn man_pages(cmd: clap::Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    let mut top = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut top)?;
    pages.push(("orchlint.1".to_string(), top));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("orchlint-{}", sub.get_name());
        let sub = sub.clone().name(name.clone()).display_name(name.clone());
        let mut page = Vec::new();
        clap_mangen::Man::new(sub).render(&mut page)?;
        pages.push((format!("{name}.1"), page));
    }
    Ok(pages)
}

fn write_files(
    out: &mut dyn Write,
    files: &[crate::project::SpecFile],
    format: &str,
) -> std::io::Result<()> {
    if format == "json" {
        let rows: Vec<serde_json::Value> = files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "path": f.display,
                    "kind": f.format.map_or("skipped", |k| k.as_str()),
                    "variant": f.variant(),
                    "reason": f.skipped,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    let width = files.iter().map(|f| f.display.len()).max().unwrap_or(0);
    for f in files {
        let kind = |k: &crate::model::Format| match f.variant() {
            Some(v) => format!("{}: {v}", k.as_str()),
            None => k.as_str().to_string(),
        };
        match (&f.format, &f.skipped) {
            (Some(k), None) => writeln!(out, "{:width$}  {}", f.display, kind(k))?,
            (Some(k), Some(r)) => writeln!(out, "{:width$}  {} ({r})", f.display, kind(k))?,
            (None, r) => writeln!(
                out,
                "{:width$}  skipped ({})",
                f.display,
                r.as_deref().unwrap_or("not a spec")
            )?,
        }
    }
    Ok(())
}

fn write_rules(
    out: &mut dyn Write,
    format: &str,
    settings: &config::RuleSettings,
) -> std::io::Result<()> {
    let metas = rules::all_meta();
    if format == "json" {
        let rows: Vec<serde_json::Value> = metas
            .iter()
            .map(|m| {
                serde_json::json!({
                    "rule": m.code(),
                    "name": m.name,
                    "family": m.family,
                    "severity": settings.severity_of(m).as_str(),
                    "default_severity": m.severity.as_str(),
                    "enabled": settings.enabled(m),
                    "formats": m.formats.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                    "summary": m.summary,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    let width = metas.iter().map(|m| m.code().len()).max().unwrap_or(0);
    for m in metas {
        let formats: Vec<&str> = m.formats.iter().map(|f| f.as_str()).collect();
        let severity = if settings.enabled(m) {
            settings.severity_of(m).as_str()
        } else {
            "off"
        };
        writeln!(
            out,
            "{:width$}  {:7}  {:28}  {}",
            m.code(),
            severity,
            formats.join(","),
            m.summary
        )?;
    }
    Ok(())
}
