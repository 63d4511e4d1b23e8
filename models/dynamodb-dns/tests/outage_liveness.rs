//! The acceptance run of the liveness properties on the outage scenario: "always
//! recoverable" is violated by a trace that ends in the stuck state, "eventually
//! converges" by a lasso. It explores 13.7 million symmetry classes exhaustively (minutes
//! on 2 cores, see docs/performance.md), so it only runs when asked:
//! `cargo test --release -p dynamodb-dns --test outage_liveness -- --ignored`.

use dnsrace_checker::{check_with_liveness, CheckOptions, Verdict};
use dnsrace_core::Presentation;
use dynamodb_dns::DnsConfig;

#[test]
#[ignore = "explores the whole outage state graph: minutes"]
fn the_outage_is_stuck_and_never_converges() {
    let model = DnsConfig::default().into_model();
    let report = check_with_liveness(
        &model,
        &[],
        &model.liveness_properties(),
        &CheckOptions {
            symmetry: true,
            ..CheckOptions::default()
        },
    );
    let recoverable = &report.properties[0];
    assert_eq!(recoverable.name, "always recoverable");
    assert_eq!(recoverable.verdict, Verdict::Violated);
    let stuck = recoverable.trace.as_ref().unwrap();
    // The same 28 states as the emptied-endpoint counterexample: the stuck state is the
    // one where the clean-up deletes the plan the regional alias targets.
    assert_eq!(stuck.len(), 28);
    assert!(stuck.states[27]
        .action
        .contains("now resolves to no address"));
    let converges = &report.properties[1];
    assert_eq!(converges.verdict, Verdict::Violated);
    let lasso = converges.trace.as_ref().unwrap();
    assert!(lasso.loop_start.is_some_and(|start| start < lasso.len()));
    assert_eq!(report.exit_code(), 13);
}
