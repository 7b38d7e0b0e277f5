//! Every folder of `fixtures/formats/` is scanned whole (all rules on) and
//! described in a snapshot: what each file was detected as, the findings, and the
//! normalized model of each project (the platform it runs on, host counts, backing
//! services, values hints and workloads). This is how the readers and the lowering
//! of Flocker, Brooklyn/Clocker, Procfile apps, Helm charts, Swarm stacks and Fig
//! files are pinned down, valid, invalid and edge cases alike.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use orchlint::engine::{self, Scan, ScanRequest};
use orchlint::model::{DeploymentModel, Workload};
use orchlint::report;
use orchlint::source::FileId;
use orchlint::source::{LineIndex, Span};

fn place(scan: &Scan, file: FileId, span: Span) -> String {
    let f = scan.file(file);
    let lc = LineIndex::new(&f.text).line_col(&f.text, span.start);
    let name = Path::new(&f.display)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}:{}:{}", lc.line, lc.column)
}

fn workload(scan: &Scan, w: &Workload) -> String {
    let mut s = format!(
        "  - {} at {}",
        w.describe(),
        place(scan, w.at.file, w.at.span)
    );
    if let Some(r) = &w.replicas {
        let _ = write!(
            s,
            ", replicas {} ({})",
            r.value,
            place(scan, r.loc.file, r.loc.span)
        );
    }
    if w.global.is_some() {
        s.push_str(", global");
    }
    if let Some(r) = &w.restart {
        let _ = write!(s, ", restart {}", r.value);
    }
    for c in &w.containers {
        if let Some(i) = &c.image {
            let _ = write!(s, ", image {}", i.value);
        }
        if c.build.is_some() {
            s.push_str(", built");
        }
        if !c.ports.is_empty() {
            let ports: Vec<String> = c
                .ports
                .iter()
                .map(|p| match (p.host, p.container) {
                    (Some(h), Some(c)) => format!("{h}:{c}"),
                    (None, Some(c)) => c.to_string(),
                    _ => "?".into(),
                })
                .collect();
            let _ = write!(s, ", ports [{}]", ports.join(" "));
        }
        if !c.env.is_empty() {
            let env: Vec<&str> = c.env.iter().map(|e| e.name.value.as_str()).collect();
            let _ = write!(s, ", env [{}]", env.join(" "));
        }
        if let Some(m) = &c.resources.memory_limit {
            let _ = write!(s, ", memory limit {}", m.value);
        }
        for m in &c.mounts {
            let _ = write!(
                s,
                ", mount {:?} {} -> {}",
                m.kind,
                m.source.as_deref().unwrap_or("-"),
                m.target
            );
        }
    }
    if !w.depends_on.is_empty() {
        let deps: Vec<&str> = w.depends_on.iter().map(|d| d.value.as_str()).collect();
        let _ = write!(s, ", depends on [{}]", deps.join(" "));
    }
    if !w.placement.constraints.is_empty() {
        let c: Vec<&str> = w
            .placement
            .constraints
            .iter()
            .map(|c| c.value.as_str())
            .collect();
        let _ = write!(s, ", placement [{}]", c.join("; "));
    }
    if let Some(m) = &w.placement.max_per_host {
        let _ = write!(s, ", at most {} per host", m.value);
    }
    s
}

fn model(scan: &Scan, m: &DeploymentModel, out: &mut String) {
    if let Some(p) = &m.platform {
        let _ = write!(out, "  platform: {}", p.id);
        if !p.candidates.is_empty() {
            let _ = write!(out, " (any of {})", p.candidates.join(", "));
        }
        out.push('\n');
        for e in &p.evidence {
            let _ = writeln!(
                out,
                "    because {} ({})",
                e.what,
                place(scan, e.loc.file, e.loc.span)
            );
        }
    }
    for h in &m.host_counts {
        let _ = writeln!(
            out,
            "  hosts: {} {} ({})",
            h.hosts,
            h.what,
            place(scan, h.loc.file, h.loc.span)
        );
    }
    for b in &m.backing_services {
        let _ = writeln!(
            out,
            "  backing service: {} ({}) at {}",
            b.name,
            b.store.unwrap_or("?"),
            place(scan, b.loc.file, b.loc.span)
        );
    }
    for v in &m.value_hints {
        let _ = writeln!(
            out,
            "  hint: {:?} {} = {} ({})",
            v.kind,
            v.path,
            v.value,
            place(scan, v.loc.file, v.loc.span)
        );
    }
    for d in &m.volumes {
        let _ = writeln!(
            out,
            "  volume: {} {:?} driver {} size {}",
            d.name,
            d.kind,
            d.driver.as_deref().unwrap_or("-"),
            d.size.map_or("-".to_string(), |s| s.to_string())
        );
    }
    for w in &m.workloads {
        let _ = writeln!(out, "{}", workload(scan, w));
    }
}

fn describe(dir: &Path) -> String {
    let req = ScanRequest {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    };
    let scan = engine::run(&req).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::from("files:\n");
    for f in &scan.files {
        let name = f
            .display
            .strip_prefix(&format!("{}/", dir.display()))
            .unwrap_or(&f.display);
        let kind = f.format.map_or("skipped", |k| k.as_str());
        let _ = write!(out, "  {name}: {kind}");
        if let Some(v) = f.variant() {
            let _ = write!(out, " ({v})");
        }
        out.push('\n');
    }
    out.push_str("findings:\n");
    let mut buf = Vec::new();
    report::concise::write(&mut buf, &scan.files, &scan.diagnostics).unwrap();
    for line in String::from_utf8(buf).unwrap().lines() {
        let _ = writeln!(out, "  {line}");
    }
    for (p, m) in scan.projects.iter().zip(&scan.models) {
        let files: Vec<String> = p
            .files
            .iter()
            .map(|id| {
                Path::new(&scan.file(*id).display)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let _ = writeln!(
            out,
            "project {} [{}], runs on {}:",
            p.format.as_str(),
            files.join(", "),
            m.orchestrator(p.format)
        );
        model(&scan, m, &mut out);
    }
    out
}

/// The folders of `fixtures/formats/`, sorted.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("fixtures/formats")
        .expect("fixtures/formats exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The snapshots this module makes (for the orphan check in `conventions`).
pub(crate) fn snapshot_names() -> Vec<String> {
    cases()
        .iter()
        .map(|c| c.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn formats_read_and_lower_as_expected() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/spec_formats");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    let cases = cases();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, describe(&case));
    }
}
