//! The smallest configuration in which the race empties an endpoint, and the ones just
//! below it, where the model itself (not a constant) says every safety property holds.

use dnsrace_checker::{check, CheckOptions, Completeness, Verdict};
use dnsrace_core::Scenario;
use dynamodb_dns::{DnsConfig, DynamoDbDns};

/// The three safety properties of the race, by name: what these tests are about (a
/// property added to the registry leaves them as they are).
const RACE_PROPERTIES: [&str; 3] = [
    "endpoint record never empty",
    "no older plan overwrites newer",
    "active plan never deleted",
];

/// The verdicts of [`RACE_PROPERTIES`], in that order.
fn safety_verdicts(config: DnsConfig) -> [Verdict; 3] {
    let model = config.into_model();
    let safety: Vec<_> = RACE_PROPERTIES
        .iter()
        .map(|name| {
            dynamodb_dns::property_spec(name)
                .unwrap_or_else(|| panic!("no property `{name}` in the registry"))
                .to_property()
        })
        .collect();
    let report = check(&model, &safety, &CheckOptions::default());
    if report
        .properties
        .iter()
        .all(|p| p.verdict != Verdict::Violated)
    {
        assert_eq!(report.completeness, Completeness::Exhaustive, "{config}");
    }
    std::array::from_fn(|index| {
        let result = &report.properties[index];
        assert_eq!(result.name, RACE_PROPERTIES[index]);
        result.verdict
    })
}

fn smallest_race() -> DnsConfig {
    Scenario::builtin(&DynamoDbDns, "smallest-race")
        .unwrap()
        .unwrap()
        .config
}

#[test]
fn the_smallest_race_violates_all_three_safety_properties() {
    assert_eq!(safety_verdicts(smallest_race()), [Verdict::Violated; 3]);
}

#[test]
fn one_enactor_alone_never_races() {
    let config = DnsConfig {
        enactors: 1,
        ..smallest_race()
    };
    assert_eq!(safety_verdicts(config), [Verdict::Holds; 3]);
}

#[test]
fn one_generation_fewer_and_the_clean_up_never_reaches_the_old_plan() {
    // The old plan can still overwrite a newer one, but it is never deleted.
    let config = DnsConfig {
        generations: smallest_race().generations - 1,
        ..smallest_race()
    };
    assert_eq!(
        safety_verdicts(config),
        [Verdict::Holds, Verdict::Violated, Verdict::Holds]
    );
}

#[test]
fn the_race_needs_exactly_threshold_plus_two_generations() {
    for cleanup_threshold in 0..=3 {
        let needed = cleanup_threshold + 2;
        for generations in 1..=needed {
            let config = DnsConfig {
                enactors: 2,
                endpoints: 1,
                generations,
                cleanup_threshold,
                ..DnsConfig::default()
            };
            let emptied = safety_verdicts(config)[0] == Verdict::Violated;
            assert_eq!(emptied, generations == needed, "{config}");
        }
    }
}
