//! Scenario files: every shipped file is registered and parses, and every kind of bad
//! input is refused with a message that names the field and what is allowed.

use dnsrace_core::{Scenario, ScenarioError};
use dynamodb_dns::{DnsConfig, DynamoDbDns, Freshness, Repair, Variant, SCENARIOS};

fn parse(name: &str, text: &str) -> Result<Scenario<DnsConfig>, ScenarioError> {
    Scenario::parse(&DynamoDbDns, name, text)
}

#[test]
fn every_file_in_the_scenarios_folder_is_registered_and_parses() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut on_disk: Vec<String> = std::fs::read_dir(folder)
        .expect("scenarios folder exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut registered: Vec<String> = SCENARIOS.iter().map(|(n, _)| n.to_string()).collect();
    registered.sort();
    assert_eq!(on_disk, registered);
    for (name, text) in SCENARIOS {
        let scenario = parse(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!scenario.expect.is_empty(), "{name} declares no verdicts");
    }
}

#[test]
fn outage_is_the_default_configuration() {
    let outage = Scenario::builtin(&DynamoDbDns, "outage").unwrap().unwrap();
    assert_eq!(outage.config, DnsConfig::default());
}

#[test]
fn fields_left_out_take_their_documented_defaults() {
    let scenario = parse("t", "description = \"x\"\n[model]\nenactors = 2\n").unwrap();
    assert_eq!(
        scenario.config,
        DnsConfig {
            enactors: 2,
            ..DnsConfig::default()
        }
    );
}

fn error_of(text: &str) -> String {
    parse("bad", text).unwrap_err().to_string()
}

#[test]
fn an_unknown_field_is_named_with_the_allowed_ones() {
    let message = error_of("description = \"x\"\n[model]\nenactor = 2\n");
    assert!(message.contains("unknown field `enactor`"), "{message}");
    assert!(message.contains("`enactors`"), "{message}");
}

#[test]
fn a_value_out_of_range_names_the_field_and_the_range() {
    let error = parse("bad", "description = \"x\"\n[model]\nenactors = 9\n").unwrap_err();
    assert!(
        matches!(&error, ScenarioError::AtLine { line: 3, error, .. } if matches!(**error, ScenarioError::BadValue { .. })),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "line 3 (`enactors = 9`): field `model.enactors` is 9, but it must be a whole number from 1 to 5"
    );
}

#[test]
fn an_unknown_variant_lists_the_variants() {
    let message = error_of("description = \"x\"\n[model]\nvariant = \"quick-fix\"\n");
    assert!(
        message.contains("field `model.variant` is `quick-fix`"),
        "{message}"
    );
    assert!(message.contains("as-built"), "{message}");
}

#[test]
fn malformed_toml_is_a_syntax_error_with_a_position() {
    let message = error_of("description = \"x\"\n[model\n");
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn an_expectation_for_an_unknown_property_lists_the_properties() {
    let message = error_of("description = \"x\"\n[expect]\n\"record empty\" = \"holds\"\n");
    assert!(
        message.starts_with(
            "line 3 (`\"record empty\" = \"holds\"`): field `expect.\"record empty\"`: no such property"
        ),
        "{message}"
    );
    assert!(
        message.contains("\"endpoint record never empty\""),
        "{message}"
    );
}

#[test]
fn a_verdict_that_does_not_fit_the_property_says_what_fits() {
    let message =
        error_of("description = \"x\"\n[expect]\n\"clean-up deletes a plan\" = \"holds\"\n");
    assert_eq!(
        message,
        "line 3 (`\"clean-up deletes a plan\" = \"holds\"`): field `expect.\"clean-up deletes a plan\"` is \"holds\", but it must be \"reached\" or \"not reached\""
    );
}

#[test]
fn a_missing_description_is_refused() {
    let message = error_of("[model]\nenactors = 2\n");
    assert!(message.contains("missing field `description`"), "{message}");
}

#[test]
fn every_new_field_is_read_into_the_config() {
    let scenario = parse(
        "t",
        "description = \"x\"\n\
         [model]\n\
         operator_repair = true\n\
         repair = \"undelete-tree\"\n\
         freshness = \"last-applied-record\"\n\
         lock_expiry = true\n\
         enactor_crash = true\n\
         variant = \"fenced-batches-only\"\n",
    )
    .unwrap();
    assert_eq!(
        scenario.config,
        DnsConfig {
            operator_repair: true,
            repair: Repair::UndeleteTree,
            freshness: Freshness::LastAppliedRecord,
            lock_expiry: true,
            enactor_crash: true,
            variant: Variant::FencedBatchesOnly,
            ..DnsConfig::default()
        }
    );
    assert_eq!(scenario.story, None);
}

#[test]
fn every_new_variant_is_read_by_its_name() {
    for variant in [
        Variant::RecheckUnderLock,
        Variant::LeaseAfterPickup,
        Variant::FencedBatchesOnly,
    ] {
        let text = format!(
            "description = \"x\"\n[model]\nvariant = \"{}\"\n",
            variant.name()
        );
        let scenario = parse("t", &text).unwrap();
        assert_eq!(scenario.config.variant, variant);
    }
}

/// A scenario whose `[story]` section is `story`, with one beat of `steps` after it.
fn with_story(story: &str, steps: &str) -> String {
    format!(
        "description = \"x\"\n[story]\n{story}\n[[story.beats]]\ntitle = \"t\"\nsays = \"s\"\n\
         steps = {steps}\n"
    )
}

#[test]
fn a_story_is_read_beat_by_beat() {
    let text = with_story(
        "ends_violating = [\"endpoint record never empty\", \"always recoverable\"]",
        "[\"Planner produces generation 2\"]",
    );
    let story = parse("t", &text).unwrap().story.unwrap();
    assert_eq!(
        story.ends_violating,
        ["endpoint record never empty", "always recoverable"]
    );
    assert_eq!(story.steps(), [(0, "Planner produces generation 2")]);
}

#[test]
fn a_story_without_a_step_names_the_field() {
    let expected = "field `story.beats`: a story needs at least one step";
    assert_eq!(
        error_of("description = \"x\"\n[story]\nbeats = []\n"),
        expected
    );
    assert_eq!(error_of(&with_story("", "[]")), expected);
}

#[test]
fn a_story_may_not_end_violating_a_sometimes_property() {
    let message = error_of(&with_story(
        "ends_violating = [\"clean-up deletes a plan\"]",
        "[\"Planner produces generation 2\"]",
    ));
    let (named, allowed) = message
        .split_once("those are: ")
        .unwrap_or_else(|| panic!("the message lists no properties: {message}"));
    assert!(
        named.starts_with("field `story.ends_violating`: \"clean-up deletes a plan\""),
        "{message}"
    );
    for endable in [
        "\"endpoint record never empty\"",
        "\"no older plan overwrites newer\"",
        "\"active plan never deleted\"",
        "\"always recoverable\"",
    ] {
        assert!(allowed.contains(endable), "{message}");
    }
    assert!(!allowed.contains("clean-up deletes a plan"), "{message}");
}

#[test]
fn a_positional_array_or_a_table_for_a_parameter_is_refused() {
    let message = error_of("description = \"x\"\nmodel = [1, 1, 1, 0, true, \"recommended\"]\n");
    assert!(message.contains("field `model` is an array"), "{message}");
    let message = error_of("description = \"x\"\n[model]\nvariant = { guarded-delete = {} }\n");
    assert!(
        message.contains("field `model.variant` is a table"),
        "{message}"
    );
    assert!(message.contains("line 3"), "{message}");
}

#[test]
fn the_scale_leaves_the_variant_out() {
    use dnsrace_core::ModelDefinition;
    assert_eq!(
        DynamoDbDns.describe_scale(&DnsConfig::default()),
        "3 Enactors, 2 endpoints, 5 generations, clean-up threshold 2, operator repair off, \
         freshness endpoint-alias, no faults"
    );
}
