//! Refusing, before any work, outputs that would destroy an input or each
//! other: `render P.toml -o P.toml` would have overwritten the profile it
//! renders, `-o X --midi X` one output with the other.

use std::path::{Path, PathBuf};

use super::failure::Failure;

/// A file a command reads, named for the message.
pub struct Input<'a> {
    pub what: &'a str,
    pub path: &'a Path,
}

/// Checks that no output is a directory, an input, or another output.
pub fn refuse_clashes(inputs: &[Input<'_>], outputs: &[&Path]) -> Result<(), Failure> {
    for (i, output) in outputs.iter().enumerate() {
        if output.is_dir() {
            return Err(Failure::invalid(format!(
                "{}: is a directory; name a file to write",
                output.display()
            )));
        }
        for input in inputs {
            if same_file(output, input.path) {
                return Err(Failure::invalid(format!(
                    "{}: is the {} being read; write the output to another file",
                    output.display(),
                    input.what
                )));
            }
        }
        for other in &outputs[..i] {
            if same_file(output, other) {
                return Err(Failure::invalid(format!(
                    "{}: named for two outputs; give each its own file",
                    output.display()
                )));
            }
        }
    }
    Ok(())
}

/// Whether two paths name one file: the same place once links and `..`
/// are resolved, or (for files that exist) the same inode, which also
/// catches hard links.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    resolved(a) == resolved(b)
}

/// The absolute path a (possibly not yet existing) file would have.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(full) = path.canonicalize() {
        return full;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_on_an_input_or_another_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let profile = dir.path().join("p.toml");
        std::fs::write(&profile, "x").unwrap();
        let inputs = [Input {
            what: "profile",
            path: &profile,
        }];
        let via_dots = dir.path().join("sub/../p.toml");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let err = refuse_clashes(&inputs, &[&via_dots]).unwrap_err();
        assert!(
            err.message.contains("is the profile being read"),
            "{}",
            err.message
        );
        let out = dir.path().join("new.wav");
        let same_out = dir.path().join("sub/../new.wav");
        let err = refuse_clashes(&inputs, &[&out, &same_out]).unwrap_err();
        assert!(err.message.contains("two outputs"), "{}", err.message);
        assert!(refuse_clashes(&inputs, &[&out, &dir.path().join("new.mid")]).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_hard_link_to_an_input_is_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let profile = dir.path().join("p.toml");
        std::fs::write(&profile, "x").unwrap();
        let link = dir.path().join("link.wav");
        std::fs::hard_link(&profile, &link).unwrap();
        let inputs = [Input {
            what: "profile",
            path: &profile,
        }];
        assert!(refuse_clashes(&inputs, &[&link]).is_err());
    }
}
