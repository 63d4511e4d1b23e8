//! Output quoted in `README.md` and `docs/*.md` (```text blocks starting with `$ dnsrace …`) is what dnsrace prints.
//!
//! A quoted run is a fenced block with the info string `text` whose first line is
//! `$ dnsrace ARGS` and whose following lines are the expected stdout. A block may hold
//! several runs, each starting with a `$ dnsrace` line; a command line ending in `\`
//! continues on the next line. Arguments are split like a shell does (double and single
//! quotes, backslash escapes) but nothing is expanded: pipes, redirections and variables
//! are refused. Lines starting with `Finished in` (timing) and trailing whitespace are
//! ignored on both sides. Commands run from the workspace root.

mod common;

use std::path::Path;

use common::{dnsrace, workspace_root};

/// One quoted run: a command and the stdout the doc says it prints.
#[derive(Debug, PartialEq, Eq)]
struct Example {
    /// The 1-based line of the `$ dnsrace` line in the doc.
    line: usize,
    /// The command as written, without the `$ `.
    command: String,
    /// The arguments after `dnsrace`, split like a shell does.
    args: Vec<String>,
    /// The expected stdout, each line with its 1-based line number in the doc.
    expected: Vec<(usize, String)>,
    /// The 1-based line of the block's closing fence (or the end of the doc).
    end: usize,
    /// The lines that hold the quoted output, 1-based, `start..end`: what blessing
    /// replaces.
    output: std::ops::Range<usize>,
    /// The block's indentation, which blessing puts back.
    indent: usize,
}

/// The quoted runs of `markdown`. `file` names it in error messages.
fn examples(file: &str, markdown: &str) -> Result<Vec<Example>, String> {
    let mut found = Vec::new();
    let mut lines = markdown.lines().enumerate().map(|(i, line)| (i + 1, line));
    while let Some((_, line)) = lines.next() {
        let Some(fence) = Fence::open(line) else {
            continue;
        };
        let mut body = Vec::new();
        let mut end = markdown.lines().count();
        for (number, line) in lines.by_ref() {
            if fence.closes(line) {
                end = number;
                break;
            }
            body.push((number, fence.strip_indent(line)));
        }
        if fence.info.split_whitespace().next() == Some("text") {
            found.extend(examples_in_block(file, &body, end, fence.indent)?);
        }
    }
    Ok(found)
}

/// A code fence: ``` or ~~~, at least three, with an info string.
struct Fence {
    marker: char,
    length: usize,
    indent: usize,
    info: String,
}

impl Fence {
    fn open(line: &str) -> Option<Fence> {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let length = trimmed.chars().take_while(|c| *c == marker).count();
        if indent > 3 || length < 3 {
            return None;
        }
        let info = trimmed[length..].trim().to_string();
        if marker == '`' && info.contains('`') {
            return None;
        }
        Some(Fence {
            marker,
            length,
            indent,
            info,
        })
    }

    fn closes(&self, line: &str) -> bool {
        let trimmed = line.trim();
        trimmed.len() >= self.length && trimmed.chars().all(|c| c == self.marker)
    }

    fn strip_indent<'a>(&self, line: &'a str) -> &'a str {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        &line[spaces.min(self.indent)..]
    }
}

/// Whether `line` starts a quoted run.
fn is_command(line: &str) -> bool {
    line == "$ dnsrace" || line.starts_with("$ dnsrace ")
}

/// The runs of one `text` block: none unless its first line is a `$ dnsrace` command.
fn examples_in_block(
    file: &str,
    body: &[(usize, &str)],
    end: usize,
    indent: usize,
) -> Result<Vec<Example>, String> {
    let mut found = Vec::new();
    if !body.first().is_some_and(|(_, line)| is_command(line)) {
        return Ok(found);
    }
    let mut rest = body.iter().copied().peekable();
    while let Some((line, first)) = rest.next() {
        let mut command = first["$ ".len()..].trim_end().to_string();
        let mut last_command_line = line;
        while command.ends_with('\\') {
            command.pop();
            let (number, next) = rest.next().ok_or_else(|| {
                format!("{file}:{line}: the command ends in `\\` at the end of the block")
            })?;
            last_command_line = number;
            command.push(' ');
            command.push_str(next.trim());
        }
        let mut words = split_shell(&command)
            .map_err(|error| format!("{file}:{line}: `{command}`: {error}"))?;
        assert_eq!(words.remove(0), "dnsrace");
        let mut expected = Vec::new();
        while let Some((number, text)) = rest.next_if(|(_, text)| !is_command(text)) {
            expected.push((number, text.to_string()));
        }
        let output_end = rest.peek().map_or(end, |(number, _)| *number);
        found.push(Example {
            line,
            command,
            args: words,
            expected,
            end,
            output: last_command_line + 1..output_end,
            indent,
        });
    }
    Ok(found)
}

/// Splits `command` into words like a POSIX shell, without expanding anything: double
/// quotes (with `\"`, `\\`, `` \` `` and `\$` escapes), single quotes, and backslash
/// escapes outside quotes. Shell syntax that would need a shell (pipes, redirections,
/// `;`, `&`, variables, command substitution, globs) is an error.
fn split_shell(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '"' => {
                let word = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        None => return Err("unbalanced double quote".into()),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped @ ('"' | '\\' | '`' | '$')) => word.push(escaped),
                            Some(other) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => return Err("unbalanced double quote".into()),
                        },
                        Some(c @ ('$' | '`')) => {
                            return Err(format!("`{c}` inside double quotes needs a shell"))
                        }
                        Some(other) => word.push(other),
                    }
                }
            }
            '\'' => {
                let word = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        None => return Err("unbalanced single quote".into()),
                        Some('\'') => break,
                        Some(other) => word.push(other),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                None => return Err("a `\\` ends the command".into()),
            },
            '|' | '>' | '<' | ';' | '&' | '$' | '`' | '(' | ')' | '*' | '?' | '#' => {
                return Err(format!(
                    "`{c}` needs a shell; quote it or show only what dnsrace itself prints"
                ))
            }
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    if words.first().map(String::as_str) != Some("dnsrace") {
        return Err("the command must start with `dnsrace`".into());
    }
    Ok(words)
}

/// The lines that are compared: without `Finished in` lines, trailing whitespace, and
/// trailing blank lines.
fn comparable<'a>(lines: impl Iterator<Item = (usize, &'a str)>) -> Vec<(usize, &'a str)> {
    let mut kept: Vec<(usize, &str)> = lines
        .filter(|(_, line)| !line.starts_with("Finished in"))
        .map(|(number, line)| (number, line.trim_end()))
        .collect();
    while kept.last().is_some_and(|(_, line)| line.is_empty()) {
        kept.pop();
    }
    kept
}

/// Compares what the doc quotes for `example` with `stdout`; the error names the doc
/// file, its line, and the first differing line.
/// A line of exactly this text in quoted output stands for any number of printed lines,
/// so that a doc can quote the beginning and the end of a long output.
const ELISION: &str = "...";

fn compare(file: &str, example: &Example, stdout: &str) -> Result<(), String> {
    let expected = comparable(example.expected.iter().map(|(n, line)| (*n, line.as_str())));
    let actual = comparable(stdout.lines().enumerate().map(|(i, line)| (i + 1, line)));
    let mut printed_index = 0;
    let mut index = 0;
    while index < expected.len().max(1) || printed_index < actual.len() {
        if let Some((_, ELISION)) = expected.get(index) {
            // Skip printed lines up to the next quoted one (or to the end).
            match expected.get(index + 1) {
                None => return Ok(()),
                Some((_, next)) => {
                    while actual.get(printed_index).is_some_and(|(_, t)| t != next) {
                        printed_index += 1;
                    }
                }
            }
            index += 1;
            continue;
        }
        let (doc_line, doc_text) = match expected.get(index) {
            Some((number, text)) => (*number, Some(*text)),
            None => (example.end, None),
        };
        let printed = actual.get(printed_index).map(|(_, text)| *text);
        if doc_text.is_none() && printed.is_none() {
            return Ok(());
        }
        if doc_text != printed {
            return Err(format!(
                "{file}:{doc_line}: `$ {}` prints something else: first differing line (output \
                 line {}):\n  the doc says:     {}\n  dnsrace prints:  {}",
                example.command,
                actual
                    .get(printed_index)
                    .map_or(stdout.lines().count() + 1, |(n, _)| *n),
                doc_text.map_or(
                    "(nothing: the quoted output ends here)".to_string(),
                    |t| format!("{t:?}")
                ),
                printed.map_or("(nothing: the output ends here)".to_string(), |t| format!(
                    "{t:?}"
                )),
            ));
        }
        index += 1;
        printed_index += 1;
    }
    Ok(())
}

/// Runs `example` and compares its stdout with the doc.
fn check_example(file: &str, example: &Example) -> Result<(), String> {
    check_run(file, example, &dnsrace(&example.args))
}

/// Compares `run` of `example` with the doc.
fn check_run(file: &str, example: &Example, run: &common::Run) -> Result<(), String> {
    if run.stderr.contains("panicked") {
        return Err(format!(
            "{file}:{}: `$ {}` panicked:\n{}",
            example.line, example.command, run.stderr
        ));
    }
    compare(file, example, &run.stdout)
}

/// `README.md` and every `docs/*.md` of the workspace, with their paths relative to the
/// workspace root.
fn doc_files() -> Vec<(String, String)> {
    let root = workspace_root();
    let mut paths = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        let mut docs: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        docs.sort();
        paths.extend(docs);
    }
    paths
        .into_iter()
        .filter(|path| path.is_file())
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            let name = path
                .strip_prefix(&root)
                .unwrap_or(Path::new(&path))
                .display()
                .to_string();
            (name, text)
        })
        .collect()
}

/// Set to rewrite every out-of-date quoted run with what dnsrace prints now. A quote
/// that elides lines with `...` keeps its elisions: each quoted stretch is rewritten from
/// where its first line is printed to where its last line is (the last stretch to the end
/// of the output). Review the diff, and the prose beside it, before committing.
const BLESS: &str = "DNSRACE_BLESS";

#[test]
fn output_quoted_in_the_docs_is_what_dnsrace_prints() {
    let bless = std::env::var_os(BLESS).is_some();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, text) in doc_files() {
        let mut stale = Vec::new();
        match examples(&file, &text) {
            Ok(examples) => {
                for example in examples {
                    checked += 1;
                    let run = dnsrace(&example.args);
                    if let Err(failure) = check_run(&file, &example, &run) {
                        match bless.then(|| requoted(&example, &run.stdout)).flatten() {
                            Some(lines) => stale.push((example, lines)),
                            None => failures.push(failure),
                        }
                    }
                }
            }
            Err(error) => failures.push(error),
        }
        if !stale.is_empty() {
            let path = workspace_root().join(&file);
            std::fs::write(&path, blessed(&text, &stale))
                .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
            eprintln!("{file}: {} quoted run(s) rewritten", stale.len());
        }
    }
    eprintln!("{checked} quoted dnsrace runs checked");
    assert!(
        failures.is_empty(),
        "{} quoted run(s) are out of date (`{BLESS}=1 cargo test -p dnsrace --test \
         docs_output` rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// What `example` should quote of `stdout`: all of it, or, where the doc elides lines,
/// each quoted stretch from where its first line is printed to where its last line is.
/// `None` when a stretch's first or last line is no longer printed (a person must
/// choose what to quote).
fn requoted(example: &Example, stdout: &str) -> Option<Vec<String>> {
    let printed: Vec<&str> = stdout.trim_end().lines().map(str::trim_end).collect();
    let quoted: Vec<&str> = comparable(example.expected.iter().map(|(n, l)| (*n, l.as_str())))
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    if !quoted.contains(&ELISION) {
        return Some(printed.iter().map(|line| line.to_string()).collect());
    }
    let stretches: Vec<&[&str]> = quoted.split(|line| *line == ELISION).collect();
    let find =
        |line: &str, from: usize| (from..printed.len()).find(|&index| printed[index] == line);
    let mut lines = Vec::new();
    let mut next = 0;
    for (index, stretch) in stretches.iter().enumerate() {
        if index > 0 {
            lines.push(ELISION.to_string());
        }
        let (Some(first), Some(last)) = (stretch.first(), stretch.last()) else {
            continue;
        };
        let start = match index {
            0 => 0,
            _ => find(first, next)?,
        };
        let end = match index + 1 == stretches.len() {
            true => printed.len().checked_sub(1)?,
            false => find(last, start)?,
        };
        lines.extend(printed[start..=end].iter().map(|line| line.to_string()));
        next = end + 1;
    }
    Some(lines)
}

/// `markdown` with the output of each of `stale` replaced by its new lines, keeping the
/// block's indentation and the blank lines that separate runs.
fn blessed(markdown: &str, stale: &[(Example, Vec<String>)]) -> String {
    let mut lines: Vec<String> = markdown.lines().map(String::from).collect();
    let mut stale: Vec<&(Example, Vec<String>)> = stale.iter().collect();
    stale.sort_by_key(|(example, _)| std::cmp::Reverse(example.line));
    for (example, new_lines) in stale {
        let trailing_blanks = example
            .expected
            .iter()
            .rev()
            .take_while(|(_, line)| line.trim().is_empty())
            .count();
        let indent = " ".repeat(example.indent);
        let mut output: Vec<String> = new_lines
            .iter()
            .map(|line| match line.trim_end() {
                "" => String::new(),
                text => format!("{indent}{text}"),
            })
            .collect();
        output.extend(std::iter::repeat_n(String::new(), trailing_blanks));
        let range = example.output.start - 1..example.output.end - 1;
        lines.splice(range, output);
    }
    lines.join("\n") + "\n"
}

const SAMPLE: &str = r#"# Title

Some prose, then a run:

```text
$ dnsrace check --property "endpoint record never empty" smallest-race
Checking scenario "smallest-race": ...
Property  Kind  Verdict

Finished in 0.1s (1 distinct states/s) with 2 threads.
```

A shell block is not checked:

```sh
$ dnsrace check
whatever
```

A text block that is not a run is not checked:

```text
Property  Kind  Verdict
```

````markdown
```text
$ dnsrace list
quoted inside another block: not a run
```
````

  ```text
  $ dnsrace check \
      --max-depth 3 'single-enactor'
  line one
  $ dnsrace list
  Models:
  ```
"#;

#[test]
fn scanner_finds_text_blocks_that_start_with_a_dnsrace_command() {
    let found = examples("SAMPLE.md", SAMPLE).expect("the sample parses");
    assert_eq!(
        found,
        vec![
            Example {
                line: 6,
                command: "dnsrace check --property \"endpoint record never empty\" smallest-race"
                    .into(),
                args: vec![
                    "check".into(),
                    "--property".into(),
                    "endpoint record never empty".into(),
                    "smallest-race".into(),
                ],
                expected: vec![
                    (7, "Checking scenario \"smallest-race\": ...".into()),
                    (8, "Property  Kind  Verdict".into()),
                    (9, String::new()),
                    (
                        10,
                        "Finished in 0.1s (1 distinct states/s) with 2 threads.".into()
                    ),
                ],
                end: 11,
                output: 7..11,
                indent: 0,
            },
            Example {
                line: 34,
                command: "dnsrace check  --max-depth 3 'single-enactor'".into(),
                args: vec![
                    "check".into(),
                    "--max-depth".into(),
                    "3".into(),
                    "single-enactor".into(),
                ],
                expected: vec![(36, "line one".into())],
                end: 39,
                output: 36..37,
                indent: 2,
            },
            Example {
                line: 37,
                command: "dnsrace list".into(),
                args: vec!["list".into()],
                expected: vec![(38, "Models:".into())],
                end: 39,
                output: 38..39,
                indent: 2,
            },
        ]
    );
}

#[test]
fn scanner_finds_nothing_in_prose() {
    let found = examples(
        "PROSE.md",
        "# Nothing\n\n`$ dnsrace check` inline is prose.\n",
    )
    .expect("prose parses");
    assert!(found.is_empty());
}

#[test]
fn blessing_replaces_only_the_quoted_output_and_keeps_indentation_and_separators() {
    let found = examples("SAMPLE.md", SAMPLE).expect("the sample parses");
    let example = found.into_iter().nth(1).unwrap();
    let lines = requoted(&example, "new one\nnew two\n").expect("no elision");
    let stale = vec![(example, lines)];
    let text = blessed(SAMPLE, &stale);
    assert!(
        text.contains(
            "      --max-depth 3 'single-enactor'\n  new one\n  new two\n  $ dnsrace list\n"
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), SAMPLE.lines().count() + 1);
    let again = examples("SAMPLE.md", &text).expect("the blessed sample parses");
    assert_eq!(
        again[1].expected,
        vec![(36, "new one".into()), (37, "new two".into())]
    );
}

#[test]
fn blessing_keeps_elisions_and_takes_each_stretch_from_its_first_to_its_last_line() {
    let example =
        example_of("```text\n$ dnsrace check\nhead\n...\nfrom\nto\n...\ntail\nend\n```\n");
    let printed = "head\nskipped\nfrom\nnew\nto\nskipped\ntail\nnew\nend\nmore\n";
    assert_eq!(
        requoted(&example, printed).expect("every stretch is printed"),
        ["head", "...", "from", "new", "to", "...", "tail", "new", "end", "more"]
    );
    assert_eq!(
        requoted(&example, "head\nto\ntail\n"),
        None,
        "`from` is gone"
    );
}

#[test]
fn shell_split_supports_quotes_and_escapes() {
    let words = |command: &str| split_shell(command).expect("splits");
    assert_eq!(
        words(r#"dnsrace check --property "endpoint record never empty""#),
        [
            "dnsrace",
            "check",
            "--property",
            "endpoint record never empty"
        ]
    );
    assert_eq!(
        words(r#"dnsrace  a"b c"d 'e f' g\ h "i\"j" """#),
        ["dnsrace", "ab cd", "e f", "g h", "i\"j", ""]
    );
    assert_eq!(
        words("dnsrace --timeout=1s\tlist"),
        ["dnsrace", "--timeout=1s", "list"]
    );
}

#[test]
fn shell_split_refuses_what_needs_a_shell() {
    for command in [
        "dnsrace check | head",
        "dnsrace check > out.txt",
        "dnsrace check; echo",
        "dnsrace check && echo",
        "dnsrace check $SCENARIO",
        "dnsrace check \"$SCENARIO\"",
        "dnsrace check \"unbalanced",
        "dnsrace check 'unbalanced",
        "cargo run -- check",
    ] {
        assert!(
            split_shell(command).is_err(),
            "`{command}` should be refused"
        );
    }
}

#[test]
fn a_command_that_needs_a_shell_fails_naming_the_doc_and_line() {
    let markdown = "intro\n\n```text\n$ dnsrace check | tail -3\nfoo\n```\n";
    let error = examples("docs/pipe.md", markdown).expect_err("a pipe is refused");
    assert!(error.starts_with("docs/pipe.md:4: "), "{error}");
}

fn example_of(markdown: &str) -> Example {
    let mut found = examples("docs/x.md", markdown).expect("parses");
    assert_eq!(found.len(), 1);
    found.remove(0)
}

#[test]
fn comparison_ignores_timing_lines_and_trailing_whitespace() {
    let example = example_of(
        "```text\n$ dnsrace list\nline one   \nFinished in 9.9s (1 distinct states/s) with 8 threads.\nline two\n\n```\n",
    );
    let stdout = "line one\nline two\nFinished in 0.0s (5 distinct states/s) with 1 thread.\n\n";
    assert_eq!(compare("docs/x.md", &example, stdout), Ok(()));
}

#[test]
fn comparison_names_the_doc_file_and_the_first_differing_line() {
    let example =
        example_of("text before\n```text\n$ dnsrace list\nsame\nold text\nsame again\n```\n");
    let error = compare("docs/x.md", &example, "same\nnew text\nsame again\n")
        .expect_err("the outputs differ");
    assert!(error.starts_with("docs/x.md:5: "), "{error}");
    assert!(error.contains("\"old text\""), "{error}");
    assert!(error.contains("\"new text\""), "{error}");
}

#[test]
fn comparison_fails_when_the_doc_quotes_too_little_or_too_much() {
    let example = example_of("```text\n$ dnsrace list\none\n```\n");
    let error = compare("docs/x.md", &example, "one\ntwo\n").expect_err("a line is missing");
    assert!(error.starts_with("docs/x.md:4: "), "{error}");
    assert!(error.contains("\"two\""), "{error}");
    let error = compare("docs/x.md", &example, "").expect_err("a line too many");
    assert!(error.starts_with("docs/x.md:3: "), "{error}");
    assert!(error.contains("\"one\""), "{error}");
}

#[test]
fn a_quoted_run_of_dnsrace_list_is_checked_against_the_binary() {
    let listing = dnsrace(&["list"]);
    listing.assert_code(0);
    let markdown = format!(
        "# Listing\n\n```text\n$ dnsrace list\n{}```\n",
        listing.stdout
    );
    let example = example_of(&markdown);
    assert_eq!(check_example("docs/list.md", &example), Ok(()));

    let stale = markdown.replacen("smallest-race", "smallest-rice", 1);
    let stale_line = stale
        .lines()
        .position(|line| line.contains("smallest-rice"))
        .expect("the sample was changed")
        + 1;
    let error = check_example("docs/list.md", &example_of(&stale)).expect_err("the doc is stale");
    assert!(
        error.starts_with(&format!("docs/list.md:{stale_line}: ")),
        "{error}"
    );
}

#[test]
fn a_quoted_check_with_a_quoted_property_ignores_the_timing_line() {
    let run = dnsrace(&[
        "check",
        "single-enactor",
        "--property",
        "endpoint record never empty",
    ]);
    run.assert_code(0);
    assert!(run.stdout.contains("\nFinished in "), "{run}");
    let quoted: String = run
        .stdout
        .lines()
        .map(|line| {
            if line.starts_with("Finished in") {
                "Finished in 12.3s (1 distinct states/s) with 64 threads.\n".to_string()
            } else {
                format!("{line}   \n")
            }
        })
        .collect();
    let markdown = format!(
        "```text\n$ dnsrace check single-enactor --property \"endpoint record never empty\"\n{quoted}```\n"
    );
    assert_eq!(
        check_example("docs/check.md", &example_of(&markdown)),
        Ok(())
    );
}

#[test]
fn an_elision_line_stands_for_any_number_of_printed_lines() {
    let example = example_of("```text\n$ dnsrace list\nfirst\n...\nlast\n```\n");
    assert!(compare("doc.md", &example, "first\nsecond\nthird\nlast\n").is_ok());
    assert!(compare("doc.md", &example, "first\nlast\n").is_ok());
    assert!(compare("doc.md", &example, "first\nsecond\n").is_err());
    assert!(compare("doc.md", &example, "other\nlast\n").is_err());
    let trailing = example_of("```text\n$ dnsrace list\nfirst\n...\n```\n");
    assert!(compare("doc.md", &trailing, "first\nanything\n").is_ok());
}
