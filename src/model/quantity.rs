//! Resource quantities: Kubernetes (`500m`, `1Gi`), Compose (`512m`, `1.5g`, `0.5`)
//! and Marathon (MiB as a number) read into cores and bytes.

/// CPU in cores from a Kubernetes quantity (`250m`, `0.5`, `2`).
pub(crate) fn cpu_cores(text: &str) -> Option<f64> {
    let t = text.trim();
    if let Some(m) = t.strip_suffix('m') {
        return m.parse::<f64>().ok().map(|v| v / 1000.0);
    }
    t.parse::<f64>().ok()
}

/// Bytes from a Kubernetes quantity (`128Mi`, `1G`, `1e9`, `512`).
pub(crate) fn k8s_bytes(text: &str) -> Option<u64> {
    let t = text.trim();
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("Pi", 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("k", 1e3),
        ("K", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("m", 1e-3),
    ];
    for (suffix, factor) in SUFFIXES {
        if let Some(n) = t.strip_suffix(suffix) {
            return n.parse::<f64>().ok().map(|v| (v * factor) as u64);
        }
    }
    t.parse::<f64>().ok().map(|v| v as u64)
}

/// Bytes from a Compose/Docker size (`512m`, `1.5g`, `100k`, `2gb`, `1024`).
pub(crate) fn docker_bytes(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').unwrap_or(&t);
    let (num, factor) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1024.0),
        'm' => (&t[..t.len() - 1], 1024.0 * 1024.0),
        'g' => (&t[..t.len() - 1], 1024.0 * 1024.0 * 1024.0),
        't' => (&t[..t.len() - 1], 1024.0f64.powi(4)),
        _ => (t, 1.0),
    };
    num.trim().parse::<f64>().ok().map(|v| (v * factor) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(cpu_cores("250m"), Some(0.25));
        assert_eq!(cpu_cores("2"), Some(2.0));
        assert_eq!(k8s_bytes("128Mi"), Some(128 * 1024 * 1024));
        assert_eq!(k8s_bytes("1G"), Some(1_000_000_000));
        assert_eq!(docker_bytes("512m"), Some(512 * 1024 * 1024));
        assert_eq!(docker_bytes("1gb"), Some(1024 * 1024 * 1024));
        assert_eq!(docker_bytes("abc"), None);
    }
}
