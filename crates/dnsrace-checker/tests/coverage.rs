//! Coverage (`CheckOptions::coverage`): per kind of action, the steps taken and the new
//! states they found first, counted exactly, the same with any thread count.

mod common;

use std::borrow::Cow;

use common::Grid;
use dnsrace_checker::{check, ActionCoverage, CheckOptions, Completeness, Coverage};
use dnsrace_core::{DescribedProperty, Model, Presentation, Variable};

/// A walk on the grid of [`Grid`] whose steps `x`, `y` and `d` (diagonal) are kinds of
/// their own; it also declares a kind `z` that no step has.
#[derive(Clone, Debug)]
struct KindedGrid(Grid);

impl Model for KindedGrid {
    type State = (u32, u32);
    type Action = char;

    fn init_states(&self) -> Vec<(u32, u32)> {
        self.0.init_states()
    }

    fn actions(&self, state: &(u32, u32), actions: &mut Vec<char>) {
        self.0.actions(state, actions)
    }

    fn next_state(&self, state: &(u32, u32), action: char) -> Option<(u32, u32)> {
        self.0.next_state(state, action)
    }
}

impl Presentation for KindedGrid {
    fn variables(&self, state: &(u32, u32)) -> Vec<Variable> {
        self.0.variables(state)
    }

    fn describe_step(&self, before: &(u32, u32), action: &char, after: &(u32, u32)) -> String {
        self.0.describe_step(before, action, after)
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![DescribedProperty::always(
            "stays inside the grid",
            "x and y stay within the grid",
            |model: &Self, &(x, y): &(u32, u32)| x <= model.0.width && y <= model.0.height,
        )]
    }

    fn action_kind(&self, _: &(u32, u32), action: &char) -> Cow<'static, str> {
        Cow::Owned(action.to_string())
    }

    fn action_kinds(&self) -> Vec<Cow<'static, str>> {
        ["d", "x", "y", "z"].map(Cow::Borrowed).to_vec()
    }
}

fn grid() -> Grid {
    Grid {
        width: 2,
        height: 2,
        band: None,
    }
}

fn options(threads: usize) -> CheckOptions {
    CheckOptions {
        threads,
        coverage: true,
        ..CheckOptions::default()
    }
}

fn row(kind: &str, fired: u64, distinct: u64) -> ActionCoverage {
    ActionCoverage {
        kind: kind.to_string(),
        fired,
        distinct,
    }
}

// On the 3 x 3 points of a 2 x 2 grid, `x` and `y` fire from the 6 points each can leave
// and `d` from 4. Breadth-first, in action order (x, y, d): level 1 finds one point by
// each; level 2 finds (2, 0) by x, (0, 2) by y, and (2, 1), (1, 2), (2, 2) by d, whose
// parents come first in the level; level 3 finds nothing.
#[test]
fn each_kind_is_counted_exactly_in_the_models_declared_order() {
    let model = KindedGrid(grid());
    let report = check(&model, &model.described_properties(), &options(1));
    assert_eq!(report.completeness, Completeness::Exhaustive);
    assert_eq!(
        report.coverage,
        Some(Coverage {
            initial_states: 1,
            actions: vec![
                row("d", 4, 4),
                row("x", 6, 2),
                row("y", 6, 2),
                row("z", 0, 0),
            ],
        })
    );
}

#[test]
fn coverage_is_the_same_with_any_thread_count() {
    let model = KindedGrid(Grid {
        width: 400,
        height: 300,
        band: Some(20),
    });
    let properties = model.described_properties();
    let one = check(&model, &properties, &options(1)).coverage;
    for threads in [2, 3, 4] {
        assert_eq!(
            check(&model, &properties, &options(threads)).coverage,
            one,
            "{threads} threads"
        );
    }
}

#[test]
fn a_model_that_names_no_kinds_has_one_kind_step() {
    let model = grid();
    let properties = model.described_properties();
    let report = check(&model, &properties[..1], &options(2));
    assert_eq!(
        report.coverage.expect("asked for").actions,
        vec![row("step", 16, 8)]
    );
}

#[test]
fn coverage_is_off_by_default() {
    let model = grid();
    let report = check(
        &model,
        &model.described_properties(),
        &CheckOptions::default(),
    );
    assert_eq!(report.coverage, None);
}
