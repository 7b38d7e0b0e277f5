//! The recommendation: of the active orchestrators whose scale range and
//! capabilities cover the needs, and the orchestrator in use when it fits, the one
//! with the least to run and to rewrite (operational weight plus rewrite effort;
//! then less rewriting, then less weight, then catalog order). Every other catalog
//! entry is ranked after it with a one-line reason.
//!
//! Moving weighs the rewrite. The orchestrator in use costs its weight alone; any
//! other costs its weight, plus its rewrite effort from the project's spec family
//! (0 it reads the same files, 1 a maintained converter drafts them, 2 by hand),
//! plus one step for the move itself (a new cluster or host set to stand up,
//! workloads and data to move). So an orchestrator that fits (covers the scale and
//! every need, and is not past its end of life; one in maintenance, like Swarm
//! mode, still fits) is kept unless another is lighter by more than its rewrite
//! and move cost:
//! - Swarm mode (weight 3) stays Swarm rather than becoming k3s (4 + 1 kompose +
//!   1 move = 6): every stack would be rewritten as Kubernetes objects to run
//!   something heavier;
//! - a one-host Swarm stack goes to Compose (1 + 0 + 1 = 2 < 3): Compose reads the
//!   same file and a cluster manager buys nothing on one host, unless the stack
//!   needs what only Swarm does (services that drive the swarm, `coupling`);
//! - Kubernetes (5) stays Kubernetes rather than k3s (4 + 0 + 1 = 5, the tie goes
//!   to less rewriting), and goes to Compose for one plain host (1 + 2 + 1 = 4);
//! - an orchestrator past its end of life does not fit and is never kept.

use super::catalog::{self, Healing, Orchestrator, Stateful, Status};
use super::current::Current;
use super::features::Used;
use super::migration::{self, Plan, Step};
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
    pub(crate) keeps_current: bool,
    pub(crate) reasons: Vec<String>,
    pub(crate) alternatives: Vec<Alternative>,
    pub(crate) migration: Vec<Step>,
    /// The commands, files and data moves of the migration (`advise::analyze`
    /// fills it in: it needs the project's model).
    pub(crate) plan: Plan,
}

/// Why an orchestrator does not suit the project as a candidate, or `None` when it
/// does: its scale range must hold the project's class (a range starting above it
/// is oversized) and it must cover every need (`covers`).
pub(crate) fn misfit(o: &Orchestrator, scale: &Scale, needs: &Needs) -> Option<String> {
    if scale.class < o.scale_min {
        return Some(oversized_words(o, scale));
    }
    covers(o, scale, needs)
}

/// Whether `misfit` would give a reason, without writing it (the comparisons of
/// every orchestrator in the catalog allocate nothing).
pub(crate) fn misfits(o: &Orchestrator, scale: &Scale, needs: &Needs) -> bool {
    scale.class < o.scale_min
        || scale.class > o.scale_max
        || super::coupling::misfits(o, &needs.coupling)
        || (needs.stateful && o.stateful == Stateful::None)
        || (needs.cluster_state.is_some() && !o.cluster_state)
        || o.healing < needs.healing
}

fn oversized_words(o: &Orchestrator, scale: &Scale) -> String {
    format!(
        "oversized: it serves {} ({}), this project fits {}",
        o.range(),
        o.hosts_range(),
        host_count(scale.hosts)
    )
}

/// What an orchestrator lacks to run the project, or `None` when it covers it: the
/// scale class is within its reach (not above its range) and it has every capability
/// the specs use (state, cluster state, healing). Unlike `misfit`, a range starting
/// above the project's class does not count: a cluster orchestrator runs one host's
/// work too, with more to operate than needed.
pub(crate) fn covers(o: &Orchestrator, scale: &Scale, needs: &Needs) -> Option<String> {
    let class = scale.class;
    let hosts = scale.hosts;
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

/// The verdict on the orchestrator the project runs on today, apart from the
/// recommendation: it fits when it covers the scale class and every need the specs
/// use (`covers`) and is not past its end of life.
#[derive(Clone, Debug)]
pub(crate) struct Fit {
    /// `None` when the catalog does not know the current orchestrator (a hosted
    /// platform such as Heroku, or a Procfile app whose platform is unknown).
    pub(crate) fits: Option<bool>,
    /// The deciding reason in one line.
    pub(crate) reason: String,
    /// It fits, but its range starts above the project's class: more to run than
    /// the project needs (what `oversized-orchestrator` reports).
    pub(crate) oversized: bool,
}

pub(crate) fn verdict(current: &Current, scale: &Scale, needs: &Needs) -> Fit {
    let Some(o) = catalog::get(current.id) else {
        if !current.candidates.is_empty() {
            return candidates_verdict(current, scale, needs);
        }
        return Fit {
            fits: None,
            reason: format!(
                "{} is not in orchlint's catalog, so its fit is not judged",
                current.id
            ),
            oversized: false,
        };
    };
    if let Some(why) = covers(o, scale, needs) {
        return Fit {
            fits: Some(false),
            reason: format!("{} does not cover it: {why}", o.id),
            oversized: false,
        };
    }
    if o.status == Status::EndOfLife {
        return Fit {
            fits: Some(false),
            reason: format!(
                "{} covers its scale and needs but is {}",
                o.id,
                o.status_text()
            ),
            oversized: false,
        };
    }
    let oversized = scale.class < o.scale_min;
    let mut reason = format!(
        "{} covers {} ({}) and every need the specs use, and is {}",
        o.id,
        scale.class.as_str(),
        host_count(scale.hosts),
        o.status_text()
    );
    if oversized {
        reason.push_str(&format!(
            "; it is sized for {} ({}), more to run than the project needs",
            o.range(),
            o.hosts_range()
        ));
    }
    Fit {
        fits: Some(true),
        reason,
        oversized,
    }
}

/// The verdict when the specs run alike on several platforms and do not say which
/// one runs them (a Procfile read by Heroku, Flynn, Deis and Dokku): they fit when
/// a platform among those that is not past its end of life covers the project as
/// they are written; the end-of-life ones are named, since a project running on
/// one of them today does not fit.
fn candidates_verdict(current: &Current, scale: &Scale, needs: &Needs) -> Fit {
    let known: Vec<&Orchestrator> = current
        .candidates
        .iter()
        .filter_map(|id| catalog::get(id))
        .collect();
    let ended: Vec<&str> = known
        .iter()
        .filter(|o| o.status == Status::EndOfLife)
        .map(|o| o.id.as_str())
        .collect();
    let alive: Vec<&Orchestrator> = known
        .iter()
        .copied()
        .filter(|o| o.status != Status::EndOfLife)
        .collect();
    let covering: Vec<&str> = alive
        .iter()
        .filter(|o| covers(o, scale, needs).is_none())
        .map(|o| o.id.as_str())
        .collect();
    let ended_words = if ended.is_empty() {
        String::new()
    } else {
        format!(
            "; if it runs on {} today, that is end-of-life and does not fit",
            ended.join(" or ")
        )
    };
    if covering.is_empty() {
        let why = alive
            .iter()
            .find_map(|o| covers(o, scale, needs).map(|w| format!("{}: {w}", o.id)))
            .unwrap_or_else(|| "none of them is maintained".into());
        return Fit {
            fits: Some(false),
            reason: format!(
                "the specs do not name their platform, and none that reads them and is alive covers it ({why}){ended_words}",
            ),
            oversized: false,
        };
    }
    Fit {
        fits: Some(true),
        reason: format!(
            "the specs do not name their platform; as written they run on {}, which cover {} ({}) and every need the specs use and are alive{ended_words}",
            covering.join(" and "),
            scale.class.as_str(),
            host_count(scale.hosts),
        ),
        oversized: false,
    }
}

pub(crate) fn host_count(n: u32) -> String {
    if n == 1 {
        "one host".into()
    } else {
        format!("{n} hosts")
    }
}

/// What the recommended orchestrator does for the healing the specs ask (it may
/// do more: Kubernetes also replaces copies across hosts).
fn asked_healing_words(h: Healing) -> &'static str {
    match h {
        Healing::None => "nothing to heal",
        Healing::Restart => "restarts exited containers on their host",
        Healing::Cluster => "replaces failed copies across the cluster",
    }
}

pub(crate) fn healing_words(h: Healing) -> &'static str {
    match h {
        Healing::None => "does not heal",
        Healing::Restart => "only restarts exited containers on their host",
        Healing::Cluster => "replaces failed copies across the cluster",
    }
}

/// Total cost, rewrite effort (with the move), weight, catalog order.
type RankKey = (u8, u8, u8, usize);

/// Rank key of a fitting, active orchestrator: total cost, then rewrite effort,
/// then weight, then catalog order. Moving off the orchestrator in use costs one
/// step on top of any rewriting (a new cluster or host set to stand up, workloads
/// and data to move), so an orchestrator that fits is kept unless another is
/// lighter by more than that: Kubernetes stays Kubernetes rather than becoming k3s
/// for one step of weight.
fn key(o: &Orchestrator, family: &str, current: &str, index: usize) -> RankKey {
    let effort = o.effort_from(family) + u8::from(o.id != current);
    (o.weight + effort, effort, o.weight, index)
}

/// Why a move off `current`, which fits, to `best` is worth it: `best` is lighter
/// by more than its rewrite and the move cost (what `key` compares).
fn moved_off_words(current: &Orchestrator, best: &Orchestrator, family: &str) -> String {
    let effort = best.effort_from(family);
    let rewrite = match effort {
        0 => format!("reads the same {family} files"),
        1 => "a converter drafts its specs".to_string(),
        _ => "its specs are written by hand".to_string(),
    };
    let sized = if best.scale_min < current.scale_min {
        format!(
            "it is sized for {} ({}); ",
            current.range(),
            current.hosts_range()
        )
    } else {
        String::new()
    };
    format!(
        "{sized}{} weighs {} against {} and {rewrite}: {} + {effort} (rewrite) + 1 (move) = {} < {}",
        best.id,
        best.weight,
        current.weight,
        best.weight,
        best.weight + effort + 1,
        current.weight
    )
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

/// The recommendation: the orchestrator and, with `explain`, its reasons, the
/// alternatives and the migration's sketch (without: left empty, for the
/// `advice/*` rules, which show only the orchestrator).
pub(crate) fn recommend(
    current: &Current,
    scale: &Scale,
    needs: &Needs,
    used: &Used,
    fit: &Fit,
    explain: bool,
) -> Option<Recommendation> {
    let all = catalog::all();
    let cur = catalog::get(current.id);
    let family = catalog::family_of(current.id);
    // The current orchestrator competes when it fits, even if a lighter class of
    // system would do (its range starting above the project's class), and whatever
    // its status short of end of life (which does not fit): Swarm in maintenance is
    // kept up and supported.
    let keep_current = fit.fits == Some(true);
    let candidate = |o: &Orchestrator| {
        (o.status == Status::Active && o.proposable_from(current.id) && !misfits(o, scale, needs))
            || (keep_current && o.id == current.id)
    };
    let mut fitting: Vec<(usize, &'static Orchestrator)> = all
        .iter()
        .enumerate()
        .filter(|(_, o)| candidate(o))
        .collect();
    fitting.sort_by_key(|(i, o)| key(o, family, current.id, *i));
    let (_, best) = *fitting.first()?;
    let stays = best.id == current.id;
    if !explain {
        return Some(Recommendation {
            orchestrator: best,
            keeps_current: stays,
            reasons: Vec::new(),
            alternatives: Vec::new(),
            migration: Vec::new(),
            plan: Plan::default(),
        });
    }

    let mut reasons = Vec::new();
    if stays {
        reasons.push(format!(
            "the project's current orchestrator fits it: keep {}",
            best.name
        ));
    } else if keep_current && let Some(c) = cur {
        reasons.push(format!(
            "{} (in use) fits too, but {}",
            c.id,
            moved_off_words(c, best, family)
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
            asked_healing_words(needs.healing),
            needs.healing_reason
        ));
    }
    reasons.push(effort_words(best, family));
    let lighter: Vec<&Orchestrator> = all
        .iter()
        .filter(|o| {
            o.status == Status::Active && o.proposable_from(current.id) && o.weight < best.weight
        })
        .collect();
    let (lighter_fit, lighter_misfit): (Vec<&Orchestrator>, Vec<&Orchestrator>) =
        lighter.into_iter().partition(|o| !misfits(o, scale, needs));
    let ids = |v: &[&Orchestrator]| {
        v.iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut weight = if stays && !lighter_fit.is_empty() {
        format!(
            "kept rather than moved: it is in use, and the lighter {} that fit{} would save less than the move costs (operational weight {} of 6",
            ids(&lighter_fit),
            if lighter_fit.len() == 1 { "s" } else { "" },
            best.weight
        )
    } else {
        format!(
            "the lightest {} choice for this project (operational weight {} of 6",
            if best.status == Status::Active {
                "active"
            } else {
                "fitting"
            },
            best.weight
        )
    };
    if !lighter_misfit.is_empty() {
        weight.push_str(&format!("; {} do not fit", ids(&lighter_misfit)));
    }
    if !lighter_fit.is_empty() && !stays {
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
    if best.status == Status::Maintenance {
        reasons.push(format!(
            "status: {}: {}; it fits today, so plan the move for before its support ends rather than now",
            best.status_text(),
            best.status_note
        ));
    } else {
        reasons.push(format!("status: {}", best.status_text()));
    }

    let best_key = key(best, family, current.id, 0);
    let mut alternatives: Vec<(u8, RankKey, Alternative)> = Vec::new();
    for (i, o) in all.iter().enumerate() {
        if o.id == best.id {
            continue;
        }
        let is_current = o.id == current.id;
        // The current orchestrator's row agrees with the verdict on it.
        let why_not = if is_current {
            covers(o, scale, needs)
        } else {
            misfit(o, scale, needs)
        };
        let fits = why_not.is_none();
        let cost = key(o, family, current.id, i);
        let (group, reason) = match (fits, o.status) {
            // The current one that fits but is not kept: in maintenance or not, the
            // move's arithmetic decides.
            (true, Status::Active | Status::Maintenance) if is_current && keep_current => (
                0,
                format!("in use and fits, but {}", moved_off_words(o, best, family)),
            ),
            (true, Status::Active) if !o.proposable_from(current.id) => (
                1,
                "fits, but a hosted platform: proposed only to projects already on it".into(),
            ),
            (true, Status::Active) => {
                let reason = if o.effort_from(family) > best.effort_from(family) {
                    format!("fits too, but {}", effort_words(o, family))
                } else if stays && o.weight <= best.weight {
                    format!(
                        "fits too and weighs {} against {}, but moving off {} costs more than it saves",
                        o.weight, best.weight, best.id
                    )
                } else if cost.0 > best_key.0 {
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
            cost,
            Alternative {
                orchestrator: o,
                fits,
                reason,
            },
        ));
    }
    alternatives.sort_by_key(|(g, k, _)| (*g, *k));
    let mut migration = migration::sketch(
        migration::Origin {
            id: current.id,
            family,
        },
        best,
        used,
    );
    migration.extend(super::coupling::uncarried(best, &needs.coupling));
    Some(Recommendation {
        orchestrator: best,
        keeps_current: stays,
        reasons,
        alternatives: alternatives.into_iter().map(|(_, _, a)| a).collect(),
        migration,
        plan: Plan::default(),
    })
}
