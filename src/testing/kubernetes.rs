//! Kubernetes spec files from texts, and rules run over them.

use crate::diagnostic::Diagnostic;
use crate::formats::kubernetes::read;
use crate::model::lower::kubernetes::lower;
use crate::project::kubernetes::group;
use crate::project::{SpecFile, Typed};
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::source::LineIndex;

/// Reads each `(path, text)` as a Kubernetes file; returns the files and the
/// diagnostics reading them produced.
pub(crate) fn spec_files(inputs: &[(&str, &str)]) -> (Vec<SpecFile>, Vec<Diagnostic>) {
    super::read_all(inputs, Format::Kubernetes, false, |id, docs, diags| {
        Typed::Kubernetes(read(id, docs, diags))
    })
}

/// Groups the files into projects, lowers each and runs one rule.
pub(crate) fn run(rule: &dyn Rule, files: &[SpecFile]) -> Vec<Diagnostic> {
    run_for(rule, files, crate::formats::KubernetesRelease::default())
}

/// `run`, judging objects against a Kubernetes release.
pub(crate) fn run_for(
    rule: &dyn Rule,
    files: &[SpecFile],
    release: crate::formats::KubernetesRelease,
) -> Vec<Diagnostic> {
    let refs: Vec<&SpecFile> = files.iter().collect();
    let mut out = Vec::new();
    for project in group(&refs) {
        let model = lower(&project, files);
        let mut cx = Context::new(&project, files, &model, rule.meta());
        cx.kubernetes = release;
        rule.check(&mut cx);
        out.extend(cx.into_diagnostics());
    }
    out.sort_by_key(|d| (d.file, d.span.start));
    out
}

/// `path:line:col: family/name message`, one line per diagnostic.
pub(crate) fn render(files: &[SpecFile], diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let f = &files[d.file.0 as usize];
            let lc = LineIndex::new(&f.text).line_col(&f.text, d.span.start);
            format!(
                "{}:{}:{}: {} {}",
                f.display,
                lc.line,
                lc.column,
                d.code(),
                d.message
            )
        })
        .collect()
}
