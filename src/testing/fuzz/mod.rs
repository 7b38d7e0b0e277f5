//! Fuzzing on the stable toolchain: a seeded mutation loop over real spec texts
//! (`fixtures/` and, when it is there, `../shared/corpus`), one target per reader
//! and one for the whole check of a file (`targets`).
//!
//! Each input runs on its own thread with a time bound, so a panic, a hang and an
//! input that is merely too slow are all caught, saved under
//! `target/fuzz-crashes/` and reported as a failure naming the saved file.
//!
//! Environment (all optional):
//! - `ORCHLINT_FUZZ_SECS`: time budget per target in seconds; without it each
//!   target runs `ORCHLINT_FUZZ_RUNS` inputs (default 150), so `cargo test` stays quick.
//! - `ORCHLINT_FUZZ_SEED`: the generator's seed (default 1); a run is the same
//!   sequence of inputs for the same seed (a time budget only cuts it shorter or longer).
//! - `ORCHLINT_FUZZ_SLOW_MS`: the bound on one input (default 1,000 ms in an
//!   optimized build, 8,000 ms in a debug build).
//! - `ORCHLINT_FUZZ_CORPUS`: a directory of extra seeds (default `../shared/corpus`).

pub(crate) mod mutate;
mod targets;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub(crate) use mutate::Rng;

/// One seed or generated input: the file name it is checked under and its text.
#[derive(Clone, Debug)]
pub(crate) struct Input {
    pub(crate) name: String,
    pub(crate) text: String,
}

/// Largest input the mutator makes (bytes): big enough for structure, small
/// enough that a debug build runs hundreds of inputs a second.
pub(crate) const MAX_LEN: usize = 48 * 1024;

/// Largest seed file read (bytes); bigger corpus files are left to the corpus gate.
const MAX_SEED: u64 = 256 * 1024;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every seed file whose name `keep` accepts, from `fixtures/` and the corpus,
/// in a fixed order.
pub(crate) fn seeds(keep: impl Fn(&str) -> bool) -> Vec<Input> {
    let mut files = Vec::new();
    collect(&root().join("fixtures"), &mut files);
    let corpus = std::env::var_os("ORCHLINT_FUZZ_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if corpus.is_dir() {
        collect(&corpus, &mut files);
    } else {
        eprintln!(
            "fuzz: {} not found: seeding from fixtures/ only",
            corpus.display()
        );
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            if !keep(&name) || std::fs::metadata(&p).ok()?.len() > MAX_SEED {
                return None;
            }
            let text = std::fs::read_to_string(&p).ok()?;
            Some(Input { name, text })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// What one fuzz run did, for the summary line.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) executions: u64,
    pub(crate) slowest: Duration,
    pub(crate) slowest_len: usize,
    pub(crate) bytes: u64,
}

/// Runs `check` on mutations of `seeds` (a target's generator may add its own
/// inputs through `generate`) until the budget is spent. Fails on the first
/// input that panics or runs past the bound, after saving it.
pub(crate) fn run(
    target: &str,
    seeds: &[Input],
    generate: fn(&mut Rng) -> Input,
    check: fn(&Input),
) -> Summary {
    let seed = env_u64("ORCHLINT_FUZZ_SEED").unwrap_or(1);
    let budget = std::env::var("ORCHLINT_FUZZ_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    let runs = env_u64("ORCHLINT_FUZZ_RUNS").unwrap_or(150);
    let slow = Duration::from_millis(
        env_u64("ORCHLINT_FUZZ_SLOW_MS").unwrap_or(if cfg!(debug_assertions) {
            8_000
        } else {
            1_000
        }),
    );
    // One generator per target, so targets do not shift each other's inputs.
    let mut rng = Rng::new(seed ^ mutate::hash(target.as_bytes()));
    let started = Instant::now();
    let mut sum = Summary::default();
    let mut slowest = None;
    loop {
        let done = match budget {
            Some(b) => started.elapsed() >= b,
            None => sum.executions >= runs,
        };
        if done {
            break;
        }
        let input = if seeds.is_empty() || rng.below(4) == 0 {
            generate(&mut rng)
        } else {
            mutate::mutate(&mut rng, seeds)
        };
        let len = input.text.len();
        let took = run_one(target, &input, check, slow);
        sum.executions += 1;
        sum.bytes += len as u64;
        if took > sum.slowest {
            sum.slowest = took;
            sum.slowest_len = len;
            slowest = Some(input);
        }
    }
    eprintln!(
        "fuzz {target}: {} executions ({} seeds, seed {seed}, {:.1} s, {:.1} MB), slowest input {} ms ({} bytes)",
        sum.executions,
        seeds.len(),
        started.elapsed().as_secs_f64(),
        sum.bytes as f64 / 1e6,
        sum.slowest.as_millis(),
        sum.slowest_len,
    );
    // Kept for a look when it came near the bound.
    if let Some(input) = slowest.filter(|_| sum.slowest * 4 > slow) {
        let saved = save(&format!("{target}-slowest"), &input);
        eprintln!(
            "fuzz {target}: the slowest input is saved to {}",
            saved.display()
        );
    }
    sum
}

/// Checks one input on its own thread; panics (after saving the input) when the
/// check panicked or did not finish within `slow`.
fn run_one(target: &str, input: &Input, check: fn(&Input), slow: Duration) -> Duration {
    let (tx, rx) = mpsc::channel();
    let owned = input.clone();
    let started = Instant::now();
    let spawned = std::thread::Builder::new()
        .name(format!("fuzz-{target}"))
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| check(&owned));
            // The receiver is gone only when the bound ran out: nothing to tell.
            let _ = tx.send(outcome.is_ok());
        });
    if let Err(e) = spawned {
        panic!("fuzz {target}: cannot start a thread: {e}");
    }
    match rx.recv_timeout(slow) {
        Ok(true) => started.elapsed(),
        Ok(false) => {
            let saved = save(target, input);
            panic!(
                "fuzz {target}: the check failed on an input ({} bytes, name {:?}); input saved to {}",
                input.text.len(),
                input.name,
                saved.display()
            );
        }
        Err(_) => {
            let saved = save(target, input);
            panic!(
                "fuzz {target}: one input ran past {} ms ({} bytes, name {:?}); input saved to {}",
                slow.as_millis(),
                input.text.len(),
                input.name,
                saved.display()
            );
        }
    }
}

/// Writes a failing input under `target/fuzz-crashes/` with its file name kept
/// (the format is detected from it).
fn save(target: &str, input: &Input) -> PathBuf {
    let dir = root().join("target/fuzz-crashes").join(format!(
        "{target}-{:016x}",
        mutate::hash(input.text.as_bytes())
    ));
    let path = dir.join(&input.name);
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &input.text))
    {
        eprintln!(
            "fuzz {target}: cannot save the input to {}: {e}",
            path.display()
        );
    }
    path
}
