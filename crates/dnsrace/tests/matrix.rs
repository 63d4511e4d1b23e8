//! `dnsrace matrix`: every variant's verdicts at the smallest race's scale are the ones
//! `variants.toml` declares; a differing cell is listed and exits 5; bad input exits 2;
//! the tables in `docs/fixes.md` are the matrix's output.

mod common;

use common::{all_properties, assert_rejected, dnsrace, workspace_root};
use dnsrace_core::{DeclaredVerdicts, ModelDefinition};
use dynamodb_dns::{DynamoDbDns, Variant};

/// The scale every test here runs at: each variant checks in about a second.
const SMALL: &str = "smallest-race";

/// Every property, in the registry's order (the matrix's column order).
fn properties() -> Vec<&'static str> {
    all_properties()
}

/// The declared verdict of `variant` for `property`, in the words cells use; `None` for a
/// property variants.toml declares nothing for (one added since: an undeclared cell).
fn declared(variant: Variant, property: &str) -> Option<String> {
    let declared = DeclaredVerdicts::of(&DynamoDbDns).expect("variants.toml parses");
    let context = DynamoDbDns.expectation_context(&DynamoDbDns.default_config());
    declared
        .verdict(&context, variant.name(), property)
        .map(|verdict| verdict.to_string())
}

/// Whether the matrix's output says every declared cell is its declared verdict: every
/// cell, or every declared one when variants.toml has nothing for a property added since.
fn every_declared_cell_matches(stdout: &str) -> bool {
    let undeclared = properties().iter().any(|p| {
        Variant::ALL
            .iter()
            .any(|variant| declared(*variant, p).is_none())
    });
    match undeclared {
        false => stdout.contains("\nEvery cell is the verdict variants.toml declares.\n"),
        true => stdout.contains(
            "\nEvery decided cell that variants.toml declares is its declared verdict.\n",
        ),
    }
}

/// A cell as printed, in the words of the JSON output.
fn verdict_word(cell: &str) -> &'static str {
    match cell {
        "holds" => "holds",
        "reached" => "reached",
        "NOT REACHED" => "not reached",
        "inconclusive" => "inconclusive",
        _ if cell.starts_with("VIOLATED (") && cell.ends_with(')') => "violated",
        _ => panic!("not a matrix cell: `{cell}`"),
    }
}

/// The rows of the text table: variant name, then every column as printed.
fn text_rows(stdout: &str) -> Vec<Vec<String>> {
    let mut lines = stdout.lines();
    let header = lines
        .by_ref()
        .find(|line| line.starts_with("variant "))
        .unwrap_or_else(|| panic!("no table in:\n{stdout}"));
    let columns: Vec<&str> = header.split_whitespace().collect();
    let mut expected_header = vec!["variant".to_string()];
    expected_header.extend((1..=properties().len()).map(|i| format!("P{i}")));
    expected_header.extend(["states".to_string(), "seconds".to_string()]);
    assert_eq!(columns, expected_header);
    lines
        .take_while(|line| !line.trim().is_empty())
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|cell| !cell.is_empty())
                .map(String::from)
                .collect()
        })
        .collect()
}

/// The rows of a Markdown table starting at its header line `| variant | …`.
fn markdown_rows(markdown: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = markdown
        .lines()
        .skip_while(|line| !line.starts_with("| variant |"));
    let split = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_string())
            .collect()
    };
    let header = split(lines.next().expect("a Markdown table"));
    let rule = lines.next().expect("a header rule");
    assert!(rule.starts_with("|---|"), "not a header rule: {rule}");
    let rows = lines
        .take_while(|line| line.starts_with('|'))
        .map(split)
        .collect();
    (header, rows)
}

/// Checks that `rows` (variant name, then one cell per property) are the declared
/// verdicts of every variant, in `Variant::ALL` order.
fn assert_rows_are_declared(rows: &[Vec<String>], run: &str) {
    let names: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    let all: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
    assert_eq!(names, all, "rows are the variants in order\n{run}");
    for (row, variant) in rows.iter().zip(Variant::ALL) {
        for (cell, property) in row[1..].iter().zip(properties()) {
            let word = verdict_word(cell);
            if let Some(declared) = declared(*variant, property) {
                assert_eq!(word, declared, "{} / {property}\n{run}", variant.name());
            }
        }
    }
}

#[test]
fn every_cell_at_the_smallest_race_scale_is_the_declared_verdict() {
    let run = dnsrace(&["matrix", SMALL, "--threads", "2"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with(
            "Checking 12 variants of scenario \"smallest-race\": 2 Enactors, 1 endpoint, \
             4 generations, clean-up threshold 2, operator repair off, freshness endpoint-alias, no faults.\n"
        ),
        "{run}"
    );
    for (index, property) in properties().iter().enumerate() {
        assert!(
            run.stdout
                .contains(&format!("P{:<3} {property}", index + 1)),
            "the legend names P{} `{property}`\n{run}",
            index + 1
        );
    }
    let rows = text_rows(&run.stdout);
    assert_rows_are_declared(
        &rows
            .iter()
            .map(|row| row[..=properties().len()].to_vec())
            .collect::<Vec<_>>(),
        &run.to_string(),
    );
    for row in &rows {
        let states = &row[properties().len() + 1];
        assert!(
            states.trim_end_matches('+').parse::<u64>().is_ok(),
            "a state count: `{states}`\n{run}"
        );
        let seconds = &row[properties().len() + 2];
        assert!(
            seconds.parse::<f64>().is_ok(),
            "seconds: `{seconds}`\n{run}"
        );
    }
    assert!(every_declared_cell_matches(&run.stdout), "{run}");
    assert!(
        run.stdout
            .lines()
            .last()
            .is_some_and(|line| line.starts_with("Finished in ")
                && line.ends_with("with 2 threads, one variant per thread.")),
        "{run}"
    );
}

/// Pins the cells the docs discuss: the published Promela fix lets an older plan
/// overwrite a newer one in 14 states, the race empties the record in 24.
#[test]
fn the_promela_fix_still_lets_an_older_plan_overwrite_a_newer() {
    let run = dnsrace(&["matrix", SMALL, "--json", "--threads", "2"]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let cell = |variant: &str, property: &str| -> serde_json::Value {
        json["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|row| row["variant"] == variant)
            .and_then(|row| {
                row["cells"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .find(|cell| cell["property"] == property)
                    .cloned()
            })
            .unwrap_or_else(|| panic!("no cell {variant} / {property}"))
    };
    let promela = cell("promela-fix", "no older plan overwrites newer");
    assert_eq!(promela["verdict"], "violated");
    assert_eq!(promela["trace_states"], 14);
    assert_eq!(
        cell("as-built", "endpoint record never empty")["trace_states"],
        24
    );
    assert_eq!(
        cell("recommended", "no older plan overwrites newer")["verdict"],
        "holds"
    );
    assert_eq!(
        cell("fenced-lease", "active plan never deleted")["verdict"],
        "holds"
    );
    assert_eq!(
        cell("global-lease", "active plan never deleted")["verdict"],
        "violated"
    );
}

#[test]
fn json_has_every_cell_with_its_declared_verdict() {
    let run = dnsrace(&["matrix", SMALL, "--json", "--threads", "2"]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["scenario"], SMALL);
    assert_eq!(json["config"]["enactors"], 2);
    assert_eq!(json["config"]["generations"], 4);
    assert_eq!(json["matches_declared_verdicts"], true);
    assert_eq!(json["differences"], serde_json::json!([]));
    assert_eq!(json["exit_code"], 0);
    let labels: Vec<&str> = json["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .map(|p| p["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(labels, properties());
    let rows = json["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), Variant::ALL.len());
    for (row, variant) in rows.iter().zip(Variant::ALL) {
        assert_eq!(row["variant"], variant.name());
        assert!(row["distinct_states"].as_u64().is_some_and(|n| n > 0));
        assert!(row["seconds"].as_f64().is_some());
        let cells = row["cells"].as_array().expect("cells");
        assert_eq!(cells.len(), properties().len());
        for (cell, property) in cells.iter().zip(properties()) {
            assert_eq!(cell["property"], property);
            match declared(*variant, property) {
                Some(declared) => {
                    assert_eq!(cell["verdict"], declared);
                    assert_eq!(cell["expected"], declared);
                    assert_eq!(cell["matches"], true);
                }
                None => {
                    assert_eq!(cell["expected"], serde_json::Value::Null);
                    assert_eq!(cell["matches"], false);
                }
            }
            assert_eq!(
                cell["trace_states"].is_u64(),
                cell["verdict"] == "violated" || cell["verdict"] == "reached",
                "{cell}"
            );
        }
    }
}

#[test]
fn markdown_has_the_full_names_no_timing_and_is_the_same_with_any_thread_count() {
    let one = dnsrace(&["matrix", SMALL, "--markdown", "--threads", "1"]);
    one.assert_code(0);
    let (header, rows) = markdown_rows(&one.stdout);
    let mut expected_header = vec!["variant"];
    expected_header.extend(properties());
    expected_header.push("distinct states");
    assert_eq!(header, expected_header, "{one}");
    assert_rows_are_declared(
        &rows
            .iter()
            .map(|row| row[..=properties().len()].to_vec())
            .collect::<Vec<_>>(),
        &one.to_string(),
    );
    for timing in ["seconds", "Finished in", "thread"] {
        assert!(!one.stdout.contains(timing), "`{timing}` in\n{one}");
    }
    let two = dnsrace(&["matrix", SMALL, "--markdown", "--threads", "2"]);
    two.assert_code(0);
    assert_eq!(one.stdout, two.stdout, "the output depends on the threads");
}

#[test]
fn property_selection_gives_one_column_per_chosen_property() {
    let run = dnsrace(&[
        "matrix",
        SMALL,
        "--markdown",
        "--property",
        "no older plan overwrites newer",
    ]);
    run.assert_code(0);
    let (header, rows) = markdown_rows(&run.stdout);
    assert_eq!(
        header,
        [
            "variant",
            "no older plan overwrites newer",
            "distinct states"
        ]
    );
    for (row, variant) in rows.iter().zip(Variant::ALL) {
        assert_eq!(
            Some(verdict_word(&row[1]).to_string()),
            declared(*variant, "no older plan overwrites newer")
        );
    }
}

/// With 3 generations and clean-up threshold 2, no plan is ever more than 2 generations
/// older than another, so the clean-up never deletes anything: the race cannot empty the
/// record, and every variant's declared "clean-up deletes a plan" is wrong at that scale.
#[test]
fn a_cell_that_differs_from_the_declared_verdict_is_listed_and_exits_5() {
    let run = dnsrace(&["matrix", SMALL, "--generations", "3", "--threads", "2"]);
    run.assert_code(5);
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|line| !line.ends_with(" from variants.toml:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .map(str::trim)
        .collect();
    assert!(
        run.stdout
            .contains("\n20 cells that differ from variants.toml:\n"),
        "{run}"
    );
    assert_eq!(listed.len(), 20, "{run}");
    for variant in Variant::ALL {
        let line = format!(
            "{} / clean-up deletes a plan: expected reached, got not reached",
            variant.name()
        );
        assert!(listed.contains(&line.as_str()), "`{line}` missing\n{run}");
    }
    for line in [
        "as-built / endpoint record never empty: expected violated, got holds",
        "as-built / active plan never deleted: expected violated, got holds",
        "global-lease / active plan never deleted: expected violated, got holds",
    ] {
        assert!(listed.contains(&line), "`{line}` missing\n{run}");
    }
    assert!(
        !listed.iter().any(|line| line.contains("no older plan")),
        "the overwrite needs only 2 generations\n{run}"
    );

    let json = dnsrace(&["matrix", SMALL, "--generations", "3", "--json"]);
    json.assert_code(5);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(json["matches_declared_verdicts"], false);
    assert_eq!(json["exit_code"], 5);
    assert_eq!(json["differences"].as_array().map(Vec::len), Some(20));
    assert_eq!(
        json["differences"][0],
        serde_json::json!({
            "variant": "as-built",
            "property": "endpoint record never empty",
            "expected": "violated",
            "got": "holds",
        })
    );
}

#[test]
fn bad_input_exits_2() {
    assert_rejected(
        &["matrix", SMALL, "--variant", "as-bilt"],
        &["--variant", "`as-bilt`", "as-built", "recommended"],
    );
    assert_rejected(
        &["matrix", SMALL, "--property", "no such property"],
        &["no such property", "endpoint record never empty"],
    );
    assert_rejected(&["matrix", SMALL, "--markdown", "--json"], &["--json"]);
    assert_rejected(
        &["matrix", SMALL, "--enactors", "9"],
        &["--enactors", "1 to 5"],
    );
    assert_rejected(
        &["matrix", "no-such-scenario"],
        &["no-such-scenario", "outage"],
    );
    assert_rejected(&["matrix", SMALL, "--threads", "300"], &["--threads"]);
}

// ---------------------------------------------------------------------------------------
// docs/fixes.md
// ---------------------------------------------------------------------------------------

fn fixes_doc() -> String {
    let path = workspace_root().join("docs/fixes.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of the ```text block of `doc` that quotes `$ dnsrace COMMAND`.
fn quoted_output(doc: &str, command: &str) -> String {
    let start = format!("$ dnsrace {command}");
    let mut lines = doc.lines().skip_while(|line| *line != start);
    assert!(lines.next().is_some(), "docs/fixes.md quotes no `{start}`");
    lines
        .take_while(|line| !line.starts_with("```") && !line.starts_with("$ dnsrace"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The small-scale table in the doc is exactly what `dnsrace matrix smallest-race
/// --markdown` prints now (`tests/docs_output.rs` checks every quoted run too; this one
/// also says which test to look at when the matrix changes).
#[test]
fn the_small_scale_table_in_the_docs_is_the_matrix_output() {
    let run = dnsrace(&["matrix", SMALL, "--markdown"]);
    run.assert_code(0);
    let quoted = quoted_output(&fixes_doc(), "matrix smallest-race --markdown");
    assert_eq!(
        quoted.trim_end(),
        run.stdout.trim_end(),
        "docs/fixes.md quotes a stale matrix: paste the output of `dnsrace matrix \
         smallest-race --markdown`"
    );
}

/// Every declared verdict of the `endpoint-alias` reading holds at the default scale:
/// exit 0 means every cell matches `variants.toml`. Takes more than forty minutes:
/// `cargo test --release -p dnsrace --test matrix -- --ignored default_scale_matrix`.
#[test]
#[ignore = "checks every variant at the default scale: more than forty minutes"]
fn the_default_scale_matrix_is_the_declared_verdicts() {
    let run = dnsrace(&["matrix", "--json", "--threads", "2"]);
    run.assert_code(0);
}

/// The same with liveness. Takes more than an hour: `cargo test --release -p dnsrace
/// --test matrix -- --ignored default_scale_with_liveness`.
#[test]
#[ignore = "checks every variant with liveness at the default scale: more than an hour"]
fn the_default_scale_with_liveness_is_the_declared_verdicts() {
    let run = dnsrace(&["matrix", "--liveness", "--json", "--threads", "2"]);
    run.assert_code(0);
}

/// The scale at which the tests hold the liveness verdicts: two endpoints, so that an
/// endpoint can be left behind on an older plan, and checks of seconds.
const TWO_ENDPOINTS: [&str; 7] = [
    SMALL,
    "--endpoints",
    "2",
    "--generations",
    "3",
    "--cleanup-threshold",
    "1",
];

/// `dnsrace matrix` at [`TWO_ENDPOINTS`] with liveness and `flags`: exit 0 means every
/// cell, liveness included, is the verdict variants.toml declares for those options.
fn assert_two_endpoint_matrix_is_declared(flags: &[&str]) -> serde_json::Value {
    let mut args = vec!["matrix"];
    args.extend(TWO_ENDPOINTS);
    args.extend(["--liveness", "--json", "--threads", "2"]);
    args.extend(flags);
    let run = dnsrace(&args);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["matches_declared_verdicts"], true, "{run}");
    let cells = json["rows"][0]["cells"].as_array().unwrap().len();
    let liveness = dynamodb_dns::LIVENESS_PROPERTIES.len();
    assert_eq!(
        cells,
        properties().len() + liveness,
        "every safety and reachability property, and {liveness} liveness\n{run}"
    );
    json
}

/// The verdict and trace length of one cell of a matrix's JSON.
fn cell(json: &serde_json::Value, variant: &str, property: &str) -> (String, Option<u64>) {
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["variant"] == variant)
        .unwrap_or_else(|| panic!("no row {variant}"));
    let cell = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|cell| cell["property"] == property)
        .unwrap_or_else(|| panic!("no cell {property}"));
    (
        cell["verdict"].as_str().unwrap().to_string(),
        cell["trace_states"].as_u64(),
    )
}

#[test]
fn with_liveness_at_two_endpoints_every_cell_is_declared_under_both_readings() {
    let alias = assert_two_endpoint_matrix_is_declared(&[]);
    // Regression: the docs once said guarded-delete and fenced-lease always recover. At
    // two endpoints neither does: fips is left behind, and only regional is checked.
    for (variant, states) in [("guarded-delete", 28), ("fenced-lease", 16)] {
        assert_eq!(
            cell(&alias, variant, "always recoverable"),
            ("violated".to_string(), Some(states)),
            "{variant}"
        );
    }
    let record = assert_two_endpoint_matrix_is_declared(&["--freshness", "last-applied-record"]);
    // The record reading turns the re-check under the lock into a re-read of stale data.
    assert_eq!(
        cell(
            &record,
            "recheck-under-lock",
            "no older plan overwrites newer"
        )
        .0,
        "violated"
    );
    assert_eq!(
        cell(
            &alias,
            "recheck-under-lock",
            "no older plan overwrites newer"
        )
        .0,
        "holds"
    );
}

#[test]
fn with_liveness_at_two_endpoints_every_cell_is_declared_with_each_fault() {
    assert_two_endpoint_matrix_is_declared(&["--lock-expiry"]);
    assert_two_endpoint_matrix_is_declared(&["--enactor-crash"]);
}

/// The two tables the tests above leave out, for their run time (a few minutes).
#[test]
#[ignore = "a few minutes: the record reading with each fault"]
fn with_liveness_at_two_endpoints_the_record_reading_with_each_fault_is_declared() {
    let reading = ["--freshness", "last-applied-record"];
    assert_two_endpoint_matrix_is_declared(&[reading[0], reading[1], "--lock-expiry"]);
    assert_two_endpoint_matrix_is_declared(&[reading[0], reading[1], "--enactor-crash"]);
}

#[test]
fn variant_checks_only_that_row() {
    let run = dnsrace(&["matrix", SMALL, "--variant", "recommended"]);
    run.assert_code(0);
    let rows = text_rows(&run.stdout);
    assert_eq!(rows.len(), 1, "{run}");
    assert_eq!(rows[0][0], "recommended", "{run}");
    assert!(run.stdout.starts_with("Checking 1 variant of"), "{run}");
}

#[test]
fn a_bounded_matrix_is_inconclusive_and_exits_3() {
    let run = dnsrace(&["matrix", SMALL, "--max-states", "100"]);
    run.assert_code(3);
    assert!(run.stdout.contains("\nInconclusive: "), "{run}");
    assert!(!run.stdout.contains("differ from variants.toml"), "{run}");
}
