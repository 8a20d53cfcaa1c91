//! Kubernetes manifests, written as `kubectl create ... --dry-run=client -o yaml` writes them,
//! so that `kubectl apply -f` gives the same objects as the guide's commands; and [`Kubectl`],
//! the one way substractl runs kubectl (found on PATH), each call run by [`subprocess`]: in its
//! own process group, bounded by the command's deadline, its output capped.

pub mod subprocess;

use std::process::Command;
use std::time::{Duration, Instant};

use subprocess::{RunError, Stream, MAX_OUTPUT_BYTES};

/// Standard base64 with padding, as Secret `data` holds it.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Reads standard base64 with padding (Secret `data`); None when it is not. Line breaks are
/// set aside, as the API server's decoder (Go's) sets them aside: a value wrapped in a `|`
/// block is what kubectl applies.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let joined: Vec<u8> = text.bytes().filter(|b| !matches!(b, b'\r' | b'\n')).collect();
    let text = joined.as_slice();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for (i, chunk) in text.chunks(4).enumerate() {
        let last = i + 1 == text.len() / 4;
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for (j, c) in chunk.iter().enumerate() {
            let v = if j >= 4 - pad { 0 } else { value(*c)? };
            n = (n << 6) | v;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Checks a namespace or object name: an RFC 1123 label, as Kubernetes requires.
pub fn valid_namespace(ns: &str) -> bool {
    !ns.is_empty()
        && ns.len() <= 63
        && ns.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !ns.starts_with('-')
        && !ns.ends_with('-')
}

/// The first character of `text` that shows nothing, or shows other text than it is, in a
/// command line a user reads and copies: a control character, a bidirectional formatting
/// character (which displays the text around it reversed, so the line reads as another
/// command), an invisible format character (zero-width space and joiners, word joiner,
/// byte order mark, soft hyphen, tag characters, variation selectors), a blank other than the
/// space (line and paragraph separators, no-break and ideographic spaces), or a character that
/// shows as a blank (Hangul fillers, the braille blank), or a right-to-left letter or digit
/// (Hebrew, Arabic...: the line around it displays reordered).
pub fn spoofing_char(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        c.is_control()
            // Blanks other than the space, line and paragraph separators included.
            || (c.is_whitespace() && c != ' ')
            || crate::shell::is_invisible(c)
            || crate::shell::is_right_to_left(c)
    })
}

/// Why `text` cannot go into a command substractl writes for a user to run, if it cannot: it
/// holds a character [`spoofing_char`] finds, named by its code point.
pub fn command_text_problem(text: &str) -> Option<String> {
    spoofing_char(text).map(|c| {
        let kind = if c.is_control() {
            "a control character"
        } else if crate::shell::is_right_to_left(c) && !crate::shell::is_invisible(c) {
            "a right-to-left letter or digit"
        } else {
            "an invisible or bidirectional formatting character"
        };
        format!(
            "it holds U+{:04X}, {kind}, which would show the command as other text than it runs",
            u32::from(c)
        )
    })
}

/// Why `name` cannot be the name of a kubeconfig context in a command substractl writes, if it
/// cannot: it is empty, holds a control, bidirectional or invisible formatting character or a
/// right-to-left letter (see [`spoofing_char`]), or begins or ends with whitespace.
pub fn context_problem(name: &str) -> Option<String> {
    let right_to_left =
        name.chars().find(|&c| crate::shell::is_right_to_left(c) && !crate::shell::is_invisible(c));
    if name.is_empty() {
        Some("a context name is not empty".into())
    } else if name.chars().any(char::is_control) {
        Some("a context name holds no control character".into())
    } else if let Some(c) = right_to_left {
        Some(format!(
            "a context name holds no right-to-left letter or digit (it holds U+{:04X}): the \
             command around it would display reordered, as other text than it runs",
            u32::from(c)
        ))
    } else if spoofing_char(name).is_some() {
        Some(
            "a context name holds no bidirectional or invisible formatting character (U+202E and \
             the like display the command around it as other text than it runs)"
                .into(),
        )
    } else if name.trim() != name {
        Some("a context name neither begins nor ends with whitespace".into())
    } else {
        None
    }
}

fn metadata(name: &str, namespace: Option<&str>) -> String {
    let mut m = format!("metadata:\n  creationTimestamp: null\n  name: {name}\n");
    if let Some(ns) = namespace {
        m.push_str(&format!("  namespace: {ns}\n"));
    }
    m
}

/// A manifest as [`secret`], [`tls_secret`] or [`configmap`] write it (one or more documents),
/// with the namespace of every object's `metadata` set to `namespace`; None when no object
/// names a namespace (`kubectl apply --namespace` then places them).
pub fn with_namespace(manifest: &str, namespace: &str) -> Option<String> {
    let mut out = String::with_capacity(manifest.len());
    let mut in_metadata = false;
    let mut found = false;
    for line in manifest.split_inclusive('\n') {
        if !line.starts_with(' ') {
            in_metadata = line.trim_end() == "metadata:";
        } else if in_metadata && line.starts_with("  namespace: ") {
            found = true;
            let nl = if line.ends_with("\r\n") {
                "\r\n"
            } else if line.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            out.push_str(&format!("  namespace: {namespace}{nl}"));
            continue;
        }
        out.push_str(line);
    }
    found.then_some(out)
}

/// `kubectl create secret generic NAME --from-file=KEY=FILE...`: an Opaque Secret.
pub fn secret(name: &str, namespace: Option<&str>, data: &[(&str, &[u8])]) -> String {
    let mut y = String::from("apiVersion: v1\ndata:\n");
    for (key, value) in data {
        // kubectl writes an empty value as an empty quoted string.
        let encoded = if value.is_empty() { "\"\"".to_string() } else { base64(value) };
        y.push_str(&format!("  {key}: {encoded}\n"));
    }
    y.push_str("kind: Secret\n");
    y.push_str(&metadata(name, namespace));
    y
}

/// `kubectl create secret tls NAME --cert=CRT --key=KEY`.
pub fn tls_secret(name: &str, namespace: Option<&str>, cert_pem: &[u8], key_pem: &[u8]) -> String {
    let mut y = String::from("apiVersion: v1\ndata:\n");
    y.push_str(&format!("  tls.crt: {}\n  tls.key: {}\n", base64(cert_pem), base64(key_pem)));
    y.push_str("kind: Secret\n");
    y.push_str(&metadata(name, namespace));
    y.push_str("type: kubernetes.io/tls\n");
    y
}

/// `kubectl create configmap NAME --from-file=KEY=FILE`, for PEM text (ends with a newline).
pub fn configmap(name: &str, namespace: Option<&str>, key: &str, text: &str) -> String {
    let mut y = format!("apiVersion: v1\ndata:\n  {key}: |\n");
    for line in text.lines() {
        y.push_str(&format!("    {line}\n"));
    }
    y.push_str("kind: ConfigMap\n");
    y.push_str(&metadata(name, namespace));
    y
}

/// The Helm repository of Substra's charts.
pub const SUBSTRA_CHARTS: &str = "https://substra.github.io/charts/";

/// One Helm release of a deployment: which chart, where, with which values file.
#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    /// `substra/orchestrator` or `substra/substra-backend`.
    pub chart: String,
    pub version: String,
    pub context: String,
    /// The values file, relative to the helmfile's directory.
    pub values: String,
}

use crate::shell::quote as sh;

/// A YAML scalar for helmfile.yaml: always double-quoted, so that no name becomes a number.
fn q(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// `helmfile.yaml` for the releases, in order: `helmfile apply` installs or upgrades each one
/// on its own cluster (`kubeContext`), creating its namespace.
pub fn helmfile(releases: &[Release]) -> String {
    let mut y = String::from(
        "# Every release of this deployment: `helmfile apply` installs or upgrades them all.\n",
    );
    y.push_str(&format!("repositories:\n  - name: substra\n    url: {}\n", q(SUBSTRA_CHARTS)));
    y.push_str("releases:\n");
    for r in releases {
        y.push_str(&helmfile_release(r, 2, "\n"));
    }
    y
}

/// One release of a helmfile, as an item of the `releases` list at `indent`.
pub fn helmfile_release(r: &Release, indent: usize, nl: &str) -> String {
    let pad = " ".repeat(indent);
    format!(
        "{pad}- name: {}{nl}{pad}  namespace: {}{nl}{pad}  createNamespace: true{nl}{pad}  chart: {}{nl}{pad}  version: {}{nl}{pad}  kubeContext: {}{nl}{pad}  values:{nl}{pad}    - {}{nl}",
        q(&r.name),
        q(&r.namespace),
        q(&r.chart),
        q(&r.version),
        q(&r.context),
        q(&r.values)
    )
}

/// The plain Helm command that does what `helmfile apply` does for one release.
pub fn helm_upgrade_install(r: &Release) -> String {
    format!(
        "helm upgrade --install {} {} --version {} --kube-context {} --namespace {} --create-namespace --values {}",
        sh(&r.name),
        sh(&r.chart),
        sh(&r.version),
        sh(&r.context),
        sh(&r.namespace),
        sh(&r.values)
    )
}

/// The command that applies a backend values file to its release, as the chart's guide writes
/// it; the release, namespace and chart version are the operator's (`helm list -A` shows them).
pub fn helm_upgrade_backend(values: &str) -> String {
    format!(
        "helm upgrade RELEASE substra/substra-backend --namespace NAMESPACE --version VERSION --values {}",
        sh(values)
    )
}

/// `kubectl apply` of manifest files into a namespace (created first) of a cluster.
pub fn apply_files(context: &str, namespace: &str, files: &[String]) -> String {
    let mut line = format!(
        "kubectl --context {c} create namespace {n} --dry-run=client -o yaml | kubectl --context {c} apply -f - && kubectl --context {c} apply --namespace {n}",
        c = sh(context),
        n = sh(namespace)
    );
    for f in files {
        line.push_str(" -f ");
        line.push_str(&sh(f));
    }
    line
}

/// ingress-nginx with SSL passthrough, which the orchestrator needs as it ends TLS itself.
pub fn ingress_nginx_passthrough(context: &str) -> String {
    format!(
        "helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx --kube-context {} --namespace ingress-nginx --create-namespace --set-string 'controller.extraArgs.enable-ssl-passthrough=true'",
        sh(context)
    )
}

/// How many pods an error about several pods names.
const SHOWN_PODS: usize = 10;

/// The label of the backend's API server pod.
pub const BACKEND_SERVER_SELECTOR: &str = "app.kubernetes.io/name=substra-backend-server";

/// kubectl with an optional context and namespace.
#[derive(Debug, Clone, Default)]
pub struct Kubectl {
    pub context: Option<String>,
    pub namespace: Option<String>,
}

/// A kubectl call that did not give what was needed. Every message names the context and
/// namespace it ran against.
#[derive(Debug, thiserror::Error)]
pub enum KubeError {
    #[error("kubectl was not found on PATH")]
    Missing,
    #[error("`{command}` could not run: {message}")]
    Spawn { command: String, message: String },
    #[error("`{command}` did not finish within {}s ({place}){}", .after.as_secs_f64(), if *.exited { ": it exited, but a process it started kept its output open" } else { "" })]
    Timeout { command: String, after: Duration, place: String, exited: bool },
    #[error("`{command}` printed more than {} MiB on its {} ({place}): stopped", .cap >> 20, .stream.name())]
    TooMuch { command: String, place: String, stream: Stream, cap: usize },
    #[error("`{command}` failed ({place}){}", if .stderr.is_empty() { String::new() } else { format!(": {}", .stderr) })]
    Failed { command: String, place: String, stderr: String },
    #[error("no pod labelled {selector} ({place})")]
    NoPod { selector: String, place: String },
    #[error("{count} pods labelled {selector} ({place}): {}{}", .pods.join(", "), if *.count > .pods.len() { format!(" and {} more", .count - .pods.len()) } else { String::new() })]
    SeveralPods { selector: String, place: String, pods: Vec<String>, count: usize },
    /// `get pod -o name` printed something that is not `pod/NAME`: it is never passed on to
    /// `kubectl exec`, where it could read as a flag.
    #[error("`kubectl get pod` printed {got:?}, which is not pod/NAME ({place})")]
    BadPodName { got: String, place: String },
}

/// Whether `line` is what `kubectl get pod -o name` prints: `pod/` and a DNS-1123 subdomain.
fn is_pod_name(line: &str) -> bool {
    let Some(name) = line.strip_prefix("pod/") else { return false };
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

impl Kubectl {
    /// The arguments of one call: the context and namespace first, then `rest`.
    pub fn args(&self, rest: &[&str]) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(c) = &self.context {
            args.push("--context".to_string());
            args.push(c.clone());
        }
        if let Some(n) = &self.namespace {
            args.push("--namespace".to_string());
            args.push(n.clone());
        }
        args.extend(rest.iter().map(|s| s.to_string()));
        args
    }

    /// Where calls go, for messages: `context X, namespace Y`, with the defaults named so.
    pub fn place(&self) -> String {
        format!(
            "context {}, namespace {}",
            self.context.as_deref().unwrap_or("(current)"),
            self.namespace.as_deref().unwrap_or("(the context's default)")
        )
    }

    /// The command line of a call, as a user would type it.
    pub fn command_line(&self, rest: &[&str]) -> String {
        let mut line = String::from("kubectl");
        for a in self.args(rest) {
            line.push(' ');
            line.push_str(&a);
        }
        line
    }

    /// Runs kubectl until `deadline` and returns its stdout; a non-zero exit is an error
    /// carrying the last line of its stderr. `budget` is the whole time the command was given,
    /// for messages.
    pub fn run(
        &self,
        rest: &[&str],
        deadline: Instant,
        budget: Duration,
    ) -> Result<String, KubeError> {
        let command = self.command_line(rest);
        let mut cmd = Command::new("kubectl");
        cmd.args(self.args(rest));
        let done = match subprocess::run(cmd, deadline, MAX_OUTPUT_BYTES) {
            Ok(done) => done,
            Err(RunError::NotFound) => return Err(KubeError::Missing),
            Err(RunError::Spawn(e)) => {
                return Err(KubeError::Spawn { command, message: e.to_string() })
            }
            Err(RunError::Deadline { exited }) => {
                return Err(KubeError::Timeout {
                    command,
                    after: budget,
                    place: self.place(),
                    exited,
                })
            }
            Err(RunError::TooMuch { stream, cap }) => {
                return Err(KubeError::TooMuch { command, place: self.place(), stream, cap })
            }
        };
        if !done.status.success() {
            let stderr = String::from_utf8_lossy(&done.stderr);
            return Err(KubeError::Failed {
                command,
                place: self.place(),
                // The last line says why; a line can be megabytes long: its start is enough.
                stderr: stderr.trim().lines().last().unwrap_or("").chars().take(500).collect(),
            });
        }
        Ok(String::from_utf8_lossy(&done.stdout).into_owned())
    }

    /// The one pod carrying `selector`, as `pod/NAME`.
    pub fn one_pod(
        &self,
        selector: &str,
        deadline: Instant,
        budget: Duration,
    ) -> Result<String, KubeError> {
        let out = self.run(&["get", "pod", "-l", selector, "-o", "name"], deadline, budget)?;
        let pods: Vec<String> =
            out.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        if let Some(bad) = pods.iter().find(|p| !is_pod_name(p)) {
            let got: String = bad.chars().take(200).collect();
            return Err(KubeError::BadPodName { got, place: self.place() });
        }
        match pods.len() {
            0 => Err(KubeError::NoPod { selector: selector.into(), place: self.place() }),
            1 => Ok(pods.into_iter().next().unwrap_or_default()),
            count => Err(KubeError::SeveralPods {
                selector: selector.into(),
                place: self.place(),
                // The first few name them: the list is kubectl's to make as long as it likes.
                pods: pods.into_iter().take(SHOWN_PODS).collect(),
                count,
            }),
        }
    }

    /// `kubectl exec POD -- COMMAND...`: the command's stdout.
    pub fn exec(
        &self,
        pod: &str,
        command: &[&str],
        deadline: Instant,
        budget: Duration,
    ) -> Result<String, KubeError> {
        let mut rest = vec!["exec", pod, "--"];
        rest.extend_from_slice(command);
        self.run(&rest, deadline, budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_namespace_moves_every_object_and_nothing_else() {
        let two = format!(
            "{}---\n{}",
            secret("a", Some("org-b"), &[("namespace", b"x")]),
            tls_secret("b", Some("org-b"), b"c", b"k")
        );
        let moved = with_namespace(&two, "prod-b").expect("namespaced");
        assert_eq!(moved.matches("\n  namespace: prod-b\n").count(), 2, "{moved}");
        // A data key named `namespace` is data, not the object's namespace.
        assert!(moved.contains("\n  namespace: eA==\n"), "{moved}");
        assert_eq!(moved, two.replace("namespace: org-b", "namespace: prod-b"));
        let crlf = secret("a", Some("x"), &[]).replace('\n', "\r\n");
        assert_eq!(with_namespace(&crlf, "y"), Some(crlf.replace("namespace: x", "namespace: y")));
        assert_eq!(with_namespace(&secret("a", None, &[]), "y"), None);
    }

    #[test]
    fn base64_decodes_what_it_encodes() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "a s1\nb s2\n"] {
            assert_eq!(base64_decode(&base64(text.as_bytes())).as_deref(), Some(text.as_bytes()));
        }
        assert_eq!(base64_decode("Zg="), None);
        assert_eq!(base64_decode("Zg==Zg=="), None);
        assert_eq!(base64_decode("Z!=="), None);
        // Wrapped, as `base64` (76 columns) and a `|` block write it; never with blanks.
        assert_eq!(base64_decode("Zm9v\nYmFy\r\n").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base64_decode("Zm9v YmFy"), None);
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn context_names_are_printable_and_trimmed() {
        assert_eq!(context_problem("gke_proj_europe-west1_main"), None);
        assert_eq!(context_problem("my cluster"), None);
        assert!(context_problem("").is_some());
        assert!(context_problem("ctx\u{1b}]0;x\u{7}").is_some());
        assert!(context_problem("ctx\u{9b}").is_some());
        assert!(context_problem(" ctx").is_some());
        assert!(context_problem("ctx\n").is_some());
        assert!(context_problem("ingen=a\u{202e}b").is_some());
        assert!(context_problem("a\u{200b}b").is_some());
        assert!(context_problem("a\u{2067}b").is_some());
        for c in ['\u{2028}', '\u{2029}', '\u{a0}', '\u{3000}', '\u{3164}', '\u{2800}', '\u{fe0f}']
        {
            assert!(context_problem(&format!("a{c}b")).is_some(), "U+{:04X}", c as u32);
        }
        assert!(context_problem("café-é").is_none());
        // Right-to-left letters and digits reorder the command around them.
        for c in ['\u{5d0}', '\u{627}', '\u{661}', '\u{710}', '\u{7c0}', '\u{fb50}', '\u{10900}'] {
            let problem = context_problem(&format!("prod-{c}1")).unwrap_or_default();
            assert!(problem.contains("right-to-left"), "U+{:04X}: {problem}", c as u32);
        }
        for c in ['\u{61c}', '\u{200f}', '\u{202e}', '\u{2067}'] {
            assert!(context_problem(&format!("a{c}b")).is_some(), "U+{:04X}", c as u32);
        }
        assert!(command_text_problem("1.0.\u{5d0}").is_some_and(|p| p.contains("right-to-left")));
    }

    #[test]
    fn namespaces_are_rfc1123_labels() {
        assert!(valid_namespace("orchestrator"));
        assert!(valid_namespace("org-1"));
        assert!(!valid_namespace("Org"));
        assert!(!valid_namespace("-x"));
        assert!(!valid_namespace("a.b"));
    }

    #[test]
    fn kubectl_puts_context_and_namespace_first() {
        let k = Kubectl { context: Some("c1".into()), namespace: Some("org-1".into()) };
        assert_eq!(
            k.command_line(&["get", "pod"]),
            "kubectl --context c1 --namespace org-1 get pod"
        );
        assert_eq!(Kubectl::default().args(&["x"]), vec!["x".to_string()]);
    }
}
