//! `orchlint check`: scan, narrow the findings (`--context`, `--changed-since`,
//! baselines), write them in each format asked for, and decide the exit code.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::Path;

use super::emit::{Emitter, keep_reported};
use super::fix as fixing;
use super::output::same_target_key;
use super::request::{missing, request};
use super::{CheckArgs, ColorChoice, ConfigArgs, Fatal, WalkArgs};
use crate::baseline::{Applier, Baseline, Recorder, Stale};
use crate::config::{self, FailLevel};
use crate::engine::{self, ChunkSink, Scan};
use crate::report::{FormatSpec, OutputFormat};
use crate::source::changed::{self, ReportFilter};

/// Runs `orchlint check`; returns the exit code (1 when a finding reaches the fail
/// level, unless `--exit-zero`).
pub(super) fn run(args: CheckArgs, cfg: &ConfigArgs, out: &mut dyn Write) -> Result<i32, Fatal> {
    let CheckArgs {
        mut walk,
        format,
        statistics,
        baseline,
        write_baseline,
        exit_zero,
        changed_since,
        context,
        select,
        extend_select,
        ignore,
        fail_level,
        kubernetes_version,
        crds,
        verbose,
        color,
        fix,
        unsafe_fixes,
        diff,
        no_cache,
        cache,
    } = args;
    if walk.threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(walk.threads))
            .build_global();
    }
    check_format_targets(&format)?;
    let reads_stdin = walk.paths.iter().any(|p| p.as_os_str() == "-");
    if reads_stdin && (changed_since.is_some() || context.is_some()) {
        return Err(Fatal::Error(
            "--changed-since and --context need files, not stdin".into(),
        ));
    }
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::Error(format!("cannot read the working directory: {e}")))?;
    let mut filters: Vec<ReportFilter> = Vec::new();
    if let Some(dir) = &context {
        filters.push(walk_context(&mut walk, dir, &cwd)?);
    }
    if let Some(rev) = &changed_since {
        let files = changed::changed_since(rev, &cwd).map_err(Fatal::Error)?;
        filters.push(ReportFilter::new(files, &cwd));
    }
    let mut req = request(&walk, cfg)?;
    if let Some(sel) = &select {
        config::check_selectors(sel, "--select").map_err(|e| Fatal::Error(e.0))?;
    }
    config::check_selectors(&ignore, "--ignore").map_err(|e| Fatal::Error(e.0))?;
    req.cli_select = select;
    config::check_selectors(&extend_select, "--extend-select").map_err(|e| Fatal::Error(e.0))?;
    req.cli_ignore = ignore;
    req.cli_extend_select = extend_select;
    req.kubernetes_version = kubernetes_version;
    req.crd_paths = crds;
    // Read the baseline before scanning, so a broken one fails fast.
    let loaded_baseline = baseline.as_deref().map(read_baseline).transpose()?;
    if (fix || diff) && write_baseline.is_some() {
        return Err(Fatal::Error(
            "--write-baseline records findings; run --fix or --diff on their own".into(),
        ));
    }
    if diff {
        return fixing::diff(&req, &filters, &cwd, unsafe_fixes, out);
    }
    let is_tty = std::io::stdout().is_terminal() && !(fix && reads_stdin);
    let color = use_color(color, is_tty, |name| std::env::var_os(name));
    let level = fail_level
        .or_else(|| req.configs.iter().find_map(|c| c.fail_level))
        .unwrap_or(FailLevel::Warning);
    let key_paths = baseline.is_some()
        || write_baseline.is_some()
        || format
            .iter()
            .any(|f| matches!(f.format, OutputFormat::Sarif | OutputFormat::Gitlab));
    let specs = with_default_output(format, statistics, is_tty);
    // Only the findings' run reads the cache: `--fix` needs every file's tree.
    let cache_dir = if no_cache || fix { None } else { cache.dir() };
    if !fix {
        // Without fixes, the scan goes in chunks (through the cache: those it
        // rescans and those it reads back), each narrowed (filters, baselines) and
        // written into the reports as it comes: nothing of it is held after but a
        // count per baseline key.
        let mut emit = Emitter::new(&specs, statistics, color, level, unsafe_fixes)?;
        let mut narrowed = Narrowed {
            emit: &mut emit,
            filters: &filters,
            cwd: &cwd,
            record: write_baseline.as_deref().map(|p| Recorder::new(p, &cwd)),
            apply: loaded_baseline
                .as_ref()
                .zip(baseline.as_deref())
                .map(|(b, p)| Applier::new(b, p, &cwd)),
        };
        let reported = |path: &Path| filters.iter().all(|f| f.covers(path, &cwd));
        let streamed = match &cache_dir {
            Some(dir) => engine::run_cached(&req, Some(dir), key_paths, &reported, &mut narrowed),
            None => engine::run_streamed(&req, key_paths, &mut narrowed).map(|_| (None, None)),
        };
        let Narrowed { record, apply, .. } = narrowed;
        if let Some(fatal) = emit.take_fatal() {
            return Err(fatal);
        }
        let (used, listing) = streamed.map_err(Fatal::Error)?;
        if let (Some(r), Some(p)) = (record, &write_baseline) {
            write_recorded(r, p)?;
        }
        if let (Some(a), Some(p)) = (&apply, &baseline) {
            let stale = a.stale();
            if !stale.is_empty() {
                print_stale(&stale, p);
            }
        }
        if verbose {
            emit.print_skipped();
            say_cache_use(used, listing);
        }
        emit.say_if_no_spec(verbose);
        let failed = emit.failed();
        let fixable = emit.fixable();
        emit.finish(out)?;
        if !statistics {
            fixing::hint(fixable, unsafe_fixes);
        }
        return Ok(i32::from(failed && !exit_zero));
    }
    // With `--fix` and stdin, stdout carries the fixed text: findings go to stderr.
    let mut stderr = std::io::stderr();
    let (mut scan, fixed) = fixing::apply(&req, &filters, &cwd, unsafe_fixes, out)?;
    let out: &mut dyn Write = if reads_stdin { &mut stderr } else { out };
    refuse_scanned_targets(&specs, &scan)?;
    keep_reported(&mut scan, &filters, &cwd);
    if let Some(p) = &write_baseline {
        record_baseline(&mut scan, p, &cwd)?;
    }
    if let (Some(b), Some(p)) = (&loaded_baseline, &baseline) {
        apply_baseline(&mut scan, b, p, &cwd);
    }
    // The whole scan is the one chunk of the same outputs.
    let mut emit = Emitter::new(&specs, statistics, color, level, unsafe_fixes)?;
    emit.add(&scan)?;
    if verbose {
        emit.print_skipped();
    }
    emit.say_if_no_spec(verbose);
    let failed = emit.failed();
    emit.finish(out)?;
    fixing::summary(&fixed, &scan, unsafe_fixes);
    if fixed.failed {
        return Ok(2);
    }
    Ok(i32::from(failed && !exit_zero))
}

/// With `--verbose`: what the cache did, on stderr.
fn say_cache_use(used: Option<engine::CacheUse>, listing: Option<engine::FileList>) {
    if let Some(c) = used {
        eprintln!(
            "orchlint: cache: {} file{} scanned, findings of {} reused, {} hashed",
            c.scanned,
            if c.scanned == 1 { "" } else { "s" },
            c.reused,
            c.hashed
        );
    }
    let plural = |n: usize| if n == 1 { "y" } else { "ies" };
    match listing {
        Some(engine::FileList::Walked { dirs }) => {
            eprintln!("orchlint: walk: {dirs} director{} read", plural(dirs));
        }
        Some(engine::FileList::Recorded { dirs }) => eprintln!(
            "orchlint: walk: files listed from the cache, {dirs} director{} unchanged",
            plural(dirs)
        ),
        None => {}
    }
}

/// Fails unless at most one `--format` goes to stdout and no file is the target of
/// two.
fn check_format_targets(specs: &[FormatSpec]) -> Result<(), Fatal> {
    let to_stdout = specs.iter().filter(|f| f.path.is_none()).count();
    if to_stdout > 1 {
        return Err(Fatal::Error(
            "at most one --format can go to stdout; give the others a file (`--format sarif=orchlint.sarif`)".into(),
        ));
    }
    let mut targets = HashSet::new();
    for f in specs.iter().filter_map(|f| f.path.as_ref()) {
        if !targets.insert(same_target_key(f)) {
            return Err(Fatal::Error(format!(
                "{} is the target of two --format options",
                f.display()
            )));
        }
    }
    Ok(())
}

/// Fails when a `--format` file is one of the files scanned: the report would
/// replace the spec.
fn refuse_scanned_targets(specs: &[FormatSpec], scan: &Scan) -> Result<(), Fatal> {
    for p in specs.iter().filter_map(|f| f.path.as_ref()) {
        let Ok(target) = std::fs::canonicalize(p) else {
            continue;
        };
        let name = target.file_name();
        let scanned = scan.files.iter().any(|f| {
            f.path.file_name() == name && std::fs::canonicalize(&f.path).is_ok_and(|c| c == target)
        });
        if scanned {
            return Err(Fatal::Error(format!(
                "--format {}: that file is one of the scanned inputs; write the report elsewhere",
                p.display()
            )));
        }
    }
    Ok(())
}

/// With `--context DIR`: the walk covers the directory (and any named path outside
/// it) instead of the named paths; returns the filter that limits findings to them.
fn walk_context(walk: &mut WalkArgs, dir: &Path, cwd: &Path) -> Result<ReportFilter, Fatal> {
    if !dir.is_dir() {
        return Err(Fatal::Error(format!(
            "--context {}: not a directory",
            dir.display()
        )));
    }
    let named = std::mem::take(&mut walk.paths);
    let root = crate::source::normalize(&cwd.join(dir));
    walk.paths.push(dir.to_path_buf());
    for p in &named {
        if !p.exists() {
            return Err(missing(p));
        }
        if !crate::source::normalize(&cwd.join(p)).starts_with(&root) {
            walk.paths.push(p.clone());
        }
    }
    Ok(ReportFilter::new(named, cwd))
}

/// The baseline in the `--baseline` file.
fn read_baseline(p: &Path) -> Result<Baseline, Fatal> {
    let text = std::fs::read_to_string(p)
        .map_err(|e| Fatal::Error(format!("cannot read baseline {}: {e}", p.display())))?;
    Baseline::parse(&text)
        .map_err(|e| Fatal::Error(format!("{}: not an orchlint baseline: {e}", p.display())))
}

/// With `--write-baseline`: records the findings in the file and says so on stderr,
/// then drops them (what was just recorded is not new).
fn record_baseline(scan: &mut Scan, p: &Path, cwd: &Path) -> Result<(), Fatal> {
    let mut r = Recorder::new(p, cwd);
    r.add(&scan.files, &scan.diagnostics);
    write_recorded(r, p)?;
    scan.diagnostics.clear();
    Ok(())
}

/// Writes the findings recorded into the baseline file `p` and says so on stderr.
fn write_recorded(r: Recorder, p: &Path) -> Result<(), Fatal> {
    let findings = r.findings;
    let b = r.finish();
    crate::source::atomic::write(p, b.to_json().as_bytes())
        .map_err(|e| Fatal::Error(format!("cannot write baseline {}: {e}", p.display())))?;
    eprintln!(
        "orchlint: recorded {} finding{} in {} baseline entr{} in {}",
        findings,
        if findings == 1 { "" } else { "s" },
        b.entries.len(),
        if b.entries.len() == 1 { "y" } else { "ies" },
        p.display()
    );
    Ok(())
}

/// A streamed scan's chunks narrowed as the whole scan's findings are: to the
/// files `--context` and `--changed-since` cover, then recorded into a new
/// baseline (and dropped: what was just recorded is not new), then without the
/// findings a loaded baseline covers; then written into the reports.
struct Narrowed<'e, 'a> {
    emit: &'e mut Emitter<'a>,
    filters: &'a [ReportFilter],
    cwd: &'a Path,
    record: Option<Recorder>,
    apply: Option<Applier<'a>>,
}

impl ChunkSink for Narrowed<'_, '_> {
    fn restart(&mut self) {
        if let Some(r) = &mut self.record {
            r.restart();
        }
        if let Some(a) = &mut self.apply {
            a.restart();
        }
        self.emit.restart();
    }

    fn chunk(&mut self, mut chunk: Scan) -> Result<(), String> {
        keep_reported(&mut chunk, self.filters, self.cwd);
        if let Some(r) = &mut self.record {
            r.add(&chunk.files, &chunk.diagnostics);
            chunk.diagnostics.clear();
        }
        if let Some(a) = &mut self.apply {
            let diags = std::mem::take(&mut chunk.diagnostics);
            chunk.diagnostics = a.apply(&chunk.files, diags);
        }
        self.emit.chunk(chunk)
    }
}

/// With `--baseline`: drops the findings the baseline records, and lists on stderr
/// its entries that matched nothing.
fn apply_baseline(scan: &mut Scan, b: &Baseline, p: &Path, cwd: &Path) {
    let diags = std::mem::take(&mut scan.diagnostics);
    let (kept, stale) = b.apply(&scan.files, diags, p, cwd);
    scan.diagnostics = kept;
    if !stale.is_empty() {
        print_stale(&stale, p);
    }
}

/// The baseline entries that no longer occur, on stderr.
fn print_stale(stale: &[Stale], p: &Path) {
    let n: u32 = stale.iter().map(|s| s.unmatched).sum();
    eprintln!(
        "orchlint: {n} baseline finding{} in {} no longer occur{}; rerun with --write-baseline to drop {}:",
        if n == 1 { "" } else { "s" },
        p.display(),
        if n == 1 { "s" } else { "" },
        if n == 1 { "it" } else { "them" },
    );
    for s in stale {
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

/// Whether human output is coloured: `--color always` or `never`; with `auto`, not
/// when NO_COLOR is set (to anything but the empty string), yes when CLICOLOR_FORCE
/// is (to anything but `0`), otherwise on a terminal. `var` reads the environment.
fn use_color(
    color: ColorChoice,
    is_tty: bool,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                is_tty
            }
        }
    }
}

/// The outputs asked for, plus the default one on stdout (human on a terminal,
/// concise otherwise) when none goes there and none was asked for or
/// `--statistics` was.
fn with_default_output(
    mut specs: Vec<FormatSpec>,
    statistics: bool,
    is_tty: bool,
) -> Vec<FormatSpec> {
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
    specs
}
