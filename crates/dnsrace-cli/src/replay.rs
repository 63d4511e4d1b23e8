//! `dnsrace replay`: follow a scenario's story step by step, and say whether the model
//! admits it and ends where the story says it ends.
//!
//! Exit codes: 0 every step was possible in order and the last state violates what the
//! story's `ends_violating` lists; 4 the model does not admit the story (a step is not
//! possible where the story puts it, or the end is not as told); 2 bad input (among it, a
//! scenario without a story).

use clap::Args;
use dnsrace_checker::{follow_story, recoverable_from, render_followed, story, NotPossible};
use dnsrace_core::{Model, ModelDefinition, Presentation, Story};

use crate::model_args::ModelArgs;
use crate::{emit, UsageError};

/// Exit code when the model does not admit the story.
const EXIT_NOT_ADMITTED: u8 = crate::exit::STORY_NOT_POSSIBLE;

/// States explored, at most, to decide whether the story's last state is stuck.
const STUCK_SEARCH_LIMIT: usize = 5_000_000;

/// The flags of `dnsrace replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The scenario whose `[story]` to follow, and flags that change its model (a story
    /// told of the as-built system can be replayed on a candidate fix, to see which step
    /// the fix makes impossible).
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Runs `dnsrace replay` and returns its exit code.
pub fn run<D: ModelDefinition>(definition: &D, args: ReplayArgs) -> Result<u8, UsageError> {
    let chosen = args.model.choose(definition)?;
    let Some(story) = chosen.scenario.story.clone() else {
        return Err(UsageError::new(format!(
            "scenario `{}` has no `[story]` to replay; the scenarios with one are: {}",
            chosen.scenario.name,
            stories(definition)
        )));
    };
    let model = definition.build(&chosen.config);
    let steps = story.steps();
    let words: Vec<&str> = steps.iter().map(|(_, words)| *words).collect();
    emit(&format!(
        "Replaying the story of scenario \"{}\" ({} steps in {} beats): {}.\n",
        chosen.scenario.name,
        steps.len(),
        story.beats.len(),
        chosen.config
    ))?;
    match follow_story(&model, &words) {
        Err(not_possible) => {
            report_not_possible(&story, &steps, &not_possible)?;
            Ok(EXIT_NOT_ADMITTED)
        }
        Ok(followed) => {
            let mut out = String::from("The behavior the story tells is:\n");
            out.push_str(&render_followed(&followed));
            out.push_str(&beat_summary(&story, &followed.newly_violated));
            let last = followed.states.last().expect("a story has a state");
            let (end, ending) = end_check::<D>(&model, &story, last);
            out.push_str(&end);
            emit(&out)?;
            Ok(match ending {
                Ending::AsTold => crate::exit::OK,
                Ending::NotAsTold => EXIT_NOT_ADMITTED,
                Ending::Inconclusive => crate::exit::INCONCLUSIVE,
            })
        }
    }
}

/// Prints the trace up to the impossible step, and names it.
fn report_not_possible(
    story: &Story,
    steps: &[(usize, &str)],
    not_possible: &NotPossible,
) -> Result<(), UsageError> {
    let (beat, words) = steps[not_possible.step];
    let mut out = String::from("The behavior up to the step that is not possible is:\n");
    out.push_str(&story::render_trace(&not_possible.trace));
    out.push_str(&format!(
        "Step {} of the story (beat {}: {}) is not possible in state {}: no step there is \"{words}\".\n",
        not_possible.step + 1,
        beat + 1,
        story.beats[beat].title,
        not_possible.trace.len(),
    ));
    if not_possible.enabled.is_empty() {
        out.push_str("No step is possible there at all.\n");
    } else {
        out.push_str("The steps possible there are:\n");
        for step in &not_possible.enabled {
            out.push_str(&format!("  {step}\n"));
        }
    }
    out.push_str("The model does not admit this story.\n");
    emit(&out)
}

/// One line per beat: its steps' state numbers and what became false in them.
fn beat_summary(story: &Story, newly_violated: &[Vec<&'static str>]) -> String {
    let mut out = String::from("Beat  States  What happens (and what it violates)\n");
    let mut state = 2;
    for (index, beat) in story.beats.iter().enumerate() {
        let last = state + beat.steps.len() - 1;
        let violated: Vec<String> = newly_violated[state - 1..last]
            .iter()
            .flatten()
            .map(|name| format!("\"{name}\""))
            .collect();
        let range = format!("{state}-{last}");
        out.push_str(&format!("{:<4}  {range:<6}  {}", index + 1, beat.title));
        if !violated.is_empty() {
            out.push_str(&format!(" (violates {})", violated.join(", ")));
        }
        out.push('\n');
        state = last + 1;
    }
    out.push('\n');
    out
}

/// The model's scenarios that tell a story, joined, or "none".
fn stories<D: ModelDefinition>(definition: &D) -> String {
    let names: Vec<&str> = definition
        .scenarios()
        .iter()
        .filter(|(name, _)| {
            dnsrace_core::Scenario::builtin(definition, name)
                .is_some_and(|parsed| parsed.is_ok_and(|s| s.story.is_some()))
        })
        .map(|(name, _)| *name)
        .collect();
    match names.is_empty() {
        true => "none".to_string(),
        false => names.join(", "),
    }
}

/// How the story's last state compares with how the story says it ends.
enum Ending {
    AsTold,
    NotAsTold,
    /// A search from the last state hit its limit before it could tell.
    Inconclusive,
}

/// Whether the last state violates every property the story says it ends on, in words.
fn end_check<D: ModelDefinition>(
    model: &D::Model,
    story: &Story,
    last: &<D::Model as Model>::State,
) -> (String, Ending) {
    let mut out = String::new();
    let mut as_told = true;
    let mut inconclusive = false;
    let safety = model.described_properties();
    let liveness = model.liveness_properties();
    for name in &story.ends_violating {
        if let Some(property) = safety.iter().find(|p| p.name() == name) {
            let violated = !(property.property.condition)(model, last);
            as_told &= violated;
            out.push_str(&format!(
                "The last state {} \"{name}\".\n",
                if violated {
                    "violates"
                } else {
                    "does not violate"
                }
            ));
            continue;
        }
        let Some(property) = liveness.iter().find(|p| p.name == name) else {
            // The scenario parser admits only the model's property names.
            continue;
        };
        match recoverable_from(model, property, last, STUCK_SEARCH_LIMIT) {
            Some(false) => {
                let why = property
                    .explain
                    .and_then(|explain| explain(model, last))
                    .map(|why| format!(" ({why})"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "The last state violates \"{name}\": no sequence of allowed steps from it reaches the goal{why}.\n"
                ));
            }
            Some(true) => {
                as_told = false;
                out.push_str(&format!(
                    "The last state does not violate \"{name}\": allowed steps from it can still reach the goal.\n"
                ));
            }
            None => {
                inconclusive = true;
                out.push_str(&format!(
                    "Inconclusive for \"{name}\": the search from the last state stopped after {STUCK_SEARCH_LIMIT} states.\n"
                ));
            }
        }
    }
    let ending = match (as_told, inconclusive) {
        (false, _) => Ending::NotAsTold,
        (true, true) => Ending::Inconclusive,
        (true, false) => Ending::AsTold,
    };
    out.push_str(match ending {
        Ending::AsTold => "The model admits the story, step by step, and it ends as told.\n",
        Ending::NotAsTold => "The model admits every step, but the story does not end as told.\n",
        Ending::Inconclusive => {
            "The model admits every step; whether the story ends as told is inconclusive.\n"
        }
    });
    (out, ending)
}
