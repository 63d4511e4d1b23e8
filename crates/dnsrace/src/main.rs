//! `dnsrace`: model-check the DynamoDB DNS race of October 2025, and the models
//! registered beside it. The commands live in the `dnsrace-cli` library; this binary is
//! its registry.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dnsrace_cli::main_with(&[
        &dynamodb_dns::DynamoDbDns,
        &dwfm_leases::DwfmLeases,
        &nlb_failover::NlbFailover,
        // The example of docs/adding-a-model.md, listed so that it can be tried here too.
        &own_model::StaleConfigWrite,
    ])
}
