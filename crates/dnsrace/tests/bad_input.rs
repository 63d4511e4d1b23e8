//! Every bad input (name, flag, value, scenario file) exits 2 with one `error:` message on stderr that names it and what is allowed.

mod common;

use std::path::PathBuf;

use common::{assert_rejected, safety_properties, sometimes_properties, SCENARIOS};

/// A scenario file in the temporary directory, removed when dropped.
struct TempScenario {
    path: PathBuf,
}

impl TempScenario {
    /// Writes `text` to a file whose name includes the process id and `label`.
    fn new(label: &str, text: &str) -> TempScenario {
        let path = std::env::temp_dir().join(format!(
            "dnsrace-bad-input-{}-{label}.toml",
            std::process::id()
        ));
        std::fs::write(&path, text).expect("the temporary directory is writable");
        TempScenario { path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("the temporary path is UTF-8")
    }
}

impl Drop for TempScenario {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[test]
fn unknown_scenario_name_lists_the_scenarios() {
    let mut mentions = vec!["`no-such-scenario`"];
    mentions.extend(SCENARIOS);
    assert_rejected(&["check", "no-such-scenario"], &mentions);
}

#[test]
fn unknown_property_lists_the_properties() {
    let mut mentions = vec!["--property", "\"no such property\""];
    mentions.extend(safety_properties());
    mentions.extend(sometimes_properties());
    assert_rejected(
        &["check", "smallest-race", "--property", "no such property"],
        &mentions,
    );
}

#[test]
fn unknown_property_is_rejected_even_next_to_known_ones() {
    assert_rejected(
        &[
            "check",
            "smallest-race",
            "--property",
            "endpoint record never empty",
            "--property",
            "Endpoint Record Never Empty",
        ],
        &["--property", "\"Endpoint Record Never Empty\""],
    );
}

#[test]
fn unknown_variant_lists_the_variants() {
    assert_rejected(
        &["check", "smallest-race", "--variant", "fixed"],
        &["--variant", "`fixed`", "as-built"],
    );
}

#[test]
fn enactors_above_the_range_names_the_flag_and_the_range() {
    assert_rejected(
        &["check", "smallest-race", "--enactors", "9"],
        &["--enactors", "9", "from 1 to 5"],
    );
}

#[test]
fn zero_enactors_names_the_flag_and_the_range() {
    assert_rejected(
        &["check", "smallest-race", "--enactors", "0"],
        &["--enactors", "0", "from 1 to 5"],
    );
}

#[test]
fn generations_above_the_range_names_the_flag_and_the_range() {
    assert_rejected(
        &["check", "smallest-race", "--generations", "9"],
        &["--generations", "9", "from 1 to 8"],
    );
}

#[test]
fn endpoints_above_the_range_names_the_flag_and_the_range() {
    assert_rejected(
        &["check", "smallest-race", "--endpoints", "5"],
        &["--endpoints", "5", "from 1 to 4"],
    );
}

#[test]
fn cleanup_threshold_above_the_range_names_the_flag_and_the_range() {
    assert_rejected(
        &["check", "smallest-race", "--cleanup-threshold", "8"],
        &["--cleanup-threshold", "8", "from 0 to 7"],
    );
}

#[test]
fn negative_values_name_the_flag_and_the_range() {
    assert_rejected(
        &["check", "smallest-race", "--enactors", "-1"],
        &["--enactors", "-1", "from 1 to 5"],
    );
    assert_rejected(
        &["check", "smallest-race", "--cleanup-threshold=-2"],
        &["--cleanup-threshold", "-2", "from 0 to 7"],
    );
}

#[test]
fn non_numeric_model_value_names_the_flag() {
    assert_rejected(
        &["check", "smallest-race", "--enactors", "three"],
        &["--enactors", "three"],
    );
}

#[test]
fn missing_scenario_file_names_the_path() {
    let path = std::env::temp_dir().join(format!(
        "dnsrace-bad-input-{}-does-not-exist.toml",
        std::process::id()
    ));
    let path = path.to_str().expect("the temporary path is UTF-8");
    assert_rejected(&["check", path], &[path]);
}

#[test]
fn malformed_toml_names_the_file_and_the_line() {
    let file = TempScenario::new("malformed", "description = \"x\"\n[model\nenactors = 2\n");
    assert_rejected(&["check", file.path()], &[file.path(), "line 2"]);
}

#[test]
fn unknown_model_field_names_the_field_and_the_allowed_ones() {
    let file = TempScenario::new(
        "unknown-model-field",
        "description = \"x\"\n[model]\nenactorz = 2\n",
    );
    assert_rejected(
        &["check", file.path()],
        &[
            file.path(),
            "enactorz",
            "enactors",
            "endpoints",
            "generations",
            "cleanup_threshold",
            "operator_repair",
            "repair",
            "freshness",
            "lock_expiry",
            "enactor_crash",
            "variant",
        ],
    );
}

#[test]
fn unknown_top_level_field_names_the_field_and_the_allowed_ones() {
    let file = TempScenario::new("unknown-top-field", "description = \"x\"\nmodle = 1\n");
    assert_rejected(
        &["check", file.path()],
        &[file.path(), "modle", "description", "model", "expect"],
    );
}

#[test]
fn missing_description_names_the_field() {
    let file = TempScenario::new("no-description", "[model]\nenactors = 2\n");
    assert_rejected(&["check", file.path()], &[file.path(), "description"]);
}

#[test]
fn model_value_out_of_range_in_a_file_names_the_field_and_the_range() {
    let file = TempScenario::new(
        "out-of-range",
        "description = \"x\"\n[model]\nenactors = 7\n",
    );
    assert_rejected(
        &["check", file.path()],
        &[file.path(), "model.enactors", "7", "from 1 to 5"],
    );
}

#[test]
fn model_value_of_the_wrong_type_in_a_file_names_the_field() {
    let file = TempScenario::new(
        "wrong-type",
        "description = \"x\"\n[model]\ngenerations = \"five\"\n",
    );
    assert_rejected(&["check", file.path()], &[file.path(), "generations"]);
}

#[test]
fn unknown_variant_in_a_file_lists_the_variants() {
    let file = TempScenario::new(
        "unknown-variant",
        "description = \"x\"\n[model]\nvariant = \"fixed\"\n",
    );
    assert_rejected(&["check", file.path()], &[file.path(), "fixed", "as-built"]);
}

#[test]
fn expect_naming_an_unknown_property_lists_the_properties() {
    let file = TempScenario::new(
        "unknown-expect",
        "description = \"x\"\n[expect]\n\"no such property\" = \"holds\"\n",
    );
    let mut mentions = vec![file.path(), "no such property"];
    mentions.extend(safety_properties());
    mentions.extend(sometimes_properties());
    assert_rejected(&["check", file.path()], &mentions);
}

#[test]
fn expect_with_a_verdict_that_does_not_fit_the_property_lists_the_verdicts() {
    let file = TempScenario::new(
        "bad-verdict",
        "description = \"x\"\n[expect]\n\"endpoint record never empty\" = \"reached\"\n",
    );
    assert_rejected(
        &["check", file.path()],
        &[
            file.path(),
            "endpoint record never empty",
            "\"reached\"",
            "\"holds\" or \"violated\"",
        ],
    );
}

#[test]
fn a_directory_is_not_a_scenario_file() {
    let dir = std::env::temp_dir();
    let dir = format!("{}/", dir.to_str().expect("the temporary path is UTF-8"));
    assert_rejected(&["check", &dir], &[&dir]);
}

#[test]
fn bad_timeout_values_name_the_flag_and_the_units() {
    for value in ["soon", "0", "5x", "1.5x", "2y"] {
        assert_rejected(
            &["check", "smallest-race", "--timeout", value],
            &["--timeout", value, "seconds", "minutes", "hours"],
        );
    }
}

#[test]
fn timeout_too_large_to_represent_is_a_usage_error_not_a_panic() {
    for value in ["600000000000000000000", "99999999999999999999h"] {
        assert_rejected(
            &["check", "smallest-race", "--timeout", value],
            &["--timeout", value],
        );
    }
}

#[test]
fn non_numeric_max_states_names_the_flag() {
    assert_rejected(
        &["check", "smallest-race", "--max-states", "lots"],
        &["--max-states", "lots"],
    );
}

#[test]
fn non_numeric_max_depth_names_the_flag() {
    assert_rejected(
        &["check", "smallest-race", "--max-depth", "deep"],
        &["--max-depth", "deep"],
    );
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    assert_rejected(&["frobnicate"], &["frobnicate"]);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    assert_rejected(
        &["check", "smallest-race", "--frobnicate"],
        &["--frobnicate"],
    );
}

#[test]
fn bad_input_with_json_prints_no_json() {
    assert_rejected(
        &["check", "--json", "no-such-scenario"],
        &["no-such-scenario"],
    );
    assert_rejected(
        &["check", "--json", "smallest-race", "--enactors", "9"],
        &["--enactors"],
    );
}

#[test]
fn unknown_freshness_reading_lists_the_readings() {
    assert_rejected(
        &["check", "smallest-race", "--freshness", "bogus"],
        &[
            "--freshness",
            "`bogus`",
            "endpoint-alias",
            "last-applied-record",
        ],
    );
}

#[test]
fn unknown_repair_lists_the_repairs() {
    assert_rejected(
        &[
            "check",
            "smallest-race",
            "--operator-repair",
            "--repair",
            "bogus",
        ],
        &["--repair", "`bogus`", "repoint-alias", "undelete-tree"],
    );
}

#[test]
fn a_huge_freshness_or_repair_value_is_quoted_short() {
    let huge = "x".repeat(100_000);
    for flag in ["--freshness", "--repair"] {
        let run = assert_rejected(&["check", "smallest-race", flag, &huge], &[flag]);
        assert!(
            run.stderr.len() < 1_000,
            "{flag}: a {}-byte message for a 100,000-character value",
            run.stderr.len()
        );
        assert!(run.stderr.contains("(100000 characters)"), "{run}");
    }
}

#[test]
fn unknown_freshness_in_a_file_names_the_field_and_lists_the_readings() {
    let file = TempScenario::new(
        "unknown-freshness",
        "description = \"x\"\n[model]\nfreshness = \"bogus\"\n",
    );
    assert_rejected(
        &["check", file.path()],
        &[
            file.path(),
            "line 3",
            "freshness",
            "`bogus`",
            "endpoint-alias",
            "last-applied-record",
        ],
    );
}

#[test]
fn new_model_fields_of_the_wrong_type_in_a_file_name_the_field() {
    // The field is named in the quoted line of the file, the problem under it.
    for (label, line, field, problem) in [
        ("repair-number", "repair = 3", "repair", None),
        (
            "lock-expiry-string",
            "lock_expiry = \"yes\"",
            "lock_expiry",
            Some("true or false"),
        ),
        (
            "enactor-crash-number",
            "enactor_crash = 1",
            "enactor_crash",
            Some("true or false"),
        ),
    ] {
        let file = TempScenario::new(label, &format!("description = \"x\"\n[model]\n{line}\n"));
        let mut mentions = vec![file.path(), "line 3", line, field];
        mentions.extend(problem);
        assert_rejected(&["check", file.path()], &mentions);
    }
}

/// Regression: with stderr on `/dev/full`, the message cannot be written, and writing it
/// used to panic and exit 101 (the code of a crash) instead of 2.
#[test]
fn an_unwritable_stderr_keeps_the_usage_exit_code() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux: no /dev/full to write to
    };
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dnsrace"))
        .args(["check", "--variant", "nope"])
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .expect("dnsrace runs");
    assert_eq!(status.code(), Some(2));
}

/// `--timeout` takes the compound durations people type, and whole seconds.
#[test]
fn compound_timeouts_are_read_as_people_write_them() {
    for value in ["10m30s", "1h 5m", "90", "60000ms"] {
        let run = common::dnsrace(&["check", "smallest-race", "--timeout", value]);
        run.assert_code(12);
    }
}
