//! The one error type of the command line: a message for the person who typed the command.

use std::fmt::{self, Display, Formatter};

/// Bad input: an unknown scenario or property, a value out of range, a file that cannot
/// be read or parsed. Printed as `error: <message>` with exit code 2.
#[derive(Debug)]
pub struct UsageError(String);

impl UsageError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        UsageError(message.into())
    }
}

impl Display for UsageError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `input` as an error message may quote it: whole when short, else its first 60
/// characters and how long it was, so a huge argument does not flood the terminal.
pub fn shorten(input: &str) -> String {
    const KEEP: usize = 60;
    match input.char_indices().nth(KEEP) {
        None => input.to_string(),
        Some((end, _)) => format!("{}… ({} characters)", &input[..end], input.chars().count()),
    }
}

/// One line of a message, cut to its first 200 characters when longer (with how long it
/// was).
pub fn shorten_line(line: &str) -> String {
    const KEEP: usize = 200;
    match line.char_indices().nth(KEEP) {
        None => line.to_string(),
        Some((end, _)) => format!("{}… ({} characters)", &line[..end], line.chars().count()),
    }
}
