//! Running the real binary in a temporary folder.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the command left behind.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// Runs `ecopark` with `args` from the repository root.
pub fn ecopark(args: &[&str]) -> Run {
    ecopark_with_env(args, &[])
}

/// Runs `ecopark` with `args` and extra environment variables.
pub fn ecopark_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_ecopark"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(repo_root())
        .output()
        .expect("the ecopark binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped park file, sorted.
pub fn shipped_parks() -> Vec<PathBuf> {
    let mut parks: Vec<PathBuf> = std::fs::read_dir(repo_root().join("parks"))
        .expect("parks/ exists")
        .filter_map(|entry| entry.ok().map(|e| e.path().join("park.toml")))
        .filter(|path| path.exists())
        .collect();
    parks.sort();
    assert!(parks.len() >= 3, "at least three shipped parks");
    parks
}

/// A path as a &str argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// Writes `text` to `name` in a fresh temporary folder.
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("the file is written");
    (dir, path)
}

/// Solves a park into a temporary folder and returns the folder and the parsed plan.
pub fn solve_to_temp(park: &Path, extra: &[&str]) -> (tempfile::TempDir, serde_json::Value, Run) {
    solve_to_temp_with_env(park, extra, &[])
}

/// As [`solve_to_temp`], with extra environment variables.
pub fn solve_to_temp_with_env(
    park: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (tempfile::TempDir, serde_json::Value, Run) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let mut args = vec!["solve", arg(park), "--out", arg(&out)];
    args.extend_from_slice(extra);
    let run = ecopark_with_env(&args, env).expect_code(0);
    let text = std::fs::read_to_string(out.join("plan.json")).expect("plan.json is written");
    let plan = serde_json::from_str(&text).expect("plan.json is JSON");
    (dir, plan, run)
}
