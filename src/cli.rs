//! The command line: clap definitions and the commands behind them. Kept thin over
//! the library: commands build a scan request, run it, and hand the result to an
//! output format.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Config, FailLevel};
use crate::discover::WalkOptions;
use crate::engine::{self, ScanRequest, StdinInput};
use crate::report::{self, OutputFormat};
use crate::rules;

#[derive(Parser, Debug)]
#[command(
    name = "orchlint",
    version,
    about = "Lints container deployment specs (Compose, Kubernetes, Marathon) with exact locations",
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
        /// Output format (default: human on a terminal, concise otherwise).
        #[arg(long, value_enum)]
        format: Option<OutputFormat>,
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
            let mut req = request(&walk, &cli.config)?;
            if let Some(sel) = &select {
                config::check_selectors(sel, "--select").map_err(|e| Fatal(e.0))?;
            }
            config::check_selectors(&ignore, "--ignore").map_err(|e| Fatal(e.0))?;
            req.cli_select = select;
            req.cli_ignore = ignore;
            let scan = engine::run(&req).map_err(Fatal)?;
            if verbose {
                for f in &scan.files {
                    if let Some(reason) = &f.skipped {
                        eprintln!("orchlint: skipped {}: {reason}", f.display);
                    }
                }
            }
            let is_tty = std::io::stdout().is_terminal();
            let format = format.unwrap_or(if is_tty {
                OutputFormat::Human
            } else {
                OutputFormat::Concise
            });
            let use_color = match color.as_str() {
                "always" => true,
                "never" => false,
                _ => is_tty && std::env::var_os("NO_COLOR").is_none(),
            };
            match format {
                OutputFormat::Human => {
                    report::human::write(out, &scan.files, &scan.diagnostics, use_color)
                }
                OutputFormat::Concise => {
                    report::concise::write(out, &scan.files, &scan.diagnostics)
                }
                OutputFormat::Json => report::json::write(out, &scan.files, &scan.diagnostics),
            }
            .map_err(io)?;
            let level = fail_level
                .or_else(|| req.configs.iter().find_map(|c| c.fail_level))
                .unwrap_or(FailLevel::Warning);
            let failed = scan.diagnostics.iter().any(|d| level.fails(d.severity));
            Ok(i32::from(failed))
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
    }
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
