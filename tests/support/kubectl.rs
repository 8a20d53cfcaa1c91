//! kubectl in the tests: the real one as the judge of the manifests substractl writes, and a
//! fake one first on PATH that records its command line and prints what it is told to.

use std::path::{Path, PathBuf};

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

/// A fake kubectl in `dir`/bin: it records its arguments in `dir`/argv and prints `pods` for
/// `get pod` and `table` for `exec`. Returns a PATH with it first, and the argv file.
pub fn fake(dir: &Path, pods: &str, table: &str) -> (String, PathBuf) {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let argv = dir.join("argv");
    std::fs::write(dir.join("pods"), pods).expect("pods");
    std::fs::write(dir.join("table"), table).expect("table");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{argv}'\ncase \"$*\" in\n  *'get pod '*) cat '{d}/pods' ;;\n  *'exec '*) cat '{d}/table' ;;\n  *) exit 1 ;;\nesac\n",
        argv = argv.display(),
        d = dir.display()
    );
    let kubectl = bin.join("kubectl");
    std::fs::write(&kubectl, script).expect("script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    (path, argv)
}

/// A manifest as kubectl reads it, without a cluster: `kubectl kustomize` of a directory that
/// holds only it, which parses it as a Kubernetes object and prints it back (keys sorted).
/// Panics, with kubectl's words, when kubectl does not take it.
pub fn read_back(manifest: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("manifest.yaml"), manifest).expect("manifest");
    std::fs::write(dir.path().join("kustomization.yaml"), "resources:\n- manifest.yaml\n")
        .expect("kustomization");
    let out = std::process::Command::new("kubectl")
        .args(["kustomize"])
        .arg(dir.path())
        .output()
        .expect("kubectl is installed (scripts/test-deps)");
    assert!(
        out.status.success(),
        "kubectl refuses:\n{manifest}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// How Kubernetes' YAML reader (sigs.k8s.io/yaml, the one Helm reads values files with) reads
/// `yaml`, a YAML mapping written after `extension: ` in a kubeconfig's preferences: kubectl
/// keeps an extension as the JSON it was read as. Directives (`%TAG ...`) before a `---` line
/// go first in the file. `Err` with kubectl's message when it refuses the file.
pub fn reads(dir: &Path, yaml: &str) -> Result<serde_json::Value, String> {
    let config = dir.join("kubeconfig.yaml");
    let (directives, yaml) = match yaml.split_once("---\n") {
        Some((directives, rest)) if directives.starts_with('%') => (directives, rest),
        _ => ("", yaml),
    };
    let start = if directives.is_empty() { "" } else { "---\n" };
    let text = format!(
        "{directives}{start}apiVersion: v1\nkind: Config\npreferences:\n  extensions:\n  - name: x\n    \
         extension: {yaml}\nclusters: []\ncontexts: []\nusers: []\n"
    );
    std::fs::write(&config, text).expect("kubeconfig");
    let out = std::process::Command::new("timeout")
        .args(["20", "kubectl", "config", "view", "-o", "json"])
        .env("KUBECONFIG", &config)
        .output()
        .expect("kubectl is installed (scripts/test-deps)");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("kubectl's JSON");
    Ok(json["preferences"]["extensions"][0]["extension"].clone())
}
