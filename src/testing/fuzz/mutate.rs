//! The mutator: a small seeded generator and text edits that keep UTF-8 valid
//! (the readers take `&str`; invalid bytes are the file reader's job).

use super::{Input, MAX_LEN};

/// xorshift64* seeded through splitmix64: fast, and the same numbers on every machine.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn one(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// FNV-1a, for naming saved inputs and deriving per-target seeds.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Pieces of the languages the readers take: YAML structure and scalar styles,
/// JSON, Compose interpolation, `.env` and Procfile syntax, keys the format
/// readers look at, and awkward characters.
pub(crate) const TOKENS: &[&str] = &[
    "\n",
    "\n  ",
    "\n    ",
    "\n- ",
    "\n  - ",
    ": ",
    ":",
    "- ",
    "-",
    "---\n",
    "...\n",
    "# c\n",
    " #",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a\n",
    "<<: [*a, *b]\n",
    "<<: ",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!!map ",
    "!!seq ",
    "!local ",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "? ",
    "? a\n: b\n",
    "|",
    "|-\n  ",
    "|+\n",
    ">\n  ",
    ">-\n ",
    "|2\n",
    "\"",
    "'",
    "''",
    "\\",
    "\\\"",
    "\\u00e9",
    "\\U0001F980",
    "\\x41",
    "\\\n",
    "\"a\n  b\n\n c\"",
    "'a\n\n  b'",
    "{",
    "}",
    "[",
    "]",
    ",",
    "{}",
    "[]",
    "{a: 1, b: [2, 3]}",
    "\t",
    "\r",
    "\r\n",
    "\u{feff}",
    "\u{85}",
    "\u{2028}",
    "é",
    "日本",
    "🦀",
    "\u{0}",
    "\u{7f}",
    " ",
    "${",
    "$",
    "$$",
    "${A}",
    "${A:-x}",
    "${A-x}",
    "${A:+y}",
    "${A+y}",
    "${A:?must be set}",
    "${A?e}",
    "${A:-${B:-${C}}}",
    "$A",
    "$_",
    "${}",
    "${:-}",
    "${A:-}",
    "${A",
    "}",
    "0",
    "-1",
    "0x1F",
    "0o17",
    "1e9999",
    "1.5",
    "-.inf",
    ".nan",
    "~",
    "null",
    "true",
    "False",
    "yes",
    "on",
    "99999999999999999999",
    "4294967296",
    "\"\"",
    "services:\n",
    "  web:\n",
    "    image: ",
    "nginx:latest",
    "alpine",
    "build: .\n",
    "ports:\n  - ",
    "\"80:80\"",
    "8080:80/udp",
    "127.0.0.1:1-65535:1-65535",
    "volumes:\n  - ",
    "/var/run/docker.sock:/var/run/docker.sock",
    "./data:/data:ro",
    "environment:\n  ",
    "DB_PASSWORD: hunter2\n",
    "- KEY=value\n",
    "env_file: .env\n",
    "depends_on:\n  - ",
    "condition: service_healthy\n",
    "deploy:\n  replicas: 3\n",
    "cpus: '0.5'\n",
    "mem_limit: 1g\n",
    "privileged: true\n",
    "cap_add:\n  - SYS_ADMIN\n",
    "network_mode: host\n",
    "healthcheck:\n  test: ",
    "extends:\n  file: x.yml\n",
    "x-common: &c\n",
    "version: \"3.8\"\n",
    "apiVersion: v1\n",
    "apiVersion: apps/v1\n",
    "apiVersion: extensions/v1beta1\n",
    "kind: Pod\n",
    "kind: Deployment\n",
    "kind: Service\n",
    "kind: ConfigMap\n",
    "kind: List\n",
    "metadata:\n  name: ",
    "  namespace: ",
    "spec:\n  ",
    "template:\n    ",
    "containers:\n  - name: c\n",
    "image: ",
    "resources:\n  ",
    "limits:\n    memory: ",
    "requests:\n    cpu: ",
    "1Gi",
    "500m",
    "0.001",
    "1e3",
    "replicas: ",
    "labels:\n  ",
    "selector:\n  matchLabels:\n",
    "hostPath:\n  path: /\n",
    "securityContext:\n  ",
    "runAsUser: 0\n",
    "hostNetwork: true\n",
    "{{ .Values.x }}",
    "\"id\": \"/a\"",
    "\"instances\": 2",
    "\"cpus\": 0.1",
    "\"mem\": 128",
    "\"container\": {\"docker\": {\"image\": \"x\"}}",
    "\"cmd\": \"",
    "\"constraints\": [[\"hostname\", \"UNIQUE\"]]",
    "\"env\": {\"A\": \"b\"}",
    "\"apps\": [",
    "\"formation\": {\"web\": {\"quantity\": 1}}",
    "\"addons\": [\"heroku-postgresql\"]",
    "null,",
    "[[[[[[[[[[[[",
    "]]]]]]]]]]]]",
    "{{{{{{{{",
    "}}}}}}}}",
    "web: ",
    "worker: ",
    "web: bundle exec rails s -p $PORT\n",
    "release: ",
    "export ",
    "=",
    "A=1\n",
    "A=\"multi\nline\"\n",
    "A='x'\n",
    "A=${B}\n",
    "#x=1\n",
    "brooklyn.config:\n",
    "location: ",
    "services:\n- type: ",
    "applications:\n",
    "version: 1\n",
];

/// A char boundary at or before a random byte offset of `s` (the end allowed).
fn boundary(rng: &mut Rng, s: &str) -> usize {
    let mut i = rng.below(s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A char boundary at or after `at`.
fn boundary_after(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// A random run of whole lines of `s`, as a byte range.
fn line_range(rng: &mut Rng, s: &str) -> (usize, usize) {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(s.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|i| *i <= s.len())
        .collect();
    let a = rng.below(starts.len());
    let b = (a + 1 + rng.below(8)).min(starts.len());
    let end = starts.get(b).copied().unwrap_or(s.len());
    (starts[a], end)
}

/// One edit of `text`; `other` is another seed to splice from.
fn edit(rng: &mut Rng, text: &mut String, other: &str) {
    match rng.below(10) {
        // A token (sometimes several times over) at a random place.
        0..=2 => {
            let at = boundary(rng, text);
            let token = rng.pick(TOKENS);
            let times = if rng.below(8) == 0 {
                1 + rng.below(64)
            } else {
                1
            };
            text.insert_str(at, &token.repeat(times));
        }
        // Delete a short range.
        3 => {
            let a = boundary(rng, text);
            let b = boundary_after(text, a + 1 + rng.below(16));
            text.replace_range(a..b, "");
        }
        // Repeat a run of lines: long lists, many documents, deep repetition.
        4 => {
            let (a, b) = line_range(rng, text);
            let most = if rng.below(4) == 0 { 200 } else { 4 };
            let times = 1 + rng.below(most);
            let times = times.min(MAX_LEN / (b - a).max(1) + 1);
            let piece = text[a..b].repeat(times);
            text.insert_str(b, &piece);
        }
        // Indent or outdent a line.
        5 => {
            let (a, _) = line_range(rng, text);
            if rng.below(2) == 0 {
                text.insert_str(a, &" ".repeat(1 + rng.below(4)));
            } else if text[a..].starts_with(' ') {
                text.remove(a);
            }
        }
        // Lines from another seed.
        6 if !other.is_empty() => {
            let (a, b) = line_range(rng, other);
            let at = boundary(rng, text);
            text.insert_str(at, &other[a..b]);
        }
        // Swap a character for a structural one.
        7 => {
            let a = boundary(rng, text);
            let b = boundary_after(text, a + 1);
            let with = rng.one(&[
                ":", "-", " ", "\n", "\"", "'", "{", "[", "#", "&", "*", "|", ">", "$", "\t",
            ]);
            text.replace_range(a..b, with);
        }
        // Cut the rest.
        8 => {
            let a = boundary(rng, text);
            text.truncate(a);
        }
        // A random Unicode scalar.
        _ => {
            let at = boundary(rng, text);
            let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}');
            text.insert(at, c);
        }
    }
}

/// A mutation of a random seed: usually a few edits, sometimes the seed as it is.
pub(crate) fn mutate(rng: &mut Rng, seeds: &[Input]) -> Input {
    let seed = rng.pick(seeds);
    let other = &rng.pick(seeds).text;
    let mut text = seed.text.clone();
    let edits = match rng.below(16) {
        0 => 0,
        1..=9 => 1 + rng.below(2),
        _ => 1 + rng.below(8),
    };
    for _ in 0..edits {
        edit(rng, &mut text, other);
    }
    if text.len() > MAX_LEN {
        let cut = boundary_after(&text, MAX_LEN);
        text.truncate(cut);
    }
    Input {
        name: seed.name.clone(),
        text,
    }
}

/// Text of `1..=max` random tokens: for targets whose seeds are few.
pub(crate) fn tokens(rng: &mut Rng, max: usize) -> String {
    let n = 1 + rng.below(max);
    (0..n).map(|_| *rng.pick(TOKENS)).collect()
}
