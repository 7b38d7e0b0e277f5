use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::diagnostic::Example;
use crate::diagnostic::{Family, Severity, Tier};

/// A rule that counts how often it is called.
struct Counting {
    meta: &'static RuleMeta,
    calls: &'static AtomicUsize,
}

impl Rule for Counting {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
    fn check(&self, _cx: &mut Context<'_>) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

const fn meta(name: &'static str, family: Family, formats: &'static [Format]) -> RuleMeta {
    const EXAMPLE: Example = Example {
        file_name: "",
        text: "",
    };
    RuleMeta {
        name,
        family,
        severity: Severity::Info,
        tier: Tier::Default,
        peers: &[],
        formats,
        summary: "",
        what: "",
        why: "",
        bad: EXAMPLE,
        good: EXAMPLE,
    }
}

static MARATHON_META: RuleMeta = meta("marathon-only", Family::Correctness, &[Format::Marathon]);
static COMPOSE_META: RuleMeta = meta("compose-only", Family::Correctness, &[Format::Compose]);
static MARATHON_CALLS: AtomicUsize = AtomicUsize::new(0);
static COMPOSE_CALLS: AtomicUsize = AtomicUsize::new(0);
static MARATHON_ONLY: Counting = Counting {
    meta: &MARATHON_META,
    calls: &MARATHON_CALLS,
};
static COMPOSE_ONLY: Counting = Counting {
    meta: &COMPOSE_META,
    calls: &COMPOSE_CALLS,
};

/// The files and projects of a folder holding one Compose file with one service.
fn compose_scan() -> (tempfile::TempDir, Vec<SpecFile>, Vec<Project>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx:1.27\n",
    )
    .unwrap();
    let req = ScanRequest {
        paths: vec![dir.path().to_path_buf()],
        ..Default::default()
    };
    let files = load_files(&req).unwrap().files;
    let projects = project::group(&files, &[]);
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].format, Format::Compose);
    (dir, files, projects)
}

#[test]
fn a_rule_is_not_called_for_a_project_of_a_format_it_does_not_read() {
    let (_dir, files, projects) = compose_scan();
    let selected: Vec<&'static dyn Rule> = vec![&MARATHON_ONLY, &COMPOSE_ONLY];
    lint_project(
        &projects[0],
        &files,
        Shared::default(),
        &selected,
        &Default::default(),
        Default::default(),
        false,
    );
    assert_eq!(MARATHON_CALLS.load(Ordering::SeqCst), 0);
    assert_eq!(COMPOSE_CALLS.load(Ordering::SeqCst), 1);
}

#[test]
fn scheduled_rules_read_the_projects_format() {
    for &format in Format::ALL {
        let scheduled = schedule(format, rules::all());
        assert!(!scheduled.is_empty(), "{format:?}");
        for rule in scheduled {
            assert!(
                rule.meta().formats.contains(&format),
                "{} scheduled for {format:?}",
                rule.meta().code()
            );
        }
    }
}

#[test]
fn the_advisor_runs_only_when_asked_or_when_an_advice_rule_is_selected() {
    let (_dir, files, projects) = compose_scan();
    let p = &projects[0];
    let settings = AdvisorSettings::default();
    let not_advice: Vec<&'static dyn Rule> = rules::all()
        .iter()
        .copied()
        .filter(|r| !needs_advice(r.meta()))
        .collect();
    let Linted {
        advice, analyzed, ..
    } = lint_project(
        p,
        &files,
        Shared::default(),
        &not_advice,
        &settings,
        Default::default(),
        false,
    );
    assert!(
        advice.is_none() && !analyzed,
        "analyzed without an advice rule"
    );
    let Linted { advice, .. } = lint_project(
        p,
        &files,
        Shared::default(),
        &[],
        &settings,
        Default::default(),
        true,
    );
    assert!(advice.is_some(), "not analyzed when asked");
    let Linted {
        advice, analyzed, ..
    } = lint_project(
        p,
        &files,
        Shared::default(),
        rules::all(),
        &settings,
        Default::default(),
        false,
    );
    assert!(analyzed, "not analyzed for the advice rules");
    // Not asked for: the analysis the rules read is dropped with the project.
    assert!(
        advice.is_none(),
        "kept though the request did not ask for it"
    );
}

#[test]
fn only_rules_some_file_enables_are_selected() {
    let mut s = RuleSettings::default();
    // Nothing configured: the default set, which leaves the opt-in rules out.
    let defaults = selected_rules(std::slice::from_ref(&s));
    assert_eq!(
        defaults.len(),
        rules::all()
            .iter()
            .filter(|r| r.meta().tier.is_default())
            .count()
    );
    assert!(defaults.len() < rules::all().len(), "no rule is opt-in");
    s.select = vec!["all".into()];
    assert_eq!(
        selected_rules(std::slice::from_ref(&s)).len(),
        rules::all().len()
    );
    s.select = vec!["security".into()];
    let selected = selected_rules(std::slice::from_ref(&s));
    assert!(!selected.is_empty());
    assert!(selected.iter().all(|r| r.meta().family == Family::Security));
    let advice = RuleSettings {
        select: vec!["advice".into()],
        ..Default::default()
    };
    let advice_rules = rules::all()
        .iter()
        .filter(|r| r.meta().family == Family::Advice)
        .count();
    assert!(advice_rules > 0);
    let both = selected_rules(&[s, advice]);
    assert_eq!(both.len(), selected.len() + advice_rules);
}

#[test]
fn unsaved_text_stands_in_for_the_file_and_a_new_file_under_the_scan_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  web:\n    image: nginx:1.27\n",
    )
    .unwrap();
    let outside = tempfile::tempdir().unwrap();
    let mut unsaved = std::collections::HashMap::new();
    unsaved.insert(
        root.join("compose.yaml"),
        "\u{feff}services:\n  web:\n    image: nginx\n".to_string(),
    );
    unsaved.insert(
        root.join("k8s").join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: redis}]\n"
            .to_string(),
    );
    unsaved.insert(outside.path().join("pod.yaml"), "kind: Pod\n".to_string());
    let req = ScanRequest {
        paths: vec![root.clone()],
        overlay: unsaved,
        ..Default::default()
    };
    let scan = run(&req).unwrap();
    let paths: Vec<&Path> = scan.files.iter().map(|f| f.path.as_path()).collect();
    assert_eq!(
        paths,
        vec![root.join("compose.yaml"), root.join("k8s").join("pod.yaml")]
    );
    // The unsaved text was read (its byte order mark dropped, as from disk).
    assert!(scan.files[0].text.starts_with("services:"));
    let latest: Vec<(u32, &str)> = scan
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "latest-image-tag")
        .map(|d| {
            (
                d.file.0,
                &scan.files[d.file.0 as usize].text[d.span.start as usize..d.span.end as usize],
            )
        })
        .collect();
    assert_eq!(latest, vec![(0, "nginx"), (1, "redis")]);
}
