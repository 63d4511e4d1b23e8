//! `dnsrace list`: what can be checked.

use std::fmt::Write;

use dynamodb_dns::{
    Freshness, PropertyKind, Repair, Scenario, Variant, FAULTS, LIVENESS_PROPERTIES, PROPERTIES,
    SCENARIOS,
};

/// The listing of models, scenarios, properties, variants, freshness readings, operator
/// repairs and faults.
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

    // Each reading's and repair's description says which one is the default.
    let _ = writeln!(
        out,
        "\nFreshness readings (dnsrace check --freshness READING, or freshness = \"READING\" in [model]):"
    );
    let names: Vec<_> = Freshness::ALL
        .iter()
        .map(|f| (f.name(), f.description()))
        .collect();
    write_named(&mut out, &names);

    let _ = writeln!(
        out,
        "\nOperator repairs (dnsrace check --operator-repair --repair HOW, or repair = \"HOW\" in [model] with operator_repair = true):"
    );
    let names: Vec<_> = Repair::ALL
        .iter()
        .map(|r| (r.name(), r.description()))
        .collect();
    write_named(&mut out, &names);

    let _ = writeln!(
        out,
        "\nFaults, off by default (dnsrace check --FLAG, or FIELD = true in [model]):"
    );
    let flags: Vec<String> = FAULTS.iter().map(|(field, _)| fault_flag(field)).collect();
    let flag_width = flags.iter().map(String::len).max().unwrap_or(0);
    let field_width = FAULTS
        .iter()
        .map(|(field, _)| field.len())
        .max()
        .unwrap_or(0);
    for (flag, (field, description)) in flags.iter().zip(FAULTS) {
        let _ = writeln!(
            out,
            "  {flag:flag_width$}  {field:field_width$}  {description}"
        );
    }
    out
}

/// Writes `name  description` lines, the names padded to one column.
fn write_named(out: &mut String, lines: &[(&str, &str)]) {
    let width = lines.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    for (name, description) in lines {
        let _ = writeln!(out, "  {name:width$}  {description}");
    }
}

/// The flag that turns on the fault whose scenario field is `field` (clap derives it
/// from the same name: `lock_expiry` is `--lock-expiry`).
fn fault_flag(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use clap::{Args, Command};

    use crate::model_args::ModelArgs;

    /// The long flags `dnsrace check` and the other model commands accept.
    fn model_flags() -> Vec<String> {
        ModelArgs::augment_args(Command::new("check"))
            .get_arguments()
            .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
            .collect()
    }

    #[test]
    fn every_flag_the_listing_names_exists() {
        let flags = model_flags();
        let listed = FAULTS
            .iter()
            .map(|(field, _)| fault_flag(field))
            .chain(["--freshness".to_string(), "--repair".to_string()]);
        for flag in listed {
            assert!(flags.contains(&flag), "`{flag}` is not a flag: {flags:?}");
        }
    }

    #[test]
    fn only_the_default_reading_and_repair_say_default() {
        let listing = render();
        let line = |name: &str| {
            listing
                .lines()
                .find(|line| line.split_whitespace().next() == Some(name))
                .unwrap_or_else(|| panic!("`{name}` is not listed:\n{listing}"))
        };
        for reading in Freshness::ALL {
            let default = *reading == Freshness::default();
            assert_eq!(
                line(reading.name()).ends_with("(default)"),
                default,
                "{reading:?}"
            );
        }
        for repair in Repair::ALL {
            let default = *repair == Repair::default();
            assert_eq!(
                line(repair.name()).ends_with("(default)"),
                default,
                "{repair:?}"
            );
        }
    }
}
