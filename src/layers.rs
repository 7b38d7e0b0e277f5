//! The house is one-way: each top-level module sits on a floor and imports only
//! from floors below it. This test reads the `crate::` paths of every source file
//! (test-only files and `#[cfg(test)]` modules left out) and fails on an arrow that
//! runs sideways or up, and on a module no floor names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Floors from the ground up. Modules on one floor never import each other.
const FLOORS: &[(&str, &[&str])] = &[
    ("files, spans, locations, formats by name", &["source"]),
    ("span tree; findings as data", &["yaml", "diagnostic"]),
    ("typed model per format", &["formats"]),
    ("spec files and projects", &["project"]),
    ("normalized model and lowering", &["model"]),
    ("advisor", &["advise"]),
    ("rules; migrations", &["rules", "migrate"]),
    ("settings, docs, key paths", &["config", "docs", "keypath"]),
    (
        "suppressions, baselines, the content cache",
        &["suppress", "baseline", "cache"],
    ),
    ("the scan", &["engine"]),
    ("reports; fixes applied", &["report", "fix"]),
    ("language server", &["server"]),
    ("command line", &["cli"]),
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|(_, ms)| ms.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Modules declared as `#[cfg(test)] mod name;` in a file: test-only files.
fn test_only_children(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cfg_test = false;
    for line in text.lines().map(str::trim) {
        if line == "#[cfg(test)]" {
            cfg_test = true;
            continue;
        }
        if cfg_test
            && let Some(rest) = line
                .strip_prefix("mod ")
                .or(line.strip_prefix("pub(crate) mod "))
            && let Some(name) = rest.strip_suffix(';')
        {
            out.push(name.to_string());
        }
        cfg_test = false;
    }
    out
}

/// The file's text without inline `#[cfg(test)] mod ... { ... }` blocks and comments.
fn production_text(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|n| n.trim_start().contains("mod ") && n.trim_end().ends_with('{'))
        {
            // Skip the module: count braces until it closes.
            let mut depth = 0i32;
            for l in lines.by_ref() {
                depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                if depth <= 0 && l.contains('}') {
                    break;
                }
            }
            continue;
        }
        let code = t.split("//").next().unwrap_or("");
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

#[test]
fn imports_only_run_down_the_floors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut test_only: Vec<PathBuf> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let dir = if f
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            f.parent().map(Path::to_path_buf)
        } else {
            f.parent()
                .map(|p| p.join(f.file_stem().unwrap_or_default()))
        };
        for child in test_only_children(&text) {
            if let Some(d) = &dir {
                test_only.push(d.join(format!("{child}.rs")));
                test_only.push(d.join(&child));
            }
        }
    }
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for f in &files {
        if test_only.iter().any(|t| f.starts_with(t)) {
            continue;
        }
        let Some(from) = top_module(&src, f) else {
            continue;
        };
        if matches!(from.as_str(), "lib" | "main" | "layers") {
            continue;
        }
        let Some(from_floor) = floor_of(&from) else {
            unplaced.push(from);
            continue;
        };
        let text = production_text(&std::fs::read_to_string(f).unwrap_or_default());
        for (i, _) in text.match_indices("crate::") {
            let to: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if to == from || to.is_empty() {
                continue;
            }
            let ok = floor_of(&to).is_some_and(|t| t < from_floor);
            if !ok {
                let shown = f.strip_prefix(&src).unwrap_or(f).display().to_string();
                wrong
                    .entry(format!("{from} -> {to}"))
                    .or_default()
                    .push(shown);
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "top-level modules on no floor (add them to FLOORS in src/layers.rs): {unplaced:?}"
    );
    for files in wrong.values_mut() {
        files.dedup();
    }
    assert!(
        wrong.is_empty(),
        "imports that run sideways or up the floors (see FLOORS in src/layers.rs):\n{}",
        wrong
            .iter()
            .map(|(arrow, files)| format!("  {arrow}: {}", files.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_layering_test_sees_an_upward_arrow() {
    // A production line that imports upward is kept; a test module's is dropped.
    let text = "use crate::cli::x;\n#[cfg(test)]\nmod tests {\n    use crate::engine::y;\n}\n";
    let kept = production_text(text);
    assert!(kept.contains("crate::cli::x") && !kept.contains("crate::engine"));
    assert_eq!(
        test_only_children("#[cfg(test)]\nmod tests;\nmod real;\n"),
        vec!["tests".to_string()]
    );
}
