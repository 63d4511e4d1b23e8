//! Liveness properties: statements about where behaviours *go*, checked on the explored
//! state graph rather than state by state.
//!
//! stateright's own `eventually` is evaluated only at terminal states, which is unsound on
//! a model with cycles (retry loops, re-armed timers). A [`LivenessProperty`] instead
//! names a *goal* and one of two shapes, and the checker decides it from the whole graph:
//!
//! * [`Liveness::AlwaysRecoverable`] (CTL `AG EF goal`): from every reachable state, some
//!   path made only of *allowed* steps reaches a goal state. A violation is a reachable
//!   state from which the goal is out of reach: the system is stuck there, whatever the
//!   scheduler does.
//! * [`Liveness::LeadsTo`] (TLA+ `trigger ~> goal`): every behaviour that is fair (weak
//!   fairness per process, see [`Liveness::LeadsTo::fairness`]) and passes through a
//!   trigger state reaches a goal state afterwards. A violation is a *lasso*: a path to a
//!   trigger state, then a cycle that never reaches the goal and treats every process
//!   fairly; or a path to a trigger state, then on to a state with no next step, short of
//!   the goal, where the behaviour stops (TLC reads that as stuttering for ever, and so do
//!   we: the trace ends with the last state repeated by a "Stuttering" step).
//!
//! The model supplies every ingredient as a plain function, so the checker stays generic.

use crate::Model;

/// Says why a state keeps the goal out of reach, in the model's words (`None`: nothing to
/// add).
pub type Explain<M> = fn(&M, &<M as Model>::State) -> Option<String>;

/// A liveness property: a name, a description, a goal, and how the goal must be reached.
pub struct LivenessProperty<M: Model> {
    /// The name people type and read.
    pub name: &'static str,
    /// One line saying what it means, in the model's vocabulary.
    pub description: &'static str,
    /// The states the system should get to.
    pub goal: fn(&M, &M::State) -> bool,
    /// The shape of the property.
    pub kind: Liveness<M>,
    /// Optional: says in the model's words why a counterexample's last state (the stuck
    /// state, or the first state of the cycle) keeps the goal out of reach, for example
    /// which record points at a deleted tree. `None` from the function: nothing to add.
    pub explain: Option<Explain<M>>,
}

/// The two shapes of liveness property the checker decides.
pub enum Liveness<M: Model> {
    /// `AG EF goal` over the steps `allowed` accepts: from every reachable state, a path
    /// of allowed steps reaches a goal state. Steps that are not allowed (for example an
    /// operator's manual repair) still count for reachability: they can lead to the
    /// states that must be recoverable.
    AlwaysRecoverable {
        /// Whether a step counts as a recovery step.
        allowed: fn(&M, &M::State, &M::Action) -> bool,
    },
    /// `trigger ~> goal` under weak fairness: in every fair behaviour, each state where
    /// `trigger` holds is followed (or is itself) a state where `goal` holds.
    LeadsTo {
        /// The states after which the goal must come.
        trigger: fn(&M, &M::State) -> bool,
        /// The process a step belongs to, for weak fairness; `None` for steps no fairness
        /// is assumed for. A behaviour is fair when every process that is enabled
        /// forever from some point on (it has a step in every state) takes infinitely
        /// many steps. Process numbers must be below 255.
        fairness: fn(&M, &M::State, &M::Action) -> Option<usize>,
    },
}

impl<M: Model> Clone for Liveness<M> {
    fn clone(&self) -> Self {
        match self {
            Liveness::AlwaysRecoverable { allowed } => {
                Liveness::AlwaysRecoverable { allowed: *allowed }
            }
            Liveness::LeadsTo { trigger, fairness } => Liveness::LeadsTo {
                trigger: *trigger,
                fairness: *fairness,
            },
        }
    }
}

impl<M: Model> Clone for LivenessProperty<M> {
    fn clone(&self) -> Self {
        LivenessProperty {
            name: self.name,
            description: self.description,
            goal: self.goal,
            kind: self.kind.clone(),
            explain: self.explain,
        }
    }
}

impl<M: Model> LivenessProperty<M> {
    /// `AG EF goal` over the `allowed` steps.
    pub fn always_recoverable(
        name: &'static str,
        description: &'static str,
        goal: fn(&M, &M::State) -> bool,
        allowed: fn(&M, &M::State, &M::Action) -> bool,
    ) -> Self {
        LivenessProperty {
            name,
            description,
            goal,
            kind: Liveness::AlwaysRecoverable { allowed },
            explain: None,
        }
    }

    /// `trigger ~> goal` under weak fairness of the processes `fairness` names.
    pub fn leads_to(
        name: &'static str,
        description: &'static str,
        trigger: fn(&M, &M::State) -> bool,
        goal: fn(&M, &M::State) -> bool,
        fairness: fn(&M, &M::State, &M::Action) -> Option<usize>,
    ) -> Self {
        LivenessProperty {
            name,
            description,
            goal,
            kind: Liveness::LeadsTo { trigger, fairness },
            explain: None,
        }
    }

    /// The same property with a function that explains counterexample states.
    pub fn with_explanation(mut self, explain: Explain<M>) -> Self {
        self.explain = Some(explain);
        self
    }

    /// Whether the property assumes fairness (only [`Liveness::LeadsTo`] does).
    pub fn needs_fairness(&self) -> bool {
        matches!(self.kind, Liveness::LeadsTo { .. })
    }
}
