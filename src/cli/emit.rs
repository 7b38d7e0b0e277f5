//! `check`'s outputs fed as findings come: each `--format` is a report stream
//! (or, with `--statistics`, a tally) that takes the scan chunk by chunk, and
//! what the exit code, the fix hint and the messages on stderr need is added up
//! on the way. The scan without the cache hands its chunks here as they are
//! scanned (`engine::run_streamed`); the other scans hand their whole result as
//! one chunk.
//!
//! A streamed chunk is rendered on a thread of its own while the engine scans
//! the next one: the outputs move to that thread with the first chunk and come
//! back when the scan is over. The hand-over waits until the thread took the
//! chunk before, so at most one chunk beyond the one being scanned is alive,
//! and the chunks are rendered in the order they came: the bytes are those of
//! rendering them one after the other on the scan's thread.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::Fatal;
use super::output::{io, write_file_with};
use crate::config::FailLevel;
use crate::engine::{ChunkSink, Scan};
use crate::report::statistics::Tally;
use crate::report::{self, FormatSpec, OutputFormat};
use crate::source::changed::ReportFilter;

/// One output on its way.
enum Output {
    Report(Box<report::Stream>),
    Statistics(Tally),
}

impl Output {
    /// Adds a chunk's findings.
    fn add(&mut self, scan: &Scan) -> std::io::Result<()> {
        match self {
            Output::Report(s) => s.chunk(&scan.files, &scan.diagnostics, &scan.suppressed),
            Output::Statistics(t) => {
                t.add(&scan.diagnostics, &scan.suppressed);
                Ok(())
            }
        }
    }
}

/// The thread rendering chunks into the outputs, one chunk after the other.
struct Renderer {
    chunks: SyncSender<Scan>,
    thread: JoinHandle<std::io::Result<Vec<Output>>>,
}

impl Renderer {
    fn start(mut outputs: Vec<Output>) -> std::io::Result<Renderer> {
        // A rendezvous: `send` returns once the thread has taken the chunk, so
        // the scan goes on while it renders, and no chunk waits in between.
        let (chunks, rx) = sync_channel::<Scan>(0);
        let thread = std::thread::Builder::new()
            .name("orchlint-render".into())
            .spawn(move || {
                for scan in rx {
                    for o in &mut outputs {
                        o.add(&scan)?;
                    }
                }
                Ok(outputs)
            })?;
        Ok(Renderer { chunks, thread })
    }

    /// Waits for the chunks handed over to be rendered; the outputs, or the
    /// error that stopped the rendering.
    fn join(self) -> std::io::Result<Vec<Output>> {
        drop(self.chunks);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the report's thread failed")))
    }
}

/// What the chunks so far add up to.
struct Totals {
    /// Empty while the rendering thread has them.
    outputs: Vec<Output>,
    /// A finding reaches the fail level.
    failed: bool,
    /// Findings `--fix` would repair, and those it would with `--unsafe-fixes`.
    fixable: (usize, usize),
    /// Candidate files, and how many of them are spec files.
    files: usize,
    specs: usize,
    /// Each file set aside, with why (for `--verbose`).
    skipped: Vec<(String, String)>,
    /// The most findings (and suppressed findings) one chunk held.

    #[cfg(test)]
    most_held: usize,
}

pub(super) struct Emitter<'a> {
    specs: &'a [FormatSpec],
    statistics: bool,
    color: bool,
    level: FailLevel,
    unsafe_fixes: bool,
    /// Each `--format` file that exists, canonical, to refuse one that is scanned.
    targets: Vec<(PathBuf, PathBuf)>,
    totals: Totals,
    /// The thread rendering a streamed scan's chunks, holding the outputs.
    renderer: Option<Renderer>,
    /// An error found while taking a chunk (a report target that is scanned).
    fatal: Option<Fatal>,
}

impl<'a> Emitter<'a> {
    pub(super) fn new(
        specs: &'a [FormatSpec],
        statistics: bool,
        color: bool,
        level: FailLevel,
        unsafe_fixes: bool,
    ) -> Result<Emitter<'a>, Fatal> {
        let targets = specs
            .iter()
            .filter_map(|f| f.path.as_ref())
            .filter_map(|p| std::fs::canonicalize(p).ok().map(|c| (p.clone(), c)))
            .collect();
        let totals = totals(specs, statistics, color).map_err(io)?;
        Ok(Emitter {
            specs,
            statistics,
            color,
            level,
            unsafe_fixes,
            targets,
            totals,
            renderer: None,
            fatal: None,
        })
    }

    /// Adds a scan's findings (already narrowed by the filters) to every output.
    pub(super) fn add(&mut self, scan: &Scan) -> Result<(), Fatal> {
        self.count(scan)?;
        for o in self.outputs_here()? {
            o.add(scan).map_err(io)?;
        }
        Ok(())
    }

    /// Adds a chunk of a streamed scan: counted here, rendered on the
    /// rendering thread while the scan goes on.
    fn add_streamed(&mut self, scan: Scan) -> Result<(), Fatal> {
        self.count(&scan)?;
        let renderer = match self.renderer.take() {
            Some(r) => r,
            None => Renderer::start(std::mem::take(&mut self.totals.outputs)).map_err(io)?,
        };
        match renderer.chunks.send(scan) {
            Ok(()) => {
                self.renderer = Some(renderer);
                Ok(())
            }
            // The thread stopped on an error: its error says why.
            Err(_) => match renderer.join() {
                Err(e) => Err(io(e)),
                Ok(_) => Err(io(std::io::Error::other("the report's thread stopped"))),
            },
        }
    }

    /// The outputs, back here once every chunk handed over is rendered.
    fn outputs_here(&mut self) -> Result<&mut Vec<Output>, Fatal> {
        if let Some(r) = self.renderer.take() {
            self.totals.outputs = r.join().map_err(io)?;
        }
        Ok(&mut self.totals.outputs)
    }

    /// Adds up what the exit code, the fix hint and the messages need.
    fn count(&mut self, scan: &Scan) -> Result<(), Fatal> {
        self.refuse_scanned_targets(scan)?;
        let t = &mut self.totals;
        t.files += scan.files.len();
        t.specs += scan.files.iter().filter(|f| f.format.is_some()).count();
        t.skipped.extend(
            scan.files
                .iter()
                .filter_map(|f| Some((f.display.clone(), f.skipped.clone()?))),
        );
        t.failed |= scan
            .diagnostics
            .iter()
            .any(|d| self.level.fails(d.severity));
        let (now, hidden) = crate::fix::available(&scan.diagnostics, self.unsafe_fixes);
        t.fixable = (t.fixable.0 + now, t.fixable.1 + hidden);
        #[cfg(test)]
        {
            t.most_held = t
                .most_held
                .max(scan.diagnostics.len() + scan.suppressed.len());
        }
        Ok(())
    }

    /// Fails when a `--format` file is one of the files scanned: the report would
    /// replace the spec.
    fn refuse_scanned_targets(&self, scan: &Scan) -> Result<(), Fatal> {
        for (p, target) in &self.targets {
            let name = target.file_name();
            let scanned = scan.files.iter().any(|f| {
                f.path.file_name() == name
                    && std::fs::canonicalize(&f.path).is_ok_and(|c| &c == target)
            });
            if scanned {
                return Err(Fatal::Error(format!(
                    "--format {}: that file is one of the scanned inputs; write the report elsewhere",
                    p.display()
                )));
            }
        }
        Ok(())
    }

    pub(super) fn failed(&self) -> bool {
        self.totals.failed
    }

    pub(super) fn fixable(&self) -> (usize, usize) {
        self.totals.fixable
    }

    /// With `--verbose`: each skipped file and why, on stderr.
    pub(super) fn print_skipped(&self) {
        for (display, reason) in &self.totals.skipped {
            eprintln!("orchlint: skipped {display}: {reason}");
        }
    }

    /// Says on stderr that the run found no spec file to check, and why: no
    /// candidate file at all, or candidates that were all set aside.
    pub(super) fn say_if_no_spec(&self, verbose: bool) {
        let t = &self.totals;
        if t.specs > 0 {
            return;
        }
        if t.files == 0 {
            eprintln!(
                "orchlint: no spec file found: no .yaml, .yml, .json, .bom, Procfile or .env file in the paths given"
            );
        } else {
            let n = t.files;
            let why = if verbose {
                "see the reasons above"
            } else {
                "--verbose says why"
            };
            eprintln!(
                "orchlint: no spec file found: {n} candidate file{} set aside ({why})",
                if n == 1 { " was" } else { "s were" }
            );
        }
    }

    /// Writes each output: the findings (or with `--statistics` their counts) to
    /// stdout, the findings to each file named.
    pub(super) fn finish(mut self, out: &mut dyn Write) -> Result<(), Fatal> {
        let outputs = std::mem::take(self.outputs_here()?);
        for (spec, o) in self.specs.iter().zip(outputs) {
            match (&spec.path, o) {
                (None, Output::Statistics(t)) => {
                    if spec.format == OutputFormat::Json {
                        t.write_json(out)
                    } else {
                        t.write_text(out)
                    }
                    .map_err(io)?;
                }
                (None, Output::Report(s)) => s.finish(out).map_err(io)?,
                (Some(path), Output::Report(s)) => write_file_with(path, |out| s.finish(out))?,
                (Some(_), Output::Statistics(_)) => {}
            }
        }
        Ok(())
    }

    #[cfg(test)]
    pub(super) fn most_held(&self) -> usize {
        self.totals.most_held
    }
}

/// Fresh outputs, one per `--format`: counts on stdout with `--statistics`,
/// the report otherwise.
fn totals(specs: &[FormatSpec], statistics: bool, color: bool) -> std::io::Result<Totals> {
    let outputs = specs
        .iter()
        .map(|spec| match &spec.path {
            None if statistics => Ok(Output::Statistics(Tally::default())),
            None => report::Stream::new(spec.format, color).map(|s| Output::Report(Box::new(s))),
            Some(_) => report::Stream::new(spec.format, false).map(|s| Output::Report(Box::new(s))),
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    Ok(Totals {
        outputs,
        failed: false,
        fixable: (0, 0),
        files: 0,
        specs: 0,
        skipped: Vec::new(),
        #[cfg(test)]
        most_held: 0,
    })
}

impl ChunkSink for Emitter<'_> {
    fn restart(&mut self) {
        // What the thread renders is void: it is waited for and dropped.
        if let Some(r) = self.renderer.take() {
            let _void = r.join();
        }
        match totals(self.specs, self.statistics, self.color) {
            Ok(t) => self.totals = t,
            Err(e) => self.fatal = Some(io(e)),
        }
    }

    fn chunk(&mut self, chunk: Scan) -> Result<(), String> {
        if self.fatal.is_some() {
            return Err("cannot write output".into());
        }
        self.add_streamed(chunk).map_err(|e| {
            let message = match &e {
                Fatal::Error(m) => m.clone(),
                _ => "cannot write output".into(),
            };
            self.fatal = Some(e);
            message
        })
    }
}

impl Emitter<'_> {
    /// The error that ended a streamed scan, when it came from here.
    pub(super) fn take_fatal(&mut self) -> Option<Fatal> {
        self.fatal.take()
    }
}

/// Keeps the findings in files every filter covers.
pub(super) fn keep_reported(scan: &mut Scan, filters: &[ReportFilter], cwd: &Path) {
    if filters.is_empty() {
        return;
    }
    let files = &scan.files;
    let covered = |d: &crate::diagnostic::Diagnostic| {
        let path = &files[d.file.0 as usize].path;
        filters.iter().all(|f| f.covers(path, cwd))
    };
    scan.diagnostics.retain(covered);
    scan.suppressed.retain(|s| covered(&s.diagnostic));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, ScanRequest};

    /// Projects in several directories whose order as shown (`a-b/` before
    /// `a/`) is not the walk's (`a/` before `a-b/`): Compose with an override,
    /// a masked secret and a suppressed finding; Kubernetes objects; a
    /// kustomization below a Compose project; a Compose file of its own.
    const TREE: &[(&str, &str)] = &[
        (
            "a/compose.yaml",
            "services:\n  web:\n    image: nginx:latest\n    environment:\n      DB_PASSWORD: hunter2hunter2\n    ports:\n      - \"80:80\"\n",
        ),
        (
            "a/compose.override.yaml",
            "services:\n  web:\n    privileged: true # orchlint-ignore: privileged-container -- needs raw sockets\n",
        ),
        (
            "a-b/app.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: api\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n",
        ),
        (
            "a/c/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - job.yaml\n",
        ),
        (
            "a/c/job.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: once\n          image: busybox:latest\n",
        ),
        (
            "b/docker-compose.yml",
            "version: \"2\"\nservices:\n  db:\n    image: postgres\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    environment:\n      API_TOKEN: s3cr3ts3cr3t\n",
        ),
        (
            "a.x/compose.yaml",
            "services:\n  cache:\n    image: redis\n    privileged: true\n",
        ),
    ];

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in TREE {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        dir
    }

    fn request(dir: &Path) -> ScanRequest {
        ScanRequest {
            paths: vec![dir.to_path_buf()],
            cli_select: Some(vec!["all".into()]),
            ..Default::default()
        }
    }

    /// The report of one output (`--statistics` when `statistics`) fed chunk by
    /// chunk (`Some(bytes)` of text each) or by the whole scan as one chunk.
    fn render(
        req: &ScanRequest,
        spec: &FormatSpec,
        statistics: bool,
        chunk_bytes: Option<u64>,
    ) -> (String, usize, usize) {
        let specs = [spec.clone()];
        let mut emit =
            Emitter::new(&specs, statistics, false, FailLevel::Warning, false).expect("emitter");
        let chunks = match chunk_bytes {
            Some(bytes) => {
                engine::run_streamed_by(req, true, bytes, &mut emit)
                    .expect("scan in chunks")
                    .chunks
            }
            None => {
                let scan = engine::run(req).expect("whole scan");
                emit.add(&scan).expect("add");
                1
            }
        };
        let held = emit.most_held();
        let mut out = Vec::new();
        emit.finish(&mut out).expect("finish");
        (String::from_utf8(out).expect("utf-8"), chunks, held)
    }

    #[test]
    fn every_format_streamed_chunk_by_chunk_is_the_whole_report() {
        // Every spool goes to disk, as a large report's does.
        report::set_memory_limit(16);
        let dir = tree();
        let req = request(dir.path());
        let whole = engine::run(&req).expect("whole scan");
        let total = whole.diagnostics.len() + whole.suppressed.len();
        assert!(
            !whole.suppressed.is_empty(),
            "the tree has a suppressed finding"
        );
        let mut cases: Vec<(FormatSpec, bool)> = OutputFormat::ALL
            .iter()
            .map(|f| {
                (
                    FormatSpec {
                        format: *f,
                        path: None,
                    },
                    false,
                )
            })
            .collect();
        for format in [OutputFormat::Concise, OutputFormat::Json] {
            cases.push((FormatSpec { format, path: None }, true));
        }
        for (spec, statistics) in &cases {
            let (want, _, held_whole) = render(&req, spec, *statistics, None);
            let (got, chunks, held) = render(&req, spec, *statistics, Some(1));
            assert_eq!(got, want, "{:?} (statistics: {statistics})", spec.format);
            // One chunk per directory apart from the others: a-b, a (with a/c:
            // the kustomization's folder lies inside it), a.x, b.
            assert_eq!(chunks, 4);
            assert_eq!(held_whole, total);
            assert!(
                held < total,
                "a chunk held {held} of the {total} findings: they were all held at once"
            );
            assert!(!got.contains("hunter2hunter2") && !got.contains("s3cr3ts3cr3t"));
        }
        // The order is the report's, not the walk's: `a-b/` comes before `a/`.
        let (concise, _, _) = render(&req, &cases[1].0, false, Some(1));
        let first = |name: &str| concise.find(name).expect(name);
        assert!(first("a-b/app.yaml") < first("a/compose.yaml"), "{concise}");
        // SARIF's rule indexes are given at the end: some rule of a later chunk
        // sorts before one of an earlier chunk, and each index still points at
        // its rule.
        let (sarif, _, _) = render(&req, &cases[3].0, false, Some(1));
        let doc: serde_json::Value = serde_json::from_str(&sarif).expect("sarif parses");
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let results = run["results"].as_array().expect("results");
        assert!(results.iter().any(|r| r["ruleIndex"].as_u64() > Some(0)));
        for r in results {
            let i = r["ruleIndex"].as_u64().expect("index") as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
    }

    /// The chunks of a streamed scan, kept.
    #[derive(Default)]
    struct Kept(Vec<Scan>);

    impl ChunkSink for Kept {
        fn restart(&mut self) {
            self.0.clear();
        }

        fn chunk(&mut self, chunk: Scan) -> Result<(), String> {
            self.0.push(chunk);
            Ok(())
        }
    }

    #[test]
    fn chunks_rendered_on_the_thread_match_chunks_rendered_in_line() {
        report::set_memory_limit(16);
        // Many directories, so that many chunks go through the thread.
        let dir = tree();
        for i in 0..24 {
            let (name, text) = TREE[i % TREE.len()];
            let p = dir.path().join(format!("m{i:02}")).join(name);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let req = request(dir.path());
        for format in OutputFormat::ALL {
            let specs = [FormatSpec {
                format: *format,
                path: None,
            }];
            let new =
                || Emitter::new(&specs, false, false, FailLevel::Warning, false).expect("emitter");
            let mut threaded = new();
            let chunks = engine::run_streamed_by(&req, true, 1, &mut threaded)
                .expect("scan in chunks")
                .chunks;
            assert!(chunks > 20, "{chunks} chunks");
            let mut kept = Kept::default();
            engine::run_streamed_by(&req, true, 1, &mut kept).expect("scan in chunks");
            assert_eq!(kept.0.len(), chunks);
            let mut in_line = new();
            for chunk in &kept.0 {
                in_line.add(chunk).expect("add");
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            threaded.finish(&mut a).expect("finish");
            in_line.finish(&mut b).expect("finish");
            assert!(!a.is_empty());
            assert_eq!(
                String::from_utf8(a).expect("utf-8"),
                String::from_utf8(b).expect("utf-8"),
                "{format:?}"
            );
        }
    }

    #[test]
    fn a_chunk_reaching_outside_restarts_every_output() {
        let dir = tree();
        // A Service in `e/` whose pods are in `a-b/`: its chunk, the last,
        // looks beyond itself after the chunks before it were taken.
        std::fs::create_dir_all(dir.path().join("e")).expect("mkdir");
        std::fs::write(
            dir.path().join("e/svc.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web:1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n",
        )
        .expect("write");
        let req = request(dir.path());
        for format in [OutputFormat::Json, OutputFormat::Junit, OutputFormat::Human] {
            let spec = FormatSpec { format, path: None };
            let (want, _, _) = render(&req, &spec, false, None);
            let (got, chunks, _) = render(&req, &spec, false, Some(1));
            assert_eq!(chunks, 1, "the whole scan ran");
            assert_eq!(got, want, "{format:?}");
        }
    }
}
