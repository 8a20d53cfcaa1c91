//! kubectl in the tests: the real one as the judge of the manifests substractl writes, and a
//! fake one first on PATH that records its command line and prints what it is told to.

use std::path::Path;

/// kubectl's own manifest for a command (`create secret ...`), run in `dir`: what
/// `--dry-run=client -o yaml -n NAMESPACE` prints.
pub fn manifest(dir: &Path, namespace: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("kubectl")
        .args(args)
        .args(["--dry-run=client", "-o", "yaml", "-n", namespace])
        .current_dir(dir)
        .output()
        .expect("kubectl is installed (scripts/test-deps)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}
