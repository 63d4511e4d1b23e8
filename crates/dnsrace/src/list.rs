//! `dnsrace list`: what can be checked.

use std::fmt::Write;

use dynamodb_dns::{PropertyKind, Scenario, Variant, LIVENESS_PROPERTIES, PROPERTIES, SCENARIOS};

/// The listing of models, scenarios, properties and variants.
pub fn render() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Models:");
    let _ = writeln!(
        out,
        "  dynamodb-dns  DynamoDB's DNS automation in US-EAST-1, October 2025: Planner, plan store, Route 53, Enactors"
    );

    let _ = writeln!(out, "\nScenarios (dnsrace check NAME):");
    let width = SCENARIOS
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    for (name, text) in SCENARIOS {
        let summary = match Scenario::parse(name, text) {
            Ok(scenario) => scenario.config.to_string(),
            Err(error) => format!("(does not parse: {error})"),
        };
        let _ = writeln!(out, "  {name:width$}  {summary}");
    }

    let _ = writeln!(out, "\nProperties (dnsrace check --property NAME):");
    let width = PROPERTIES
        .iter()
        .map(|p| p.name.len())
        .chain(LIVENESS_PROPERTIES.iter().map(|p| p.name.len()))
        .max()
        .unwrap_or(0);
    for property in PROPERTIES {
        let kind = match property.kind {
            PropertyKind::Always => "always",
            PropertyKind::Sometimes => "sometimes",
        };
        let _ = writeln!(
            out,
            "  {:width$}  {kind:9}  {}",
            property.name, property.description
        );
    }

    let _ = writeln!(
        out,
        "\nLiveness properties (dnsrace check --liveness, or --property NAME):"
    );
    for property in LIVENESS_PROPERTIES {
        let _ = writeln!(
            out,
            "  {:width$}  {:11}  {}",
            property.name, property.kind, property.description
        );
    }

    let _ = writeln!(out, "\nVariants (dnsrace check --variant NAME):");
    let width = Variant::ALL
        .iter()
        .map(|v| v.name().len())
        .max()
        .unwrap_or(0);
    for variant in Variant::ALL {
        let _ = writeln!(
            out,
            "  {:width$}  {}",
            variant.name(),
            variant.description()
        );
    }
    out
}
