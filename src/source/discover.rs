//! Finds candidate spec files: a parallel walk with the `ignore` crate that honours
//! `.gitignore`, `.ignore` and `.orchlintignore`, `--include`/`--exclude` globs and a
//! size limit. Files named on the command line are always candidates.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

pub use super::walk_types::WalkOptions;
pub(crate) use super::walk_types::{Candidate, Stamp};
use super::walked::{Recorder, WalkRecord};

#[derive(Debug)]
pub(crate) struct WalkError {
    pub(crate) path: PathBuf,
    pub(crate) message: String,
}

/// Globs as `.gitignore` reads them: without a slash they match at any depth, and a
/// directory's glob covers what is inside it. `None` when there are none.
pub(crate) fn glob_set(globs: &[String]) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // A glob without a slash matches at any depth, as in .gitignore.
        let pattern = if g.contains('/') {
            g.trim_start_matches("./").to_string()
        } else {
            format!("**/{g}")
        };
        b.add(Glob::new(&pattern).map_err(|e| format!("invalid glob `{g}`: {e}"))?);
        // A directory glob also covers what is inside it.
        b.add(
            Glob::new(&format!("{}/**", pattern.trim_end_matches('/')))
                .map_err(|e| format!("invalid glob `{g}`: {e}"))?,
        );
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

/// Walks the given paths, each with its own options; returns candidates sorted by
/// path, and walk errors.
pub(crate) fn discover(
    roots: &[(PathBuf, WalkOptions)],
) -> Result<(Vec<Candidate>, Vec<WalkError>), String> {
    discover_by(roots, None)
}

/// What `discover_recorded` found: candidates, walk errors, and the record.
pub(crate) type Recorded = (Vec<Candidate>, Vec<WalkError>, Option<WalkRecord>);

/// `discover`, keeping what a later run needs to list the same files without
/// walking (`None`: the walk had errors, or saw what a record cannot stand for).
/// Directories at or under `skip` (the cache's own) are not recorded: nothing in
/// them is ever scanned.
pub(crate) fn discover_recorded(
    roots: &[(PathBuf, WalkOptions)],
    skip: Option<&Path>,
) -> Result<Recorded, String> {
    let recorder = Recorder::new(skip);
    let (found, errors) = discover_by(roots, Some(&recorder))?;
    let record = if errors.is_empty() {
        recorder.finish(roots, &found)
    } else {
        None
    };
    Ok((found, errors, record))
}

fn discover_by(
    roots: &[(PathBuf, WalkOptions)],
    recorder: Option<&Recorder>,
) -> Result<(Vec<Candidate>, Vec<WalkError>), String> {
    let found: Mutex<Vec<Candidate>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<WalkError>> = Mutex::new(Vec::new());

    for (root_index, (root, opts)) in roots.iter().enumerate() {
        let include = glob_set(&opts.include)?;
        let exclude = glob_set(&opts.exclude)?;
        let max_size = opts.max_file_size;
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                return Err(format!("{}: {e}", root.display()));
            }
        };
        // A file named on the command line is read whatever it is: a regular file,
        // or a FIFO or device (`<(cmd)`), which the walk would pass over.
        if !meta.is_dir() {
            found.lock().map_err(|e| e.to_string())?.push(Candidate {
                path: root.clone(),
                size: meta.len(),
                explicit: true,
                root: root_index,
                max_size,
                stamp: Stamp::of(&meta),
            });
            continue;
        }
        let ignores = !opts.no_ignore;
        if let Some(r) = recorder.filter(|_| ignores) {
            r.above(root);
        }
        let mut builder = WalkBuilder::new(root);
        builder
            .hidden(false)
            .follow_links(opts.follow_symlinks)
            .max_depth(opts.max_depth)
            .threads(opts.threads)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git");
        if !opts.no_ignore {
            builder.add_custom_ignore_filename(".orchlintignore");
        }
        let (include, exclude, found, errors) = (&include, &exclude, &found, &errors);
        builder.build_parallel().run(|| {
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        if let Ok(mut errs) = errors.lock() {
                            errs.push(WalkError {
                                path: root.clone(),
                                message: err.to_string(),
                            });
                        }
                        return WalkState::Continue;
                    }
                };
                let path = entry.path();
                let rel = path.strip_prefix(root).unwrap_or(path);
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if let Some(r) = recorder.filter(|_| is_dir)
                    && !exclude.as_ref().is_some_and(|g| g.is_match(rel))
                {
                    r.dir(path, ignores);
                }
                if exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
                    return if is_dir {
                        WalkState::Skip
                    } else {
                        WalkState::Continue
                    };
                }
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let name = entry.file_name().to_string_lossy();
                if !is_candidate_name(&name) {
                    return WalkState::Continue;
                }
                if include.as_ref().is_some_and(|g| !g.is_match(rel)) {
                    return WalkState::Continue;
                }
                let meta = entry.metadata().ok();
                let size = meta.as_ref().map_or(0, |m| m.len());
                let stamp = meta.as_ref().and_then(Stamp::of);
                if let Ok(mut f) = found.lock() {
                    f.push(Candidate {
                        path: path.to_path_buf(),
                        size,
                        explicit: false,
                        root: root_index,
                        max_size,
                        stamp,
                    });
                }
                WalkState::Continue
            })
        });
    }
    let mut found = found.into_inner().map_err(|e| e.to_string())?;
    found.sort();
    found.dedup_by(|a, b| a.path == b.path);
    let errors = errors.into_inner().map_err(|e| e.to_string())?;
    Ok((found, errors))
}

/// Files the walk considers: YAML, JSON and Brooklyn catalog (`.bom`) files, a
/// `Procfile`, and `.env` (listed and set aside with the reason).
pub(crate) fn is_candidate_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".json")
        || lower.ends_with(".bom")
        || name == PROCFILE
        || name == ".env"
}

#[cfg(test)]
#[test]
fn candidates_are_chosen_by_name() {
    assert!(is_candidate_name("Procfile") && is_candidate_name("catalog.bom"));
    assert!(!is_candidate_name("procfile.txt"));
}

#[cfg(test)]
#[test]
fn max_depth_one_walks_only_the_directorys_own_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub").join("b.yaml"), "b: 1\n").unwrap();
    let names = |max_depth| {
        let opts = WalkOptions {
            max_depth,
            ..Default::default()
        };
        let (found, _) = discover(&[(dir.path().to_path_buf(), opts)]).unwrap();
        found
            .iter()
            .map(|c| c.path.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(Some(1)), vec![PathBuf::from("a.yaml")]);
    assert_eq!(
        names(None),
        vec![PathBuf::from("a.yaml"), PathBuf::from("sub/b.yaml")]
    );
}

/// The file name of a Heroku-style process list.
pub(crate) const PROCFILE: &str = "Procfile";
