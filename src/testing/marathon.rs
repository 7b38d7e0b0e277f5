//! Builds scans of Marathon texts for unit tests of the reader, lowering and rules.

use crate::diagnostic::Diagnostic;
use crate::model::DeploymentModel;
use crate::project::{Project, SpecFile, Typed};
use crate::rules::{Context, Rule};
use crate::source::{FileId, Format};
use crate::source::{LineIndex, Span};

/// Reads `(path, text)` pairs as Marathon spec files; returns them with the
/// reader's diagnostics.
pub(crate) fn scan(inputs: &[(&str, &str)]) -> (Vec<SpecFile>, Vec<Diagnostic>) {
    super::read_all(inputs, Format::Marathon, true, |id, docs, diags| {
        Typed::Marathon(crate::formats::marathon::read(id, docs, diags))
    })
}

/// The projects of a scan and the model of each.
pub(crate) fn lower_all(files: &[SpecFile]) -> Vec<(Project, DeploymentModel)> {
    let refs: Vec<&SpecFile> = files.iter().collect();
    crate::project::marathon::group(&refs)
        .into_iter()
        .map(|p| {
            let m = crate::model::lower::lower(&p, files);
            (p, m)
        })
        .collect()
}

/// One model for a single text.
pub(crate) fn model_of(text: &str) -> DeploymentModel {
    let (files, diags) = scan(&[("app.json", text)]);
    assert!(diags.is_empty(), "{:?}", messages(&files, &diags));
    let mut all = lower_all(&files);
    assert_eq!(all.len(), 1);
    all.remove(0).1
}

/// Runs one rule over every project of the scan.
pub(crate) fn run(rule: &dyn Rule, files: &[SpecFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (project, model) in lower_all(files) {
        let mut cx = Context::new(&project, files, &model, rule.meta());
        rule.check(&mut cx);
        out.extend(cx.into_diagnostics());
    }
    out
}

/// The source text a span covers.
pub(crate) fn at(files: &[SpecFile], file: FileId, span: Span) -> &str {
    let text = &files[file.0 as usize].text;
    text.get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

/// `path:line:col: message` lines, as a reader would check them.
pub(crate) fn messages(files: &[SpecFile], diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let f = &files[d.file.0 as usize];
            let lc = LineIndex::new(&f.text).line_col(&f.text, d.span.start);
            format!("{}:{}:{}: {}", f.display, lc.line, lc.column, d.message)
        })
        .collect()
}
