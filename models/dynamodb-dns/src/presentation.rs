//! How the model shows itself: states as named variables, steps in the incident's words.

use dnsrace_core::{Value, Variable};
use stateright::actor::{ActorModelAction, Id};

use crate::{
    enactor_number, endpoint_name, ActorState, BatchScope, DnsModel, DnsMsg, DnsState, DnsTimer,
    EnactorNumber, EnactorPhase, Generation, GenerationSet, Refusal, Route53State, PLANNER_INDEX,
};

fn generation(generation: Option<Generation>) -> Value {
    match generation {
        Some(generation) => Value::Int(generation.into()),
        None => Value::str("none"),
    }
}

pub(crate) fn actor_name(id: Id) -> String {
    match enactor_number(id) {
        Some(number) => number.to_string(),
        None => match usize::from(id) {
            PLANNER_INDEX => "Planner".to_string(),
            crate::PLAN_STORE_INDEX => "plan store".to_string(),
            _ => "Route 53".to_string(),
        },
    }
}

fn scope_text(scope: BatchScope) -> &'static str {
    match scope {
        BatchScope::Endpoint(endpoint) => endpoint_name(endpoint),
        BatchScope::AllEndpoints => "every endpoint",
    }
}

fn generations_text(plans: GenerationSet) -> String {
    let list: Vec<String> = plans.iter().map(|g| g.to_string()).collect();
    match list.len() {
        0 => "no plan".to_string(),
        1 => format!("generation {}", list[0]),
        _ => format!("generations {}", list.join(", ")),
    }
}

pub(crate) fn message_text(msg: &DnsMsg) -> String {
    match *msg {
        DnsMsg::PublishPlan(g) => format!("publish generation {g}"),
        DnsMsg::PlanStored(g) => format!("generation {g} stored"),
        DnsMsg::GetLatestPlan => "which plan is the latest?".to_string(),
        DnsMsg::LatestPlan(g) => format!("latest plan is generation {g}"),
        DnsMsg::GetAppliedGeneration(e) => format!("what does {} serve?", endpoint_name(e)),
        DnsMsg::AppliedGeneration(e, 0) => format!("{} serves no plan yet", endpoint_name(e)),
        DnsMsg::AppliedGeneration(e, g) => format!("{} serves generation {g}", endpoint_name(e)),
        DnsMsg::AcquireLock(e) => format!("lock {}", endpoint_name(e)),
        DnsMsg::LockGranted(e) => format!("lock on {} granted", endpoint_name(e)),
        DnsMsg::LockBusy(e) => format!("lock on {} busy", endpoint_name(e)),
        DnsMsg::ReleaseLock(e) => format!("release lock on {}", endpoint_name(e)),
        DnsMsg::LockReleased(e) => format!("lock on {} released", endpoint_name(e)),
        DnsMsg::ChangeBatch { scope, plan } => {
            format!("change batch: {} -> generation {plan}", scope_text(scope))
        }
        DnsMsg::ChangeCommitted(scope) => format!("change to {} committed", scope_text(scope)),
        DnsMsg::ChangeRefused(scope, _) => format!("change to {} refused", scope_text(scope)),
        DnsMsg::GetActivePlans => "which plans are active?".to_string(),
        DnsMsg::ActivePlans(plans) => format!("active: {}", generations_text(plans)),
        DnsMsg::DeletePlans(plans) => format!("delete {}", generations_text(plans)),
        DnsMsg::PlansDeleted => "clean-up done".to_string(),
        DnsMsg::AcquireLease => "take the lease".to_string(),
        DnsMsg::LeaseGranted => "lease granted".to_string(),
        DnsMsg::LeaseBusy => "lease busy".to_string(),
        DnsMsg::ReleaseLease => "release the lease".to_string(),
        DnsMsg::LeaseReleased => "lease released".to_string(),
        DnsMsg::RecordLastApplied(g) => format!("record generation {g} as last applied"),
        DnsMsg::LastAppliedRecorded => "last-applied record written".to_string(),
    }
}

fn enactor_value(phase: EnactorPhase) -> Value {
    use EnactorPhase as P;
    let (name, plan, endpoint) = match phase {
        P::AcquiringLease => ("acquiring lease", None, None),
        P::PickingUpPlan => ("picking up plan", None, None),
        P::CheckingFreshness { plan, endpoint } => (
            "checking freshness",
            Some(plan),
            Some(endpoint_name(endpoint)),
        ),
        P::Locking { plan, endpoint } => ("locking", Some(plan), Some(endpoint_name(endpoint))),
        P::Applying { plan, scope } => ("applying", Some(plan), Some(scope_text(scope))),
        P::LeasingPlan { plan } => ("acquiring lease", Some(plan), None),
        P::RecheckingUnderLock { plan, endpoint } => (
            "re-checking under lock",
            Some(plan),
            Some(endpoint_name(endpoint)),
        ),
        P::RecordingApplied { plan } => ("recording last applied", Some(plan), None),
        P::GivingUp { plan, endpoint } => ("giving up", Some(plan), Some(endpoint_name(endpoint))),
        P::ReadingActivePlans { plan } => ("reading active plans", Some(plan), None),
        P::CleaningUp { plan } => ("cleaning up", Some(plan), None),
        P::ReleasingLease => ("releasing lease", None, None),
    };
    Value::record([
        ("phase", Value::str(name)),
        ("plan", generation(plan)),
        ("endpoint", Value::str(endpoint.unwrap_or("none"))),
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
                        match (records.lock, records.lock_expired) {
                            (None, _) => Value::str("free"),
                            (Some(holder), false) => Value::str(holder.to_string()),
                            (Some(holder), true) => Value::str(format!("{holder} (expired)")),
                        },
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
                if model.config.freshness == crate::Freshness::LastAppliedRecord {
                    variables.push((
                        "last_applied".to_string(),
                        generation((route53.last_applied > 0).then_some(route53.last_applied)),
                    ));
                }
                variables.push((
                    "deleted_plans".to_string(),
                    Value::set(route53.deleted_plans.iter().map(|g| Value::Int(g.into()))),
                ));
                if model.config.variant.safeguards().lease != crate::Lease::None {
                    variables.push((
                        "lease".to_string(),
                        route53.lease.map_or_else(
                            || Value::str("free"),
                            |holder| Value::str(holder.to_string()),
                        ),
                    ));
                }
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
    action: &ActorModelAction<DnsMsg, DnsTimer, ()>,
    after: &DnsState,
) -> String {
    let route53_before = model.route53(before);
    let route53_after = model.route53(after);
    let ActorModelAction::Deliver { src, dst, msg } = action else {
        return match action {
            ActorModelAction::Timeout(_, DnsTimer::OperatorRepair) => match model.config.repair {
                crate::Repair::UndeleteTree => {
                    let restored = route53_before
                        .deleted_plans
                        .minus(route53_after.deleted_plans);
                    format!(
                        "Operator restores the deleted tree of {} by hand",
                        generations_text(restored)
                    )
                }
                crate::Repair::RepointAlias => {
                    let repaired: Vec<&str> = (0..model.config.endpoints)
                        .filter(|e| route53_before.is_emptied(*e))
                        .map(endpoint_name)
                        .collect();
                    format!(
                        "Operator points endpoint {} at the newest plan (generation {}) by hand",
                        repaired.join(", "),
                        model.latest_plan(before)
                    )
                }
            },
            ActorModelAction::Timeout(_, DnsTimer::LockExpiry(e)) => format!(
                "The lock of {} on {} expires while it is delayed",
                route53_before.endpoints[usize::from(*e)]
                    .lock
                    .map_or("nobody".to_string(), |h| h.to_string()),
                endpoint_name(*e)
            ),
            ActorModelAction::Timeout(_, DnsTimer::EnactorCrash(number)) => {
                let id = crate::enactor_id(*number);
                let lost: Vec<String> = before
                    .network
                    .iter_all()
                    .filter(|envelope| envelope.src == id || envelope.dst == id)
                    .map(|envelope| format!("\"{}\"", message_text(envelope.msg)))
                    .collect();
                format!(
                    "{number} crashes and restarts, forgetting its plan{}",
                    match lost.is_empty() {
                        true => String::new(),
                        false => format!(" (lost in flight: {})", lost.join(", ")),
                    }
                )
            }
            ActorModelAction::Timeout(_, DnsTimer::LeaseExpiry) => format!(
                "The lease of {} expires while it is delayed",
                route53_before
                    .lease
                    .map_or("nobody".to_string(), |h| h.to_string())
            ),
            other => model.format_action_text(other),
        };
    };
    let enactor = || enactor_number(*dst).expect("only Enactors receive this");
    let sender = || actor_name(*src);
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
            sender()
        ),
        DnsMsg::LatestPlan(g) => match model.config.freshness {
            crate::Freshness::EndpointAlias => format!(
                "{} picks up generation {g} and asks Route 53 what {} serves",
                enactor(),
                endpoint_name(0)
            ),
            crate::Freshness::LastAppliedRecord => format!(
                "{} picks up generation {g} and reads the last-applied record",
                enactor()
            ),
        },
        DnsMsg::GetAppliedGeneration(e) => match model.config.freshness {
            crate::Freshness::EndpointAlias => {
                match route53_before.endpoints[usize::from(e)].alias {
                    None => format!(
                        "Route 53 tells {} that {} serves no plan yet",
                        sender(),
                        endpoint_name(e)
                    ),
                    Some(g) => format!(
                        "Route 53 tells {} that {} serves generation {g}",
                        sender(),
                        endpoint_name(e)
                    ),
                }
            }
            crate::Freshness::LastAppliedRecord => match route53_before.last_applied {
                0 => format!(
                    "Route 53 tells {} that no plan is recorded as applied yet",
                    sender()
                ),
                g => format!(
                    "Route 53 tells {} that the last-applied record says generation {g}",
                    sender()
                ),
            },
        },
        DnsMsg::AppliedGeneration(e, applied) => {
            let enactor = enactor();
            let served = match (model.config.freshness, applied) {
                (crate::Freshness::EndpointAlias, 0) => {
                    format!("what {} serves (nothing yet)", endpoint_name(e))
                }
                (crate::Freshness::EndpointAlias, g) => {
                    format!("generation {g} on {}", endpoint_name(e))
                }
                (crate::Freshness::LastAppliedRecord, 0) => {
                    "the last-applied record (nothing yet)".to_string()
                }
                (crate::Freshness::LastAppliedRecord, g) => {
                    format!("generation {g} in the last-applied record")
                }
            };
            let under_lock = matches!(
                enactor_phase(model, before, enactor),
                EnactorPhase::RecheckingUnderLock { .. }
            );
            match enactor_phase(model, after, enactor) {
                EnactorPhase::Applying { plan, .. } if under_lock => format!(
                    "{enactor} holds the lock on {} and checks again that generation {plan} is newer than {served}",
                    endpoint_name(e)
                ),
                EnactorPhase::LeasingPlan { plan } => format!(
                    "{enactor} checks once that generation {plan} is newer than {served}, and asks for the lease"
                ),
                EnactorPhase::Locking { plan, .. } | EnactorPhase::Applying { plan, .. }
                    if e == 0 =>
                {
                    let once = match model.config.variant.safeguards().recheck_freshness {
                        true => "checks",
                        false => "checks once",
                    };
                    format!("{enactor} {once} that generation {plan} is newer than {served}, and starts applying it")
                }
                EnactorPhase::Locking { plan, .. } => {
                    format!("{enactor} checks again that generation {plan} is newer than {served}")
                }
                _ if under_lock => format!(
                    "{enactor} drops its plan under the lock on {}: it is not newer than {served}",
                    endpoint_name(e)
                ),
                _ => format!("{enactor} drops its plan: it is not newer than {served}"),
            }
        }
        DnsMsg::AcquireLock(e) => match route53_before.endpoints[usize::from(e)].lock {
            Some(holder)
                if Some(holder) != enactor_number(*src)
                    && route53_before.endpoints[usize::from(e)].lock_expired =>
            {
                format!(
                    "Route 53 gives {} the lock on {}, taking it over from {holder}, whose lock expired",
                    sender(),
                    endpoint_name(e)
                )
            }
            Some(holder) if Some(holder) != enactor_number(*src) => format!(
                "Route 53 refuses {} the lock on {}: {holder} holds it",
                sender(),
                endpoint_name(e)
            ),
            _ => format!(
                "Route 53 gives {} the lock on {}",
                sender(),
                endpoint_name(e)
            ),
        },
        DnsMsg::LockGranted(e) if model.config.variant.safeguards().recheck_under_lock => {
            format!(
                "{} holds the lock on {} and asks again what is applied",
                enactor(),
                endpoint_name(e)
            )
        }
        DnsMsg::LockGranted(e) => format!(
            "{} sends its change batch for {}",
            enactor(),
            endpoint_name(e)
        ),
        DnsMsg::LockBusy(e) => format!(
            "{} backs off and retries the lock on {}",
            enactor(),
            endpoint_name(e)
        ),
        DnsMsg::ReleaseLock(e) => {
            format!("Route 53 frees {}'s lock on {}", sender(), endpoint_name(e))
        }
        DnsMsg::LockReleased(_) => format!("{} starts over", enactor()),
        DnsMsg::ChangeBatch { scope, plan } => {
            let sender_number = enactor_number(*src).expect("only Enactors send batches");
            let endpoints = match scope {
                BatchScope::Endpoint(e) => e..e + 1,
                BatchScope::AllEndpoints => 0..model.config.endpoints,
            };
            let safeguards = model.config.variant.safeguards();
            if let Some(refusal) =
                route53_before.refusal(sender_number, safeguards, endpoints.clone(), plan)
            {
                let why = match refusal {
                    Refusal::PlanDeleted(g) => format!("generation {g} was deleted"),
                    Refusal::RollbackTargetDeleted(g) => {
                        format!("the rollback record would point at deleted generation {g}")
                    }
                    Refusal::NotNewer(g) => format!("it already serves generation {g}"),
                    Refusal::LeaseLost => format!("{sender_number} no longer holds the lease"),
                    Refusal::LockLost => format!(
                        "{sender_number}'s lock expired and {} holds it now",
                        route53_before.endpoints[usize::from(endpoints.start)]
                            .lock
                            .map_or("nobody".to_string(), |h| h.to_string())
                    ),
                };
                return format!(
                    "Route 53 refuses {sender_number}'s change batch for {}: {why}",
                    scope_text(scope)
                );
            }
            let overwritten: Vec<String> = endpoints
                .filter_map(|e| route53_before.endpoints[usize::from(e)].alias)
                .filter(|active| *active > plan)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|active| active.to_string())
                .collect();
            let overwrite = match overwritten.len() {
                0 => String::new(),
                _ => format!(", overwriting newer generation {}", overwritten.join(", ")),
            };
            format!(
                "{sender_number} applies generation {plan} to {}{overwrite}",
                match scope {
                    BatchScope::Endpoint(e) => format!("endpoint {}", endpoint_name(e)),
                    BatchScope::AllEndpoints => "every endpoint at once".to_string(),
                }
            )
        }
        DnsMsg::ChangeCommitted(scope) => {
            let enactor = enactor();
            match enactor_phase(model, after, enactor) {
                EnactorPhase::RecordingApplied { plan } => format!(
                    "{enactor} has applied generation {plan} to every endpoint and records it as the last applied"
                ),
                phase if phase.is_cleaning_up() => {
                    let plan = match phase {
                        EnactorPhase::ReadingActivePlans { plan }
                        | EnactorPhase::CleaningUp { plan } => plan,
                        _ => unreachable!("cleaning up"),
                    };
                    format!("{enactor} has applied generation {plan} to every endpoint and starts the clean-up")
                }
                EnactorPhase::Locking { endpoint, .. }
                | EnactorPhase::CheckingFreshness { endpoint, .. } => format!(
                    "{enactor} is done with {} and moves on to {}",
                    scope_text(scope),
                    endpoint_name(endpoint)
                ),
                _ => format!("{enactor} is done with {}", scope_text(scope)),
            }
        }
        DnsMsg::ChangeRefused(scope, refusal) => {
            if refusal.gives_plan_up() {
                format!("{} gives its plan up", enactor())
            } else {
                format!("{} retries {}", enactor(), scope_text(scope))
            }
        }
        DnsMsg::GetActivePlans => format!(
            "Route 53 tells {} which plans are active: {}",
            sender(),
            generations_text(route53_before.active_plans())
        ),
        DnsMsg::ActivePlans(active) => format!(
            "{} leaves {} out of its clean-up",
            enactor(),
            generations_text(active)
        ),
        DnsMsg::DeletePlans(plans) => {
            let deleted = route53_after
                .deleted_plans
                .minus(route53_before.deleted_plans);
            let emptied: Vec<&str> = (0..model.config.endpoints)
                .filter(|e| route53_after.is_emptied(*e) && !route53_before.is_emptied(*e))
                .map(endpoint_name)
                .collect();
            let mut text = format!(
                "Clean-up of {} deletes {}",
                sender(),
                generations_text(deleted)
            );
            let spared = plans.minus(deleted).minus(route53_before.deleted_plans);
            if !spared.is_empty() {
                text.push_str(&format!(" (Route 53 keeps {})", generations_text(spared)));
            }
            if !emptied.is_empty() {
                text.push_str(&format!(
                    ": endpoint {} now resolves to no address",
                    emptied.join(", ")
                ));
            }
            text
        }
        DnsMsg::PlansDeleted => match model.config.variant.safeguards().lease {
            crate::Lease::None => format!(
                "{} finishes its clean-up and goes back for the latest plan",
                enactor()
            ),
            _ => format!("{} finishes its clean-up and releases the lease", enactor()),
        },
        DnsMsg::AcquireLease => match route53_before.lease {
            Some(holder) if Some(holder) != enactor_number(*src) => {
                format!("Route 53 refuses {} the lease: {holder} holds it", sender())
            }
            _ => format!("Route 53 gives {} the lease", sender()),
        },
        DnsMsg::LeaseGranted => match enactor_phase(model, after, enactor()) {
            EnactorPhase::PickingUpPlan => format!("{} asks for the latest plan", enactor()),
            _ => format!("{} holds the lease and starts applying its plan", enactor()),
        },
        DnsMsg::RecordLastApplied(g) => {
            let lease = model.config.variant.safeguards().lease;
            let sender_number = enactor_number(*src);
            if lease.fences_batches() && route53_before.lease != sender_number {
                format!(
                    "Route 53 ignores {}'s last-applied record: it no longer holds the lease",
                    sender()
                )
            } else if route53_before.last_applied > g {
                format!(
                    "Route 53 records generation {g} as last applied for {}, going back from {}",
                    sender(),
                    route53_before.last_applied
                )
            } else {
                format!(
                    "Route 53 records generation {g} as last applied for {}",
                    sender()
                )
            }
        }
        DnsMsg::LastAppliedRecorded => format!("{} starts the clean-up", enactor()),
        DnsMsg::LeaseBusy => format!("{} backs off and retries the lease", enactor()),
        DnsMsg::ReleaseLease => format!("Route 53 frees the lease of {}", sender()),
        DnsMsg::LeaseReleased => match enactor_phase(model, after, enactor()) {
            EnactorPhase::AcquiringLease => {
                format!("{} starts over and asks for the lease", enactor())
            }
            _ => format!("{} starts over", enactor()),
        },
    }
}

impl DnsModel {
    fn format_action_text(&self, action: &ActorModelAction<DnsMsg, DnsTimer, ()>) -> String {
        use stateright::Model;
        self.format_action(action)
    }
}

/// Every kind of step, in the order `check --coverage` lists them: each message as its
/// receiver handles it, then the timers (faults and the operator).
pub(crate) const ACTION_KINDS: &[&str] = &[
    "plan store stores a new plan",
    "Planner learns its plan is stored",
    "plan store answers which plan is the latest",
    "Enactor picks up the latest plan",
    "Route 53 answers a freshness check",
    "Enactor decides whether its plan is fresh",
    "Route 53 handles a lock request",
    "Enactor gets an endpoint's lock",
    "Enactor finds the lock busy and backs off",
    "Route 53 releases a lock",
    "Enactor learns its lock is released",
    "Route 53 applies a change batch",
    "Enactor learns its change batch committed",
    "Enactor learns its change batch was refused",
    "Route 53 answers which plans are active",
    "Enactor learns which plans are active",
    "Route 53 deletes plans (clean-up)",
    "Enactor finishes its clean-up",
    "Route 53 handles a lease request",
    "Enactor gets the lease",
    "Enactor finds the lease busy",
    "Route 53 releases the lease",
    "Enactor learns the lease is released",
    "Route 53 records the last plan applied",
    "Enactor learns the last-applied record is written",
    "operator repairs an endpoint by hand",
    "an endpoint's lock expires",
    "an Enactor crashes and restarts",
    "the lease expires",
];

/// The kind of a step, one of [`ACTION_KINDS`].
pub(crate) fn action_kind(action: &ActorModelAction<DnsMsg, DnsTimer, ()>) -> &'static str {
    let index = match action {
        ActorModelAction::Deliver { msg, .. } => match msg {
            DnsMsg::PublishPlan(_) => 0,
            DnsMsg::PlanStored(_) => 1,
            DnsMsg::GetLatestPlan => 2,
            DnsMsg::LatestPlan(_) => 3,
            DnsMsg::GetAppliedGeneration(_) => 4,
            DnsMsg::AppliedGeneration(..) => 5,
            DnsMsg::AcquireLock(_) => 6,
            DnsMsg::LockGranted(_) => 7,
            DnsMsg::LockBusy(_) => 8,
            DnsMsg::ReleaseLock(_) => 9,
            DnsMsg::LockReleased(_) => 10,
            DnsMsg::ChangeBatch { .. } => 11,
            DnsMsg::ChangeCommitted(_) => 12,
            DnsMsg::ChangeRefused(..) => 13,
            DnsMsg::GetActivePlans => 14,
            DnsMsg::ActivePlans(_) => 15,
            DnsMsg::DeletePlans(_) => 16,
            DnsMsg::PlansDeleted => 17,
            DnsMsg::AcquireLease => 18,
            DnsMsg::LeaseGranted => 19,
            DnsMsg::LeaseBusy => 20,
            DnsMsg::ReleaseLease => 21,
            DnsMsg::LeaseReleased => 22,
            DnsMsg::RecordLastApplied(_) => 23,
            DnsMsg::LastAppliedRecorded => 24,
        },
        ActorModelAction::Timeout(_, timer) => match timer {
            DnsTimer::OperatorRepair => 25,
            DnsTimer::LockExpiry(_) => 26,
            DnsTimer::EnactorCrash(_) => 27,
            DnsTimer::LeaseExpiry => 28,
        },
        // The model's network is lossless, no actor crashes through stateright (a crash
        // is the `EnactorCrash` timer) and no actor draws at random.
        ActorModelAction::Drop(_)
        | ActorModelAction::Crash(_)
        | ActorModelAction::Recover(_)
        | ActorModelAction::SelectRandom { .. } => {
            unreachable!("the DNS model takes no such step")
        }
    };
    ACTION_KINDS[index]
}
