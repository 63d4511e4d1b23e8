//! How the model shows itself: states as named variables, steps in the incident's words.

use dnsrace_core::{Value, Variable};
use stateright::actor::{ActorModelAction, Id};

use crate::{
    enactor_number, endpoint_name, ActorState, DnsModel, DnsMsg, DnsState, EnactorNumber,
    EnactorPhase, Generation, Refusal, Route53State, PLANNER_INDEX,
};

fn generation(generation: Option<Generation>) -> Value {
    match generation {
        Some(generation) => Value::Int(generation.into()),
        None => Value::str("none"),
    }
}

fn actor_name(id: Id) -> String {
    match enactor_number(id) {
        Some(number) => number.to_string(),
        None => match usize::from(id) {
            PLANNER_INDEX => "Planner".to_string(),
            crate::PLAN_STORE_INDEX => "plan store".to_string(),
            _ => "Route 53".to_string(),
        },
    }
}

fn message_text(msg: &DnsMsg) -> String {
    match *msg {
        DnsMsg::PublishPlan(g) => format!("publish generation {g}"),
        DnsMsg::PlanStored(g) => format!("generation {g} stored"),
        DnsMsg::GetLatestPlan => "which plan is the latest?".to_string(),
        DnsMsg::LatestPlan(g) => format!("latest plan is generation {g}"),
        DnsMsg::GetAppliedGeneration => "which generation is applied?".to_string(),
        DnsMsg::AppliedGeneration(0) => "no generation applied yet".to_string(),
        DnsMsg::AppliedGeneration(g) => format!("generation {g} is applied"),
        DnsMsg::AcquireLock(e) => format!("lock {}", endpoint_name(e)),
        DnsMsg::LockGranted(e) => format!("lock on {} granted", endpoint_name(e)),
        DnsMsg::LockBusy(e) => format!("lock on {} busy", endpoint_name(e)),
        DnsMsg::ChangeBatch { endpoint, plan } => {
            format!(
                "change batch: {} -> generation {plan}",
                endpoint_name(endpoint)
            )
        }
        DnsMsg::ChangeCommitted(e) => format!("change to {} committed", endpoint_name(e)),
        DnsMsg::ChangeRefused(e, _) => format!("change to {} refused", endpoint_name(e)),
        DnsMsg::DeleteOldPlans { applied } => format!("clean up after generation {applied}"),
        DnsMsg::OldPlansDeleted => "clean-up done".to_string(),
    }
}

fn enactor_value(phase: EnactorPhase) -> Value {
    let (name, plan, endpoint) = match phase {
        EnactorPhase::PickingUpPlan => ("picking up plan", None, None),
        EnactorPhase::CheckingFreshness { plan } => ("checking freshness", Some(plan), None),
        EnactorPhase::Locking { plan, endpoint } => ("locking", Some(plan), Some(endpoint)),
        EnactorPhase::Applying { plan, endpoint } => ("applying", Some(plan), Some(endpoint)),
        EnactorPhase::CleaningUp { plan } => ("cleaning up", Some(plan), None),
    };
    Value::record([
        ("phase", Value::str(name)),
        ("plan", generation(plan)),
        (
            "endpoint",
            Value::str(endpoint.map_or("none", endpoint_name)),
        ),
    ])
}

fn route53_value(route53: &Route53State) -> Value {
    Value::map(
        route53
            .endpoints
            .iter()
            .enumerate()
            .map(|(index, records)| {
                let endpoint = index as u8;
                let record = Value::record([
                    ("alias", generation(records.alias)),
                    ("rollback", generation(records.rollback)),
                    (
                        "lock",
                        records.lock.map_or_else(
                            || Value::str("free"),
                            |holder| Value::str(holder.to_string()),
                        ),
                    ),
                    ("resolves", Value::Bool(route53.resolves(endpoint))),
                ]);
                (Value::str(endpoint_name(endpoint)), record)
            }),
    )
}

pub(crate) fn variables(model: &DnsModel, state: &DnsState) -> Vec<Variable> {
    let mut variables = Vec::new();
    for actor in &state.actor_states {
        match &**actor {
            ActorState::Planner { published, stored } => variables.push((
                "planner".to_string(),
                Value::record([
                    ("published", Value::Int((*published).into())),
                    ("stored", Value::Int((*stored).into())),
                ]),
            )),
            ActorState::PlanStore { latest } => variables.push((
                "plan_store".to_string(),
                Value::record([("latest", generation((*latest > 0).then_some(*latest)))]),
            )),
            ActorState::Route53(route53) => {
                variables.push(("route53".to_string(), route53_value(route53)));
                variables.push((
                    "deleted_plans".to_string(),
                    Value::set(route53.deleted_plans.iter().map(|g| Value::Int(g.into()))),
                ));
                variables.push((
                    "history".to_string(),
                    Value::record([
                        (
                            "older_plan_overwrote_newer",
                            Value::Bool(route53.older_plan_overwrote_newer),
                        ),
                        (
                            "active_plan_deleted",
                            Value::Bool(route53.active_plan_deleted),
                        ),
                    ]),
                ));
            }
            ActorState::Enactor(_) => {}
        }
    }
    variables.push((
        "enactors".to_string(),
        Value::map(
            model
                .enactor_phases(state)
                .map(|(number, phase)| (Value::str(number.to_string()), enactor_value(phase))),
        ),
    ));
    variables.push((
        "in_flight".to_string(),
        Value::set(state.network.iter_all().map(|envelope| {
            Value::str(format!(
                "{} -> {}: {}",
                actor_name(envelope.src),
                actor_name(envelope.dst),
                message_text(envelope.msg)
            ))
        })),
    ));
    variables
}

fn enactor_phase(model: &DnsModel, state: &DnsState, number: EnactorNumber) -> EnactorPhase {
    model
        .enactor_phases(state)
        .find(|(n, _)| *n == number)
        .map(|(_, phase)| phase)
        .expect("every Enactor has a phase")
}

pub(crate) fn describe_step(
    model: &DnsModel,
    before: &DnsState,
    action: &ActorModelAction<DnsMsg, crate::DnsTimer, ()>,
    after: &DnsState,
) -> String {
    let ActorModelAction::Deliver { src, dst, msg } = action else {
        return match action {
            ActorModelAction::Timeout(_, crate::DnsTimer::OperatorRepair) => {
                let restored: Vec<String> = model
                    .route53(before)
                    .deleted_plans
                    .iter()
                    .filter(|g| !model.route53(after).deleted_plans.contains(*g))
                    .map(|g| g.to_string())
                    .collect();
                format!(
                    "Operator restores the deleted tree of generation {} by hand",
                    restored.join(", ")
                )
            }
            other => model.format_action_text(other),
        };
    };
    let route53_before = model.route53(before);
    let route53_after = model.route53(after);
    match *msg {
        DnsMsg::PublishPlan(g) => format!("Plan store receives generation {g} from the Planner"),
        DnsMsg::PlanStored(g) if g < model.config.generations => {
            format!("Planner produces generation {}", g + 1)
        }
        DnsMsg::PlanStored(g) => {
            format!("Planner sees its last generation ({g}) stored and stops")
        }
        DnsMsg::GetLatestPlan => format!(
            "Plan store hands generation {} to {}",
            model.latest_plan(before),
            actor_name(*src)
        ),
        DnsMsg::LatestPlan(g) => format!(
            "{} picks up generation {g} and asks Route 53 which plan is applied",
            actor_name(*dst)
        ),
        DnsMsg::GetAppliedGeneration => match route53_before.applied_generation() {
            0 => format!("Route 53 tells {} no plan is applied yet", actor_name(*src)),
            applied => format!(
                "Route 53 tells {} generation {applied} is applied",
                actor_name(*src)
            ),
        },
        DnsMsg::AppliedGeneration(applied) => {
            let enactor = enactor_number(*dst).expect("only Enactors check freshness");
            let applied_text = match applied {
                0 => "the applied plan (none yet)".to_string(),
                applied => format!("applied generation {applied}"),
            };
            match enactor_phase(model, after, enactor) {
                EnactorPhase::Locking { plan, .. } => format!(
                    "{enactor} checks once that generation {plan} is newer than {applied_text}, and starts applying it"
                ),
                _ => format!("{enactor} drops its plan: it is not newer than {applied_text}"),
            }
        }
        DnsMsg::AcquireLock(e) => {
            let records = &route53_before.endpoints[usize::from(e)];
            match records.lock {
                Some(holder) if Some(holder) != enactor_number(*src) => format!(
                    "Route 53 refuses {} the lock on {}: {holder} holds it",
                    actor_name(*src),
                    endpoint_name(e)
                ),
                _ => format!(
                    "Route 53 gives {} the lock on {}",
                    actor_name(*src),
                    endpoint_name(e)
                ),
            }
        }
        DnsMsg::LockGranted(e) => format!(
            "{} sends its change batch for {}",
            actor_name(*dst),
            endpoint_name(e)
        ),
        DnsMsg::LockBusy(e) => format!(
            "{} backs off and retries the lock on {}",
            actor_name(*dst),
            endpoint_name(e)
        ),
        DnsMsg::ChangeBatch { endpoint, plan } => {
            let previous = route53_before.endpoints[usize::from(endpoint)].alias;
            let committed = route53_after.endpoints[usize::from(endpoint)].alias == Some(plan)
                && route53_after.endpoints[usize::from(endpoint)]
                    .lock
                    .is_none();
            if !committed {
                let refusal = match route53_before.deleted_plans.contains(plan) {
                    true => Refusal::PlanDeleted(plan),
                    false => Refusal::RollbackTargetDeleted(previous.unwrap_or(0)),
                };
                let why = match refusal {
                    Refusal::PlanDeleted(g) => format!("generation {g} was deleted"),
                    Refusal::RollbackTargetDeleted(g) => {
                        format!("the rollback record would point at deleted generation {g}")
                    }
                };
                return format!(
                    "Route 53 refuses {}'s change batch for {}: {why}",
                    actor_name(*src),
                    endpoint_name(endpoint)
                );
            }
            let overwrite = match previous {
                Some(active) if active > plan => {
                    format!(", overwriting newer generation {active}")
                }
                _ => String::new(),
            };
            format!(
                "{} applies generation {plan} to endpoint {}{overwrite}",
                actor_name(*src),
                endpoint_name(endpoint)
            )
        }
        DnsMsg::ChangeCommitted(e) => {
            let enactor = enactor_number(*dst).expect("only Enactors apply plans");
            match enactor_phase(model, after, enactor) {
                EnactorPhase::CleaningUp { plan } => format!(
                    "{enactor} has applied generation {plan} to every endpoint and starts the clean-up"
                ),
                EnactorPhase::Locking { endpoint, .. } => format!(
                    "{enactor} is done with {} and moves on to {}",
                    endpoint_name(e),
                    endpoint_name(endpoint)
                ),
                _ => format!("{enactor} is done with {}", endpoint_name(e)),
            }
        }
        DnsMsg::ChangeRefused(e, _) => {
            format!("{} retries endpoint {}", actor_name(*dst), endpoint_name(e))
        }
        DnsMsg::DeleteOldPlans { applied } => {
            let deleted: Vec<String> = route53_after
                .deleted_plans
                .iter()
                .filter(|g| !route53_before.deleted_plans.contains(*g))
                .map(|g| g.to_string())
                .collect();
            let emptied: Vec<&str> = (0..model.config.endpoints)
                .filter(|e| route53_after.is_emptied(*e) && !route53_before.is_emptied(*e))
                .map(endpoint_name)
                .collect();
            let what = if deleted.is_empty() {
                "deletes nothing new".to_string()
            } else {
                format!("deletes generation {}", deleted.join(", "))
            };
            let consequence = if emptied.is_empty() {
                String::new()
            } else {
                format!(
                    ": endpoint {} now resolves to no address",
                    emptied.join(", ")
                )
            };
            format!(
                "Clean-up of {} (after generation {applied}) {what}{consequence}",
                actor_name(*src)
            )
        }
        DnsMsg::OldPlansDeleted => format!(
            "{} finishes its clean-up and goes back for the latest plan",
            actor_name(*dst)
        ),
    }
}

impl DnsModel {
    fn format_action_text(&self, action: &ActorModelAction<DnsMsg, crate::DnsTimer, ()>) -> String {
        use stateright::Model;
        self.format_action(action)
    }
}
