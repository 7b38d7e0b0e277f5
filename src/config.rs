//! `orchlint.toml` / `.orchlint.toml`: rule selection, severities, per-path
//! overrides and the fail level. Found by walking up from each scanned path; the
//! command line wins over the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use serde::Deserialize;

use crate::diagnostic::RuleMeta;
use crate::diagnostic::Severity;
use crate::formats::KubernetesRelease;
use crate::rules;
use crate::source::LineIndex;

pub(crate) const FILE_NAMES: &[&str] = &["orchlint.toml", ".orchlint.toml"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FailLevel {
    Error,
    Warning,
    Info,
    Never,
}

impl FailLevel {
    pub(crate) fn fails(self, s: Severity) -> bool {
        match self {
            FailLevel::Never => false,
            FailLevel::Info => true,
            FailLevel::Warning => s >= Severity::Warning,
            FailLevel::Error => s >= Severity::Error,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawScan {
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    max_file_size: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<String>,
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
}

/// `[advisor]`: the reference host the advisor counts hosts in.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAdvisor {
    host_vcpu: Option<f64>,
    host_memory_gib: Option<f64>,
}

/// `[kubernetes]`: the release objects are judged against.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawKubernetes {
    version: Option<toml::Spanned<String>>,
    /// CRD files or directories, relative to the configuration file.
    #[serde(default)]
    crds: Vec<PathBuf>,
}

/// `[compose]`: the files Compose merges, as `-f` names them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCompose {
    #[serde(default)]
    projects: Vec<Vec<String>>,
}

/// `[suppressions]`: what an inline suppression must say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSuppressions {
    #[serde(default)]
    require_reason: bool,
    /// `false`: comments and annotations suppress nothing.
    inline: Option<bool>,
}

/// `[[exempt]]`: a rule that does not apply to named Kubernetes objects or to paths.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawExempt {
    rule: String,
    reason: String,
    path: Option<String>,
    kind: Option<String>,
    namespace: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<String>>,
    /// Rules added to `select` (or to the default selection when `select` is unset).
    #[serde(default)]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    fail_level: Option<FailLevel>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    scan: RawScan,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    advisor: RawAdvisor,
    #[serde(default)]
    kubernetes: RawKubernetes,
    #[serde(default)]
    compose: RawCompose,
    #[serde(default)]
    suppressions: RawSuppressions,
    #[serde(default)]
    exempt: Vec<RawExempt>,
}

/// Which rules run and how severe they are, for one set of files.
#[derive(Clone, Debug)]
pub(crate) struct RuleSettings {
    pub(crate) select: Vec<String>,
    pub(crate) ignore: Vec<String>,
    pub(crate) severity: BTreeMap<String, Severity>,
    /// `[suppressions] require-reason`: a suppression without ` -- reason` is
    /// reported (`suppression/missing-reason`).
    pub(crate) require_reason: bool,
    /// `[suppressions] inline = false`: suppressions in the files are ignored and
    /// reported (`suppression/inline-forbidden`).
    pub(crate) inline: bool,
    /// The `[[exempt]]` entries whose path (if any) matches the file.
    pub(crate) exempt: Vec<ObjectExempt>,
}

/// An exemption as it applies to one file: the rule (a selector), the object it
/// names (each part optional; none: every finding of the file) and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ObjectExempt {
    pub(crate) rule: String,
    pub(crate) kind: Option<String>,
    pub(crate) namespace: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) reason: String,
}

/// An `[[exempt]]` entry: the path glob (relative to the config file) and the rest.
#[derive(Clone, Debug)]
pub(crate) struct Exemption {
    pub(crate) globs: Option<GlobSet>,
    pub(crate) object: ObjectExempt,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            select: vec![DEFAULT_SELECTOR.into()],
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            require_reason: false,
            inline: true,
            exempt: Vec::new(),
        }
    }
}

/// The selector of the rules that run when nothing is configured: every rule
/// whose tier is `Default` (see `rules --format markdown` for the list).
pub(crate) const DEFAULT_SELECTOR: &str = "default";

/// Does a selector (`all`, `default`, a family, `family/name` or a name) cover a rule?
pub(crate) fn selector_matches(selector: &str, meta: &RuleMeta) -> bool {
    selector == "all"
        || (selector == DEFAULT_SELECTOR && meta.tier.is_default())
        || selector == meta.family.as_str()
        || selector == meta.name
        || selector == meta.code()
}

impl RuleSettings {
    pub(crate) fn enabled(&self, meta: &RuleMeta) -> bool {
        self.select.iter().any(|s| selector_matches(s, meta))
            && !self.ignore.iter().any(|s| selector_matches(s, meta))
    }

    /// The severity for a rule: the most specific override wins.
    pub(crate) fn severity_of(&self, meta: &RuleMeta) -> Severity {
        self.severity_set(meta).unwrap_or(meta.severity)
    }

    /// The severity the configuration sets for a rule, if it sets one.
    pub(crate) fn severity_set(&self, meta: &RuleMeta) -> Option<Severity> {
        let code = meta.code();
        self.severity
            .get(&code)
            .or_else(|| self.severity.get(meta.name))
            .or_else(|| self.severity.get(meta.family.as_str()))
            .or_else(|| self.severity.get("all"))
            .copied()
    }
}

/// Its `Debug` shows the patterns, not the compiled set, so that a configuration's
/// `Debug` text is the same from run to run (the content cache keys on it).
#[derive(Clone)]
pub(crate) struct Override {
    /// The `paths` patterns as written.
    pub(crate) paths: Vec<String>,
    pub(crate) globs: GlobSet,
    pub(crate) select: Option<Vec<String>>,
    pub(crate) ignore: Vec<String>,
    pub(crate) severity: BTreeMap<String, Severity>,
}

impl std::fmt::Debug for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Override")
            .field("paths", &self.paths)
            .field("select", &self.select)
            .field("ignore", &self.ignore)
            .field("severity", &self.severity)
            .finish()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The directory paths in the config are relative to.
    pub(crate) dir: PathBuf,
    pub(crate) rules: RuleSettings,
    pub(crate) fail_level: Option<FailLevel>,
    pub(crate) include: Vec<String>,
    pub(crate) exclude: Vec<String>,
    pub(crate) max_file_size: Option<u64>,
    pub(crate) overrides: Vec<Override>,
    /// `[advisor]`: the reference host size.
    pub(crate) advisor: crate::advise::AdvisorSettings,
    /// `[kubernetes] version`: the release Kubernetes objects are judged against
    /// (`None`: the newest the build knows, unless the command line names one).
    pub(crate) kubernetes: Option<KubernetesRelease>,
    /// `[kubernetes] crds`: CRD files or directories (made absolute against the
    /// configuration's directory) whose schemas custom resources are checked against.
    pub(crate) crds: Vec<PathBuf>,
    /// `[compose] projects`: each list the files one Compose project merges, in
    /// order (`-f a.yml -f b.yml`), as paths under `dir`.
    pub(crate) compose_projects: Vec<Vec<PathBuf>>,
    /// `[[exempt]]` entries, in order.
    pub(crate) exemptions: Vec<Exemption>,
}

impl Config {
    /// The exemptions that apply to a file (by its absolute path).
    pub(crate) fn exemptions_for(&self, path: &Path) -> Vec<ObjectExempt> {
        let rel = path
            .strip_prefix(&self.dir)
            .unwrap_or(path)
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        self.exemptions
            .iter()
            .filter(|e| e.globs.as_ref().is_none_or(|g| g.is_match(&rel)))
            .map(|e| e.object.clone())
            .collect()
    }

    /// The rule settings for one file (overrides applied in order).
    pub(crate) fn settings_for(&self, path: &Path) -> std::borrow::Cow<'_, RuleSettings> {
        let rel = path
            .strip_prefix(&self.dir)
            .unwrap_or(path)
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        let matching: Vec<&Override> = self
            .overrides
            .iter()
            .filter(|o| o.globs.is_match(&rel))
            .collect();
        if matching.is_empty() {
            return std::borrow::Cow::Borrowed(&self.rules);
        }
        let mut s = self.rules.clone();
        for o in matching {
            if let Some(sel) = &o.select {
                s.select.extend(sel.iter().cloned());
            }
            s.ignore.extend(o.ignore.iter().cloned());
            s.severity
                .extend(o.severity.iter().map(|(k, v)| (k.clone(), *v)));
        }
        std::borrow::Cow::Owned(s)
    }
}

/// A configuration error, already worded for the user.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The nearest config file at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if abs.is_file() {
        abs.parent().map(Path::to_path_buf)
    } else {
        Some(abs)
    };
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    None
}

/// Checks that every selector names a rule, a family or `all`.
pub(crate) fn check_selectors<'a>(
    selectors: impl IntoIterator<Item = &'a String>,
    origin: &str,
) -> Result<(), ConfigError> {
    let metas = rules::all_meta();
    for s in selectors {
        if s == "all" || s == DEFAULT_SELECTOR || metas.iter().any(|m| selector_matches(s, m)) {
            continue;
        }
        let mut names: Vec<String> = metas.iter().map(|m| m.name.to_string()).collect();
        names.extend(metas.iter().map(|m| m.family.as_str().to_string()));
        let hint = closest(s, names.iter().map(String::as_str))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        return Err(ConfigError(format!(
            "{origin}: unknown rule or family `{s}`{hint} (`orchlint rules` lists them)"
        )));
    }
    Ok(())
}

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn build_globs(globs: &[String]) -> Result<GlobSet, String> {
    Ok(crate::source::discover::glob_set(globs)?.unwrap_or_else(GlobSet::empty))
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| describe_toml_error(text, path, &e))?;
    let shown = path.display().to_string();
    check_selectors(raw.select.iter().flatten(), &shown)?;
    check_selectors(&raw.extend_select, &shown)?;
    check_selectors(&raw.ignore, &shown)?;
    check_selectors(raw.severity.keys(), &shown)?;
    let mut overrides = Vec::new();
    for o in raw.overrides {
        check_selectors(o.select.iter().flatten(), &shown)?;
        check_selectors(&o.ignore, &shown)?;
        check_selectors(o.severity.keys(), &shown)?;
        overrides.push(Override {
            globs: build_globs(&o.paths).map_err(|e| ConfigError(format!("{shown}: {e}")))?,
            paths: o.paths,
            select: o.select,
            ignore: o.ignore,
            severity: o.severity,
        });
    }
    let mut advisor = crate::advise::AdvisorSettings::default();
    for (key, value, slot) in [
        ("host-vcpu", raw.advisor.host_vcpu, &mut advisor.host_vcpu),
        (
            "host-memory-gib",
            raw.advisor.host_memory_gib,
            &mut advisor.host_memory_gib,
        ),
    ] {
        if let Some(v) = value {
            if !(v.is_finite() && v > 0.0) {
                return Err(ConfigError(format!(
                    "{shown}: [advisor] {key} must be a number greater than 0, found {v}"
                )));
            }
            *slot = v;
        }
    }
    let crds = raw.kubernetes.crds.clone();
    let kubernetes = match raw.kubernetes.version {
        None => None,
        Some(v) => Some(v.get_ref().parse::<KubernetesRelease>().map_err(|e| {
            let at = LineIndex::new(text).line_col(text, v.span().start as u32);
            ConfigError(format!(
                "{shown}:{}:{}: [kubernetes] version: {e}",
                at.line, at.column
            ))
        })?),
    };
    let mut exemptions = Vec::new();
    for e in raw.exempt {
        check_selectors(std::iter::once(&e.rule), &shown)?;
        if e.reason.trim().is_empty() {
            return Err(ConfigError(format!(
                "{shown}: [[exempt]] of `{}`: `reason` must say why",
                e.rule
            )));
        }
        if e.path.is_none() && e.kind.is_none() && e.namespace.is_none() && e.name.is_none() {
            return Err(ConfigError(format!(
                "{shown}: [[exempt]] of `{}` names no `path`, `kind`, `namespace` or `name`; to turn the rule off, use `ignore`",
                e.rule
            )));
        }
        let globs = match &e.path {
            Some(p) => Some(
                build_globs(std::slice::from_ref(p))
                    .map_err(|err| ConfigError(format!("{shown}: {err}")))?,
            ),
            None => None,
        };
        exemptions.push(Exemption {
            globs,
            object: ObjectExempt {
                rule: e.rule,
                kind: e.kind,
                namespace: e.namespace,
                name: e.name,
                reason: e.reason.trim().to_string(),
            },
        });
    }
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let compose_projects = raw
        .compose
        .projects
        .iter()
        .map(|list| list.iter().map(|p| dir.join(p)).collect())
        .collect();
    Ok(Config {
        crds: crds.into_iter().map(|c| dir.join(c)).collect(),
        dir,
        rules: RuleSettings {
            select: raw
                .select
                .unwrap_or_else(|| vec![DEFAULT_SELECTOR.into()])
                .into_iter()
                .chain(raw.extend_select)
                .collect(),
            ignore: raw.ignore,
            severity: raw.severity,
            require_reason: raw.suppressions.require_reason,
            inline: raw.suppressions.inline.unwrap_or(true),
            exempt: Vec::new(),
        },
        fail_level: raw.fail_level,
        include: raw.scan.include,
        exclude: raw.scan.exclude,
        max_file_size: raw.scan.max_file_size,
        overrides,
        advisor,
        kubernetes,
        compose_projects,
        exemptions,
    })
}

/// Words a TOML error with the file, line and column, and for an unknown key the
/// closest valid one.
fn describe_toml_error(text: &str, path: &Path, e: &toml::de::Error) -> ConfigError {
    let at = e.span().map(|s| {
        let idx = LineIndex::new(text);
        idx.line_col(text, s.start as u32)
    });
    let loc = at.map_or(String::new(), |lc| format!(":{}:{}", lc.line, lc.column));
    let msg = e.message().trim().to_string();
    let mut out = format!("{}{loc}: {msg}", path.display());
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split("expected")
            .nth(1)
            .map(|list| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        if let Some(c) = closest(key, expected.iter().copied()) {
            out = format!(
                "{}{loc}: unknown key `{key}`; did you mean `{c}`? (valid keys here: {})",
                path.display(),
                expected.join(", ")
            );
        } else {
            out = format!(
                "{}{loc}: unknown key `{key}` (valid keys here: {})",
                path.display(),
                expected.join(", ")
            );
        }
    }
    ConfigError(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_closest_key() {
        let err = parse(
            "select = [\"all\"]\nfail-levle = \"error\"\n",
            Path::new("orchlint.toml"),
        )
        .unwrap_err();
        assert!(
            err.0.starts_with(
                "orchlint.toml:2:1: unknown key `fail-levle`; did you mean `fail-level`?"
            ),
            "{}",
            err.0
        );
    }

    #[test]
    fn advisor_section_sets_the_reference_host() {
        let cfg = parse(
            "[advisor]\nhost-vcpu = 16\nhost-memory-gib = 64.5\n",
            Path::new("orchlint.toml"),
        )
        .unwrap();
        assert_eq!(cfg.advisor.host_vcpu, 16.0);
        assert_eq!(cfg.advisor.host_memory_gib, 64.5);
        let default = parse("", Path::new("orchlint.toml")).unwrap();
        assert_eq!(default.advisor, crate::advise::AdvisorSettings::default());
        let err = parse("[advisor]\nhost-vcpus = 16\n", Path::new("orchlint.toml")).unwrap_err();
        assert!(
            err.0.starts_with(
                "orchlint.toml:2:1: unknown key `host-vcpus`; did you mean `host-vcpu`?"
            ),
            "{}",
            err.0
        );
        let err = parse("[advisor]\nhost-vcpu = 0\n", Path::new("orchlint.toml")).unwrap_err();
        assert!(err.0.contains("greater than 0"), "{}", err.0);
        let err = parse("[advisr]\n", Path::new("orchlint.toml")).unwrap_err();
        assert!(err.0.contains("did you mean `advisor`?"), "{}", err.0);
    }

    #[test]
    fn compose_section_names_merged_files_under_the_config_dir() {
        let cfg = parse(
            "[compose]\nprojects = [[\"a/compose.yaml\", \"a/compose.prod.yaml\"]]\n",
            Path::new("/nonexistent/o.toml"),
        )
        .unwrap();
        assert_eq!(
            cfg.compose_projects,
            vec![vec![
                PathBuf::from("/nonexistent/a/compose.yaml"),
                PathBuf::from("/nonexistent/a/compose.prod.yaml"),
            ]]
        );
        assert!(parse("[compose]\nfiles = []\n", Path::new("o.toml")).is_err());
    }

    #[test]
    fn kubernetes_section_sets_the_release() {
        let cfg = parse("[kubernetes]\nversion = \"1.24\"\n", Path::new("o.toml")).unwrap();
        assert_eq!(
            cfg.kubernetes.map(|r| r.to_string()).as_deref(),
            Some("1.24")
        );
        assert_eq!(parse("", Path::new("o.toml")).unwrap().kubernetes, None);
        for (bad, says) in [
            ("1.x", "is not a Kubernetes release"),
            ("banana", "is not a Kubernetes release"),
            ("1.9", "older than"),
        ] {
            let text = format!("[kubernetes]\nversion = \"{bad}\"\n");
            let err = parse(&text, Path::new("o.toml")).unwrap_err();
            assert!(
                err.0.starts_with("o.toml:2:11: [kubernetes] version: "),
                "{}",
                err.0
            );
            assert!(err.0.contains(says), "{}", err.0);
        }
        let err = parse("[kubernetes]\nversoin = \"1.24\"\n", Path::new("o.toml")).unwrap_err();
        assert!(err.0.contains("did you mean `version`?"), "{}", err.0);
    }

    #[test]
    fn unknown_rule_is_an_error_with_a_hint() {
        let err = parse("ignore = [\"privileged-containr\"]\n", Path::new("o.toml")).unwrap_err();
        assert!(
            err.0.contains("did you mean `privileged-container`"),
            "{}",
            err.0
        );
    }

    #[test]
    fn overrides_extend_settings_per_path() {
        let cfg = parse(
            "ignore = [\"security\"]\n[[overrides]]\npaths = [\"legacy/**\"]\nselect = [\"all\"]\nseverity = { privileged-container = \"info\" }\n",
            Path::new("/nonexistent/orchlint.toml"),
        )
        .unwrap();
        let meta = rules::find("privileged-container").unwrap();
        assert!(
            !cfg.settings_for(Path::new("/nonexistent/a/compose.yaml"))
                .enabled(meta)
        );
        let legacy = cfg.settings_for(Path::new("/nonexistent/legacy/compose.yaml"));
        assert_eq!(legacy.severity_of(meta), Severity::Info);
    }
}
