//! How the model shows itself: its state as named variables, its steps in the incident's
//! words, its properties with their descriptions.

use dnsrace_core::{DescribedProperty, LivenessProperty, Message, Presentation, Value, Variable};

use crate::{
    a_lease_expires, a_lease_is_re_established, each_droplet_once,
    launches_fail_only_without_leases, no_droplet_leased, no_work_past_timeout, Attempt, DwfmModel,
    DwfmState, DynamoDb, Launch, Step, Variant, WorkDone,
};

fn count(n: impl Into<i64>) -> Value {
    Value::Int(n.into())
}

/// `n` and the singular or plural word.
fn counted(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// Ages as a list: "2", "2 and 0", "4, 2 and 0".
fn ages(ages: &[u8]) -> String {
    let words: Vec<String> = ages.iter().map(u8::to_string).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl DwfmModel {
    fn attempt_value(&self, attempt: &Attempt, in_progress: bool) -> Value {
        let backoff = self.config.variant == Variant::BackOff;
        if !in_progress && !backoff {
            return count(attempt.age);
        }
        let mut fields = vec![("age", count(attempt.age))];
        if in_progress {
            fields.push(("work", count(attempt.work)));
        }
        if backoff {
            fields.push(("failures", count(attempt.failures)));
        }
        Value::record(fields)
    }

    /// The host's work step in words.
    pub fn describe_work(&self, done: &WorkDone) -> String {
        let mut parts = Vec::new();
        if done.established > 0 {
            parts.push(format!(
                "{} in time",
                counted(
                    done.established.into(),
                    "lease established",
                    "leases established"
                )
            ));
        }
        if !done.timed_out.is_empty() {
            let n = done.timed_out.len();
            let what = match (done.requeued, done.backed_off, done.held_back) {
                (_, 0, 0) => "queued again",
                (0, _, 0) => "backing off",
                (0, 0, _) => "waiting: the queue is full",
                _ => "queued again or waiting",
            };
            parts.push(format!(
                "{} after the time-out (age {} > {}), {what}",
                counted(n, "attempt finished", "attempts finished"),
                ages(&done.timed_out),
                self.attempt_timeout()
            ));
        }
        if done.back_from_backoff > 0 {
            parts.push(format!(
                "{} back-off over, queued again",
                counted(done.back_from_backoff.into(), "attempt's", "attempts'")
            ));
        }
        if done.admitted > 0 {
            parts.push(format!(
                "queues {}",
                counted(done.admitted.into(), "lease attempt", "lease attempts")
            ));
        }
        if !done.started.is_empty() {
            parts.push(format!(
                "starts work on {} aged {}",
                match done.started.len() {
                    1 => "the attempt".to_string(),
                    n => format!("{n} attempts"),
                },
                ages(&done.started)
            ));
        }
        format!("DWFM {}", parts.join("; "))
    }
}

/// The kinds of [`Step`], in its order, as `check --coverage` names them.
const STEP_KINDS: [&str; 7] = [
    "DynamoDB becomes unreachable",
    "a lease expires",
    "DynamoDB is reachable again",
    "DWFM works its queue",
    "a tick of the clock",
    "operator throttles incoming work",
    "operator restarts the host",
];

impl Presentation for DwfmModel {
    fn action_kind(&self, _state: &DwfmState, step: &Step) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(STEP_KINDS[*step as usize])
    }

    fn action_kinds(&self) -> Vec<std::borrow::Cow<'static, str>> {
        STEP_KINDS.map(std::borrow::Cow::Borrowed).to_vec()
    }

    fn variables(&self, state: &DwfmState) -> Vec<Variable> {
        let dynamodb = match state.dynamodb {
            DynamoDb::Reachable => "reachable",
            DynamoDb::Unreachable => "unreachable",
            DynamoDb::Back => "reachable again",
        };
        let launch = match self.launch(state) {
            Launch::Succeeds => "succeed",
            Launch::InsufficientCapacity => "fail: insufficient capacity",
            Launch::RequestLimitExceeded => "fail: request limit exceeded",
        };
        let mut variables = vec![
            ("dynamodb".to_string(), Value::str(dynamodb)),
            (
                "droplets".to_string(),
                Value::record([
                    ("leased", count(state.leased)),
                    ("waiting", count(state.waiting)),
                ]),
            ),
            (
                "queue".to_string(),
                Value::Seq(
                    state
                        .queue
                        .iter()
                        .map(|a| self.attempt_value(a, false))
                        .collect(),
                ),
            ),
            (
                "in_progress".to_string(),
                Value::Seq(
                    state
                        .in_progress
                        .iter()
                        .map(|a| self.attempt_value(a, true))
                        .collect(),
                ),
            ),
        ];
        if self.config.variant == Variant::BackOff {
            variables.push((
                "backing_off".to_string(),
                Value::Seq(
                    state
                        .backing_off
                        .iter()
                        .map(|b| {
                            Value::record([
                                ("left", count(b.left)),
                                ("failures", count(b.failures)),
                            ])
                        })
                        .collect(),
                ),
            ));
        }
        if self.config.operator {
            variables.push((
                "operator".to_string(),
                Value::record([
                    ("throttled", Value::Bool(state.throttled)),
                    ("restarted", Value::Bool(state.restarted)),
                ]),
            ));
        }
        variables.push(("launches".to_string(), Value::str(launch)));
        variables.push((
            "history".to_string(),
            Value::record([("re_established", Value::Bool(state.re_established))]),
        ));
        variables
    }

    fn describe_step(&self, before: &DwfmState, step: &Step, after: &DwfmState) -> String {
        match step {
            Step::OutageBegins => "DynamoDB becomes unreachable: state checks fail".to_string(),
            Step::LeaseExpires => format!(
                "A droplet's lease times out ({} still leased)",
                after.leased
            ),
            Step::OutageEnds => "DynamoDB is reachable again".to_string(),
            Step::Work => self.describe_work(&self.work_step(before).1),
            Step::Tick => "One tick passes".to_string(),
            Step::Throttle => "Operator throttles incoming work".to_string(),
            Step::Restart => format!(
                "Operator restarts the DWFM host: {} dropped",
                counted(self.attempts(before), "attempt", "attempts")
            ),
        }
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "launches fail only while no droplet is leased",
                "a launch request is refused only when no droplet holds a lease (insufficient capacity)",
                launches_fail_only_without_leases,
            ),
            DescribedProperty::always(
                "no droplet queued twice",
                "every droplet is leased or has exactly one lease attempt (waiting, queued, in progress or backing off)",
                each_droplet_once,
            ),
            DescribedProperty::always(
                "no work on a timed-out attempt",
                "the host never works on an attempt older than the establishment time-out",
                no_work_past_timeout,
            ),
            DescribedProperty::sometimes(
                "a lease expires",
                "some droplet's lease times out while DynamoDB is unreachable",
                a_lease_expires,
            ),
            DescribedProperty::sometimes(
                "a lease is re-established after the outage",
                "once DynamoDB is back, some attempt finishes in time and its droplet is leased again",
                a_lease_is_re_established,
            ),
            DescribedProperty::sometimes(
                "no droplet is leased",
                "every lease has timed out: every launch fails with insufficient capacity",
                no_droplet_leased,
            ),
        ]
    }

    fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
        crate::liveness::properties()
    }

    /// Every droplet leased and nothing left to do: the end a recovered fleet reaches.
    fn terminal_state_expected(&self, state: &DwfmState) -> bool {
        state.leased == self.config.droplets
    }

    fn participants(&self) -> Vec<String> {
        let mut parties = vec!["DynamoDB".to_string(), "Droplets".to_string()];
        parties.push("DWFM".to_string());
        parties.push("Clock".to_string());
        if self.config.operator {
            parties.push("Operator".to_string());
        }
        parties
    }

    fn message(&self, before: &DwfmState, step: &Step, after: &DwfmState) -> Option<Message> {
        let arrow = |from: &str, to: &str, label: String| Message {
            from: from.to_string(),
            to: to.to_string(),
            label,
        };
        Some(match step {
            Step::OutageBegins => arrow("DynamoDB", "DWFM", "unreachable".to_string()),
            Step::LeaseExpires => arrow(
                "Droplets",
                "DWFM",
                format!("a lease times out ({} leased)", after.leased),
            ),
            Step::OutageEnds => arrow("DynamoDB", "DWFM", "reachable again".to_string()),
            Step::Work => {
                let done = self.work_step(before).1;
                let label = self.describe_work(&done);
                let label = label.strip_prefix("DWFM ").unwrap_or(&label).to_string();
                match done.established {
                    0 => arrow("DWFM", "DWFM", label),
                    _ => arrow("DWFM", "Droplets", label),
                }
            }
            Step::Tick => arrow("Clock", "DWFM", "tick".to_string()),
            Step::Throttle => arrow("Operator", "DWFM", "throttle incoming work".to_string()),
            Step::Restart => arrow(
                "Operator",
                "DWFM",
                format!(
                    "restart: {} dropped",
                    counted(self.attempts(before), "attempt", "attempts")
                ),
            ),
        })
    }
}
