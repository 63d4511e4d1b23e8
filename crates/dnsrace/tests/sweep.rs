//! `dnsrace sweep` from the smallest race's scale: the exact smallest configurations, and
//! independent `check` runs that confirm what "smallest" claims.

mod common;

use common::{assert_rejected, dnsrace, verdict_table, RACE_PROPERTIES};

/// `dnsrace sweep ARGS` for the race's three safety properties: the smallest
/// configurations below are theirs, whatever properties are added to the registry.
fn sweep(args: &[&str]) -> common::Run {
    let mut all = vec!["sweep"];
    all.extend(args);
    all.extend(RACE_PROPERTIES);
    dnsrace(&all)
}

/// The table `dnsrace sweep smallest-race` prints: for each violated property, the
/// smallest Enactors / endpoints / generations, the shortest trace there, and the fewest
/// generations for clean-up thresholds 0 to 3.
const SMALLEST_RACE_SWEEP: &str = "\
variant               property                        Enactors  endpoints  generations  trace  K=0  K=1  K=2  K=3
as-built              endpoint record never empty            2          1            4     24    2    3    4    5
as-built              no older plan overwrites newer         2          1            2     18    2    2    2    2
as-built              active plan never deleted              2          1            4     24    2    3    4    5
recheck-freshness     endpoint record never empty            2          1            4     24    2    3    4    5
recheck-freshness     no older plan overwrites newer         2          1            2     18    2    2    2    2
recheck-freshness     active plan never deleted              2          1            4     24    2    3    4    5
cleanup-skips-active  endpoint record never empty            2          1            4     26    2    3    4    5
cleanup-skips-active  no older plan overwrites newer         2          1            2     18    2    2    2    2
cleanup-skips-active  active plan never deleted              2          1            4     26    2    3    4    5
guarded-delete        no older plan overwrites newer         2          1            2     18    2    2    2    2
global-lease          endpoint record never empty            2          1            4     29    2    3    4    5
global-lease          no older plan overwrites newer         2          1            2     23    2    2    2    2
global-lease          active plan never deleted              2          1            4     29    2    3    4    5
lease-after-pickup    no older plan overwrites newer         2          1            2     23    2    2    2    2
promela-fix           no older plan overwrites newer         2          1            2     14    2    2    2    2
";

#[test]
fn every_violation_of_the_smallest_race_has_its_smallest_configuration() {
    let run = sweep(&["smallest-race", "--threads", "2"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with(
            "Sweeping 12 variants of scenario \"smallest-race\" from 2 Enactors, 1 endpoint, \
             4 generations, clean-up threshold 2, operator repair off, freshness endpoint-alias, no faults.\n\n"
        ),
        "{run}"
    );
    let table: String = run
        .stdout
        .lines()
        .skip_while(|line| !line.starts_with("variant "))
        .take_while(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(table, SMALLEST_RACE_SWEEP, "{run}");
    for line in [
        "Nothing violated at this scale: recheck-under-lock, conditional-write, fenced-lease, \
         fenced-batches-only, recommended.",
        "Monotonicity spot check: one more Enactor, endpoint or generation than each smallest \
         configuration still shows the violation.",
    ] {
        assert!(
            run.stdout.contains(&format!("\n{line}\n")),
            "`{line}`\n{run}"
        );
    }
    assert!(!run.stdout.contains("bound"), "{run}");
}

#[test]
fn json_gives_the_smallest_configuration_and_the_fewest_generations() {
    let run = dnsrace(&[
        "sweep",
        "smallest-race",
        "--variant",
        "as-built",
        "--property",
        "endpoint record never empty",
        "--json",
    ]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1), "{run}");
    let finding = &json["findings"][0];
    assert_eq!(finding["variant"], "as-built");
    assert_eq!(finding["property"], "endpoint record never empty");
    assert_eq!(
        finding["smallest"],
        serde_json::json!({
            "enactors": 2,
            "endpoints": 1,
            "generations": 4,
            "cleanup_threshold": 2,
            "operator_repair": false,
            "repair": "repoint-alias",
            "freshness": "endpoint-alias",
            "lock_expiry": false,
            "enactor_crash": false,
        })
    );
    assert_eq!(finding["trace_states"], 24);
    let fewest: Vec<(u64, u64)> = finding["fewest_generations"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|entry| {
            (
                entry["cleanup_threshold"].as_u64().expect("a threshold"),
                entry["generations"].as_u64().expect("generations"),
            )
        })
        .collect();
    // The clean-up deletes a plan more than K generations older than the one applied:
    // the Planner must have published K + 2 plans before the race can empty the record.
    assert_eq!(fewest, [(0, 2), (1, 3), (2, 4), (3, 5)]);
    assert_eq!(
        finding["not_violated_one_step_above"],
        serde_json::json!([])
    );
    assert_eq!(json["not_violated"], serde_json::json!([]));
    assert_eq!(json["bounded"], false);
    assert_eq!(json["exit_code"], 0);
}

#[test]
fn a_variant_without_violations_has_nothing_to_sweep() {
    let run = sweep(&["smallest-race", "--variant", "recommended"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains(
            "\nNo variant violates a property at this scale: nothing to sweep.\n\
             Nothing violated at this scale: recommended.\n"
        ),
        "{run}"
    );
    let run = sweep(&["single-enactor", "--variant", "as-built", "--json"]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(json["not_violated"], serde_json::json!(["as-built"]));
}

/// The verdict `dnsrace check` gives `property` at the smallest race's scale with
/// `overrides`, with the trace length of a violation.
fn verdict(variant: &str, property: &str, overrides: &[&str]) -> String {
    let mut args = vec![
        "check",
        "smallest-race",
        "--variant",
        variant,
        "--property",
        property,
    ];
    args.extend(overrides);
    let run = dnsrace(&args);
    let table = verdict_table(&run.stdout);
    assert_eq!(table.len(), 1, "{run}");
    table[0].verdict.clone()
}

/// "Smallest" is checked, not assumed: at the smallest configuration the violation shows,
/// and one Enactor, endpoint or generation fewer it does not. One more of each still
/// shows it (the monotonicity the sweep relies on, at a few points).
#[test]
fn check_confirms_the_smallest_configurations() {
    let empty = "endpoint record never empty";
    assert_eq!(
        verdict("as-built", empty, &[]),
        "VIOLATED (trace of 24 states)"
    );
    assert_eq!(verdict("as-built", empty, &["--enactors", "1"]), "holds");
    assert_eq!(verdict("as-built", empty, &["--generations", "3"]), "holds");
    for more in [
        ["--enactors", "3"],
        ["--endpoints", "2"],
        ["--generations", "5"],
    ] {
        assert!(
            verdict("as-built", empty, &more).starts_with("VIOLATED"),
            "{more:?}"
        );
    }
    // Clean-up threshold 3 needs a fifth generation.
    let k3 = ["--cleanup-threshold", "3"];
    assert_eq!(verdict("as-built", empty, &k3), "holds");
    assert!(verdict(
        "as-built",
        empty,
        &[&k3[..], &["--generations", "5"]].concat()
    )
    .starts_with("VIOLATED"));

    let overwrite = "no older plan overwrites newer";
    let two = ["--generations", "2"];
    assert_eq!(
        verdict("promela-fix", overwrite, &two),
        "VIOLATED (trace of 14 states)"
    );
    assert_eq!(
        verdict("promela-fix", overwrite, &["--generations", "1"]),
        "holds"
    );
    assert_eq!(
        verdict(
            "promela-fix",
            overwrite,
            &[&two[..], &["--enactors", "1"]].concat()
        ),
        "holds"
    );
    assert_eq!(
        verdict("guarded-delete", overwrite, &two),
        "VIOLATED (trace of 18 states)"
    );
}

#[test]
fn bad_input_exits_2() {
    for (args, mention) in [
        (
            &["sweep", "smallest-race", "--property", "nope"][..],
            "endpoint record never empty",
        ),
        (
            &["sweep", "smallest-race", "--variant", "nope"][..],
            "as-built",
        ),
        (
            &["sweep", "smallest-race", "--generations", "0"][..],
            "--generations",
        ),
    ] {
        assert_rejected(args, &[mention]);
    }
}
