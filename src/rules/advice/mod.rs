//! Rules that read the advisor's analysis: where the orchestrator a project is
//! written for does not fit what the project needs.

use super::Context;
use crate::advise::{self, Advice};

super::register! {
    end_of_life_orchestrator::EndOfLifeOrchestrator,
    ephemeral_data_store::EphemeralDataStore,
    outgrown_orchestrator::OutgrownOrchestrator,
    oversized_orchestrator::OversizedOrchestrator,
}

/// Runs `f` with the project's advice: the engine's, or one made here with the
/// default reference host when the rule runs outside the engine.
fn with_advice(cx: &mut Context<'_>, f: impl FnOnce(&mut Context<'_>, &Advice)) {
    let owned;
    let advice = match cx.advice {
        Some(a) => a,
        None => {
            owned = advise::analyze_for_rules(cx.project, cx.files, cx.model, &Default::default());
            match &owned {
                Some(a) => a,
                None => return,
            }
        }
    };
    f(cx, advice)
}

/// The help line's pointer to the recommendation.
fn recommendation_help(a: &Advice) -> String {
    match &a.recommendation {
        Some(r) if !r.keeps_current => format!(
            "for this project orchlint recommends {} ({}); `orchlint advise` shows the evidence, the candidates and a migration sketch",
            r.orchestrator.id, r.orchestrator.name
        ),
        _ => "`orchlint advise` shows the evidence and the candidates".to_string(),
    }
}
