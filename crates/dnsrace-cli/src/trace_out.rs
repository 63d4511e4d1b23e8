//! `--trace-out FILE` and `--trace-format FORMAT`: one property's trace as text, JSON,
//! ITF or a Mermaid sequence diagram.
//!
//! Which trace: the first violated property's counterexample, in the order the
//! properties were checked (the model's order, or the order of the `--property` flags);
//! if no property is violated, the first reached `sometimes` property's example. To get
//! another property's trace, select it with `--property`.

use std::path::{Path, PathBuf};

use clap::Args;
use dnsrace_checker::export::export_model_trace;
use dnsrace_checker::{headline_trace, Report, TraceFormat};
use dnsrace_core::Presentation;

use crate::{emit, UsageError};

/// The flags that export a trace.
#[derive(Args, Debug)]
pub struct TraceArgs {
    /// Also write one property's trace to FILE: the first violated property's
    /// counterexample (in the order checked; `--property` chooses), or if none is
    /// violated the first reached example.
    #[arg(long, value_name = "FILE")]
    pub trace_out: Option<PathBuf>,

    /// The trace's format: text, json, itf (Apalache's Informal Trace Format) or mermaid
    /// (a sequence diagram). Default: from FILE's name (`.itf.json` itf, `.json` json,
    /// `.mmd` mermaid, otherwise text). Without --trace-out, print only that trace on
    /// stdout, instead of the report.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub trace_format: Option<TraceFormat>,
}

fn parse_format(name: &str) -> Result<TraceFormat, String> {
    TraceFormat::from_name(name).ok_or_else(|| {
        format!(
            "`{name}` is not a trace format; the formats are: {}",
            TraceFormat::ALL.map(TraceFormat::name).join(", ")
        )
    })
}

impl TraceArgs {
    /// Whether stdout gets the trace instead of the report (`--trace-format` alone).
    pub fn replaces_report(&self) -> bool {
        self.trace_format.is_some() && self.trace_out.is_none()
    }

    /// Refuses what cannot work before a long check starts: a FILE that cannot be written
    /// (see [`check_writable`]), and `--trace-format` alone with `--json` (both would own
    /// stdout).
    pub fn validate(&self, json: bool) -> Result<(), UsageError> {
        if json && self.replaces_report() {
            return Err(UsageError::new(
                "--trace-format without --trace-out prints the trace instead of the report, \
                 and so does --json: give --trace-out FILE, or leave out --json",
            ));
        }
        let Some(path) = &self.trace_out else {
            return Ok(());
        };
        check_writable("--trace-out", path)
    }

    fn format_for(&self, path: Option<&Path>) -> TraceFormat {
        self.trace_format.unwrap_or_else(|| {
            path.and_then(Path::file_name)
                .map_or(TraceFormat::Text, |name| {
                    TraceFormat::from_file_name(&name.to_string_lossy())
                })
        })
    }

    /// Writes the trace to `--trace-out`, or prints it (`--trace-format` alone), if one
    /// of the two was given. `source` says where the trace comes from (for ITF).
    pub fn export<M: Presentation>(
        &self,
        model: &M,
        report: &Report,
        source: &str,
    ) -> Result<(), UsageError> {
        if self.trace_out.is_none() && self.trace_format.is_none() {
            return Ok(());
        }
        let path = self.trace_out.as_deref();
        let format = self.format_for(path);
        let Some((property, trace)) = headline_trace(report) else {
            crate::complain(&format!(
                "note: no property has a counterexample or an example, so there is no trace{}.",
                path.map_or(String::new(), |path| format!(
                    "; nothing written to {}",
                    path.display()
                ))
            ));
            return Ok(());
        };
        let text = export_model_trace(format, model, property, trace, source);
        match path {
            None => emit(&text),
            Some(path) => {
                std::fs::write(path, text).map_err(|error| {
                    UsageError::new(format!(
                        "cannot write --trace-out `{}`: {error}",
                        path.display()
                    ))
                })?;
                crate::complain(&format!(
                    "Wrote the trace of \"{}\" ({}, {} states) to {} as {}.",
                    property.name,
                    property.verdict,
                    trace.len(),
                    path.display(),
                    format.name()
                ));
                Ok(())
            }
        }
    }
}

/// Refuses, before any work, an output path that cannot take a file: a folder, a FIFO or
/// a device (writing to one could block or fail after the whole check), a folder that
/// does not exist, a name the file system refuses, or a file without write permission.
/// A path that does not exist yet is created and removed again, to ask the file system.
pub fn check_writable(flag: &str, path: &Path) -> Result<(), UsageError> {
    let shown = crate::cli_error::shorten(&path.display().to_string());
    let refuse = |why: String| Err(UsageError::new(format!("{flag} `{shown}`{why}")));
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => refuse(" is a folder: give the path of a file".into()),
        Ok(metadata) if !metadata.is_file() => {
            refuse(" is not a regular file (a FIFO or a device): give the path of a file".into())
        }
        Ok(_) => match std::fs::OpenOptions::new().append(true).open(path) {
            Ok(_) => Ok(()),
            Err(error) => refuse(format!(" cannot be written: {error}")),
        },
        Err(_) => {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(folder) = folder.filter(|folder| !folder.is_dir()) {
                let folder = crate::cli_error::shorten(&folder.display().to_string());
                return refuse(format!(": the folder `{folder}` does not exist"));
            }
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(_) => {
                    let _ = std::fs::remove_file(path);
                    Ok(())
                }
                Err(error) => refuse(format!(" cannot be created: {error}")),
            }
        }
    }
}
