//! Checkpoints: a search saved at a level boundary, so that a run stopped by Ctrl-C, a
//! bound or `kill -9` can be resumed with the same counts, verdicts and traces.
//!
//! # What is saved
//!
//! Between two levels the whole search is the visited set (fingerprint, parent tag and,
//! with liveness, number of every state found), the frontier (fingerprints and packed
//! states), the first state found for each decided property, the counters, and with
//! liveness the recorded graph. Fingerprints of packed states are XXH3 of their bytes,
//! the same on every run, machine and version, so they can be written down; that is why
//! only a model with a [`StateCodec`](dnsrace_core::StateCodec) can be checkpointed.
//!
//! # The file
//!
//! `DIR/checkpoint`, little-endian: a magic line and format number, the run's *identity*
//! (pairs such as `variant = as-built`: the caller's, then the engine's own: version,
//! state width, symmetry, properties), then the sections, then the XXH3 of every byte
//! before it. A checkpoint is written to `DIR/checkpoint.partial`, flushed to disk and
//! renamed over `DIR/checkpoint`, so a process killed while writing leaves the previous
//! checkpoint whole; a leftover `.partial` is never read. Resuming reads and verifies
//! the whole file, and compares identities, before any state is explored.

use std::fmt::{self, Display, Formatter};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// The name of the checkpoint file in its folder.
pub const CHECKPOINT_FILE: &str = "checkpoint";
/// The name it has while it is being written.
pub const PARTIAL_FILE: &str = "checkpoint.partial";

const MAGIC: &[u8] = b"dnsrace checkpoint\n";
const FORMAT: u32 = 1;

/// Where and how often a check saves itself ([`CheckOptions::checkpoint`](crate::CheckOptions)).
#[derive(Clone, Debug)]
pub struct CheckpointOptions {
    /// The folder of the checkpoint (created if missing).
    pub dir: PathBuf,
    /// The least time between two checkpoints; one is written at the first level
    /// boundary after it has passed (`Duration::ZERO`: at every boundary), and always when
    /// a bound (a timeout, Ctrl-C, memory) stops the search after its initial states;
    /// with liveness, also when the search is over, before the analysis.
    pub every: Duration,
    /// What the run is, as `(what, value)` pairs (the model, its configuration...). A
    /// resume is refused unless they are the same.
    pub identity: Vec<(String, String)>,
}

impl CheckpointOptions {
    /// Checks, before a search starts, that the folder exists or can be made and that a
    /// file can be written in it.
    pub fn prepare(&self) -> Result<(), CheckpointError> {
        let io = |source| CheckpointError::Io {
            path: self.dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let probe = self.dir.join(PARTIAL_FILE);
        File::create(&probe).map_err(|source| CheckpointError::Io {
            path: probe.clone(),
            source,
        })?;
        std::fs::remove_file(&probe).map_err(|source| CheckpointError::Io {
            path: probe,
            source,
        })
    }

    /// The checkpoint file.
    pub fn file(&self) -> PathBuf {
        self.dir.join(CHECKPOINT_FILE)
    }
}

/// What checkpointing did during a check, for the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckpointStatus {
    /// The checkpoint file.
    pub path: PathBuf,
    /// The depth the run resumed at, if it was resumed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resumed_at_depth: Option<usize>,
    /// Checkpoints written by this run.
    pub writes: u32,
    /// The size of the last one written (or read, if none was written), in bytes.
    pub bytes: u64,
    /// The depth of the frontier the last one holds.
    pub depth: usize,
    /// The distinct states it holds.
    pub distinct: usize,
    /// Why the last write failed, if it did (the search goes on without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// Why a checkpoint cannot be written or resumed.
#[derive(Debug)]
pub enum CheckpointError {
    /// The model has no state codec, so its states cannot be saved.
    NoCodec,
    /// Reading or writing failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The folder holds no checkpoint.
    Missing {
        /// The folder.
        dir: PathBuf,
    },
    /// A fresh run would overwrite a checkpoint.
    Exists {
        /// The checkpoint file.
        path: PathBuf,
    },
    /// The file is not a whole checkpoint of this format.
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The checkpoint is of another run.
    Mismatch {
        /// The file.
        path: PathBuf,
        /// `(what, in the checkpoint, in this run)`, each difference.
        differences: Vec<(String, String, String)>,
    },
}

impl Display for CheckpointError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            CheckpointError::NoCodec => f.write_str(
                "this model has no state codec (`Presentation::codec`), so its search cannot \
                 be saved",
            ),
            CheckpointError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CheckpointError::Missing { dir } => write!(
                f,
                "{}: no checkpoint here (no file `{CHECKPOINT_FILE}`); write one with \
                 --checkpoint {0}",
                dir.display()
            ),
            CheckpointError::Exists { path } => write!(
                f,
                "{}: a checkpoint is already there; take it up with --resume, or remove it \
                 to start afresh",
                path.display()
            ),
            CheckpointError::Damaged { path, why } => write!(
                f,
                "{}: not a whole dnsrace checkpoint ({why})",
                path.display()
            ),
            CheckpointError::Mismatch { path, differences } => {
                write!(f, "{}: the checkpoint is of another run:", path.display())?;
                for (what, saved, now) in differences {
                    write!(
                        f,
                        " {what} is {} there, {} here;",
                        shorten(saved),
                        shorten(now)
                    )?;
                }
                f.write_str(" resume with the same options, or start afresh")
            }
        }
    }
}

impl std::error::Error for CheckpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CheckpointError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A value quoted in an error, cut to a readable length.
fn shorten(value: &str) -> String {
    const LIMIT: usize = 80;
    match value.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("`{}…`", &value[..end]),
        None => format!("`{value}`"),
    }
}

/// The differences between two identities, in order.
pub(crate) fn differences(
    saved: &[(String, String)],
    now: &[(String, String)],
) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (what, value) in now {
        match saved.iter().find(|(key, _)| key == what) {
            Some((_, old)) if old == value => {}
            Some((_, old)) => found.push((what.clone(), old.clone(), value.clone())),
            None => found.push((what.clone(), "absent".to_string(), value.clone())),
        }
    }
    for (what, old) in saved {
        if !now.iter().any(|(key, _)| key == what) {
            found.push((what.clone(), old.clone(), "absent".to_string()));
        }
    }
    found
}

/// Writes little-endian values to a file and hashes every byte.
pub(crate) struct Writer {
    out: BufWriter<File>,
    hasher: Xxh3,
    written: u64,
}

impl Writer {
    pub(crate) fn create(path: &Path) -> io::Result<Self> {
        let mut writer = Writer {
            out: BufWriter::with_capacity(1 << 20, File::create(path)?),
            hasher: Xxh3::new(),
            written: 0,
        };
        writer.bytes(MAGIC)?;
        writer.u32(FORMAT)?;
        Ok(writer)
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        self.out.write_all(bytes)
    }

    pub(crate) fn u32(&mut self, value: u32) -> io::Result<()> {
        self.bytes(&value.to_le_bytes())
    }

    pub(crate) fn u64(&mut self, value: u64) -> io::Result<()> {
        self.bytes(&value.to_le_bytes())
    }

    pub(crate) fn string(&mut self, value: &str) -> io::Result<()> {
        self.u64(value.len() as u64)?;
        self.bytes(value.as_bytes())
    }

    /// A length, then the values.
    pub(crate) fn u64s(&mut self, values: &[u64]) -> io::Result<()> {
        self.u64(values.len() as u64)?;
        self.u64_values(values)
    }

    /// The values, without their length.
    pub(crate) fn u64_values(&mut self, values: &[u64]) -> io::Result<()> {
        self.words(values, |value| value.to_le_bytes())
    }

    /// A length, then the values.
    pub(crate) fn u32s(&mut self, values: &[u32]) -> io::Result<()> {
        self.u64(values.len() as u64)?;
        self.words(values, |value| value.to_le_bytes())
    }

    /// Fixed-size values, little-endian, in blocks.
    fn words<T, const N: usize>(
        &mut self,
        values: &[T],
        to_le: impl Fn(&T) -> [u8; N],
    ) -> io::Result<()> {
        let mut buffer = Vec::with_capacity(N * 4096);
        for block in values.chunks(4096) {
            buffer.clear();
            for value in block {
                buffer.extend_from_slice(&to_le(value));
            }
            self.bytes(&buffer)?;
        }
        Ok(())
    }

    /// A length, then the bytes.
    pub(crate) fn byte_vec(&mut self, values: &[u8]) -> io::Result<()> {
        self.u64(values.len() as u64)?;
        self.bytes(values)
    }

    /// Writes the checksum and makes the file durable; returns its size.
    pub(crate) fn finish(mut self) -> io::Result<u64> {
        let digest = self.hasher.digest();
        self.out.write_all(&digest.to_le_bytes())?;
        let file = self
            .out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        Ok(self.written + 8)
    }
}

/// Replaces `dir/checkpoint` by the finished `dir/checkpoint.partial`, durably.
pub(crate) fn publish(dir: &Path) -> io::Result<()> {
    std::fs::rename(dir.join(PARTIAL_FILE), dir.join(CHECKPOINT_FILE))?;
    // The rename itself reaches the disk when the folder is synced (where folders can be
    // opened: not on every system).
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Reads what [`Writer`] wrote, checking lengths against the file's size.
pub(crate) struct Reader {
    input: BufReader<File>,
    hasher: Xxh3,
    left: u64,
    path: PathBuf,
}

impl Reader {
    /// Opens `dir/checkpoint` and reads its magic line and format.
    pub(crate) fn open(dir: &Path) -> Result<Self, CheckpointError> {
        let path = dir.join(CHECKPOINT_FILE);
        // Not a regular file (a FIFO would block the open): refused unopened.
        if std::fs::metadata(&path).is_ok_and(|metadata| !metadata.is_file()) {
            return Err(CheckpointError::Damaged {
                path,
                why: "it is not a regular file".to_string(),
            });
        }
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(CheckpointError::Missing {
                    dir: dir.to_path_buf(),
                })
            }
            Err(source) => return Err(CheckpointError::Io { path, source }),
        };
        let metadata = file.metadata().map_err(|source| CheckpointError::Io {
            path: path.clone(),
            source,
        })?;
        if !metadata.is_file() {
            return Err(CheckpointError::Damaged {
                path,
                why: "it is not a regular file".to_string(),
            });
        }
        let mut reader = Reader {
            input: BufReader::with_capacity(1 << 20, file),
            hasher: Xxh3::new(),
            left: metadata.len().saturating_sub(8),
            path,
        };
        if metadata.len() < MAGIC.len() as u64 + 12 {
            return Err(reader.damaged("it is too short"));
        }
        let mut magic = vec![0; MAGIC.len()];
        reader.fill(&mut magic)?;
        if magic != MAGIC {
            return Err(reader.damaged("it does not start as one"));
        }
        let format = reader.u32()?;
        if format != FORMAT {
            return Err(reader.damaged(&format!(
                "format {format}; this dnsrace reads format {FORMAT}"
            )));
        }
        Ok(reader)
    }

    pub(crate) fn damaged(&self, why: &str) -> CheckpointError {
        CheckpointError::Damaged {
            path: self.path.clone(),
            why: why.to_string(),
        }
    }

    fn fill(&mut self, buffer: &mut [u8]) -> Result<(), CheckpointError> {
        if buffer.len() as u64 > self.left {
            return Err(self.damaged("it ends early"));
        }
        self.input
            .read_exact(buffer)
            .map_err(|source| CheckpointError::Io {
                path: self.path.clone(),
                source,
            })?;
        self.left -= buffer.len() as u64;
        self.hasher.update(buffer);
        Ok(())
    }

    pub(crate) fn u32(&mut self) -> Result<u32, CheckpointError> {
        let mut bytes = [0; 4];
        self.fill(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, CheckpointError> {
        let mut bytes = [0; 8];
        self.fill(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    /// A length of `size`-byte items, checked against what is left of the file.
    fn length(&mut self, size: u64) -> Result<usize, CheckpointError> {
        let length = self.u64()?;
        if length.saturating_mul(size) > self.left {
            return Err(self.damaged("a length runs past its end"));
        }
        Ok(length as usize)
    }

    pub(crate) fn string(&mut self) -> Result<String, CheckpointError> {
        let length = self.length(1)?;
        let mut bytes = vec![0; length];
        self.fill(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| self.damaged("a name is not UTF-8"))
    }

    pub(crate) fn u64s(&mut self) -> Result<Vec<u64>, CheckpointError> {
        self.words(u64::from_le_bytes)
    }

    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, CheckpointError> {
        self.words(u32::from_le_bytes)
    }

    /// A length, then `(u64, u32, u32)` records (the visited set's entries).
    pub(crate) fn records(&mut self) -> Result<Vec<(u64, u32, u32)>, CheckpointError> {
        self.words(|b: [u8; 16]| {
            (
                u64::from_le_bytes(b[..8].try_into().expect("8 bytes")),
                u32::from_le_bytes(b[8..12].try_into().expect("4 bytes")),
                u32::from_le_bytes(b[12..].try_into().expect("4 bytes")),
            )
        })
    }

    /// A length, then fixed-size little-endian values, read in blocks.
    fn words<T, const N: usize>(
        &mut self,
        from_le: impl Fn([u8; N]) -> T,
    ) -> Result<Vec<T>, CheckpointError> {
        let length = self.length(N as u64)?;
        let mut values = Vec::with_capacity(length);
        let mut buffer = vec![0; N * 4096];
        while values.len() < length {
            let n = (length - values.len()).min(4096);
            self.fill(&mut buffer[..N * n])?;
            values.extend(
                buffer[..N * n]
                    .chunks_exact(N)
                    .map(|b| from_le(b.try_into().expect("N bytes"))),
            );
        }
        Ok(values)
    }

    pub(crate) fn byte_vec(&mut self) -> Result<Vec<u8>, CheckpointError> {
        let length = self.length(1)?;
        let mut bytes = vec![0; length];
        self.fill(&mut bytes)?;
        Ok(bytes)
    }

    /// Checks that the file ends here with the checksum of everything read; returns the
    /// file's size.
    pub(crate) fn finish(mut self) -> Result<u64, CheckpointError> {
        if self.left != 0 {
            return Err(self.damaged("it goes on past its last section"));
        }
        let digest = self.hasher.digest();
        let mut stored = [0; 8];
        self.input
            .read_exact(&mut stored)
            .map_err(|source| CheckpointError::Io {
                path: self.path.clone(),
                source,
            })?;
        if u64::from_le_bytes(stored) != digest {
            return Err(self.damaged("its checksum does not match: the file was changed"));
        }
        let size = self
            .input
            .get_ref()
            .metadata()
            .map(|metadata| metadata.len())
            .unwrap_or_default();
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_each_field_that_changed() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        let saved = vec![pair("variant", "as-built"), pair("enactors", "3")];
        let now = vec![pair("variant", "guarded-delete"), pair("enactors", "3")];
        assert_eq!(
            differences(&saved, &now),
            vec![(
                "variant".to_string(),
                "as-built".to_string(),
                "guarded-delete".to_string()
            )]
        );
        assert!(differences(&saved, &saved).is_empty());
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(10_000);
        assert!(shorten(&long).chars().count() < 90);
    }
}
