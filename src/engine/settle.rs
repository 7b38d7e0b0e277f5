//! The end of the scan: which findings are kept and how severe they are (the
//! configuration that applies to each file, `--select` and `--ignore`), which
//! suppressions silence them, and their order.

use rayon::prelude::*;
use std::cmp::Ordering;

use super::ScanRequest;
use crate::config::{Config, RuleSettings};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{RuleMeta, builtin};
use crate::project::SpecFile;
use crate::rules;
use crate::source::Format;
use crate::source::LineIndex;
use crate::suppress::{self, Suppressed, Suppression};

/// The rule settings of each file: its scanned path's configuration (with the
/// overrides that match it) and the command line's selection.
pub(super) fn settings_per_file(
    req: &ScanRequest,
    files: &[SpecFile],
    roots: &[usize],
) -> Vec<RuleSettings> {
    let default_config = Config::default();
    files
        .iter()
        .zip(roots.iter().chain(std::iter::repeat(&0)))
        .map(|(f, root)| {
            let config = req.configs.get(*root).unwrap_or(&default_config);
            // Per-path overrides match paths relative to the config file's folder.
            let mut s = if config.overrides.is_empty() && config.exemptions.is_empty() {
                config.rules.clone()
            } else {
                let abs = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
                let mut s = config.settings_for(&abs).into_owned();
                s.exempt = config.exemptions_for(&abs);
                s
            };
            if let Some(sel) = &req.cli_select {
                s.select = sel.clone();
            }
            s.select.extend(req.cli_extend_select.iter().cloned());
            s.ignore.extend(req.cli_ignore.iter().cloned());
            s
        })
        .collect()
}

/// Drops disabled rules, applies severity overrides and suppressions, reports
/// stale and unknown suppressions, and sorts. Returns the findings kept and, apart,
/// the findings suppressions silenced (with the reasons given).
pub(super) fn apply_settings_and_suppressions(
    files: &[SpecFile],
    settings: &[RuleSettings],
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut by_file: Vec<Vec<Diagnostic>> = (0..files.len()).map(|_| Vec::new()).collect();
    for d in diagnostics {
        if let Some(slot) = by_file.get_mut(d.file.0 as usize) {
            slot.push(d);
        }
    }
    let metas = rules::all_meta();
    // Each file's findings are settled and sorted on the worker threads; the files
    // then follow each other by path as shown. The result is the one stable sort of
    // all findings by `order` would give, without comparing paths per finding on one
    // thread.
    let mut settled: Vec<(Vec<Diagnostic>, Vec<Suppressed>)> = by_file
        .into_par_iter()
        .enumerate()
        .map(|(i, diags)| {
            let (mut kept, mut quiet) = settle_file(&files[i], &settings[i], diags, &metas);
            kept.sort_by(order_in_file);
            quiet.sort_by(|a, b| order_in_file(&a.diagnostic, &b.diagnostic));
            (kept, quiet)
        })
        .collect();
    let mut out = Vec::with_capacity(settled.iter().map(|(k, _)| k.len()).sum());
    let mut silenced = Vec::new();
    for run in by_display(files) {
        let start = (out.len(), silenced.len());
        for &i in &run {
            let (kept, quiet) = std::mem::take(&mut settled[i]);
            out.extend(kept);
            silenced.extend(quiet);
        }
        // Files shown under one path (rare) interleave their findings.
        if run.len() > 1 {
            out[start.0..].sort_by(order_in_file);
            silenced[start.1..].sort_by(|a, b| order_in_file(&a.diagnostic, &b.diagnostic));
        }
    }
    // A file shared by several projects (an `extends` template, a kustomize base)
    // is linted with each of them; say each finding once.
    out.dedup_by(|a, b| same(a, b));
    silenced.dedup_by(|a, b| same(&a.diagnostic, &b.diagnostic));
    (out, silenced)
}

/// The indexes of the files in order of their paths as shown, in runs of files
/// shown under one path (each run in index order).
fn by_display(files: &[SpecFile]) -> Vec<Vec<usize>> {
    let mut ids: Vec<usize> = (0..files.len()).collect();
    ids.sort_by(|&a, &b| files[a].display.cmp(&files[b].display));
    let mut runs: Vec<Vec<usize>> = Vec::with_capacity(ids.len());
    for i in ids {
        match runs.last_mut() {
            Some(run) if files[run[0]].display == files[i].display => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    runs
}

fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.file == b.file && a.span == b.span && std::ptr::eq(a.rule, b.rule) && a.message == b.message
}

/// The findings of one file that its settings and suppressions keep, with the
/// findings about its suppressions.
fn settle_file(
    file: &SpecFile,
    s: &RuleSettings,
    diags: Vec<Diagnostic>,
    metas: &[&'static RuleMeta],
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut kept: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| s.enabled(d.rule))
        .map(|mut d| {
            // A finding keeps the severity its rule gave it (the rule's default, or
            // less where the engine only ignores what is wrong) unless configured.
            d.severity = s.severity_set(d.rule).unwrap_or(d.severity);
            d
        })
        .collect();
    let mut silenced = Vec::new();
    let marked = file.text.contains("orchlint-ignore") || file.text.contains(suppress::ANNOTATION);
    if marked && !s.inline {
        kept.extend(forbidden(file, s));
    } else if marked {
        let sups;
        (kept, silenced, sups) = silence(file, kept);
        kept.extend(suppression_findings(file, s, &sups, metas));
    }
    if !s.exempt.is_empty() {
        let (rest, exempted) = exempt(file, s, kept);
        kept = rest;
        silenced.extend(exempted);
    }
    (kept, silenced)
}

/// Splits the findings into those no `[[exempt]]` entry covers and those one does
/// (suppressed as `external`, with the entry's reason).
fn exempt(
    file: &SpecFile,
    s: &RuleSettings,
    diags: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut kept = Vec::new();
    let mut exempted = Vec::new();
    for d in diags {
        let object = || object_at(file, d.span);
        let by = s.exempt.iter().find(|e| {
            crate::config::selector_matches(&e.rule, d.rule)
                && (e.kind.is_none() && e.namespace.is_none() && e.name.is_none()
                    || object().is_some_and(|o| o.is(e)))
        });
        match by {
            Some(e) => exempted.push(Suppressed {
                justification: Some(e.reason.clone()),
                diagnostic: d,
                kind: suppress::Kind::External,
            }),
            None => kept.push(d),
        }
    }
    (kept, exempted)
}

/// A Kubernetes object's kind, namespace and name.
struct Object<'a> {
    kind: Option<&'a str>,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
}

impl Object<'_> {
    /// Does the exemption name this object? An object without a namespace is in
    /// `default`.
    fn is(&self, e: &crate::config::ObjectExempt) -> bool {
        let same = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == have)
        };
        same(&e.kind, self.kind)
            && same(&e.name, self.name)
            && same(&e.namespace, Some(self.namespace.unwrap_or("default")))
    }
}

/// The innermost Kubernetes object (a document, or an item of a List) whose span
/// holds the start of `span`.
fn object_at(file: &SpecFile, span: crate::source::Span) -> Option<Object<'_>> {
    if file.format != Some(Format::Kubernetes) {
        return None;
    }
    let holds = |n: &crate::yaml::Node| n.span.start <= span.start && span.start < n.span.end;
    let mut node = file.docs.iter().find(|n| holds(n))?;
    while let Some(item) = node
        .get("items")
        .and_then(crate::yaml::Node::as_sequence)
        .and_then(|items| items.iter().find(|n| holds(n)))
    {
        node = item;
    }
    Some(Object {
        kind: node.get("kind").and_then(crate::yaml::Node::as_str),
        namespace: node
            .at(&["metadata", "namespace"])
            .and_then(crate::yaml::Node::as_str),
        name: node
            .at(&["metadata", "name"])
            .and_then(crate::yaml::Node::as_str),
    })
}

/// The file's suppressions, with `inline = false`: each one reported, none applied.
fn forbidden(file: &SpecFile, s: &RuleSettings) -> Vec<Diagnostic> {
    if !s.enabled(&builtin::INLINE_FORBIDDEN) {
        return Vec::new();
    }
    all_suppressions(file)
        .iter()
        .filter_map(|sup| {
            let span = crate::source::Span::new(
                sup.entries.first()?.span.start as usize,
                sup.entries.last()?.span.end as usize,
            );
            let mut d = Diagnostic::new(
                &builtin::INLINE_FORBIDDEN,
                file.id,
                span,
                "suppressions in files are turned off by the configuration; this one is ignored"
                    .to_string(),
            )
            .with_help("remove it, or accept the finding in orchlint.toml (`ignore`, `overrides`)");
            d.severity = s.severity_of(d.rule);
            Some(d)
        })
        .collect()
}

/// The comment suppressions of a file and, in Kubernetes files, its annotations.
fn all_suppressions(file: &SpecFile) -> Vec<Suppression> {
    let index = LineIndex::new(&file.text);
    let mut sups = suppress::from_comments(&file.text, &index);
    if file.format == Some(Format::Kubernetes) {
        sups.extend(suppress::from_annotations(&file.docs));
    }
    sups
}

/// Splits the findings into those the file's suppressions leave and those they
/// cover (with the first covering suppression's reason); returns the suppressions
/// too, each entry marked when it silenced something.
fn silence(
    file: &SpecFile,
    diags: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Suppressed>, Vec<Suppression>) {
    let index = LineIndex::new(&file.text);
    let mut sups = all_suppressions(file);
    let mut kept = Vec::new();
    let mut silenced = Vec::new();
    for d in diags {
        let line = index.line_col(&file.text, d.span.start).line;
        // Each matching entry counts as used; the first suppression gives the reason.
        let mut by: Option<Option<String>> = None;
        for sup in sups.iter_mut() {
            if !sup.covers(line, d.span) {
                continue;
            }
            for e in sup.entries.iter_mut() {
                if suppress::name_matches(&e.name, d.rule) {
                    e.used = true;
                    if by.is_none() {
                        by = Some(sup.reason.clone());
                    }
                }
            }
        }
        match by {
            None => kept.push(d),
            Some(justification) => silenced.push(Suppressed {
                diagnostic: d,
                kind: suppress::Kind::InSource,
                justification,
            }),
        }
    }
    (kept, silenced, sups)
}

/// Suppressions of names that are no rule, suppressions that silenced nothing,
/// and (with `require-reason`) suppressions that give no reason.
fn suppression_findings(
    file: &SpecFile,
    s: &RuleSettings,
    sups: &[Suppression],
    metas: &[&'static RuleMeta],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if s.require_reason && s.enabled(&builtin::MISSING_REASON) {
        for sup in sups.iter().filter(|sup| sup.reason.is_none()) {
            let (Some(first), Some(last)) = (sup.entries.first(), sup.entries.last()) else {
                continue;
            };
            let mut d = Diagnostic::new(
                &builtin::MISSING_REASON,
                file.id,
                crate::source::Span::new(first.span.start as usize, last.span.end as usize),
                "suppression gives no reason".to_string(),
            )
            .with_help("say why after ` -- `: `orchlint-ignore: RULE -- reason`");
            d.severity = s.severity_of(d.rule);
            out.push(d);
        }
    }
    for e in sups.iter().flat_map(|sup| &sup.entries) {
        let known: Vec<_> = metas
            .iter()
            .filter(|m| suppress::name_matches(&e.name, m))
            .collect();
        if known.is_empty() {
            let hint = crate::source::closest(&e.name, metas.iter().map(|m| m.name))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let d = Diagnostic::new(
                &builtin::UNKNOWN_RULE,
                file.id,
                e.span,
                format!("`{}` is not a rule or family{hint}", e.name),
            );
            if s.enabled(d.rule) {
                out.push(d);
            }
        } else if !e.used && known.iter().any(|m| s.enabled(m)) {
            let mut d = Diagnostic::new(
                &builtin::UNUSED_SUPPRESSION,
                file.id,
                e.span,
                format!("suppression of `{}` matches no finding", e.name),
            )
            .with_help("remove it, or move it to the line of the finding");
            if s.enabled(d.rule) {
                d.severity = s.severity_of(d.rule);
                out.push(d);
            }
        }
    }
    out
}

/// By file as shown, place, rule, then message.
pub(super) fn order(files: &[SpecFile], a: &Diagnostic, b: &Diagnostic) -> Ordering {
    let fa = &files[a.file.0 as usize].display;
    let fb = &files[b.file.0 as usize].display;
    fa.cmp(fb).then_with(|| order_in_file(a, b))
}

/// `order` among findings of files shown under one path: place, rule, message.
fn order_in_file(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    a.span
        .start
        .cmp(&b.span.start)
        .then(a.span.end.cmp(&b.span.end))
        .then_with(|| a.rule.family.as_str().cmp(b.rule.family.as_str()))
        .then_with(|| a.rule.name.cmp(b.rule.name))
        .then_with(|| a.message.cmp(&b.message))
}
