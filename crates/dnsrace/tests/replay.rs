//! `dnsrace replay`: the post-mortem's story is a behaviour of the model, in the
//! post-mortem's order, and ends stuck; a story with a step out of place, or replayed on a
//! fix that prevents it, names the first step that is not possible.

mod common;

use common::{assert_rejected, dnsrace, workspace_root};

const STORY: &str = "models/dynamodb-dns/scenarios/outage-story.toml";

/// A copy of the outage story with `edit` applied, in a file of its own.
struct EditedStory(std::path::PathBuf);

impl EditedStory {
    fn new(name: &str, edit: impl Fn(&str) -> String) -> EditedStory {
        let text = std::fs::read_to_string(workspace_root().join(STORY)).unwrap();
        let edited = edit(&text);
        assert_ne!(edited, text, "the edit must change the story");
        let path =
            std::env::temp_dir().join(format!("dnsrace-replay-{name}-{}.toml", std::process::id()));
        std::fs::write(&path, edited).unwrap();
        EditedStory(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for EditedStory {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn the_outage_story_is_admitted_step_by_step_and_ends_stuck() {
    let run = dnsrace(&["replay", "outage-story"]);
    run.assert_code(0);
    let out = &run.stdout;
    // The six beats, in the post-mortem's order, with what each breaks.
    let beats = [
        "1     2-18    Enactor 1 checks once, then retries the lock on regional\n",
        "2     19-24   the Planner keeps producing newer plans\n",
        "3     25-36   Enactor 2 finishes every endpoint first\n",
        "4     37-39   the stale overwrite (violates \"no older plan overwrites newer\")\n",
        "5     40-40   the clean-up empties regional (violates \"endpoint record never empty\", \"active plan never deleted\")\n",
        "6     41-51   every later batch is refused\n",
    ];
    let mut at = 0;
    for beat in beats {
        let found = out[at..]
            .find(beat)
            .unwrap_or_else(|| panic!("beat `{beat}` missing or out of order\n{run}"));
        at += found + beat.len();
    }
    // The lock retries happen, and before Enactor 2 is done with every endpoint.
    let retry = out
        .find("State 13: <Enactor 1 backs off and retries the lock on regional>")
        .expect("Enactor 1 retries its lock");
    let done = out
        .find("<Enactor 2 has applied generation 4 to every endpoint and starts the clean-up>")
        .expect("Enactor 2 finishes its endpoints");
    let overwrite = out
        .find("State 39: <Enactor 1 applies generation 1 to endpoint regional, overwriting newer generation 4>")
        .expect("the stale overwrite");
    let emptied = out
        .find("State 40: <Clean-up of Enactor 2 deletes generation 1: endpoint regional now resolves to no address>")
        .expect("the clean-up empties regional");
    assert!(
        retry < done && done < overwrite && overwrite < emptied,
        "{run}"
    );
    assert!(
        out[overwrite..emptied].contains("Now violated: \"no older plan overwrites newer\""),
        "{run}"
    );
    assert!(out.contains(
        "State 50: <Route 53 refuses Enactor 2's change batch for regional: the rollback record would point at deleted generation 1>"
    ));
    assert!(
        out.contains(
            "The last state violates \"always recoverable\": no sequence of allowed steps"
        ),
        "{run}"
    );
    assert!(
        out.ends_with("The model admits the story, step by step, and it ends as told.\n"),
        "{run}"
    );
}

#[test]
fn a_story_with_one_step_out_of_order_names_that_step_and_exits_4() {
    // Enactor 1 sends its batch before it has the lock.
    let lock = "    \"Route 53 gives Enactor 1 the lock on regional\",\n";
    let send = "    \"Enactor 1 sends its change batch for regional\",\n";
    let story = EditedStory::new("out-of-order", |text| {
        text.replacen(&format!("{lock}{send}"), &format!("{send}{lock}"), 1)
    });
    let run = dnsrace(&["replay", story.path()]);
    run.assert_code(4);
    assert!(
        run.stdout.contains(
            "Step 36 of the story (beat 4: the stale overwrite) is not possible in state 36: \
             no step there is \"Enactor 1 sends its change batch for regional\"."
        ),
        "{run}"
    );
    // What was possible instead, among it the step the story meant.
    assert!(
        run.stdout
            .contains("  Route 53 gives Enactor 1 the lock on regional\n"),
        "{run}"
    );
    assert!(run
        .stdout
        .ends_with("The model does not admit this story.\n"));
}

#[test]
fn replayed_on_a_fix_the_story_stops_at_the_step_the_fix_prevents() {
    let run = dnsrace(&["replay", "outage-story", "--variant", "conditional-write"]);
    run.assert_code(4);
    assert!(
        run.stdout.contains(
            "Step 38 of the story (beat 4: the stale overwrite) is not possible in state 38: \
             no step there is \"Enactor 1 applies generation 1 to endpoint regional, overwriting newer generation 4\"."
        ),
        "{run}"
    );
    assert!(
        run.stdout.contains(
            "  Route 53 refuses Enactor 1's change batch for regional: it already serves generation 4\n"
        ),
        "{run}"
    );
}

#[test]
fn a_story_that_does_not_end_as_told_exits_4() {
    // Without its last beat the story never shows a refused batch, but it is stuck all
    // the same; claim instead that the record is never emptied.
    let story = EditedStory::new("wrong-end", |text| {
        text.replacen(
            "ends_violating = [\n",
            "ends_violating = [\n    \"some enactor applies a plan to every endpoint\",\n",
            1,
        )
    });
    assert_rejected(
        &["replay", story.path()],
        &[
            "story.ends_violating",
            "some enactor applies a plan to every endpoint",
        ],
    );
    let story = EditedStory::new("not-emptied", |text| {
        let cut = text
            .find("[[story.beats]]\ntitle = \"the clean-up empties regional\"")
            .unwrap();
        text[..cut].to_string()
    });
    let run = dnsrace(&["replay", story.path()]);
    run.assert_code(4);
    assert!(
        run.stdout
            .contains("The last state does not violate \"endpoint record never empty\".\n"),
        "{run}"
    );
    assert!(run
        .stdout
        .ends_with("The model admits every step, but the story does not end as told.\n"));
}

#[test]
fn a_scenario_without_a_story_is_bad_input() {
    assert_rejected(
        &["replay", "outage"],
        &["outage", "[story]", "outage-story"],
    );
    assert_rejected(&["replay"], &["outage", "[story]"]);
}
