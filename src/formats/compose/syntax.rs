//! The short string syntaxes of Compose: ports (`"127.0.0.1:8080-8081:80-81/udp"`) and
//! volumes (`"./data:/data:ro"`). They are parsed after interpolation.

/// An inclusive range of port numbers (`80` is `80..=80`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PortRange {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl PortRange {
    #[cfg(test)]
    pub(crate) fn single(p: u32) -> Self {
        PortRange { start: p, end: p }
    }

    /// How many ports the range holds (at least one).
    #[allow(clippy::len_without_is_empty)]
    pub(crate) fn len(&self) -> u32 {
        self.end - self.start + 1
    }

    pub(crate) fn is_single(&self) -> bool {
        self.start == self.end
    }

    pub(crate) fn overlaps(&self, other: &PortRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// Parses `8080` or `8080-8085`.
    pub fn parse(s: &str) -> Option<PortRange> {
        let s = s.trim();
        let (a, b) = match s.split_once('-') {
            Some((a, b)) => (a, b),
            None => (s, s),
        };
        let start = port_number(a)?;
        let end = port_number(b)?;
        (start <= end).then_some(PortRange { start, end })
    }
}

fn port_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u32>().ok().filter(|p| *p <= 65535)
}

/// One port entry, short or long syntax, after interpolation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PortMapping {
    /// The host address, without brackets (`127.0.0.1`, `::1`), when given.
    pub(crate) host_ip: Option<String>,
    /// The published host port or range, when given.
    pub(crate) published: Option<PortRange>,
    pub(crate) target: PortRange,
    /// `tcp` (the default), `udp`, `sctp`.
    pub(crate) protocol: String,
}

impl PortMapping {
    /// The published range maps port for port onto the target range (`80:80`,
    /// `9000-9001:9000-9001`), rather than being a pool Compose picks one port from
    /// (`8000-8010:80`).
    pub(crate) fn is_fixed(&self) -> bool {
        self.published
            .is_some_and(|p| p.len() == self.target.len() && p.start != 0)
    }

    /// A published port or range that a container range cannot map onto port for
    /// port (`8000-8005:80-90`, `8080:80-90`), which Docker refuses ("Invalid
    /// ranges specified for container and host Ports"); a published range onto a
    /// single container port is a pool and fine.
    pub(crate) fn range_mismatch(&self) -> bool {
        self.published
            .is_some_and(|p| p.len() != self.target.len() && !self.target.is_single())
    }

    /// The host address with the "all interfaces" spellings made one.
    pub(crate) fn host_ip_key(&self) -> &str {
        match self.host_ip.as_deref() {
            None | Some("") | Some("0.0.0.0") => "0.0.0.0",
            Some(ip) => ip,
        }
    }
}

/// Parses `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` (each port may be a range;
/// an IPv6 host address goes in brackets).
pub(crate) fn parse_port(s: &str) -> Result<PortMapping, String> {
    let s = s.trim();
    let (spec, protocol) = match s.rsplit_once('/') {
        Some((spec, proto)) => (spec, proto.trim().to_ascii_lowercase()),
        None => (s, "tcp".to_string()),
    };
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("unknown protocol `{protocol}`"));
    }
    let (host_ip, rest): (Option<String>, String) = if let Some(after) = spec.strip_prefix('[') {
        let (ip, rest) = after
            .split_once(']')
            .ok_or_else(|| "an IPv6 address needs a closing `]`".to_string())?;
        let rest = rest
            .strip_prefix(':')
            .ok_or_else(|| "a host address needs a port after it".to_string())?;
        (Some(ip.to_string()), rest.to_string())
    } else if spec.matches(':').count() >= 2 {
        // The last two fields are the ports; everything before is the address
        // (an unbracketed IPv6 address keeps its colons).
        let mut it = spec.rsplitn(3, ':');
        let container = it.next().unwrap_or_default();
        let host = it.next().unwrap_or_default();
        let ip = it.next().unwrap_or_default();
        (Some(ip.to_string()), format!("{host}:{container}"))
    } else {
        (None, spec.to_string())
    };
    let (published, target) = match rest.split_once(':') {
        Some((host, container)) => {
            let published = if host.trim().is_empty() {
                None
            } else {
                Some(PortRange::parse(host).ok_or_else(|| format!("`{host}` is not a port"))?)
            };
            (published, container)
        }
        None => (None, rest.as_str()),
    };
    let target = PortRange::parse(target).ok_or_else(|| format!("`{target}` is not a port"))?;
    Ok(PortMapping {
        host_ip: host_ip.filter(|ip| !ip.is_empty()),
        published,
        target,
        protocol,
    })
}

/// What a volume entry mounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SourceKind {
    /// No source: an anonymous volume.
    Anonymous,
    /// A path on the host (starts with `.`, `/`, `~`, `\` or a drive letter).
    Bind,
    /// A named volume.
    Named,
}

/// A short-syntax volume entry split into its parts, with byte offsets of each part
/// in the input (for spans).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VolumeParts {
    pub(crate) source: Option<(String, usize)>,
    pub(crate) target: (String, usize),
    pub(crate) mode: Option<String>,
}

impl VolumeParts {
    pub(crate) fn kind(&self) -> SourceKind {
        match &self.source {
            None => SourceKind::Anonymous,
            Some((s, _)) if s.is_empty() => SourceKind::Anonymous,
            Some((s, _)) if is_host_path(s) => SourceKind::Bind,
            Some(_) => SourceKind::Named,
        }
    }

    pub(crate) fn read_only(&self) -> bool {
        self.mode
            .as_deref()
            .is_some_and(|m| m.split(',').any(|o| o.trim() == "ro"))
    }
}

/// A volume source that names a host path rather than a volume.
pub(crate) fn is_host_path(s: &str) -> bool {
    s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with('~')
        || s.starts_with('\\')
        || is_drive(s)
}

fn is_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Splits `[SOURCE:]TARGET[:MODE]`; Windows drive letters (`C:\data`) stay in their
/// part. Splitting ignores colons inside `${...}` so it works on raw text too.
pub(crate) fn split_volume(s: &str) -> Result<VolumeParts, String> {
    let mut parts: Vec<(String, usize)> = Vec::new();
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                let part = &s[start..i];
                let drive = part.len() == 1
                    && part.as_bytes()[0].is_ascii_alphabetic()
                    && matches!(bytes.get(i + 1), Some(b'\\' | b'/'));
                if !drive {
                    parts.push((part.to_string(), start));
                    start = i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    parts.push((s[start..].to_string(), start));
    let mut it = parts.into_iter();
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(target), None, None, None) => Ok(VolumeParts {
            source: None,
            target,
            mode: None,
        }),
        (Some(source), Some(target), mode, None) => Ok(VolumeParts {
            source: Some(source),
            target,
            mode: mode.map(|m| m.0),
        }),
        _ => Err("expected `[SOURCE:]TARGET[:MODE]`".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PortMapping {
        parse_port(s).unwrap()
    }

    #[test]
    fn ports() {
        let m = p("8080:80");
        assert_eq!(m.published, Some(PortRange::single(8080)));
        assert_eq!(m.target, PortRange::single(80));
        assert_eq!(m.protocol, "tcp");
        assert!(m.is_fixed());
        let m = p("127.0.0.1:8080:80/udp");
        assert_eq!(m.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(m.protocol, "udp");
        let m = p("9000-9005:9000-9005");
        assert_eq!(
            m.published,
            Some(PortRange {
                start: 9000,
                end: 9005
            })
        );
        assert!(m.is_fixed());
        let m = p("8000-8010:80");
        assert!(!m.is_fixed());
        let m = p("3000");
        assert_eq!(m.published, None);
        let m = p("127.0.0.1::80");
        assert_eq!(m.published, None);
        assert_eq!(m.host_ip.as_deref(), Some("127.0.0.1"));
        let m = p("[::1]:8080:80");
        assert_eq!(m.host_ip.as_deref(), Some("::1"));
        assert_eq!(m.published, Some(PortRange::single(8080)));
        assert!(!m.range_mismatch());
        assert!(p("8000-8005:80-90").range_mismatch());
        assert!(p("8080:80-90").range_mismatch());
        assert!(!p("8000-8010:80").range_mismatch());
        assert!(!p("80-90").range_mismatch());
        assert!(parse_port("80:http").is_err());
        assert!(parse_port("70000").is_err());
        assert!(parse_port("80/xyz").is_err());
    }

    #[test]
    fn volumes() {
        let v = split_volume("./data:/data:ro").unwrap();
        assert_eq!(v.kind(), SourceKind::Bind);
        assert!(v.read_only());
        assert_eq!(v.target, ("/data".to_string(), 7));
        let v = split_volume("db:/var/lib/db").unwrap();
        assert_eq!(v.kind(), SourceKind::Named);
        assert_eq!(v.source, Some(("db".to_string(), 0)));
        let v = split_volume("/data").unwrap();
        assert_eq!(v.kind(), SourceKind::Anonymous);
        let v = split_volume("C:\\data:/data").unwrap();
        assert_eq!(v.kind(), SourceKind::Bind);
        assert_eq!(v.target.0, "/data");
        let v = split_volume("${DATA:-./x}:/x:rw").unwrap();
        assert_eq!(
            v.source.as_ref().map(|s| s.0.as_str()),
            Some("${DATA:-./x}")
        );
        assert_eq!(v.mode.as_deref(), Some("rw"));
        assert!(split_volume("a:b:c:d").is_err());
    }
}
