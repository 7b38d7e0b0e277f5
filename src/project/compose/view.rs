//! A Compose project as Compose assembles it: each service is the stack of its
//! definitions (what it extends first, then the base file, then the overrides), and
//! every value keeps the file it came from, so findings point into the right file.
//!
//! Lowering and the Compose rules both read this view.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::formats::compose::interp::{Env, Interpolated, interpolate};
use crate::formats::compose::model::*;
use crate::project::compose::group::{is_standard_override, referenced_path};
use crate::project::{Project, SpecFile};
use crate::source::FileId;
use crate::source::Span;
use crate::source::normalize;

/// What a file is to its project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Base,
    /// An override layered over the base; `standard` for the `*.override.*` files
    /// Compose applies by default, false for `docker-compose.prod.yml`-style files.
    Override {
        standard: bool,
    },
    /// Pulled in with `include`: its services join the project.
    Included,
    /// Named only by `extends.file`: its services are templates, not services.
    ExtendsOnly,
}

impl Role {
    pub(crate) fn has_services(self) -> bool {
        !matches!(self, Role::ExtendsOnly)
    }
}

pub(crate) struct FileView<'a> {
    pub(crate) spec: &'a SpecFile,
    pub(crate) compose: &'a ComposeFile,
    pub(crate) role: Role,
    /// Variables for this file's values (the `.env` of the project directory, or of
    /// the included file's directory).
    pub(crate) env: Env,
}

impl FileView<'_> {
    pub(crate) fn id(&self) -> FileId {
        self.spec.id
    }
}

/// One definition of a service.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layer<'a> {
    /// Index into `ProjectView::files`.
    pub(crate) file: usize,
    pub(crate) svc: &'a Service,
}

pub(crate) struct ResolvedService<'a> {
    pub(crate) name: String,
    /// The file and key of its first definition.
    pub(crate) home: usize,
    pub(crate) at: Span,
    /// Lowest precedence first.
    pub(crate) layers: Vec<Layer<'a>>,
    /// An `extends` could not be followed (file not scanned, service missing, cycle):
    /// values it would bring are unknown.
    pub(crate) incomplete: bool,
}

pub(crate) struct ProjectView<'a> {
    pub(crate) files: Vec<FileView<'a>>,
    pub(crate) services: Vec<ResolvedService<'a>>,
    /// An `include` names a file that was not scanned: services, volumes, networks
    /// and secrets may be defined there.
    pub(crate) missing_include: bool,
    /// The base files beside an alternative file (`docker-compose.yml` beside
    /// `docker-compose.prod.yml`) that are not part of this project: the file is
    /// usually given after them with `-f`, so names it refers to may be defined
    /// there. Consulted for names, never merged.
    pub(crate) beside: Vec<&'a ComposeFile>,
}

impl<'a> ProjectView<'a> {
    pub(crate) fn new(project: &Project, all: &'a [SpecFile]) -> ProjectView<'a> {
        let specs: Vec<&'a SpecFile> = project
            .files
            .iter()
            .filter_map(|id| all.get(id.0 as usize))
            .filter(|f| f.compose().is_some())
            .collect();
        let by_path: HashMap<PathBuf, usize> = specs
            .iter()
            .enumerate()
            .map(|(i, f)| (normalize(&f.path), i))
            .collect();
        let root_env = Env::load_dir(&project.root);

        // Which files are included or only extended.
        let mut included: HashSet<usize> = HashSet::new();
        let mut extended: HashSet<usize> = HashSet::new();
        let mut missing_include = false;
        for f in &specs {
            let Some(c) = f.compose() else { continue };
            for inc in &c.includes {
                for p in &inc.paths {
                    match by_path.get(&referenced_path(f, &p.value, &root_env)) {
                        Some(i) => {
                            included.insert(*i);
                        }
                        None => missing_include = true,
                    }
                }
            }
            for s in &c.services {
                if let Some(file) = s.extends.as_ref().and_then(|e| e.file.as_ref())
                    && let Some(i) = by_path.get(&referenced_path(f, &file.value, &root_env))
                {
                    extended.insert(*i);
                }
            }
        }
        let files: Vec<FileView<'a>> = specs
            .iter()
            .enumerate()
            .filter_map(|(i, spec)| {
                let compose = spec.compose()?;
                let role = if i == 0 {
                    Role::Base
                } else if included.contains(&i) {
                    Role::Included
                } else if extended.contains(&i) {
                    Role::ExtendsOnly
                } else {
                    Role::Override {
                        standard: is_standard_override(&spec.path),
                    }
                };
                let env = if role == Role::Included {
                    Env::load_dir(&spec.dir())
                } else {
                    root_env.clone()
                };
                Some(FileView {
                    spec,
                    compose,
                    role,
                    env,
                })
            })
            .collect();

        let beside = beside(&specs, all);
        let mut view = ProjectView {
            files,
            services: Vec::new(),
            missing_include,
            beside,
        };
        let mut order: Vec<String> = Vec::new();
        let mut defs: HashMap<String, Vec<(usize, &'a Service)>> = HashMap::new();
        for (i, f) in view.files.iter().enumerate() {
            if !f.role.has_services() {
                continue;
            }
            for s in &f.compose.services {
                let name = s.name.value.clone();
                if !defs.contains_key(&name) {
                    order.push(name.clone());
                }
                defs.entry(name).or_default().push((i, s));
            }
        }
        let mut services = Vec::new();
        for name in order {
            let Some(list) = defs.remove(&name) else {
                continue;
            };
            let (home, first) = list[0];
            let mut layers = Vec::new();
            let mut incomplete = false;
            for (i, s) in list {
                let mut seen = HashSet::new();
                incomplete |= !view.expand(i, s, &by_path, &mut layers, &mut seen);
            }
            services.push(ResolvedService {
                name,
                home,
                at: first.name.span,
                layers,
                incomplete,
            });
        }
        view.services = services;
        view
    }

    /// Pushes the layers of one definition (what it extends first); false when an
    /// `extends` could not be followed.
    fn expand(
        &self,
        file: usize,
        svc: &'a Service,
        by_path: &HashMap<PathBuf, usize>,
        out: &mut Vec<Layer<'a>>,
        seen: &mut HashSet<(usize, String)>,
    ) -> bool {
        let mut complete = true;
        if !seen.insert((file, svc.name.value.clone())) || seen.len() > 32 {
            return false;
        }
        if let Some(ext) = &svc.extends {
            let target_file = match &ext.file {
                None => Some(file),
                Some(p) => {
                    let f = &self.files[file];
                    by_path
                        .get(&referenced_path(f.spec, &p.value, &f.env))
                        .copied()
                        .filter(|i| *i < self.files.len())
                }
            };
            let parent = target_file.and_then(|i| {
                self.files[i]
                    .compose
                    .service(&ext.service.value)
                    .map(|s| (i, s))
            });
            match parent {
                Some((i, s)) => complete &= self.expand(i, s, by_path, out, seen),
                None => complete = false,
            }
        }
        out.push(Layer { file, svc });
        complete
    }

    /// The service a definition's `extends` names, with the index of its file;
    /// `None` when it names a file that was not scanned or a service not there.
    pub(crate) fn extends_target(
        &self,
        file: usize,
        svc: &Service,
    ) -> Option<(usize, &'a Service)> {
        let ext = svc.extends.as_ref()?;
        let target = match &ext.file {
            None => file,
            Some(p) => {
                let f = self.files.get(file)?;
                let path = referenced_path(f.spec, &p.value, &f.env);
                self.files
                    .iter()
                    .position(|g| normalize(&g.spec.path) == path)?
            }
        };
        let s = self.files[target].compose.service(&ext.service.value)?;
        Some((target, s))
    }

    pub(crate) fn file(&self, layer: &Layer<'_>) -> &FileView<'a> {
        &self.files[layer.file]
    }

    pub(crate) fn file_id(&self, layer: &Layer<'_>) -> FileId {
        self.files[layer.file].id()
    }

    /// Interpolates a value written in a layer's file.
    pub(crate) fn interp(&self, layer: &Layer<'_>, text: &str) -> Interpolated {
        interpolate(text, &self.files[layer.file].env)
    }

    pub(crate) fn service(&self, name: &str) -> Option<&ResolvedService<'a>> {
        self.services.iter().find(|s| s.name == name)
    }

    /// Files whose services and declarations belong to the project.
    pub(crate) fn declaring_files(&self) -> impl Iterator<Item = (usize, &FileView<'a>)> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role.has_services())
    }

    /// The project's base is an override file with no base of its own beside it (a
    /// snippet meant to be copied next to a main file): what it refers to may be
    /// declared there.
    pub(crate) fn is_fragment(&self) -> bool {
        if !self.beside.is_empty() {
            return false;
        }
        self.files.first().is_some_and(|f| {
            crate::project::compose::group::stem(&f.spec.path)
                .is_some_and(|s| s.contains("override"))
        })
    }
}

/// The Compose files of the base's directory, outside the project, whose name makes
/// them its base: a default name (`compose.yaml`, `docker-compose.yml`) or a stem the
/// base's stem extends after a `.`, `-` or `_` (`stack.yml` for `stack.prod.yml`).
/// Empty when the base has a default name itself.
fn beside<'a>(specs: &[&'a SpecFile], all: &'a [SpecFile]) -> Vec<&'a ComposeFile> {
    use crate::project::compose::group::{DEFAULT_STEMS, stem};
    let Some(base) = specs.first() else {
        return Vec::new();
    };
    let Some(own) = stem(&base.path) else {
        return Vec::new();
    };
    if DEFAULT_STEMS.contains(&own.as_str()) {
        return Vec::new();
    }
    let dir = base.dir();
    all.iter()
        .filter(|f| !specs.iter().any(|s| s.id == f.id) && f.dir() == dir)
        .filter(|f| {
            stem(&f.path).is_some_and(|t| {
                DEFAULT_STEMS.contains(&t.as_str())
                    || (own.starts_with(&t)
                        && matches!(own.as_bytes().get(t.len()), Some(b'.' | b'-' | b'_')))
            })
        })
        .filter_map(SpecFile::compose)
        .collect()
}

impl<'a> ResolvedService<'a> {
    /// The last layer (highest precedence) that sets a value.
    pub(crate) fn last<T>(
        &self,
        get: impl Fn(&'a Service) -> Option<&'a T>,
    ) -> Option<(Layer<'a>, &'a T)> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| get(l.svc).map(|v| (*l, v)))
    }

    /// Every value of a list field, lowest precedence first.
    pub(crate) fn all<T: 'a>(
        &self,
        get: impl Fn(&'a Service) -> &'a [T],
    ) -> Vec<(Layer<'a>, &'a T)> {
        self.each(get).collect()
    }

    /// Every value of a list field, lowest precedence first, without collecting
    /// them.
    pub(crate) fn each<T: 'a>(
        &self,
        get: impl Fn(&'a Service) -> &'a [T],
    ) -> impl Iterator<Item = (Layer<'a>, &'a T)> {
        self.layers
            .iter()
            .flat_map(move |l| get(l.svc).iter().map(move |v| (*l, v)))
    }

    /// The service's profiles (the last layer that names any).
    pub(crate) fn profiles(&self) -> Vec<String> {
        self.layers
            .iter()
            .rev()
            .find(|l| !l.svc.profiles.is_empty())
            .map(|l| l.svc.profiles.iter().map(|p| p.value.clone()).collect())
            .unwrap_or_default()
    }

    /// The merged healthcheck: present when any layer has one; disabled when the last
    /// word on `disable`/`test` disables it.
    pub(crate) fn healthcheck(&self) -> Option<MergedHealthcheck<'a>> {
        let (layer, last) = self.last(|s| s.healthcheck.as_ref())?;
        let test = self.last(|s| s.healthcheck.as_ref()?.test.as_ref());
        let disable = self.last(|s| s.healthcheck.as_ref()?.disable.as_ref());
        let merged = Healthcheck {
            span: last.span,
            test: test.map(|(_, t)| t.clone()),
            disable: disable.map(|(_, d)| d.clone()),
        };
        Some(MergedHealthcheck {
            layer,
            disabled: merged.is_disabled(),
            span: last.span,
        })
    }
}

pub(crate) struct MergedHealthcheck<'a> {
    pub(crate) layer: Layer<'a>,
    pub(crate) span: Span,
    pub(crate) disabled: bool,
}

/// How a service refers to another service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    DependsOn,
    Link,
    VolumesFrom,
    NetworkMode,
}

/// A service name one service refers to, with the span of the name.
#[derive(Clone, Debug)]
pub(crate) struct ServiceRef<'a> {
    pub(crate) layer: Layer<'a>,
    pub(crate) kind: RefKind,
    pub(crate) name: Name,
    /// False for `depends_on` entries with `required: false`.
    pub(crate) required: bool,
}

/// What a mount entry mounts, after interpolation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MountSource {
    /// A named volume (short `name:/path`, long `type: volume` with a source).
    Volume,
    /// A host path (`./x`, `/x`, `~/x`, long `type: bind` or `npipe`).
    Bind,
    /// No source: an anonymous volume.
    Anonymous,
    Tmpfs,
    /// `type: cluster` (Swarm CSI volumes).
    Cluster,
    /// `type: image`.
    Image,
}

#[derive(Clone, Debug)]
pub(crate) struct MountInfo {
    pub(crate) source_kind: MountSource,
    pub(crate) source: Option<String>,
    /// The source as written (or the entry when it has none or cannot be located).
    pub(crate) source_span: Span,
    /// The source interpolates a variable that is not set.
    pub(crate) source_unset: bool,
    pub(crate) target: String,
    pub(crate) read_only: bool,
    pub(crate) span: Span,
}

/// A port entry after interpolation.
#[derive(Clone, Debug)]
pub(crate) struct PortInfo {
    pub(crate) mapping: crate::formats::compose::syntax::PortMapping,
    pub(crate) name: Option<String>,
    pub(crate) span: Span,
}

impl<'a> ProjectView<'a> {
    /// The services a service refers to through `depends_on`, `links`,
    /// `volumes_from` (not `container:x`) and `network_mode: service:x`.
    pub(crate) fn service_refs(&self, s: &ResolvedService<'a>) -> Vec<ServiceRef<'a>> {
        let mut out = Vec::new();
        for (layer, d) in s.each(|x| &x.depends_on) {
            let required = d
                .required
                .as_ref()
                .is_none_or(|r| r.value.literal() != Some(false));
            out.push(ServiceRef {
                layer,
                kind: RefKind::DependsOn,
                name: d.name.clone(),
                required,
            });
        }
        for (layer, l) in s.each(|x| &x.links) {
            let end = l.text.find(':').unwrap_or(l.text.len());
            out.push(ServiceRef {
                layer,
                kind: RefKind::Link,
                name: Name::new(l.text[..end].to_string(), l.sub(0..end)),
                required: true,
            });
        }
        for (layer, v) in s.each(|x| &x.volumes_from) {
            if let Some(name) = volumes_from_service(v) {
                out.push(ServiceRef {
                    layer,
                    kind: RefKind::VolumesFrom,
                    name,
                    required: true,
                });
            }
        }
        if let Some((layer, nm)) = s.last(|x| x.network_mode_str.as_ref())
            && let Some(rest) = nm.text.strip_prefix("service:")
        {
            let start = "service:".len();
            out.push(ServiceRef {
                layer,
                kind: RefKind::NetworkMode,
                name: Name::new(rest.to_string(), nm.sub(start..nm.text.len())),
                required: true,
            });
        }
        // Names are values, so they interpolate; a name made of unset variables
        // cannot be checked.
        out.into_iter()
            .filter_map(|r| {
                let name = self.name(&r.layer, &r.name)?;
                Some(ServiceRef { name, ..r })
            })
            .collect()
    }

    /// A name written as a value (a list item), interpolated; `None` when it uses
    /// an unset variable or comes out empty. The span stays the one written.
    pub(crate) fn name(&self, layer: &Layer<'_>, name: &Name) -> Option<Name> {
        if !name.value.contains('$') {
            return Some(name.clone());
        }
        let i = self.interp(layer, &name.value);
        (!i.unset && !i.value.is_empty()).then(|| Name::new(i.value, name.span))
    }

    /// Parses a port entry after interpolation; `None` when it does not parse.
    pub(crate) fn port(&self, layer: &Layer<'_>, entry: &PortEntry) -> Option<PortInfo> {
        use crate::formats::compose::syntax::{PortMapping, PortRange, parse_port};
        match entry {
            PortEntry::Short(s) => {
                let text = self.interp(layer, &s.text).value;
                let mapping = parse_port(&text).ok()?;
                Some(PortInfo {
                    mapping,
                    name: None,
                    span: s.span,
                })
            }
            PortEntry::Long(p, span) => {
                let target = self.interp(layer, &p.target.as_ref()?.value.0).value;
                let target = PortRange::parse(&target)?;
                let published = match &p.published {
                    Some(t) => {
                        let v = self.interp(layer, &t.value).value;
                        if v.trim().is_empty() {
                            None
                        } else {
                            Some(PortRange::parse(&v)?)
                        }
                    }
                    None => None,
                };
                let text = |t: &Option<Text>| {
                    t.as_ref()
                        .map(|t| self.interp(layer, &t.value).value)
                        .filter(|v| !v.is_empty())
                };
                Some(PortInfo {
                    mapping: PortMapping {
                        host_ip: text(&p.host_ip),
                        published,
                        target,
                        protocol: text(&p.protocol)
                            .map(|p| p.to_ascii_lowercase())
                            .unwrap_or_else(|| "tcp".to_string()),
                    },
                    name: text(&p.name),
                    span: *span,
                })
            }
        }
    }

    /// Reads a volume entry after interpolation; `None` when it does not parse.
    pub(crate) fn mount(&self, layer: &Layer<'_>, entry: &VolumeEntry) -> Option<MountInfo> {
        use crate::formats::compose::syntax::{SourceKind, is_host_path, split_volume};
        match entry {
            VolumeEntry::Short(s) => {
                let raw = split_volume(&s.text).ok()?;
                let text = self.interp(layer, &s.text);
                let parts = split_volume(&text.value).ok()?;
                let same_shape = raw.source.is_some() == parts.source.is_some();
                let (source_span, source_unset) = match (&raw.source, same_shape) {
                    (Some((src, off)), true) => {
                        (s.sub(*off..off + src.len()), self.interp(layer, src).unset)
                    }
                    _ => (s.span, text.unset),
                };
                let source_kind = match parts.kind() {
                    SourceKind::Anonymous => MountSource::Anonymous,
                    SourceKind::Bind => MountSource::Bind,
                    SourceKind::Named => MountSource::Volume,
                };
                Some(MountInfo {
                    source_kind,
                    read_only: parts.read_only(),
                    source: parts.source.map(|s| s.0).filter(|s| !s.is_empty()),
                    source_span,
                    source_unset,
                    target: parts.target.0,
                    span: s.span,
                })
            }
            VolumeEntry::Long(v, span) => {
                let source = v
                    .source
                    .as_ref()
                    .map(|t| self.interp(layer, &t.value))
                    .filter(|i| !i.value.is_empty());
                let kind = v.kind.as_ref().map(|k| self.interp(layer, &k.value).value);
                let source_kind = match kind.as_deref() {
                    Some("bind" | "npipe") => MountSource::Bind,
                    Some("tmpfs") => MountSource::Tmpfs,
                    Some("cluster") => MountSource::Cluster,
                    Some("image") => MountSource::Image,
                    Some("volume") => match &source {
                        Some(_) => MountSource::Volume,
                        None => MountSource::Anonymous,
                    },
                    _ => match &source {
                        Some(s) if is_host_path(&s.value) => MountSource::Bind,
                        Some(_) => MountSource::Volume,
                        None => MountSource::Anonymous,
                    },
                };
                let read_only = v
                    .read_only
                    .as_ref()
                    .and_then(|r| {
                        crate::formats::compose::model::parse_bool(
                            &self.interp(layer, &r.value.0).value,
                        )
                    })
                    .unwrap_or(false);
                Some(MountInfo {
                    source_kind,
                    source_unset: v
                        .source
                        .as_ref()
                        .is_some_and(|t| self.interp(layer, &t.value).unset),
                    source: source.map(|s| s.value),
                    source_span: v.source.as_ref().map_or(*span, |t| t.span),
                    target: v
                        .target
                        .as_ref()
                        .map(|t| self.interp(layer, &t.value).value)
                        .unwrap_or_default(),
                    read_only,
                    span: *span,
                })
            }
        }
    }
}

/// The service a `volumes_from` entry names: `x`, `x:ro`, `service:x`, `service:x:rw`;
/// `None` for `container:x`.
fn volumes_from_service(v: &Str) -> Option<Name> {
    if v.text.starts_with("container:") {
        return None;
    }
    let start = if v.text.starts_with("service:") {
        "service:".len()
    } else {
        0
    };
    let rest = &v.text[start..];
    let len = rest.find(':').unwrap_or(rest.len());
    Some(Name::new(
        rest[..len].to_string(),
        v.sub(start..start + len),
    ))
}
