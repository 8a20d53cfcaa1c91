//! The TLS settings of the orchestrator and backend values (SUBSTRA.md section 4): which
//! Secrets hold the server pair, the CA and each backend's client certificate, and which
//! client CAs the orchestrator trusts, keyed by MSP ID so that MSP-ID verification works.

use serde_json::Value;

use super::edit::{self, keys, Seg};
use super::{Doc, ValuesError};

/// The names of the Secrets the values refer to.
#[derive(Debug, Clone, Copy)]
pub struct SecretNames<'a> {
    pub ca: &'a str,
    pub server_pair: &'a str,
    pub client: &'a str,
}

/// Sets TLS in orchestrator values; with client MSP IDs, also mTLS and one `clientCACerts`
/// entry per MSP ID listing the CA Secret. Other entries are kept. Returns whether it changed.
pub fn orchestrator(
    doc: &mut Doc,
    names: SecretNames<'_>,
    client_mspids: &[&str],
) -> Result<bool, ValuesError> {
    let mut changed = false;
    let tls = ["orchestrator", "tls"];
    let at = |rest: &[&'static str]| -> Vec<&'static str> {
        tls.iter().chain(rest.iter()).copied().collect()
    };
    changed |= edit::set(doc, &keys(&at(&["enabled"])), Value::Bool(true))?;
    changed |= edit::set(doc, &keys(&at(&["secrets", "pair"])), names.server_pair.into())?;
    changed |= edit::set(doc, &keys(&at(&["cacert"])), names.ca.into())?;
    if client_mspids.is_empty() {
        return Ok(changed);
    }
    changed |= edit::set(doc, &keys(&at(&["mtls", "enabled"])), Value::Bool(true))?;
    for id in client_mspids {
        let mut path = keys(&at(&["mtls", "clientCACerts"]));
        path.push(Seg::Key(id));
        let current = doc.get(&["orchestrator", "tls", "mtls", "clientCACerts", id]).cloned();
        changed |= match current {
            Some(Value::Array(_)) => {
                edit::ensure_item(doc, &path, names.ca.into(), |v| v == names.ca)?
            }
            _ => edit::set(doc, &path, Value::Array(vec![names.ca.into()]))?,
        };
    }
    Ok(changed)
}

/// Sets TLS and mTLS in a backend's values: trust the CA Secret, present the client Secret.
pub fn backend(doc: &mut Doc, names: SecretNames<'_>) -> Result<bool, ValuesError> {
    let mut changed = false;
    changed |= edit::set(doc, &keys(&["orchestrator", "tls", "enabled"]), Value::Bool(true))?;
    changed |= edit::set(doc, &keys(&["orchestrator", "tls", "cacert"]), names.ca.into())?;
    changed |=
        edit::set(doc, &keys(&["orchestrator", "tls", "mtls", "enabled"]), Value::Bool(true))?;
    changed |= edit::set(
        doc,
        &keys(&["orchestrator", "tls", "mtls", "clientCertificate"]),
        names.client.into(),
    )?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const NAMES: SecretNames<'static> =
        SecretNames { ca: "ca-s", server_pair: "pair-s", client: "client-s" };

    #[test]
    fn orchestrator_gets_one_client_ca_entry_per_mspid_keeping_others() {
        let text = "orchestrator:\n  tls:\n    enabled: false # off\n    mtls:\n      clientCACerts:\n        other: [x]\n        ingen: [ingen-ca]\n";
        let mut doc = Doc::from_text(Path::new("o.yaml"), text.into(), true).expect("parse");
        assert!(orchestrator(&mut doc, NAMES, &["ingen", "biotechnica"]).expect("edit"));
        assert_eq!(
            doc.get(&["orchestrator", "tls", "mtls", "clientCACerts", "other"]),
            Some(&serde_json::json!(["x"]))
        );
        assert_eq!(
            doc.get(&["orchestrator", "tls", "mtls", "clientCACerts", "ingen"]),
            Some(&serde_json::json!(["ingen-ca", "ca-s"]))
        );
        assert_eq!(
            doc.get(&["orchestrator", "tls", "mtls", "clientCACerts", "biotechnica"]),
            Some(&serde_json::json!(["ca-s"]))
        );
        assert!(doc.text.contains("enabled: true # off"));
        assert!(!orchestrator(&mut doc, NAMES, &["ingen", "biotechnica"]).expect("again"));
    }
}
