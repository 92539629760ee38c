//! Output files that never destroy what was there.
//!
//! A file is written to a hidden temporary file beside its target and
//! renamed over it only once complete and synced: a render that fails half
//! way (a full disk, a file-size limit, Ctrl-C) leaves the old file as it
//! was and no partial file behind. Beside the target, not in /tmp, because
//! a rename is atomic only within one file system.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A file being written; dropped without `commit`, it is removed.
pub struct OutputFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl OutputFile {
    /// Starts writing `target` (which is not touched until `commit`).
    pub fn create(target: &Path) -> Result<OutputFile> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .with_context(|| format!("{}: not a file name", target.display()))?;
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        builder.suffix(".partial");
        // The file a user asked for gets the usual permissions (0666 less
        // the umask), not the temporary file's private 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(dir)
            .with_context(|| format!("{}: cannot create", target.display()))?;
        Ok(OutputFile {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// The temporary file, to write into.
    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Makes sure every byte reached the disk, then puts the file in place.
    pub fn commit(mut self) -> Result<()> {
        let target = self.target;
        self.temp
            .as_file_mut()
            .flush()
            .and_then(|()| self.temp.as_file().sync_all())
            .with_context(|| format!("{}: write failed", target.display()))?;
        self.temp
            .persist(&target)
            .map_err(|e| e.error)
            .with_context(|| format!("{}: cannot put the file in place", target.display()))?;
        Ok(())
    }
}

/// Writes `bytes` to `target` through an `OutputFile`.
pub fn write_bytes(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = OutputFile::create(target)?;
    out.file()
        .write_all(bytes)
        .with_context(|| format!("{}: write failed", target.display()))?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("session.wav");
        std::fs::write(&target, b"the old render").unwrap();
        {
            let mut out = OutputFile::create(&target).unwrap();
            out.file().write_all(b"half a new ren").unwrap();
            // Dropped without commit: the render failed.
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"the old render");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a partial file was left behind");
    }

    #[test]
    fn a_committed_write_replaces_the_file_with_the_usual_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("click.mid");
        std::fs::write(&target, b"old").unwrap();
        write_bytes(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_ne!(mode & 0o044, 0, "mode {mode:o}: only the owner can read it");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
