//! The command line as a whole: help, version, completions, exit codes.

use std::path::Path;

use crate::support::Test;

#[test]
fn help_lists_only_working_commands() {
    Test::new().args(["--help"]).stdout_contains("link").stdout_contains("unlink").run();
}

#[test]
fn unknown_flag_is_a_usage_error() {
    Test::new().args(["link", "--nope"]).status(2).stderr_contains("--nope").run();
}

#[test]
fn checked_in_completions_are_current() {
    for (shell, file) in [
        ("bash", "substractl.bash"),
        ("zsh", "_substractl"),
        ("fish", "substractl.fish"),
        ("elvish", "substractl.elv"),
        ("powershell", "_substractl.ps1"),
    ] {
        // The hidden man command is not completed.
        let out = Test::new()
            .args(["completions", shell])
            .stdout_contains("certs")
            .stdout_lacks("manual page")
            .stdout_lacks("subcmd__man")
            .run()
            .stdout;
        let path = crate::support::fixture("../../completions").join(file);
        if std::env::var_os("SUBSTRACTL_BLESS").is_some() {
            std::fs::write(&path, &out).expect("write completions");
        }
        let checked_in = std::fs::read(&path).unwrap_or_default();
        assert!(
            checked_in == out.as_bytes(),
            "completions/{file} is stale: run SUBSTRACTL_BLESS=1 cargo test checked_in_completions"
        );
    }
}

/// Every page under man/ is what `substractl man PAGE` prints, and no page is missing or left over.
#[test]
fn checked_in_man_pages_are_current() {
    let list = Test::new().args(["man", "--list"]).run().stdout;
    let pages: Vec<String> = list.lines().map(str::to_string).collect();
    for expected in
        ["substractl", "substractl-link", "substractl-certs-gen", "substractl-check-links"]
    {
        assert!(pages.iter().any(|p| p == expected), "no page {expected}: {pages:?}");
    }
    let dir = crate::support::fixture("../../man");
    let bless = std::env::var_os("SUBSTRACTL_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).expect("man/");
    }
    for page in &pages {
        let text = Test::new().args(["man", page]).run().stdout;
        for section in ["EXIT STATUS", "ENVIRONMENT", "NO_COLOR", "COLUMNS", "EXAMPLES", "SEE ALSO"]
        {
            assert!(text.contains(section), "{page}.1 has no {section}:\n{text}");
        }
        assert!(text.contains("\\fB70\\fR"), "{page}.1 does not explain exit code 70");
        // Every page it points to exists.
        for word in text.split(|c: char| c.is_whitespace() || c == ',') {
            if let Some(target) = word.strip_suffix("(1)") {
                let target = target.replace("\\-", "-");
                if target.starts_with("substractl") {
                    assert!(
                        pages.contains(&target),
                        "{page}.1 points to a missing page {target}(1)"
                    );
                }
            }
        }
        let path = dir.join(format!("{page}.1"));
        if bless {
            std::fs::write(&path, &text).expect("write man page");
        }
        assert!(
            std::fs::read(&path).unwrap_or_default() == text.as_bytes(),
            "man/{page}.1 is stale: run SUBSTRACTL_BLESS=1 cargo test checked_in_man_pages"
        );
    }
    let mut checked_in: Vec<String> = std::fs::read_dir(&dir)
        .expect("man/ exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    checked_in.sort();
    let mut wanted: Vec<String> = pages.iter().map(|p| format!("{p}.1")).collect();
    wanted.sort();
    assert_eq!(checked_in, wanted, "man/ holds pages substractl does not make, or lacks some");
}

#[test]
fn unknown_man_page_is_a_usage_error() {
    Test::new()
        .args(["man", "substractl-nope"])
        .status(2)
        .stderr_contains("substractl-certs-gen")
        .run();
}

/// The lines of the first table in some output: its header line to the first blank line.
fn table_lines(output: &str) -> Vec<&str> {
    output
        .lines()
        .skip_while(|l| !l.starts_with(" server") && !l.starts_with(" file"))
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// Every visible character of a table, sorted: the same whether or not cells wrapped. Hex digits
/// count as one (fingerprints and dates differ between runs), the header rule not at all.
fn table_text(lines: &[&str]) -> Vec<char> {
    let mut chars: Vec<char> = lines
        .iter()
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace() && *c != '─')
        .map(|c| if c.is_ascii_hexdigit() && !c.is_ascii_lowercase() { '#' } else { c })
        .collect();
    chars.sort_unstable();
    chars
}

/// Runs `args` piped (full width) and in 80- and 120-column terminals, each time in a fresh copy
/// made by `setup`, exiting with `status`: the terminal tables fit and hold the same text as the
/// piped one.
fn assert_table_fits(setup: impl Fn(&Path), args: &[&str], status: i32) {
    let test = Test::new();
    setup(&test.path());
    let piped = test.args(args).status(status).run().stdout;
    let wide = table_lines(&piped);
    assert!(!wide.is_empty(), "no table in:\n{piped}");
    let widest = wide.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest > 120, "the piped table is not wide ({widest} columns):\n{piped}");
    for columns in [80, 120] {
        let test = Test::new();
        setup(&test.path());
        let shown = test.args(args).pty(columns).status(status).run().stdout;
        let lines = table_lines(&shown);
        assert!(lines.len() > wide.len(), "nothing wrapped at {columns} columns:\n{shown}");
        for line in &lines {
            assert!(
                line.chars().count() <= usize::from(columns),
                "a line is wider than {columns} columns:\n{line}\nin:\n{shown}"
            );
        }
        assert_eq!(
            table_text(&lines),
            table_text(&wide),
            "text was lost at {columns} columns:\n{shown}\npiped:\n{piped}"
        );
    }
}

fn copy_example(to: &Path) {
    let from = crate::support::fixture("../../examples/two-orgs");
    for entry in std::fs::read_dir(from).expect("examples/two-orgs") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// The example, linked, with a `channel` key added to ingen's first incoming entry: a pair
/// whose problem takes a long line to explain.
fn example_with_a_problem(dir: &Path) {
    copy_example(dir);
    Test::in_dir(dir).args(["link", "ingen", "biotechnica"]).run();
    let path = dir.join("backend-ingen-values.yaml");
    let text = std::fs::read_to_string(&path).expect("values");
    let text = text.replacen("    - name: ingen\n", "    - name: ingen\n      channel: c\n", 1);
    std::fs::write(&path, text).expect("write");
}

#[test]
fn link_table_with_reasons_fits_the_terminal() {
    assert_table_fits(example_with_a_problem, &["link", "ingen", "biotechnica", "--dry-run"], 0);
}

#[test]
fn check_links_table_fits_the_terminal() {
    assert_table_fits(example_with_a_problem, &["check", "links"], 1);
}

#[test]
fn certs_gen_table_fits_the_terminal() {
    assert_table_fits(
        |_| {},
        &[
            "certs",
            "gen",
            "--out",
            "certs",
            "--host",
            "orchestrator.cluster-1.example",
            "--service",
            "orchestrator-server.orchestrator",
            "--org",
            "ingen=api.ingen.example",
            "--org",
            "biotechnica",
            "--manifests",
        ],
        0,
    );
}

#[test]
fn columns_sets_the_width_of_piped_tables() {
    let out = Test::new()
        .tree("link/guide-mistakes/in")
        .args(["link", "ingen", "biotechnica", "--dry-run"])
        .env("COLUMNS", "90")
        .status(0)
        .run()
        .stdout;
    let lines = table_lines(&out);
    assert!(lines.iter().all(|l| l.chars().count() <= 90), "{out}");
    assert!(lines.iter().any(|l| l.chars().count() > 80), "{out}");
}

/// Organizations are named by file name and their MSP IDs read from the files: the README and
/// every command's help say so.
#[test]
fn help_and_readme_say_names_are_file_names() {
    for args in [&["link", "--help"][..], &["unlink", "--help"], &["check", "links", "--help"]] {
        let out = Test::new().args(args).run().stdout;
        let help = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(help.contains("by file name"), "{args:?}: {help}");
        assert!(help.contains("read from"), "{args:?}: {help}");
    }
    let readme =
        std::fs::read_to_string(crate::support::fixture("../../README.md")).expect("README");
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(readme.contains("Organizations are named by file name"), "README.md");
    assert!(
        readme.contains("MSP IDs written into the entries are read from the files"),
        "README.md"
    );
}

/// With colour on, the escape codes take no room: every column starts where its header does.
#[test]
fn coloured_tables_stay_aligned() {
    let test = Test::new();
    example_with_a_problem(&test.path());
    let out = test.args(["check", "links", "--color", "always"]).status(1).run().stdout;
    assert!(out.contains('\x1b'), "not coloured: {out}");
    let plain = regex::Regex::new("\x1b\\[[0-9;]*m").expect("regex").replace_all(&out, "");
    let header = plain.lines().next().expect("header");
    let column = header.find("problem").expect("problem column");
    let row = plain.lines().find(|l| l.contains("an entry has")).expect("a problem row");
    assert_eq!(row.find("an entry has"), Some(column), "misaligned:\n{plain}");
}

/// Errors follow `--color` like every other output: never coloured with `--color never`, even on
/// a terminal that would be coloured by default; coloured with `--color always`, even in a pipe.
#[test]
fn errors_follow_the_color_flag() {
    let run_in_terminal = |color: &str| {
        Test::new()
            .args(["check", "links", "--dir", "missing", "--color", color])
            .env_remove("NO_COLOR")
            .env("TERM", "xterm")
            .pty(80)
            .status(2)
            .run()
            .stdout
    };
    let auto = run_in_terminal("auto");
    assert!(auto.contains("\x1b[") && auto.contains("error:"), "{auto:?}");
    let never = run_in_terminal("never");
    assert!(!never.contains('\x1b') && never.contains("error:"), "{never:?}");

    Test::new()
        .args(["check", "links", "--dir", "missing", "--color", "always"])
        .status(2)
        .stderr_contains("\x1b[31merror:\x1b[0m")
        .run();
}
