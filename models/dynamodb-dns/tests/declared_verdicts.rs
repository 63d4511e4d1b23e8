//! Every scenario shipped with the model produces exactly the verdicts it declares. A
//! property a scenario does not declare (one just added to the registry, say) is checked
//! but not compared: `dnsrace check` reports it as undeclared.

use dnsrace_checker::{check_with_liveness, CheckOptions};
use dnsrace_core::{ModelDefinition, Presentation, Scenario};
use dynamodb_dns::DynamoDbDns;

#[test]
fn every_scenario_produces_the_verdicts_it_declares() {
    for (name, text) in DynamoDbDns.scenarios() {
        let scenario = Scenario::parse(&DynamoDbDns, name, text).unwrap();
        let model = scenario.config.into_model();
        // Liveness needs the whole graph: check it where the scenario declares it (the
        // small scenarios; the outage's takes minutes, see docs/performance.md).
        let liveness: Vec<_> = model
            .liveness_properties()
            .into_iter()
            .filter(|p| scenario.expected(p.name).is_some())
            .collect();
        let report = check_with_liveness(
            &model,
            &model.described_properties(),
            &liveness,
            &CheckOptions::default(),
        );
        let got: Vec<(&str, String)> = report
            .properties
            .iter()
            .filter(|result| scenario.expected(&result.name).is_some())
            .map(|result| (result.name.as_str(), result.verdict.to_string()))
            .collect();
        let declared: Vec<(&str, String)> = scenario
            .expect
            .iter()
            .map(|(property, verdict)| (*property, verdict.to_string()))
            .collect();
        assert_eq!(got, declared, "scenario {name}");
    }
}
