//! `dnsrace`: model-check the DynamoDB DNS race of October 2025 (and the models
//! registered beside it). See the library's documentation for the commands.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dnsrace::main_with(&[&dynamodb_dns::DynamoDbDns])
}
