//! `scan/unrendered-helm-chart`: a Helm chart whose templates orchlint does not
//! render, said once per chart with the command that lints what it renders.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::helm::{chart_of, templates_of};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnrenderedHelmChart;

static META: RuleMeta = RuleMeta {
    name: "unrendered-helm-chart",
    family: Family::Scan,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Helm],
    summary: "a Helm chart's templates are not linted until rendered",
    what: "Reports each application chart (a `Chart.yaml`; library charts render nothing of their own) once, at its `name`, with the number of templates set aside and the command that renders the chart and lints the result. Its templates are listed by `orchlint files` as Helm templates, not reported one by one; its `values.yaml` is read for replica counts, persistence and resource requests.",
    why: "Templates are Go templates: until `helm template` fills them from the values, they are not YAML, and linting them file by file would only produce syntax errors. Saying so once keeps the chart from passing silently as \"no findings\".",
    bad: Example {
        file_name: "Chart.yaml",
        text: r#"apiVersion: v2
name: shop
version: 1.2.0
"#,
    },
    good: Example {
        file_name: "Chart.yaml",
        text: r#"apiVersion: v2
name: shop-helpers
type: library
version: 1.2.0
"#,
    },
};

impl Rule for UnrenderedHelmChart {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some((f, chart)) = chart_of(cx.project, cx.files) else {
            return;
        };
        if chart.is_library() {
            return;
        }
        let templates = templates_of(&f.dir(), cx.files).len();
        let dir = {
            let d = crate::source::display_path(&f.dir());
            if d.is_empty() { ".".to_string() } else { d }
        };
        let name = chart
            .name
            .as_ref()
            .map_or_else(|| dir.clone(), |n| n.value.clone());
        let span = chart
            .name
            .as_ref()
            .map_or(crate::source::Span::empty(0), |n| n.span);
        let what = match templates {
            0 => "its templates are".to_string(),
            1 => "its 1 template is".to_string(),
            n => format!("its {n} templates are"),
        };
        let d = cx.report(
            f.id,
            span,
            format!("Helm chart `{name}`: {what} not linted until rendered"),
        );
        d.help = Some(format!(
            "lint the rendered chart: `helm template {dir} | orchlint check --stdin-filename chart.yaml -` (add `-f <values>` for each values file you deploy with)"
        ));
    }
}
