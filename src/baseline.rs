//! Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE`
//! then reports only findings that are not in it.
//!
//! An entry is a rule, a file (relative to the baseline file's directory, with
//! `/`) and the finding's key path in that file (`crate::keypath`), with a count
//! when several findings share all three. Line numbers are not part of it, so an
//! entry keeps matching when edits elsewhere move the finding. When a key has
//! more findings than its entry counts, the excess is reported (the last ones in
//! file order: identical keys cannot tell which is new). Entries, or parts of
//! counts, that no longer match anything are stale and returned so the caller can
//! say the file can shrink.
//!
//! ```json
//! {
//!   "version": 1,
//!   "entries": [
//!     {"rule": "reliability/latest-image-tag", "file": "compose.yaml", "path": "services.web.image"},
//!     {"rule": "security/secret-in-env", "file": "k8s/api.yaml", "path": "Deployment/api:spec...env[name=TOKEN].value", "count": 2}
//!   ]
//! }
//! ```

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::source::normalize;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::project::SpecFile;

pub(crate) const VERSION: u32 = 1;

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// `family/name`.
    pub(crate) rule: String,
    /// Relative to the baseline file's directory, `/`-separated.
    pub(crate) file: String,
    /// The key path of the finding in its file (empty for file-level findings).
    pub(crate) path: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub(crate) count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Baseline {
    pub(crate) version: u32,
    pub(crate) entries: Vec<Entry>,
}

/// An entry (with how many of its findings) that matched nothing this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stale {
    pub(crate) entry: Entry,
    pub(crate) unmatched: u32,
}

/// `path` relative to the directory `base` (both absolute), `/`-separated.
fn relative(base: &Path, path: &Path) -> String {
    let b: Vec<Component> = base.components().collect();
    let p: Vec<Component> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// The directory a baseline file's paths are relative to, absolute.
fn base_dir(baseline_file: &Path, cwd: &Path) -> PathBuf {
    let abs = normalize(&cwd.join(baseline_file));
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

/// A finding's key: (rule, file relative to the baseline's directory, key path).
type Key = (String, String, String);

/// The key of each diagnostic: (rule, file relative to `base`, key path).
fn keys(files: &[SpecFile], diags: &[Diagnostic], base: &Path, cwd: &Path) -> Vec<Key> {
    let mut file_keys: BTreeMap<u32, String> = BTreeMap::new();
    diags
        .iter()
        .map(|d| {
            let file = &files[d.file.0 as usize];
            let rel = file_keys
                .entry(d.file.0)
                .or_insert_with(|| relative(base, &normalize(&cwd.join(&file.path))))
                .clone();
            (d.code(), rel, crate::keypath::of(d, &file.docs))
        })
        .collect()
}

/// Records a run's findings part by part (each part a scan of whole files, the
/// parts of one run each holding other files): only a count per key is kept.
pub(crate) struct Recorder {
    base: PathBuf,
    cwd: PathBuf,
    counts: BTreeMap<Key, u32>,
    /// How many findings were recorded.
    pub(crate) findings: usize,
}

impl Recorder {
    /// Records for a baseline file at `baseline_file`.
    pub(crate) fn new(baseline_file: &Path, cwd: &Path) -> Recorder {
        Recorder {
            base: base_dir(baseline_file, cwd),
            cwd: cwd.to_path_buf(),
            counts: BTreeMap::new(),
            findings: 0,
        }
    }

    /// Records the findings of one part of the run.
    pub(crate) fn add(&mut self, files: &[SpecFile], diags: &[Diagnostic]) {
        for k in keys(files, diags, &self.base, &self.cwd) {
            *self.counts.entry(k).or_insert(0) += 1;
        }
        self.findings += diags.len();
    }

    /// Forgets every finding recorded so far.
    pub(crate) fn restart(&mut self) {
        self.counts.clear();
        self.findings = 0;
    }

    /// The baseline of the findings recorded.
    pub(crate) fn finish(self) -> Baseline {
        let mut entries: Vec<Entry> = self
            .counts
            .into_iter()
            .map(|((rule, file, path), count)| Entry {
                rule,
                file,
                path,
                count,
            })
            .collect();
        entries.sort_by(|a, b| (&a.file, &a.path, &a.rule).cmp(&(&b.file, &b.path, &b.rule)));
        Baseline {
            version: VERSION,
            entries,
        }
    }
}

impl Baseline {
    pub(crate) fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this orchlint writes version {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Keeps the findings the baseline does not cover; returns them and the stale
    /// entries.
    pub(crate) fn apply(
        &self,
        files: &[SpecFile],
        diags: Vec<Diagnostic>,
        baseline_file: &Path,
        cwd: &Path,
    ) -> (Vec<Diagnostic>, Vec<Stale>) {
        let mut a = Applier::new(self, baseline_file, cwd);
        let kept = a.apply(files, diags);
        (kept, a.stale())
    }
}

/// A baseline applied to a run part by part. Each part is a scan of whole
/// files, and a key names one file, so all the findings of a key come in one
/// part: the excess of a key is found within its part, as over the whole run.
pub(crate) struct Applier<'b> {
    baseline: &'b Baseline,
    base: PathBuf,
    cwd: PathBuf,
    /// How many findings each key of the baseline covers.
    allowed: BTreeMap<(&'b str, &'b str, &'b str), u32>,
    /// How many findings of the run had each key of the baseline.
    have: BTreeMap<Key, u32>,
}

impl<'b> Applier<'b> {
    /// Applies `baseline`, read from `baseline_file`.
    pub(crate) fn new(baseline: &'b Baseline, baseline_file: &Path, cwd: &Path) -> Applier<'b> {
        let mut allowed = BTreeMap::new();
        for e in &baseline.entries {
            *allowed
                .entry((e.rule.as_str(), e.file.as_str(), e.path.as_str()))
                .or_insert(0) += e.count;
        }
        Applier {
            baseline,
            base: base_dir(baseline_file, cwd),
            cwd: cwd.to_path_buf(),
            allowed,
            have: BTreeMap::new(),
        }
    }

    /// Forgets the parts applied so far.
    pub(crate) fn restart(&mut self) {
        self.have.clear();
    }

    /// Keeps the findings of one part that the baseline does not cover.
    pub(crate) fn apply(&mut self, files: &[SpecFile], diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let keys = keys(files, &diags, &self.base, &self.cwd);
        // How many findings each key has, to report the excess beyond the baseline.
        let mut total: BTreeMap<&Key, u32> = BTreeMap::new();
        for k in &keys {
            *total.entry(k).or_insert(0) += 1;
        }
        let mut seen: BTreeMap<&Key, u32> = BTreeMap::new();
        let mut kept = Vec::new();
        for (d, k) in diags.into_iter().zip(&keys) {
            let n = seen.entry(k).or_insert(0);
            *n += 1;
            let covered = self
                .allowed
                .get(&(k.0.as_str(), k.1.as_str(), k.2.as_str()))
                .copied()
                .unwrap_or(0);
            let excess = total[k].saturating_sub(covered);
            // The first `total - excess` findings of the key are the baselined ones.
            if *n > total[k] - excess {
                kept.push(d);
            }
        }
        for (k, n) in total {
            if self
                .allowed
                .contains_key(&(k.0.as_str(), k.1.as_str(), k.2.as_str()))
            {
                *self.have.entry(k.clone()).or_insert(0) += n;
            }
        }
        kept
    }

    /// The entries of the baseline that matched fewer findings than they count.
    pub(crate) fn stale(&self) -> Vec<Stale> {
        let mut stale = Vec::new();
        for e in &self.baseline.entries {
            let key = (e.rule.clone(), e.file.clone(), e.path.clone());
            let have = self.have.get(&key).copied().unwrap_or(0);
            let want = self
                .allowed
                .get(&(e.rule.as_str(), e.file.as_str(), e.path.as_str()))
                .copied()
                .unwrap_or(0);
            if have < want {
                // Duplicated entries share the shortfall; report it once.
                if stale.iter().any(|s: &Stale| {
                    s.entry.rule == e.rule && s.entry.file == e.file && s.entry.path == e.path
                }) {
                    continue;
                }
                stale.push(Stale {
                    entry: e.clone(),
                    unmatched: want - have,
                });
            }
        }
        stale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/c/d.yaml")),
            "c/d.yaml"
        );
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/x.yaml")),
            "../x.yaml"
        );
        assert_eq!(
            base_dir(Path::new("ci/./base.json"), Path::new("/repo")),
            PathBuf::from("/repo/ci")
        );
        assert_eq!(
            normalize(Path::new("/repo/./k8s/../c.yaml")),
            PathBuf::from("/repo/c.yaml")
        );
    }

    #[test]
    fn parse_checks_the_version() {
        assert!(Baseline::parse(r#"{"version": 2, "entries": []}"#).is_err());
        let b = Baseline::parse(
            r#"{"version": 1, "entries": [{"rule": "a/b", "file": "c.yaml", "path": "x"}]}"#,
        )
        .expect("valid");
        assert_eq!(b.entries[0].count, 1);
        assert!(Baseline::parse("not json").is_err());
    }
}
