//! Finding a scenario: a name shipped with the model, or the path of a TOML file.

use std::path::Path;

use dynamodb_dns::{Scenario, SCENARIOS};

use crate::UsageError;

/// The scenario `name_or_path` refers to. A name is looked up among the model's
/// scenarios; anything that looks like a path (contains a `/` or ends in `.toml`) is read
/// from disk.
pub fn resolve(name_or_path: &str) -> Result<Scenario, UsageError> {
    let looks_like_path = name_or_path.contains(std::path::MAIN_SEPARATOR)
        || name_or_path.contains('/')
        || name_or_path.ends_with(".toml");
    if !looks_like_path {
        return match Scenario::builtin(name_or_path) {
            Some(parsed) => parsed.map_err(|error| {
                UsageError::new(format!("built-in scenario `{name_or_path}`: {error}"))
            }),
            None => Err(UsageError::new(format!(
                "no scenario named `{name_or_path}`; the scenarios are: {} (or give the path of a .toml file)",
                SCENARIOS
                    .iter()
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        };
    }
    let path = Path::new(name_or_path);
    let text = std::fs::read_to_string(path).map_err(|error| {
        UsageError::new(format!(
            "cannot read scenario file `{name_or_path}`: {error}"
        ))
    })?;
    let name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| name_or_path.to_string());
    Scenario::parse(&name, &text)
        .map_err(|error| UsageError::new(format!("scenario file `{name_or_path}`: {error}")))
}
