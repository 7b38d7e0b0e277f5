//! The recommendation: of the active orchestrators whose scale range and
//! capabilities cover the needs, the one with the least to run and to rewrite
//! (operational weight plus rewrite effort; then less rewriting, then less weight,
//! then catalog order). Every other catalog entry is ranked after it with a
//! one-line reason.

use super::catalog::{self, Healing, Orchestrator, Stateful, Status};
use super::current::Current;
use super::features::Used;
use super::migration::{self, Step};
use super::needs::Needs;
use super::scale::Scale;

#[derive(Clone, Debug)]
pub(crate) struct Alternative {
    pub(crate) orchestrator: &'static Orchestrator,
    /// Its scale range and capabilities cover the needs.
    pub(crate) fits: bool,
    pub(crate) reason: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Recommendation {
    pub(crate) orchestrator: &'static Orchestrator,
    /// The recommendation is the orchestrator the project runs on today.
    pub(crate) fits_current: bool,
    pub(crate) reasons: Vec<String>,
    pub(crate) alternatives: Vec<Alternative>,
    pub(crate) migration: Vec<Step>,
}

/// Why an orchestrator does not cover the needs, or `None` when it does.
pub(crate) fn misfit(o: &Orchestrator, scale: &Scale, needs: &Needs) -> Option<String> {
    let class = scale.class;
    let hosts = scale.hosts;
    if class < o.scale_min {
        return Some(format!(
            "oversized: it serves {} ({}), this project fits {}",
            o.range(),
            o.hosts_range(),
            host_count(hosts)
        ));
    }
    if class > o.scale_max {
        return Some(format!(
            "too small: it serves {} ({}), this project needs {}",
            o.range(),
            o.hosts_range(),
            host_count(hosts)
        ));
    }
    if let Some(why) = super::coupling::misfit(o, &needs.coupling) {
        return Some(why);
    }
    if needs.stateful && o.stateful == Stateful::None {
        return Some("keeps no state, and this project owns data".into());
    }
    if needs.cluster_state.is_some() && !o.cluster_state {
        return Some(format!("keeps no cluster state for {}", host_count(hosts)));
    }
    if o.healing < needs.healing {
        return Some(format!(
            "{}, and {}",
            healing_words(o.healing),
            needs.healing_reason
        ));
    }
    None
}

pub(crate) fn host_count(n: u32) -> String {
    if n == 1 {
        "one host".into()
    } else {
        format!("{n} hosts")
    }
}

pub(crate) fn healing_words(h: Healing) -> &'static str {
    match h {
        Healing::None => "does not heal",
        Healing::Restart => "only restarts exited containers on their host",
        Healing::Cluster => "replaces failed copies across the cluster",
    }
}

/// Total cost, rewrite effort, weight, catalog order.
type RankKey = (u8, u8, u8, usize);

/// Rank key of a fitting, active orchestrator: total cost, then rewrite effort,
/// then weight, then catalog order.
fn key(o: &Orchestrator, family: &str, index: usize) -> RankKey {
    let effort = o.effort_from(family);
    (o.weight + effort, effort, o.weight, index)
}

fn effort_words(o: &Orchestrator, family: &str) -> String {
    match o.effort_from(family) {
        0 => format!("reads the same {family} specs: nothing to rewrite"),
        1 => format!(
            "a maintained converter drafts its {} specs from the {family} files",
            o.spec_family
        ),
        _ => format!(
            "its {} specs must be written by hand from the {family} files",
            o.spec_family
        ),
    }
}

pub(crate) fn recommend(
    current: &Current,
    scale: &Scale,
    needs: &Needs,
    used: &Used,
) -> Option<Recommendation> {
    let all = catalog::all();
    let cur = catalog::get(current.id);
    let family = cur.map_or("", |o| o.spec_family.as_str());
    let mut fitting: Vec<(usize, &'static Orchestrator)> = all
        .iter()
        .enumerate()
        .filter(|(_, o)| o.status == Status::Active && misfit(o, scale, needs).is_none())
        .collect();
    fitting.sort_by_key(|(i, o)| key(o, family, *i));
    let (_, best) = *fitting.first()?;

    let mut reasons = Vec::new();
    if cur.is_some_and(|c| c.id == best.id) {
        reasons.push(format!(
            "the project's current orchestrator covers its needs: keep {}",
            best.name
        ));
    }
    reasons.push(format!(
        "serves {} ({}); the project needs {}",
        best.range(),
        best.hosts_range(),
        host_count(scale.hosts)
    ));
    if needs.stateful {
        reasons.push(format!(
            "keeps the project's data ({} stateful support)",
            best.stateful.as_str()
        ));
    }
    if let Some(why) = &needs.cluster_state {
        reasons.push(format!("manages cluster state: {why}"));
    }
    if needs.healing > Healing::None {
        reasons.push(format!(
            "{}: {}",
            healing_words(best.healing),
            needs.healing_reason
        ));
    }
    reasons.push(effort_words(best, family));
    let lighter: Vec<&Orchestrator> = all
        .iter()
        .filter(|o| o.status == Status::Active && o.weight < best.weight)
        .collect();
    let (lighter_fit, lighter_misfit): (Vec<&Orchestrator>, Vec<&Orchestrator>) = lighter
        .into_iter()
        .partition(|o| misfit(o, scale, needs).is_none());
    let ids = |v: &[&Orchestrator]| {
        v.iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut weight = format!(
        "the lightest active choice for this project (operational weight {} of 6",
        best.weight
    );
    if !lighter_misfit.is_empty() {
        weight.push_str(&format!("; {} do not fit", ids(&lighter_misfit)));
    }
    if !lighter_fit.is_empty() {
        weight.push_str(&format!(
            "; {} fit but need more rewriting",
            ids(&lighter_fit)
        ));
    }
    weight.push(')');
    reasons.push(weight);
    if needs.dependencies.is_some() && !best.dependencies {
        reasons.push(
            "caveat: it has no start order between services; the project's dependencies must be rebuilt (see the migration)".into(),
        );
    }
    reasons.push(format!("status: {}", best.status_text()));

    let mut alternatives: Vec<(u8, RankKey, Alternative)> = Vec::new();
    for (i, o) in all.iter().enumerate() {
        if o.id == best.id {
            continue;
        }
        let why_not = misfit(o, scale, needs);
        let fits = why_not.is_none();
        let (group, reason) = match (fits, o.status) {
            (true, Status::Active) => {
                let (cost, best_cost) = (key(o, family, i), key(best, family, 0));
                let reason = if o.effort_from(family) > best.effort_from(family) {
                    format!("fits too, but {}", effort_words(o, family))
                } else if cost.0 > best_cost.0 {
                    format!(
                        "fits too, but heavier to run (operational weight {} against {})",
                        o.weight, best.weight
                    )
                } else {
                    "fits too, equally light; listed after it in the catalog".to_string()
                };
                (0, reason)
            }
            (true, Status::Maintenance) => (
                1,
                format!("fits, but in {}: {}", o.status_text(), o.status_note),
            ),
            (true, _) => (1, format!("fits, but {}", o.status_text())),
            (false, Status::Active) => (2, why_not.unwrap_or_default()),
            (false, _) => (
                3,
                format!("{}; {}", o.status_text(), why_not.unwrap_or_default()),
            ),
        };
        alternatives.push((
            group,
            key(o, family, i),
            Alternative {
                orchestrator: o,
                fits,
                reason,
            },
        ));
    }
    alternatives.sort_by_key(|(g, k, _)| (*g, *k));
    let migration = match cur {
        Some(c) => {
            let mut steps = migration::sketch(c, best, used);
            steps.extend(super::coupling::uncarried(best, &needs.coupling));
            steps
        }
        None => Vec::new(),
    };
    Some(Recommendation {
        orchestrator: best,
        fits_current: cur.is_some_and(|c| c.id == best.id),
        reasons,
        alternatives: alternatives.into_iter().map(|(_, _, a)| a).collect(),
        migration,
    })
}
