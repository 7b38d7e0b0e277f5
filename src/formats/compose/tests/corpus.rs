//! Reads, groups and lowers every Compose file of the shared corpus (when it is
//! there) and runs the Compose rules over the projects. Skips when the corpus is
//! absent. `ORCHLINT_CORPUS_VERBOSE=1` prints every finding.

use std::path::{Path, PathBuf};

use crate::formats::detect::{Detection, detect};
use crate::project::{SpecFile, Typed};
use crate::rules::Context;
use crate::source::LineIndex;
use crate::source::{FileId, Format};
use crate::yaml::parse;

const CORPUS: &str = "/work/shared/corpus";

/// Files that are invalid on purpose (Compose's own tests of its error messages),
/// or broken upstream in a way the reader reports.
const INVALID_ON_PURPOSE: &[&str] = &[
    // Its indentation was lost: every service key sits at the top level, which
    // `docker compose` refuses ("additional properties ... not allowed").
    "AliyunContainerService__redis-cluster/docker-compose.yml",
];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(crate::source::discover::is_candidate_name)
        {
            out.push(p);
        }
    }
}

#[test]
fn corpus_reads_cleanly_and_findings_are_listed() {
    let root = Path::new(CORPUS);
    if !root.is_dir() {
        eprintln!("skipping: no corpus at {CORPUS}");
        return;
    }
    let verbose = std::env::var_os("ORCHLINT_CORPUS_VERBOSE").is_some();
    let mut paths = Vec::new();
    for kind in ["compose", "swarm", "legacy"] {
        walk(&root.join(kind), &mut paths);
    }
    let mut files: Vec<SpecFile> = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parsed = parse(&text);
        if parsed.is_fatal() {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let json = name.ends_with(".json");
        if detect(name, &parsed.documents, json) != Detection::Spec(Format::Compose) {
            continue;
        }
        let id = FileId(files.len() as u32);
        let typed = crate::formats::compose::read(id, &parsed.documents, &mut diags);
        files.push(SpecFile {
            id,
            display: path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string(),
            path,
            text,
            format: Some(Format::Compose),
            skipped: None,
            docs: parsed.documents,
            typed: Typed::Compose(typed),
        });
    }
    assert!(
        files.len() > 100,
        "only {} Compose files found",
        files.len()
    );
    let show = |file: FileId, span: crate::source::Span| {
        let f = &files[file.0 as usize];
        let lc = LineIndex::new(&f.text).line_col(&f.text, span.start);
        format!("{}:{}:{}", f.display, lc.line, lc.column)
    };
    let mut unexpected = Vec::new();
    for d in &diags {
        let f = &files[d.file.0 as usize];
        let line = format!("{} {}", show(d.file, d.span), d.message);
        if INVALID_ON_PURPOSE.iter().any(|p| f.display.ends_with(p)) {
            if verbose {
                eprintln!("expected: {line}");
            }
        } else {
            unexpected.push(line);
        }
    }

    let refs: Vec<&SpecFile> = files.iter().collect();
    let projects = crate::project::compose::group(&refs, &[]);
    let mut findings = Vec::new();
    let mut workloads = 0;
    for p in &projects {
        if verbose && p.files.len() > 1 {
            let names: Vec<&str> = p
                .files
                .iter()
                .map(|f| files[f.0 as usize].display.as_str())
                .collect();
            eprintln!("project: {}", names.join(" + "));
        }
        let view = crate::project::compose::ProjectView::new(p, &files);
        for s in &view.services {
            for (layer, entry) in s.all(|x| &x.ports) {
                // A port made of unset variables is empty; that is not a reading error.
                let unset = matches!(entry, crate::formats::compose::model::PortEntry::Short(s) if view.interp(&layer, &s.text).unset);
                if view.port(&layer, entry).is_none() && !unset {
                    unexpected.push(format!(
                        "{} port does not parse",
                        show(view.file_id(&layer), entry.span())
                    ));
                }
            }
            for (layer, entry) in s.all(|x| &x.volumes) {
                if view.mount(&layer, entry).is_none() {
                    unexpected.push(format!(
                        "{} volume does not parse",
                        show(view.file_id(&layer), entry.span())
                    ));
                }
            }
        }
        let model = crate::model::lower::lower(p, &files);
        workloads += model.workloads.len();
        for rule in crate::rules::compose::rules() {
            let mut cx = Context::new(p, &files, &model, rule.meta());
            rule.check(&mut cx);
            for d in cx.into_diagnostics() {
                findings.push(format!(
                    "{} {}: {}",
                    show(d.file, d.span),
                    d.code(),
                    d.message
                ));
            }
        }
    }
    eprintln!(
        "{} files, {} projects, {} workloads, {} findings",
        files.len(),
        projects.len(),
        workloads,
        findings.len()
    );
    if verbose {
        for f in &findings {
            eprintln!("{f}");
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}
