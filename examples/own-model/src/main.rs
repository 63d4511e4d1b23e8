//! `own-model`: the whole dnsrace command line (check, explore, matrix, sweep, list, the
//! exports) on the stale-config-write model, from one line of `main`.

fn main() -> std::process::ExitCode {
    dnsrace_cli::main_with(&[&own_model::StaleConfigWrite])
}
