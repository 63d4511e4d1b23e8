//! A safety property of your own, checked against the DynamoDB DNS model with dnsrace's
//! engine and output, without touching the model crate.
//!
//! The property: **rollback record never dangles**. Each endpoint's rollback record is
//! the way back to the previous plan; if the clean-up deletes the plan it targets, a
//! rollback would point the endpoint at nothing. Is that possible in the system as built?
//!
//! ```text
//! cargo run --release -p custom-property
//! cargo run --release -p custom-property -- smallest-race --enactors 1 \
//!     --property "rollback record never dangles"
//! ```
//!
//! The steps are the same for any property: write a `fn(&DnsModel, &DnsState) -> bool`,
//! wrap it in a `DescribedProperty`, and hand the list to
//! `dnsrace_cli::check_main_with_properties`. The binary is then `dnsrace check` with your
//! properties beside the model's own: every flag of `check` works (a scenario, the
//! model's flags, `--property`, bounds, `--json`, `--trace-out`, `--liveness`).
//!
//! `dnsrace check` explores with symmetry reduction by default (one state per renaming
//! of the Enactors). A property must then treat the Enactors alike, as this one does;
//! one that names a particular Enactor needs `--symmetry off`.

use std::process::ExitCode;

use dnsrace_core::DescribedProperty;
use dynamodb_dns::{DnsModel, DnsState};

/// Every rollback record targets a plan that still exists.
pub fn rollback_record_never_dangles(model: &DnsModel, state: &DnsState) -> bool {
    let route53 = model.route53(state);
    route53
        .endpoints
        .iter()
        .all(|records| match records.rollback {
            Some(generation) => !route53.deleted_plans.contains(generation),
            None => true,
        })
}

/// Some rollback record targets a plan: the vacuity twin, so that "never dangles" cannot
/// pass in a model where no rollback record is ever written.
pub fn some_rollback_record_is_written(model: &DnsModel, state: &DnsState) -> bool {
    model
        .route53(state)
        .endpoints
        .iter()
        .any(|records| records.rollback.is_some())
}

/// The properties this example adds.
pub fn custom_properties() -> Vec<DescribedProperty<DnsModel>> {
    vec![
        DescribedProperty::always(
            "rollback record never dangles",
            "every rollback record targets a plan that still exists",
            rollback_record_never_dangles,
        ),
        DescribedProperty::sometimes(
            "some rollback record is written",
            "some endpoint's rollback record targets a plan",
            some_rollback_record_is_written,
        ),
    ]
}

fn main() -> ExitCode {
    dnsrace_cli::check_main_with_properties(&dynamodb_dns::DynamoDbDns, custom_properties())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dnsrace_checker::{check, CheckOptions, Verdict};
    use dynamodb_dns::DnsConfig;

    fn verdicts(config: DnsConfig) -> Vec<(String, Verdict)> {
        check(
            &config.into_model(),
            &custom_properties(),
            &CheckOptions::default(),
        )
        .properties
        .into_iter()
        .map(|result| (result.name, result.verdict))
        .collect()
    }

    fn expected(dangles: Verdict) -> Vec<(String, Verdict)> {
        vec![
            ("rollback record never dangles".to_string(), dangles),
            (
                "some rollback record is written".to_string(),
                Verdict::Reached,
            ),
        ]
    }

    #[test]
    fn the_outage_configuration_leaves_a_rollback_record_dangling() {
        assert_eq!(verdicts(DnsConfig::default()), expected(Verdict::Violated));
    }

    #[test]
    fn no_race_is_needed_one_enactor_that_skips_generations_is_enough() {
        let one_enactor = DnsConfig {
            enactors: 1,
            ..DnsConfig::default()
        };
        assert_eq!(verdicts(one_enactor), expected(Verdict::Violated));
    }

    #[test]
    fn a_clean_up_that_never_reaches_the_rollback_target_keeps_it() {
        let patient_cleanup = DnsConfig {
            enactors: 2,
            cleanup_threshold: 7,
            ..DnsConfig::default()
        };
        assert_eq!(verdicts(patient_cleanup), expected(Verdict::Holds));
    }
}
