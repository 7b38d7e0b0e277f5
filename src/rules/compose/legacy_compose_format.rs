//! `correctness/legacy-compose-format`: a Compose file in format 1 (Fig): its
//! services sit at the top level.

use crate::diagnostic::{Applicability, Severity};
use crate::project::SpecFile;
use crate::source::Span;
use crate::yaml::edit;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct LegacyComposeFormat;

static META: RuleMeta = RuleMeta {
    name: "legacy-compose-format",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a Compose file uses file format 1 (Fig): services at the top level, no `services:` key",
    what: "Reports a Compose file (or `fig.yml`) whose top-level keys are service names: the format of Fig and of Compose before 1.6. The finding points at the first service. orchlint still reads and lints the services. The fix (safe) inserts `services:` above the first service and indents the top level by two spaces, comments and block scalars included; it is not offered for flow style (`{web: ...}`), several documents, or block scalars with an explicit indentation (`|2`).",
    why: "Compose v2 reads only files with a `services:` key; Docker's Compose history page says format 1 files \"don't run with Compose v2\", and Compose v1, which did, stopped receiving updates in July 2023. The format also predates networks and named volumes, so such files usually rely on `links`, `volumes_from`, `net` and `log_driver`, which need converting too.",
    bad: Example {
        file_name: "fig.yml",
        text: r#"web:
  image: example/web:1.0
  links:
    - db
db:
  image: postgres:16
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.0
    depends_on:
      - db
  db:
    image: postgres:16
"#,
    },
};

impl Rule for LegacyComposeFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(c) = f.compose() else { continue };
            if !c.legacy_v1 {
                continue;
            }
            let Some(first) = c.services.first() else {
                continue;
            };
            let d = cx.report(
                f.id,
                first.name.span,
                format!(
                    "file uses Compose file format 1 (Fig): its {} service{} sit at the top level, which Compose v2 does not read",
                    c.services.len(),
                    if c.services.len() == 1 { "" } else { "s" }
                ),
            );
            d.help = Some("indent the services under a top-level `services:` key; then replace `links` with the default network (and `depends_on` for start order), `net` with `network_mode`, `log_driver`/`log_opt` with `logging`, `dockerfile` with `build.dockerfile`, and `volumes_from` with named volumes; name the file `compose.yaml`".into());
            if let Some(edits) = under_services(f) {
                d.fix_with(
                    "Move the services under a top-level `services:` key",
                    Applicability::Safe,
                    edits,
                );
            }
        }
    }

    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }
}

/// The edits that put a format 1 file's services under `services:`: the key
/// inserted before the first service, and every line of the top-level mapping
/// indented by two spaces (comments and block scalars included, so their content
/// is unchanged). Only for one document whose top level is a block mapping
/// starting at column 0, and without block scalars of explicit indentation
/// (`|2`), whose content indenting would change.
fn under_services(f: &SpecFile) -> Option<Vec<(Span, String)>> {
    let [root] = f.docs.as_slice() else {
        return None;
    };
    let text = f.text.as_str();
    let start = root.span.start as usize;
    let end = (root.span.end as usize).min(text.len());
    if !edit::is_block_mapping(text, root) || edit::line_start(text, start) != start {
        return None;
    }
    let body = &text[start..end];
    let explicit_indent = body.as_bytes().windows(3).any(|w| {
        matches!(w[0], b'|' | b'>')
            && (w[1].is_ascii_digit() || (matches!(w[1], b'+' | b'-') && w[2].is_ascii_digit()))
    });
    if explicit_indent {
        return None;
    }
    // The file's own line ending for the inserted line.
    let newline = if text[..edit::line_end(text, start)].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut edits = vec![(Span::empty(start), format!("services:{newline}  "))];
    let mut at = edit::line_end(text, start);
    while at < end {
        let line_end = edit::line_end(text, at);
        let line = text[at..line_end].trim_end_matches(['\n', '\r']);
        if !line.is_empty() {
            edits.push((Span::empty(at), "  ".to_string()));
        }
        at = line_end;
    }
    Some(edits)
}
