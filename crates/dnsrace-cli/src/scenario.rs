//! Finding a scenario: a name shipped with the model, or the path of a TOML file.

use std::path::Path;

use dnsrace_core::{ModelDefinition, Scenario};

use crate::cli_error::shorten;
use crate::UsageError;

/// The largest scenario file read: far above any real scenario, and it keeps a wrong path
/// (a disk image, a log) from being read whole.
const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// The scenario `name_or_path` refers to, or the model's first scenario. A name is looked
/// up among the model's scenarios; anything that looks like a path (contains a `/` or
/// ends in `.toml`) is read from disk, and must be a regular file.
pub fn resolve<D: ModelDefinition>(
    definition: &D,
    name_or_path: Option<&str>,
) -> Result<Scenario<D::Config>, UsageError> {
    let name_or_path = match name_or_path {
        Some(given) => given,
        None => definition
            .scenarios()
            .first()
            .map(|(name, _)| *name)
            .ok_or_else(|| UsageError::new("the model ships no scenario: give a scenario file"))?,
    };
    let looks_like_path = name_or_path.contains(std::path::MAIN_SEPARATOR)
        || name_or_path.contains('/')
        || name_or_path.ends_with(".toml");
    let quoted = shorten(name_or_path);
    if !looks_like_path {
        return match Scenario::builtin(definition, name_or_path) {
            Some(parsed) => parsed
                .map_err(|error| UsageError::new(format!("built-in scenario `{quoted}`: {error}"))),
            None => Err(UsageError::new(format!(
                "no scenario named `{quoted}` in model {}; the scenarios are: {} (or give the path of a .toml file)",
                definition.name(),
                definition
                    .scenarios()
                    .iter()
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        };
    }
    let path = Path::new(name_or_path);
    let cannot =
        |why: String| UsageError::new(format!("cannot read scenario file `{quoted}`: {why}"));
    // A FIFO or a device would block or never end: only regular files are scenarios.
    let metadata = std::fs::metadata(path).map_err(|error| cannot(error.to_string()))?;
    if !metadata.is_file() {
        return Err(cannot("it is not a regular file".to_string()));
    }
    if metadata.len() > MAX_SCENARIO_BYTES {
        return Err(cannot(format!(
            "it is {} bytes, more than a scenario's limit of {MAX_SCENARIO_BYTES}",
            metadata.len()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|error| cannot(error.to_string()))?;
    let name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| name_or_path.to_string());
    Scenario::parse(definition, &name, &text)
        .map_err(|error| UsageError::new(format!("scenario file `{quoted}`: {error}")))
}
