//! What `docker compose` refuses in a project once its files are merged and each
//! service's `extends` followed (compose-go's consistency checks): a service with
//! neither `image` nor `build`, an `extends` that comes back to the service it
//! starts from, and options that exclude each other; and values that interpolate
//! variables, judged with the project's `.env` (`interpolated`).

use crate::formats::compose::model::Service;
use crate::formats::compose::schema::{self, byte_count};
use crate::project::SpecFile;
use crate::project::compose::ProjectView;
use crate::project::compose::view::{Layer, ResolvedService};
use crate::source::{FileId, Span};
use crate::yaml::Node;

type Found = Vec<(FileId, Span, String)>;

/// The findings of one project, by rule.
#[derive(Default)]
pub(super) struct Findings {
    pub(super) invalid: Found,
    pub(super) missing: Found,
}

/// `all` is every spec file of the scan, for the Compose files beside the
/// project's own.
pub(super) fn check(view: &ProjectView<'_>, all: &[SpecFile]) -> Findings {
    let mut out = Findings::default();
    interpolated(view, &mut out.invalid);
    circular_extends(view, &mut out.invalid);
    for s in &view.services {
        exclusive(view, s, &mut out.invalid);
    }
    ulimit_pairs(view, &mut out.missing);
    // An override file alone is a fragment: the main file it is meant for may
    // give the image.
    if !view.is_fragment() {
        for s in &view.services {
            missing_image(view, all, s, &mut out.missing);
        }
    }
    out
}

/// In each file of the project, the enumerated values that interpolate variables,
/// once interpolated with the file's `.env` and the defaults written in them, and,
/// when the project has a `.env`, the `${NAME:?message}` whose variable it does not
/// set. Without a `.env` the variables are taken to come from the environment
/// (a CI job's, a shell's) and nothing is said of them.
fn interpolated(view: &ProjectView<'_>, out: &mut Found) {
    let mut diags = Vec::new();
    for f in &view.files {
        if f.compose.legacy_v1 {
            continue;
        }
        for doc in &f.spec.docs {
            schema::check_interpolated(f.id(), doc, &f.env, &mut diags);
            if !f.env.is_empty() {
                schema::check_required_variables(f.id(), doc, &f.env, &mut diags);
            }
        }
    }
    out.extend(diags.into_iter().map(|d| (d.file, d.span, d.message)));
}

/// Each long-form ulimit (`nofile: {soft: 1024}`) that gives only one of `soft`
/// and `hard`, in every file of the project: the Compose Specification (and
/// format 1's schema) require both, and Compose refuses the file when it
/// validates it.
fn ulimit_pairs(view: &ProjectView<'_>, out: &mut Found) {
    for f in &view.files {
        for doc in &f.spec.docs {
            let services = if f.compose.legacy_v1 {
                Some(doc)
            } else {
                doc.get("services")
            };
            for (name, svc) in services.and_then(Node::as_mapping).unwrap_or_default() {
                let (Some(name), Some(limits)) =
                    (name.as_str(), svc.get("ulimits").and_then(Node::as_mapping))
                else {
                    continue;
                };
                for (limit, body) in limits {
                    let Some(entries) = body.as_mapping() else {
                        continue;
                    };
                    let has = |k: &str| entries.iter().any(|(key, _)| key.as_str() == Some(k));
                    let lacking = match (has("soft"), has("hard")) {
                        (true, false) => ("hard", "soft"),
                        (false, true) => ("soft", "hard"),
                        _ => continue,
                    };
                    let limit = limit.as_str().unwrap_or("?");
                    out.push((
                        f.id(),
                        body.span,
                        format!(
                            "services.{name}.ulimits.{limit}.{}: a ulimit written as a mapping needs both `soft` and `hard`; this one has only `{}` (write `{limit}: N` for one value for both)",
                            lacking.0, lacking.1
                        ),
                    ));
                }
            }
        }
    }
}

/// How far an `extends` chain is followed.
const MAX_CHAIN: usize = 32;

/// Each service whose `extends` chain comes back to it, in every file of the
/// project (files named only by `extends.file` too), at its `extends.service`.
fn circular_extends(view: &ProjectView<'_>, out: &mut Found) {
    for (i, f) in view.files.iter().enumerate() {
        for s in &f.compose.services {
            let Some(ext) = &s.extends else { continue };
            if ext.service.value.contains('$') {
                continue;
            }
            let mut chain = Vec::new();
            let mut cur = view.extends_target(i, s);
            let mut cycle = false;
            while let Some((j, t)) = cur {
                chain.push(t.name.value.as_str());
                if j == i && t.name.value == s.name.value {
                    cycle = true;
                    break;
                }
                if chain.len() > MAX_CHAIN {
                    break;
                }
                cur = view.extends_target(j, t);
            }
            if !cycle {
                continue;
            }
            let through = if chain.len() == 1 {
                "itself".to_string()
            } else {
                format!("itself through `{}`", chain.join("` -> `"))
            };
            out.push((
                f.id(),
                ext.service.span,
                format!(
                    "services.{}.extends: the service extends {through}; Compose refuses a circular `extends`",
                    s.name.value
                ),
            ));
        }
    }
}

/// The text of a value after interpolation; `None` when it uses an unset
/// variable or comes out empty.
fn value(view: &ProjectView<'_>, layer: &Layer<'_>, text: &str) -> Option<String> {
    let i = view.interp(layer, text);
    (!i.unset && !i.value.trim().is_empty()).then(|| i.value.trim().to_string())
}

/// The pairs of options compose-go refuses together in a merged service.
fn exclusive(view: &ProjectView<'_>, s: &ResolvedService<'_>, out: &mut Found) {
    let name = &s.name;
    if let Some((layer, mode)) = s.last(|x| x.network_mode_str.as_ref())
        && value(view, &layer, &mode.text).is_some()
        && !s.all(|x| &x.networks).is_empty()
    {
        out.push((
            view.file_id(&layer),
            mode.span,
            format!(
                "services.{name}.network_mode: `network_mode` and `networks` exclude each other; Compose refuses a service that sets both"
            ),
        ));
    }
    let build = |get: fn(&Service) -> Option<&crate::formats::compose::model::Text>| {
        s.layers
            .iter()
            .rev()
            .find_map(|l| get(l.svc).map(|t| (*l, t)))
            .filter(|(l, t)| value(view, l, &t.value).is_some())
    };
    if build(|x| x.build.as_ref()?.dockerfile.as_ref()).is_some()
        && let Some((layer, inline)) = build(|x| x.build.as_ref()?.dockerfile_inline.as_ref())
    {
        out.push((
            view.file_id(&layer),
            inline.span,
            format!(
                "services.{name}.build.dockerfile_inline: `dockerfile` and `dockerfile_inline` exclude each other; Compose refuses a build that sets both"
            ),
        ));
    }
    let number = |layer: &Layer<'_>, text: &str| value(view, layer, text)?.parse::<f64>().ok();
    if let Some((layer, cpus)) = s.last(|x| x.cpus.as_ref())
        && let Some(a) = number(&layer, &cpus.value.0)
        && a != 0.0
        && let Some((l2, limit)) = s.last(|x| {
            x.deploy
                .as_ref()?
                .resources
                .as_ref()?
                .limits
                .as_ref()?
                .cpus
                .as_ref()
        })
        && let Some(b) = number(&l2, &limit.value.0)
        && (a - b).abs() > 1e-9
    {
        out.push((
            view.file_id(&layer),
            cpus.span,
            format!(
                "services.{name}.cpus: {a} differs from deploy.resources.limits.cpus ({b}); Compose refuses distinct values on the two"
            ),
        ));
    }
    let bytes = |layer: &Layer<'_>, text: &str| byte_count(&value(view, layer, text)?);
    type Memory = fn(&Service) -> Option<&crate::formats::compose::model::Text>;
    let pairs: [(&str, Memory, &str, Memory); 2] = [
        (
            "mem_limit",
            |x| x.mem_limit.as_ref(),
            "deploy.resources.limits.memory",
            |x| {
                x.deploy
                    .as_ref()?
                    .resources
                    .as_ref()?
                    .limits
                    .as_ref()?
                    .memory
                    .as_ref()
            },
        ),
        (
            "mem_reservation",
            |x| x.mem_reservation.as_ref(),
            "deploy.resources.reservations.memory",
            |x| {
                x.deploy
                    .as_ref()?
                    .resources
                    .as_ref()?
                    .reservations
                    .as_ref()?
                    .memory
                    .as_ref()
            },
        ),
    ];
    for (key, own, deploy_key, deploy) in pairs {
        if let Some((layer, mem)) = s.last(own)
            && let Some(a) = bytes(&layer, &mem.value)
            && a != 0
            && let Some((l2, limit)) = s.last(deploy)
            && let Some(b) = bytes(&l2, &limit.value)
            && a != b
        {
            out.push((
                view.file_id(&layer),
                mem.span,
                format!(
                    "services.{name}.{key}: `{}` differs from {deploy_key} (`{}`); Compose refuses distinct values on the two",
                    mem.value, limit.value
                ),
            ));
        }
    }
    if let Some((layer, scale)) = s.last(|x| x.scale.as_ref())
        && let Some(a) = number(&layer, &scale.value.value.0)
        && let Some((l2, replicas)) = s.last(|x| x.deploy.as_ref()?.replicas.as_ref())
        && let Some(b) = number(&l2, &replicas.value.value.0)
        && a != b
    {
        out.push((
            view.file_id(&layer),
            scale.value.span,
            format!(
                "services.{name}.scale: {a} differs from deploy.replicas ({b}); Compose refuses distinct values on the two"
            ),
        ));
    }
}

/// A service none of whose definitions (its overrides and what it extends
/// included) gives an `image`, a `build` or a `provider`.
/// A service that another Compose file of the same directory, outside the
/// project, also defines is taken for an override of that file's service, meant
/// to be layered over it (`docker compose -f base.yml -f prod.yml`): not judged.
fn missing_image(
    view: &ProjectView<'_>,
    all: &[SpecFile],
    s: &ResolvedService<'_>,
    out: &mut Found,
) {
    if s.incomplete {
        return;
    }
    let given = s.layers.iter().any(|l| {
        l.svc.image.is_some()
            || l.svc.build.is_some()
            || l.svc.keys.iter().any(|k| k.value == "provider")
    });
    if given {
        return;
    }
    let Some(home) = view.files.get(s.home) else {
        return;
    };
    let dir = home.spec.dir();
    let overrides_another = all.iter().any(|f| {
        !view.files.iter().any(|v| v.id() == f.id)
            && f.compose().is_some_and(|c| c.service(&s.name).is_some())
            && f.dir() == dir
    });
    if overrides_another {
        return;
    }
    let where_ = if s.layers.len() > 1 {
        " in any of its definitions"
    } else {
        ""
    };
    out.push((
        home.id(),
        s.at,
        format!(
            "services.{}: neither `image` nor `build` is set{where_}; Compose needs one of them to create the service's containers",
            s.name
        ),
    ));
}
