//! Kubernetes manifests, written as `kubectl create ... --dry-run=client -o yaml` writes them,
//! so that `kubectl apply -f` gives the same objects as the guide's commands.

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

/// Checks a namespace or object name: an RFC 1123 label, as Kubernetes requires.
pub fn valid_namespace(ns: &str) -> bool {
    !ns.is_empty()
        && ns.len() <= 63
        && ns.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !ns.starts_with('-')
        && !ns.ends_with('-')
}

fn metadata(name: &str, namespace: Option<&str>) -> String {
    let mut m = format!("metadata:\n  creationTimestamp: null\n  name: {name}\n");
    if let Some(ns) = namespace {
        m.push_str(&format!("  namespace: {ns}\n"));
    }
    m
}

/// `kubectl create secret generic NAME --from-file=KEY=FILE...`: an Opaque Secret.
pub fn secret(name: &str, namespace: Option<&str>, data: &[(&str, &[u8])]) -> String {
    let mut y = String::from("apiVersion: v1\ndata:\n");
    for (key, value) in data {
        y.push_str(&format!("  {key}: {}\n", base64(value)));
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn namespaces_are_rfc1123_labels() {
        assert!(valid_namespace("orchestrator"));
        assert!(valid_namespace("org-1"));
        assert!(!valid_namespace("Org"));
        assert!(!valid_namespace("-x"));
        assert!(!valid_namespace("a.b"));
    }
}
