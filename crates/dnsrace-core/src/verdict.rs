//! The words every command and every model share for what a property is and what the
//! checker concluded about it.

use std::fmt::{self, Display, Formatter};

use serde::Serialize;

/// The kind of a property (stateright's [`Expectation`](crate::Expectation)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyKind {
    /// True in every reachable state (an invariant).
    Always,
    /// True in at least one reachable state.
    Sometimes,
    /// stateright's `eventually` (not checked: see [`Recoverable`](Self::Recoverable) and
    /// [`LeadsTo`](Self::LeadsTo)).
    Eventually,
    /// Liveness `AG EF goal`: from every reachable state the goal can still be reached.
    #[serde(rename = "recoverable")]
    Recoverable,
    /// Liveness `trigger ~> goal` under weak fairness.
    #[serde(rename = "leads-to")]
    LeadsTo,
}

impl PropertyKind {
    /// Whether the property is a liveness property decided on the state graph.
    pub fn is_liveness(self) -> bool {
        matches!(self, PropertyKind::Recoverable | PropertyKind::LeadsTo)
    }
}

impl Display for PropertyKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PropertyKind::Always => "always",
            PropertyKind::Sometimes => "sometimes",
            PropertyKind::Eventually => "eventually",
            PropertyKind::Recoverable => "recoverable",
            PropertyKind::LeadsTo => "leads-to",
        })
    }
}

/// What the search concluded about one property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// An `always` property held in every reachable state (exhaustive search only).
    #[serde(rename = "holds")]
    Holds,
    /// An `always` property is false in a reachable state; the trace shows how.
    #[serde(rename = "violated")]
    Violated,
    /// A `sometimes` property is true in a reachable state; the trace shows how.
    #[serde(rename = "reached")]
    Reached,
    /// No reachable state satisfies a `sometimes` property (exhaustive search only).
    #[serde(rename = "not reached")]
    NotReached,
    /// The search did not decide: it was bounded, or the property is not checked.
    #[serde(rename = "inconclusive")]
    Inconclusive,
}

impl Display for Verdict {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Holds => "holds",
            Verdict::Violated => "violated",
            Verdict::Reached => "reached",
            Verdict::NotReached => "not reached",
            Verdict::Inconclusive => "inconclusive",
        })
    }
}

impl Verdict {
    /// The verdict written `name` in scenario files and `variants.toml` (`holds`,
    /// `violated`, `reached`, `not reached`); `inconclusive` is never declared.
    pub fn from_name(name: &str) -> Option<Verdict> {
        [
            Verdict::Holds,
            Verdict::Violated,
            Verdict::Reached,
            Verdict::NotReached,
        ]
        .into_iter()
        .find(|verdict| verdict.to_string() == name)
    }
}

impl PropertyKind {
    /// The verdicts an exhaustive check can give a property of this kind: `holds` or
    /// `violated` for invariants and liveness, `reached` or `not reached` for
    /// reachability.
    pub fn decisive_verdicts(self) -> [Verdict; 2] {
        match self {
            PropertyKind::Sometimes => [Verdict::Reached, Verdict::NotReached],
            _ => [Verdict::Holds, Verdict::Violated],
        }
    }
}
