//! `docs/adding-a-property.md` cannot drift: its example is compiled here (the doc's two
//! Rust blocks are the two marked below, line for line) and checked beside the registry's
//! properties; and, in an ignored test, its steps are followed on a clone of the
//! workspace, whose whole test suite must then pass.

use dnsrace_checker::{check, CheckOptions, Verdict};
use dnsrace_core::{DescribedProperty, PropertyKind, Scenario};
use dynamodb_dns::{DnsModel, DnsState, DynamoDbDns, EnactorPhase, PropertySpec, PROPERTIES};

// doc block 1
fn at_most_one_enactor_cleans_up(model: &DnsModel, state: &DnsState) -> bool {
    model
        .enactor_phases(state)
        .filter(|(_, phase)| matches!(phase, EnactorPhase::CleaningUp { .. }))
        .count()
        <= 1
}
// end of doc block

const EXAMPLE: &[PropertySpec] = &[
    // doc block 2
    PropertySpec {
        name: "at most one enactor cleans up",
        description: "no two clean-ups run at the same time",
        kind: PropertyKind::Always,
        condition: at_most_one_enactor_cleans_up,
    },
    // end of doc block
];

/// The lines of each marked block of `source`, without their common indentation.
fn marked_blocks(source: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut lines = source.lines();
    while lines
        .by_ref()
        .any(|line| line.trim().starts_with("// doc block "))
    {
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|line| line.trim() != "// end of doc block")
            .collect();
        blocks.push(dedent(&block));
    }
    blocks
}

/// The ```rust blocks of `markdown`, without their common indentation.
fn rust_blocks(markdown: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while lines.by_ref().any(|line| line.trim() == "```rust") {
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|line| line.trim() != "```")
            .collect();
        blocks.push(dedent(&block));
    }
    blocks
}

fn dedent(lines: &[&str]) -> Vec<String> {
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| line.get(indent..).unwrap_or("").trim_end().to_string())
        .collect()
}

#[test]
fn the_docs_example_is_the_code_compiled_here() {
    let doc = include_str!("../../../docs/adding-a-property.md");
    let in_doc = rust_blocks(doc);
    let here = marked_blocks(include_str!("adding_a_property.rs"));
    assert_eq!(here.len(), 2, "two marked blocks in this file");
    assert_eq!(
        in_doc[..2],
        here[..],
        "docs/adding-a-property.md's steps 1 and 2 differ from this file's marked blocks"
    );
}

#[test]
fn the_added_property_gets_its_verdict_and_leaves_the_others_as_they_were() {
    let config = Scenario::builtin(&DynamoDbDns, "smallest-race")
        .unwrap()
        .unwrap()
        .config;
    let model = config.into_model();
    let registry: Vec<DescribedProperty<DnsModel>> =
        PROPERTIES.iter().map(PropertySpec::to_property).collect();
    let with_example: Vec<DescribedProperty<DnsModel>> = PROPERTIES
        .iter()
        .chain(EXAMPLE)
        .map(PropertySpec::to_property)
        .collect();
    let options = CheckOptions::default();
    let before = check(&model, &registry, &options);
    let after = check(&model, &with_example, &options);
    for (old, new) in before.properties.iter().zip(&after.properties) {
        assert_eq!(old.name, new.name);
        assert_eq!(old.verdict, new.verdict, "{}", old.name);
        assert_eq!(old.trace, new.trace, "{}: the shortest trace", old.name);
    }
    let added = after.properties.last().expect("the added property");
    assert_eq!(added.name, "at most one enactor cleans up");
    // What the doc says: two Enactors can clean up at once.
    assert_eq!(added.verdict, Verdict::Violated);
}

/// Follows the doc on a clone of the workspace's last commit: steps 1 and 2 (the two
/// blocks, inserted as the doc says), 5 (refresh the quoted output) and 6 (the whole
/// suite). Takes as long as a clean build and `cargo test --workspace`: `cargo test -p
/// dnsrace --test adding_a_property -- --ignored` (set `CARGO_TARGET_DIR` to reuse a
/// build).
#[test]
#[ignore = "builds and tests a clone of the workspace: ten minutes or more"]
fn following_the_doc_on_a_clone_leaves_every_test_green() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let clone = std::env::temp_dir().join(format!("dnsrace-adding-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&clone);
    run(
        root,
        "git",
        &["clone", "--quiet", ".", clone.to_str().unwrap()],
        &[],
    );

    let doc = std::fs::read_to_string(clone.join("docs/adding-a-property.md")).unwrap();
    let blocks = rust_blocks(&doc);
    let lib = clone.join("models/dynamodb-dns/src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    let registry = source
        .find("pub const PROPERTIES: &[PropertySpec] = &[")
        .expect("the registry");
    let end = registry
        + source[registry..]
            .find("\n];\n")
            .expect("the registry's end");
    let indented = |block: &[String], by: &str| -> String {
        block
            .iter()
            .map(|line| match line.is_empty() {
                true => "\n".to_string(),
                false => format!("{by}{line}\n"),
            })
            .collect()
    };
    // Step 2: the entry at the end of PROPERTIES; step 1: the condition after it.
    let edited = format!(
        "{}\n{}];\n\n{}{}",
        &source[..end],
        indented(&blocks[1], "    ").trim_end_matches('\n'),
        indented(&blocks[0], ""),
        &source[end + "\n];\n".len()..],
    );
    std::fs::write(&lib, edited).unwrap();

    let bless = [("DNSRACE_BLESS", "1")];
    run(
        &clone,
        "cargo",
        &["test", "-p", "dnsrace", "--test", "docs_output"],
        &bless,
    );
    run(&clone, "cargo", &["test", "--workspace"], &[]);
    let _ = std::fs::remove_dir_all(&clone);
}

/// Runs `program ARGS` in `dir`, inheriting stdout and stderr; panics unless it succeeds.
fn run(dir: &std::path::Path, program: &str, args: &[&str], env: &[(&str, &str)]) {
    let status = std::process::Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .unwrap_or_else(|error| panic!("cannot run {program}: {error}"));
    assert!(
        status.success(),
        "`{program} {}` in {} failed",
        args.join(" "),
        dir.display()
    );
}
