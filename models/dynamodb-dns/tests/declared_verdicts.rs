//! Every scenario shipped with the model produces exactly the verdicts it declares.

use dnsrace_checker::{check_with_liveness, CheckOptions, Verdict};
use dnsrace_core::Presentation;
use dynamodb_dns::{ExpectedVerdict, Scenario, SCENARIOS};

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Holds => ExpectedVerdict::Holds.name(),
        Verdict::Violated => ExpectedVerdict::Violated.name(),
        Verdict::Reached => ExpectedVerdict::Reached.name(),
        Verdict::NotReached => ExpectedVerdict::NotReached.name(),
        Verdict::Inconclusive => "inconclusive",
    }
}

#[test]
fn every_scenario_produces_the_verdicts_it_declares() {
    for (name, text) in SCENARIOS {
        let scenario = Scenario::parse(name, text).unwrap();
        let model = scenario.config.into_model();
        // Liveness needs the whole graph: check it where the scenario declares it (the
        // small scenarios; the outage's takes minutes, see docs/performance.md).
        let liveness: Vec<_> = model
            .liveness_properties()
            .into_iter()
            .filter(|p| scenario.expect.iter().any(|(name, _)| *name == p.name))
            .collect();
        let report = check_with_liveness(
            &model,
            &model.described_properties(),
            &liveness,
            &CheckOptions::default(),
        );
        let got: Vec<(&str, &str)> = report
            .properties
            .iter()
            .map(|result| (result.name.as_str(), verdict_name(result.verdict)))
            .collect();
        let declared: Vec<(&str, &str)> = scenario
            .expect
            .iter()
            .map(|(property, verdict)| (*property, verdict.name()))
            .collect();
        assert_eq!(got, declared, "scenario {name}");
    }
}
