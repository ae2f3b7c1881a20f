//! Turning command-line paths into the list of inputs.
//!
//! Directories are walked with the `ignore` crate, ripgrep's walker, so
//! `.gitignore`, `.ignore` and hidden-file conventions are respected exactly as
//! developers expect; a `.plimsollignore` file works the same way for files
//! only plimsoll should skip. A path named explicitly is always read.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// One input to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file on disk.
    File {
        /// The path as given or as found.
        path: PathBuf,
        /// Whether the user named it, rather than the walker finding it.
        explicit: bool,
    },
    /// Standard input, shown under `name`.
    Stdin {
        /// `--stdin-filename`, or `<stdin>`.
        name: PathBuf,
    },
    /// Text already in memory, such as an editor's unsaved buffer.
    Memory {
        /// The path shown for it.
        name: PathBuf,
        /// The text.
        text: String,
    },
}

impl Input {
    /// The path shown to the user.
    pub fn path(&self) -> &Path {
        match self {
            Input::File { path, .. } => path,
            Input::Stdin { name } | Input::Memory { name, .. } => name,
        }
    }

    /// Whether the user named this input.
    pub fn explicit(&self) -> bool {
        match self {
            Input::File { explicit, .. } => *explicit,
            Input::Stdin { .. } | Input::Memory { .. } => true,
        }
    }
}

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub struct WalkError {
    /// The path concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// The file extensions read when walking a directory.
const MANIFEST_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Expands `paths` into inputs, sorted by path and without duplicates. `-`
/// means standard input.
pub fn discover(paths: &[PathBuf], stdin_name: &Path) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin {
                name: stdin_name.to_owned(),
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input::File {
                path: path.clone(),
                explicit: true,
            }),
            Err(error) => errors.push(WalkError {
                path: path.clone(),
                message: describe_io_error(&error),
            }),
        }
    }
    let mut inputs = sorted(inputs);
    // Only files are merged: a file found by walking and also named is read
    // once. Standard input is never merged, neither with a file that has its
    // `--stdin-filename` nor with a second `-`, which the caller rejects.
    inputs.dedup_by(|a, b| {
        matches!((&*a, &*b), (Input::File { .. }, Input::File { .. })) && a.path() == b.path()
    });
    (inputs, errors)
}

/// `inputs` by path; at one path files before standard input, and a named
/// file before the same file found by walking, so that a merge keeps the
/// named one.
fn sorted(inputs: Vec<Input>) -> Vec<Input> {
    // Comparing two paths splits both into components every time; a byte
    // key per path, compared with `memcmp`, sorts thousands of walked files
    // several times faster in the same order. The position makes every key
    // distinct, so the order is stable.
    let mut keys: Vec<(Vec<u8>, bool, bool, usize)> = inputs
        .iter()
        .enumerate()
        .map(|(position, input)| {
            let is_stdin = matches!(input, Input::Stdin { .. });
            (
                path_key(input.path()),
                is_stdin,
                !input.explicit(),
                position,
            )
        })
        .collect();
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|key| key.3).collect();
    let mut slots: Vec<Option<Input>> = inputs.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Bytes that sort as `Path`'s order does, which compares components in
/// turn: each component is a tag in the order of [`Component`]'s variants,
/// its bytes, and a 0, which no component holds and which sorts a
/// component before any longer one it begins. (Windows drive prefixes of
/// different kinds may sort otherwise; that changes only the output order.)
fn path_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let tag = match component {
            Component::Prefix(_) => 1,
            Component::RootDir => 2,
            Component::CurDir => 3,
            Component::ParentDir => 4,
            Component::Normal(_) => 5,
        };
        key.push(tag);
        key.extend_from_slice(component.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

/// Walks `dir` with as many threads as the current rayon pool has: on a
/// tree of thousands of files the walk is mostly system calls, which
/// overlap well. The caller sorts what is found.
fn walk(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<WalkError>) {
    let found = Mutex::new((Vec::new(), Vec::new()));
    ignore::WalkBuilder::new(dir)
        .add_custom_ignore_filename(".plimsollignore")
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let outcome = match entry {
                    Ok(entry) => manifest(entry).map(Ok),
                    Err(error) => Some(Err(WalkError {
                        path: error_path(&error).unwrap_or_else(|| dir.to_owned()),
                        message: error.to_string(),
                    })),
                };
                if let Some(outcome) = outcome {
                    let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                    match outcome {
                        Ok(input) => found.0.push(input),
                        Err(error) => found.1.push(error),
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let (mut found_inputs, mut found_errors) =
        found.into_inner().unwrap_or_else(|e| e.into_inner());
    found_errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    inputs.append(&mut found_inputs);
    errors.append(&mut found_errors);
}

/// The input for a walked entry that is a manifest: a regular file (FIFOs
/// and devices would block or never end) with a manifest extension.
fn manifest(entry: ignore::DirEntry) -> Option<Input> {
    if !entry.file_type().is_some_and(|t| t.is_file()) {
        return None;
    }
    let is_manifest = entry
        .path()
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    is_manifest.then(|| Input::File {
        path: entry.into_path(),
        explicit: false,
    })
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// `path` with `.` dropped and `..` applied to the component before it,
/// without asking the file system: how kustomize joins a kustomization's
/// directory and the paths it lists, and how `./k8s/a.yaml` (from a walk)
/// and `k8s/a.yaml` (from pre-commit) are known to be one file.
pub fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An I/O error in words a user can act on.
pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_as_kustomize_joins_them() {
        assert_eq!(
            lexically_normal(Path::new("a/./b/../c.yaml")),
            Path::new("a/c.yaml")
        );
        assert_eq!(
            lexically_normal(Path::new("./a/b.yaml")),
            Path::new("a/b.yaml")
        );
        assert_eq!(
            lexically_normal(Path::new("../x/../y.yaml")),
            Path::new("../y.yaml")
        );
        assert_eq!(lexically_normal(Path::new("/r/a/../b")), Path::new("/r/b"));
    }

    #[test]
    fn path_keys_sort_as_paths_do() {
        let paths = [
            "a/b",
            "a-b",
            "a",
            "a/b/c",
            "/x",
            "x",
            "./a",
            "../a",
            "a//b",
            "a/./b",
            "ab",
            "a.b/c",
            "a/b-c",
            "a/b/",
            "/",
            "a/b.yaml",
            "a/b/c.yaml",
            "b",
            "a/bc",
        ];
        let mut by_path: Vec<&Path> = paths.iter().map(Path::new).collect();
        let mut by_key = by_path.clone();
        by_path.sort();
        by_key.sort_by_key(|p| path_key(p));
        assert_eq!(by_key, by_path);
    }
}
