//! Files whose findings depend only on each other: a directory's files, joined
//! with every project that holds one of them and with a Helm chart's templates.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::formats::helm::chart_dir_of_template;
use crate::project::{Project, SpecFile};
use crate::source::Format;

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    parent[ra.max(rb)] = ra.min(rb);
}

/// The clusters of a scan's files, as sorted file indexes, by their first file.
pub(crate) fn of(files: &[SpecFile], projects: &[Project]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..files.len()).collect();
    let mut first_in_dir: HashMap<PathBuf, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let j = *first_in_dir.entry(f.dir()).or_insert(i);
        union(&mut parent, i, j);
    }
    for (i, f) in files.iter().enumerate() {
        if let Some(chart) = chart_dir_of_template(&f.path)
            && let Some(&j) = first_in_dir.get(&chart)
        {
            union(&mut parent, i, j);
        }
    }
    for p in projects {
        let mut ids = p.files.iter().map(|id| id.0 as usize);
        let Some(first) = ids.next() else { continue };
        for i in ids {
            union(&mut parent, first, i);
        }
        if let Some(&j) = first_in_dir.get(&p.root) {
            union(&mut parent, first, j);
        }
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..files.len() {
        let r = find(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = by_root.into_values().collect();
    out.sort_by_key(|c| c[0]);
    out
}

/// The `.env` of each directory of a cluster's Compose files (Flocker's too: a
/// Fig file it places is read as Compose), which Compose reads for interpolation
/// whether or not the walk lists it; no other format reads it.
pub(crate) fn probes(files: &[SpecFile], cluster: &[usize]) -> Vec<PathBuf> {
    let reads_env = |f: &SpecFile| matches!(f.format, Some(Format::Compose | Format::Flocker));
    let mut dirs: Vec<PathBuf> = cluster
        .iter()
        .map(|&i| &files[i])
        .filter(|f| reads_env(f))
        .map(SpecFile::dir)
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs.into_iter().map(|d| d.join(".env")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Typed;
    use crate::source::FileId;

    fn file(i: u32, path: &str) -> SpecFile {
        SpecFile {
            id: FileId(i),
            path: PathBuf::from(path),
            display: path.into(),
            text: String::new(),
            format: path.contains("compose").then_some(Format::Compose),
            skipped: None,
            docs: Vec::new(),
            typed: Typed::None,
        }
    }

    #[test]
    fn directories_projects_and_charts_join_files() {
        let files = vec![
            file(0, "a/compose.yaml"),
            file(1, "a/compose.override.yaml"),
            file(2, "b/base.yaml"),
            file(3, "c/k.yaml"),
            file(4, "chart/Chart.yaml"),
            file(5, "chart/templates/deploy.yaml"),
            file(6, "d/x.yaml"),
        ];
        let projects = vec![Project::new(
            PathBuf::from("a"),
            Format::Compose,
            vec![FileId(0), FileId(2)],
        )];
        let got = of(&files, &projects);
        assert_eq!(got, vec![vec![0, 1, 2], vec![3], vec![4, 5], vec![6]]);
        assert_eq!(probes(&files, &got[0]), vec![PathBuf::from("a/.env")]);
        // Kubernetes files and charts read no `.env`.
        assert!(probes(&files, &got[1]).is_empty());
    }
}
