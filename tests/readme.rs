//! The README's examples run: every ```console block, in order, in one fresh copy of examples/,
//! with the built substractl first on PATH, prints what the README shows.
//!
//! A block preceded by `<!-- not run: REASON -->` (one needing a live orchestrator) is skipped.
//! Dates, day counts, fingerprints, serial numbers, secrets and the temporary directory are
//! normalised on both sides before comparing.

use std::path::Path;
use std::process::{Command, Stdio};

use regex::Regex;

use crate::support::Test;

/// One `$ ` command of the README and the output shown under it.
#[derive(Debug)]
struct Example {
    line: usize,
    command: String,
    expected: String,
}

/// Every command of every console block that is run, in order.
fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut skip_block = false;
    let mut previous = "";
    let mut continuing = false;
    for (i, line) in readme.lines().enumerate() {
        if !in_block {
            if line.trim_end() == "```console" {
                in_block = true;
                skip_block = previous.trim_start().starts_with("<!-- not run:");
            }
            if !line.trim().is_empty() {
                previous = line;
            }
            continue;
        }
        if line.trim_end() == "```" {
            in_block = false;
            continuing = false;
            continue;
        }
        if skip_block {
            continue;
        }
        if continuing {
            let last = examples.last_mut().expect("a command before its continuation");
            last.command.push('\n');
            last.command.push_str(line);
            continuing = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: i + 1,
                command: command.to_string(),
                expected: String::new(),
            });
            continuing = command.ends_with('\\');
        } else {
            let last = examples.last_mut().expect("a command before its output");
            last.expected.push_str(line);
            last.expected.push('\n');
        }
    }
    assert!(!in_block, "README.md: a ```console block is not closed");
    examples
}

/// What may differ between two runs, replaced by placeholders; trailing spaces and blank lines
/// at the end dropped.
fn normalise(text: &str, tmp: &Path) -> String {
    let rules = [
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "<TIME>"),
        (r"\d{4}-\d{2}-\d{2}", "<DATE>"),
        (r"\b\d+ (more )?days\b", "<N> ${1}days"),
        (r"\b([0-9A-F]{2}:){7,}[0-9A-F]{2}(…)?", "<FINGERPRINT>"),
        (r"SHA256:[A-Za-z0-9+/]{43}", "<SSH-FINGERPRINT>"),
        (r"\b[0-9a-fA-F]{16,}\b", "<HEX>"),
        (r"\b[A-Za-z0-9]{64}\b", "<SECRET>"),
    ];
    let mut text = text.replace(&tmp.display().to_string(), "<TMP>");
    for (pattern, replacement) in rules {
        let re = Regex::new(pattern).expect("pattern");
        text = re.replace_all(&text, replacement).into_owned();
    }
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
    lines[..end].join("\n")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Separates the output of one command from the next in the shell's output.
const MARK: &str = "@@substractl-readme-example@@";

#[test]
fn readme_examples_run_in_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let examples = examples(&readme);
    assert!(examples.len() >= 5, "too few examples found in README.md: {examples:?}");

    let tmp = tempfile::tempdir().expect("tempdir");
    let tmp_path = tmp.path().canonicalize().expect("canonical temp dir");
    copy_dir(&root.join("examples"), &tmp_path.join("examples"));

    // One shell runs every command, so that `$?` and files carry from one to the next; stderr
    // goes where stdout goes, as on a terminal.
    let mut script = String::from("exec 2>&1\n");
    for example in &examples {
        script.push_str(&example.command);
        script.push_str(&format!("\n__status=$?\nprintf '\\n{MARK}\\n'\n(exit $__status)\n"));
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_substractl")).parent().expect("bin dir");
    let mut path = std::ffi::OsString::from(bin_dir);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &script])
        .current_dir(&tmp_path)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &tmp_path)
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let outputs: Vec<&str> = stdout.split(&format!("\n{MARK}\n")).collect();
    assert_eq!(outputs.len(), examples.len() + 1, "the shell stopped early:\n{stdout}");

    let mut failures = Vec::new();
    for (example, actual) in examples.iter().zip(&outputs) {
        let expected = normalise(&example.expected, &tmp_path);
        let actual = normalise(actual, &tmp_path);
        if expected != actual {
            failures.push(format!(
                "README.md:{}: $ {}\n--- README\n{expected}\n--- actual\n{actual}\n",
                example.line, example.command
            ));
        }
    }
    assert!(failures.is_empty(), "README examples differ:\n{}", failures.join("\n"));
}

#[test]
fn readme_marks_only_the_examples_that_need_a_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let skipped = readme.matches("<!-- not run:").count();
    assert!(skipped <= 5, "{skipped} README examples are not run");
    for example in examples(&readme) {
        for needs_server in ["grpc list", "check orchestrator", "check outgoing", "check all"] {
            assert!(
                !example.command.contains(needs_server),
                "README.md:{}: an example that needs a server is run: {}",
                example.line,
                example.command
            );
        }
    }
}

/// The README's first set-up command runs substractl's main job on the built-in example and, being
/// a dry run, changes nothing there: the examples after it still start from a clean example.
#[test]
fn readme_set_up_command_runs_and_writes_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let set_up = readme.split("## Set up").nth(1).expect("a Set up section");
    let set_up = set_up.split("\n## ").next().unwrap_or(set_up);
    let commands: Vec<&str> = set_up
        .split("```sh\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .map(str::trim)
        .collect();
    assert_eq!(commands.len(), 2, "the set-up section has two commands: {commands:?}");
    assert_eq!(commands[1], "scripts/test");
    let args = commands[0]
        .strip_prefix("cargo run --release -- ")
        .expect("the first set-up command runs substractl through cargo");
    assert!(args.contains("examples/"), "it runs on a built-in example: {args}");

    let test = Test::new();
    copy_dir(&root.join("examples"), &test.path().join("examples"));
    let before = snapshot(&test.path().join("examples"));
    let out = test
        .args(args.split_whitespace())
        .stdout_contains("dry run: none of these changes was written")
        .unchanged()
        .run();
    assert_eq!(snapshot(&out.path().join("examples")), before, "the set-up command changed files");
    assert_eq!(std::fs::read_dir(out.path()).expect("dir").count(), 1, "it created files");
}

/// Every file under a directory with its bytes.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("file type").is_dir() {
            files.extend(snapshot(&entry.path()));
        } else {
            files.push((entry.path(), std::fs::read(entry.path()).expect("read")));
        }
    }
    files.sort();
    files
}
