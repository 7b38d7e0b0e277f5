//! The advice reports: human (plain text for a terminal), Markdown (the same for a
//! pull-request comment) and JSON (stable; fields may be added). This module holds
//! what they share: the entry point, the order of the candidates and their table,
//! and the wording of the lines both text reports print.

mod human;
mod json;
mod markdown;

use std::io::Write;

use super::catalog::{self, Healing, Orchestrator};
use super::recommend::{Alternative, Recommendation, covers, host_count, misfit};
use super::{Advice, Evidence};
use crate::project::SpecFile;
use crate::source::{FileId, display_path};

pub(super) use crate::project::Locator;

/// The report formats `orchlint advise --format` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AdviseFormat {
    Human,
    Markdown,
    Json,
}

/// A project with nothing to place, and why.
pub(crate) struct LeftOut {
    pub(crate) root: std::path::PathBuf,
    pub(crate) reason: String,
}

impl LeftOut {
    /// The root as printed (`.` for the working directory).
    fn root(&self) -> String {
        let r = display_path(&self.root);
        if r.is_empty() { ".".into() } else { r }
    }
}

/// Writes the report on `advice` (the projects with something to place) in
/// `format`; `left_out` lists the projects without, each with why.
pub(crate) fn write(
    format: AdviseFormat,
    out: &mut dyn Write,
    files: &[SpecFile],
    advice: &[&Advice],
    left_out: &[LeftOut],
) -> std::io::Result<()> {
    let mut report = Report {
        advice,
        files,
        loc: Locator::new(files),
        left_out,
    };
    match format {
        AdviseFormat::Human => human::write(out, &mut report),
        AdviseFormat::Markdown => markdown::write(out, &mut report),
        AdviseFormat::Json => json::write(out, &mut report),
    }
}

/// What a report is written from: the advice on each project with something to
/// place, the spec files it points into (with line/column lookups), and how many
/// projects were left out.
struct Report<'a> {
    advice: &'a [&'a Advice],
    files: &'a [SpecFile],
    loc: Locator<'a>,
    left_out: &'a [LeftOut],
}

impl Report<'_> {
    /// Where an evidence is, start to end.
    fn place(&mut self, e: &Evidence) -> Place {
        Place::of(&mut self.loc, e)
    }

    /// Where an evidence starts, as the text reports cite it: `path:line:column`.
    fn cite(&mut self, e: &Evidence) -> String {
        self.place(e).short()
    }

    /// The project's spec files, as printed.
    fn files_of(&self, a: &Advice) -> Vec<String> {
        a.files
            .iter()
            .filter_map(|id| self.files.get(id.0 as usize))
            .map(|f| f.display.clone())
            .collect()
    }

    /// The five functionalities the project needs, each with why (and where).
    /// A file's path as printed.
    fn display(&self, id: FileId) -> String {
        self.files
            .get(id.0 as usize)
            .map_or("?".to_string(), |f| f.display.clone())
    }

    /// How many parts only Kubernetes or Swarm mode runs (each is listed apart,
    /// with `coupling_items`).
    fn coupling_line(&self, a: &Advice) -> String {
        use crate::advise::coupling::Platform;
        let count = |p: Platform| a.needs.coupling.iter().filter(|c| c.platform == p).count();
        let mut parts = Vec::new();
        for (p, noun) in [
            (Platform::Kubernetes, "object"),
            (Platform::Swarm, "service"),
        ] {
            let n = count(p);
            if n > 0 {
                parts.push(format!(
                    "{n} {noun}{} only {} runs",
                    if n == 1 { "" } else { "s" },
                    p.name()
                ));
            }
        }
        format!("yes: {} (listed below)", parts.join(", "))
    }

    /// Each part only one platform runs: its place, the part, what it relies on.
    fn coupling_items(&mut self, a: &Advice) -> Vec<(String, String)> {
        a.needs
            .coupling
            .iter()
            .map(|c| {
                (
                    self.cite(&c.evidence),
                    format!("{}: {}", c.evidence.message, c.what),
                )
            })
            .collect()
    }

    /// How the project's files were grouped: each tie as `from -> to: why`, each
    /// alternative manifest as `file (of file): why`.
    fn grouping_lines(&self, a: &Advice) -> Vec<String> {
        let name = |id: FileId| self.display(id);
        let mut out: Vec<String> = a
            .ties
            .iter()
            .map(|t| format!("grouped: {} -> {}: {}", name(t.from), name(t.to), t.why))
            .collect();
        out.extend(a.alternatives.iter().map(|x| {
            format!(
                "alternative: {} (of {}): {}; judged once",
                name(x.file),
                name(x.of),
                x.why
            )
        }));
        out
    }

    fn needs_lines(&mut self, a: &Advice) -> Vec<(&'static str, String)> {
        let n = &a.needs;
        let healing = match n.healing {
            Healing::None => format!("none: {}", n.healing_reason),
            h => format!("{}: {}", h.as_str(), n.healing_reason),
        };
        let healing = match &n.healing_evidence {
            Some(e) => format!("{healing} ({})", self.cite(e)),
            None => healing,
        };
        let deps = match &n.dependencies {
            Some(e) => format!("yes: {} ({})", e.message, self.cite(e)),
            None => "no: no workload declares a dependency".into(),
        };
        let mut lines = vec![
            (
                "Cluster state management",
                match &n.cluster_state {
                    Some(why) => format!("yes: {why}"),
                    None => "no: one host".into(),
                },
            ),
            ("Monitoring and healing", healing),
            ("Dependency and architectural mapping", deps),
            ("Deployment method", n.deployment.to_string()),
            (
                "Stateful support",
                if n.stateful {
                    "yes: the project owns data".into()
                } else {
                    "no".into()
                },
            ),
        ];
        // Shown only where there is some, like the stores' risks.
        if !a.needs.coupling.is_empty() {
            lines.push(("Platform coupling", self.coupling_line(a)));
        }
        lines
    }
}

/// An evidence's place: `path:line:column` to the end of its span.
struct Place {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl Place {
    fn of(loc: &mut Locator<'_>, e: &Evidence) -> Place {
        let start = loc.line_col(e.file, e.span.start);
        let end = loc.line_col(e.file, e.span.end);
        Place {
            file: loc.file(e.file).display.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    fn short(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The orchestrators the reports list: the recommendation and its alternatives in
/// rank order, or the whole catalog when nothing fits.
fn candidates(a: &Advice) -> Vec<&'static Orchestrator> {
    let mut order: Vec<&'static Orchestrator> = Vec::new();
    if let Some(r) = &a.recommendation {
        order.push(r.orchestrator);
        order.extend(r.alternatives.iter().map(|x| x.orchestrator));
    } else {
        order.extend(catalog::all());
    }
    order
}

/// The recommendation's alternatives with their rank (the recommendation is 1).
fn ranked(r: &Recommendation) -> impl Iterator<Item = (usize, &Alternative)> {
    r.alternatives
        .iter()
        .enumerate()
        .map(|(k, alt)| (k + 2, alt))
}

/// The whitepaper's functionality columns, and the text reports' candidates table.
const COLUMNS: [&str; 9] = [
    "System",
    "Scale",
    "Cluster state management",
    "Monitoring and healing",
    "Dependency and architectural mapping",
    "Deployment method",
    "Stateful",
    "Status",
    "Fits",
];

/// The candidates table of the text reports: a row per candidate, in `COLUMNS`
/// order.
fn candidate_rows(a: &Advice) -> Vec<[String; 9]> {
    candidates(a)
        .into_iter()
        .map(|o| {
            [
                o.id.clone(),
                o.range(),
                yes_no(o.cluster_state).into(),
                o.healing.as_str().into(),
                yes_no(o.dependencies).into(),
                o.deployment.join(", "),
                o.stateful.as_str().into(),
                o.status_text(),
                fits_cell(a, o),
            ]
        })
        .collect()
}

/// Why a candidate does not fit, or `None`: the current orchestrator's row agrees
/// with the verdict on it (`Fit`: a range starting above the project's class does
/// not make it a misfit), every other row is judged as a candidate (`misfit`).
pub(super) fn row_misfit(a: &Advice, o: &Orchestrator) -> Option<String> {
    if o.id == a.current.id {
        covers(o, &a.scale, &a.needs)
    } else {
        misfit(o, &a.scale, &a.needs)
    }
}

/// Whether a candidate fits (`recommended`, `fits`, `fits, not active` or `no`),
/// with `(current)` after the one in use; the current one that fits but is past its
/// end of life is `no (end-of-life)`, as the verdict says.
fn fits_cell(a: &Advice, o: &Orchestrator) -> String {
    let rec = a
        .recommendation
        .as_ref()
        .map(|r| r.orchestrator.id.as_str());
    let current = o.id == a.current.id;
    let fits = match row_misfit(a, o) {
        None if Some(o.id.as_str()) == rec => "recommended".to_string(),
        None if current && o.status == catalog::Status::EndOfLife => "no (end-of-life)".to_string(),
        None if o.status != catalog::Status::Active => "fits, not active".to_string(),
        None => "fits".to_string(),
        Some(_) => "no".to_string(),
    };
    if current {
        format!("{fits} (current)")
    } else {
        fits
    }
}

/// The verdict on the current orchestrator in a word.
fn verdict_word(a: &Advice) -> &'static str {
    match a.fit.fits {
        Some(true) => "fits",
        Some(false) => "does not fit",
        None => "is not judged",
    }
}

/// The three lines both text reports (and the JSON) start a project with: the
/// verdict, the reason that decides it, and the next step.
pub(super) fn summary_lines(a: &Advice) -> [String; 3] {
    let cur = a.current.id;
    let verdict = match (&a.recommendation, a.fit.fits) {
        (None, _) => format!(
            "verdict: {cur} {}; no orchestrator of the catalog fits this project",
            verdict_word(a)
        ),
        (Some(r), Some(true)) if r.keeps_current => {
            format!("verdict: {cur} fits this project: keep it")
        }
        (Some(r), Some(true)) if a.fit.oversized => format!(
            "verdict: {cur} fits this project but is sized for more hosts than it needs: {} would run it with less to operate",
            r.orchestrator.id
        ),
        (Some(r), Some(true)) => format!(
            "verdict: {cur} fits this project; {} would run it with less to operate",
            r.orchestrator.id
        ),
        (Some(r), None) => format!(
            "verdict: {cur} is outside orchlint's catalog; {} fits this project best",
            r.orchestrator.id
        ),
        (Some(r), Some(false)) => format!(
            "verdict: {cur} does not fit this project: move to {}",
            r.orchestrator.id
        ),
    };
    let mut why = format!("why: {}", a.fit.reason);
    let scale_decides = a
        .current_orchestrator()
        .is_some_and(|o| a.scale.class > o.scale_max);
    if scale_decides {
        why.push_str(&format!(" ({})", a.scale.decider().evidence.message));
    }
    let next = if let Some(risk) = a.state.risks.first() {
        let more = a.state.risks.len() - 1;
        format!(
            "next: the data of {} is at risk ({}): {}{}",
            risk.store,
            risk.kind.as_str(),
            risk.help,
            if more > 0 {
                format!(
                    "; {more} more risk{} below",
                    if more == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        )
    } else {
        match &a.recommendation {
            None => "next: split the project, or lower what it reserves, until a catalog entry covers it".to_string(),
            Some(r) if r.keeps_current => {
                "next: nothing to move; keep the specs clean with `orchlint check`".to_string()
            }
            Some(r) => match r.plan.commands.first() {
                Some(c) => format!("next: `{c}` (the migration below lists the rest)"),
                None => format!(
                    "next: write the {} specs by hand from the migration below",
                    r.orchestrator.spec_family
                ),
            },
        }
    };
    [verdict, why, next]
}

/// The orchestrator in use: id, name and status.
fn current_line(a: &Advice) -> String {
    match a.current_orchestrator() {
        Some(o) => format!("{} ({}), {}", o.id, o.name, o.status_text()),
        None => a.current.id.to_string(),
    }
}

/// The verdict on the orchestrator in use: `yes`, `no` or `not judged`, and why.
fn fit_line(a: &Advice) -> String {
    let word = match a.fit.fits {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not judged",
    };
    format!("{word}: {}", a.fit.reason)
}

/// The scale class and host estimate, what decided it, and the reference host.
fn scale_line(a: &Advice) -> String {
    format!(
        "{}, at least {} (decided by {}; reference host {})",
        a.scale.class.as_str(),
        host_count(a.scale.hosts),
        a.scale.decider().kind.as_str(),
        a.settings.describe()
    )
}

/// The project's root, as printed (`.` for the working directory).
fn root_of(a: &Advice) -> String {
    let r = display_path(&a.root);
    if r.is_empty() { ".".into() } else { r }
}

/// After the recommendation's name, when it is the orchestrator already in use.
fn current_note(r: &Recommendation) -> &'static str {
    if r.keeps_current {
        ", the current one"
    } else {
        ""
    }
}

/// A line of state evidence in the text reports: a piece of state, or a risk to
/// the project's data.
struct StateLine<'a> {
    risk: bool,
    kind: &'static str,
    evidence: &'a Evidence,
    /// After the message: why a piece of state keeps no data by itself.
    note: &'static str,
    /// For a risk: what to do instead (the finding's help in `check`).
    fix: Option<&'a str>,
}

/// The state evidence the text reports list: each piece of state, then each risk.
fn state_lines(a: &Advice) -> impl Iterator<Item = StateLine<'_>> {
    let items = a.state.items.iter().map(|s| StateLine {
        risk: false,
        kind: s.kind.as_str(),
        evidence: &s.evidence,
        note: if s.persistent {
            ""
        } else {
            " (not persistent on its own)"
        },
        fix: None,
    });
    let risks = a.state.risks.iter().map(|r| StateLine {
        risk: true,
        kind: r.kind.as_str(),
        evidence: &r.evidence,
        note: "",
        fix: Some(r.help.as_str()),
    });
    items.chain(risks)
}

/// How many projects the report leaves out.
fn left_out_line(left_out: &[LeftOut]) -> String {
    let n = left_out.len();
    format!(
        "{n} project{} with nothing to place",
        if n == 1 { "" } else { "s" }
    )
}
