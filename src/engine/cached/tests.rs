//! The cached scan streams: its output, cold, warm, after an edit and over a
//! damaged entry, is the uncached scan's byte for byte in every format, handed
//! over in chunks none of which holds every finding.

use std::path::Path;

use super::{Sizes, run_cached_by};
use crate::engine::chunked::{ChunkSink, run_streamed_by};
use crate::engine::{CacheUse, Scan, ScanRequest};
use crate::report::{self, OutputFormat};

/// Every format's report fed chunk by chunk, with how the chunks came.
struct Reports {
    streams: Vec<report::Stream>,
    chunks: usize,
    restarts: usize,
    /// The most findings one chunk held, and all of them.
    most_held: usize,
    total: usize,
}

impl Reports {
    fn new() -> Reports {
        Reports {
            streams: Self::fresh(),
            chunks: 0,
            restarts: 0,
            most_held: 0,
            total: 0,
        }
    }

    fn fresh() -> Vec<report::Stream> {
        OutputFormat::ALL
            .iter()
            .map(|f| report::Stream::new(*f, false).expect("stream"))
            .collect()
    }

    fn finish(self) -> Vec<String> {
        self.streams
            .into_iter()
            .map(|s| {
                let mut out = Vec::new();
                s.finish(&mut out).expect("finish");
                String::from_utf8(out).expect("utf-8")
            })
            .collect()
    }
}

impl ChunkSink for Reports {
    fn restart(&mut self) {
        self.streams = Self::fresh();
        self.chunks = 0;
        self.most_held = 0;
        self.total = 0;
        self.restarts += 1;
    }

    fn chunk(&mut self, chunk: Scan) -> Result<(), String> {
        self.chunks += 1;
        let held = chunk.diagnostics.len() + chunk.suppressed.len();
        self.most_held = self.most_held.max(held);
        self.total += held;
        for s in &mut self.streams {
            s.chunk(&chunk.files, &chunk.diagnostics, &chunk.suppressed)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// Several projects, one directory each, every one with findings: Compose
/// files with an override, Kubernetes objects, a masked secret.
fn tree(dir: &Path) {
    for n in 0..6 {
        let files = [
            (
                format!("c{n}/compose.yaml"),
                format!(
                    "services:\n  web{n}:\n    image: nginx:latest\n    environment:\n      DB_PASSWORD: hunter2hunter{n}\n    ports:\n      - \"80:80\"\n"
                ),
            ),
            (
                format!("c{n}/compose.override.yaml"),
                format!("services:\n  web{n}:\n    privileged: true\n"),
            ),
            (
                format!("k{n}/app.yaml"),
                format!(
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api{n}\nspec:\n  selector:\n    matchLabels:\n      app: api{n}\n  template:\n    metadata:\n      labels:\n        app: api{n}\n    spec:\n      containers:\n        - name: api\n          image: api:latest\n"
                ),
            ),
        ];
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
    }
}

fn request(dir: &Path) -> ScanRequest {
    ScanRequest {
        paths: vec![dir.to_path_buf()],
        cli_select: Some(vec!["all".into()]),
        ..Default::default()
    }
}

/// Chunks of one directory's text, and of two files on a rerun.
const SMALL: Sizes = Sizes {
    chunk_bytes: 1,
    chunk_files: 2,
};

fn uncached(req: &ScanRequest) -> Vec<String> {
    let mut sink = Reports::new();
    run_streamed_by(req, true, 1, &mut sink).expect("scan");
    sink.finish()
}

/// A cached run's reports, what the cache did, and how the chunks came.
fn run(req: &ScanRequest, cache: &Path) -> (Vec<String>, Option<CacheUse>, usize, usize, usize) {
    let mut sink = Reports::new();
    let everything = |_: &Path| true;
    let used = run_cached_by(req, Some(cache), true, &everything, SMALL, &mut sink).expect("scan");
    let (chunks, held, restarts, total) = (sink.chunks, sink.most_held, sink.restarts, sink.total);
    assert!(total > 0, "the tree has findings");
    assert!(
        held < total,
        "a chunk held {held} of the {total} findings: they were all held at once"
    );
    (sink.finish(), used, chunks, restarts, total)
}

#[test]
fn cached_runs_stream_and_print_what_uncached_runs_print() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("tree");
    tree(&root);
    let cache = tmp.path().join("cache");
    let req = request(&root);
    let want = uncached(&req);
    assert!(!want[0].contains("hunter2hunter"), "secrets stay masked");

    let (cold, used, chunks, restarts, total) = run(&req, &cache);
    assert_eq!(cold, want, "cold");
    assert_eq!(used.map(|u| (u.scanned, u.reused)), Some((18, 0)));
    assert!(
        chunks > 1 && restarts == 0,
        "{chunks} chunks, {restarts} restarts"
    );

    let (warm, used, chunks, restarts, warm_total) = run(&req, &cache);
    assert_eq!(warm, want, "warm");
    assert_eq!(warm_total, total);
    assert_eq!(used.map(|u| (u.scanned, u.reused)), Some((0, 18)));
    assert!(
        chunks > 1 && restarts == 0,
        "{chunks} chunks, {restarts} restarts"
    );

    // An edit: its cluster is scanned again, its new finding printed in place.
    let edited = root.join("c3/compose.override.yaml");
    std::fs::write(
        &edited,
        "services:\n  web3:\n    privileged: true\n    pid: host\n",
    )
    .expect("edit");
    let want = uncached(&req);
    let (after, used, _, _, _) = run(&req, &cache);
    assert_eq!(after, want, "one file edited");
    let used = used.expect("cached");
    assert!(used.scanned >= 2 && used.scanned < 18, "{}", used.scanned);
    let (again, used, _, _, _) = run(&req, &cache);
    assert_eq!(again, want, "after the edit, warm");
    assert_eq!(used.map(|u| u.scanned), Some(0));

    // A damaged segment is refused: whatever was handed over is void, and the
    // whole scan follows.
    let entry = std::fs::read_dir(&cache)
        .expect("cache dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "bin"))
        .expect("an entry");
    let mut bytes = std::fs::read(&entry).expect("entry");
    bytes[9] ^= 0xff;
    std::fs::write(&entry, &bytes).expect("damage");
    let mut sink = Reports::new();
    let everything = |_: &Path| true;
    run_cached_by(&req, Some(&cache), true, &everything, SMALL, &mut sink).expect("scan");
    assert_eq!(sink.restarts, 1, "the damaged segment was found mid-way");
    assert_eq!(sink.finish(), want, "damaged entry");
    let (healed, used, _, _, _) = run(&req, &cache);
    assert_eq!(healed, want);
    assert_eq!(used.map(|u| u.scanned), Some(0), "stored whole again");
}
