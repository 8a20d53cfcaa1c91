//! Every credential a deployment holds, wherever it keeps it, for keeping them out of what
//! servers say: the organizations' pair secrets (in the values files or in the Secret
//! manifests that `link --existing-secret` and `secrets move` write beside them), the admin
//! users' passwords (in either place too), and every other credential of the backends' and
//! the orchestrator's values files (`postgresql.auth.postgresPassword`,
//! `minio.auth.rootPassword`, `redis.auth.password`, `database.auth.password`, a key whose
//! name ends in `password`, `secret`, `token`, `apiKey`...: [`crate::values::credentials_in`]).
//!
//! `check all` and `check outgoing` take them from here, and `check all` gives them to each
//! organization's `check orchestrator`: one rule for every command that reads a deployment.

use std::collections::BTreeSet;

use super::{BackendFile, Store};
use crate::probe::redact::{Redactor, FRAGMENT};
use crate::values::backend::Side;
use crate::values::Doc;

/// The shortest credential that is removed at all. Below four characters a value cannot be
/// told from the letters and numbers of any report, and protects nothing a reader could not
/// guess.
pub const MIN_CREDENTIAL: usize = 4;

/// The credentials the charts' own `values.yaml` set (substra-backend 26.15.3, orchestrator
/// 8.8.0: `postgres`, redis's `redis`, minio's `minio1234`, localstack's AWS key): published
/// with the charts, they are no secret, and `postgres` and `redis` are words a report uses.
/// A test checks that this is what [`crate::values::credentials_in`] finds in the charts.
pub const CHART_CREDENTIALS: &[&str] =
    &["postgres", "redis", "minio1234", "mySuperSecureAWSAccessKey1234"];

/// Whether a credential found in a file is hidden by value (from servers' words and from dry
/// runs' diffs): one of [`MIN_CREDENTIAL`] characters or more that is neither a placeholder
/// ([`crate::mesh::is_placeholder`]) nor one of the charts' defaults ([`CHART_CREDENTIALS`]).
pub fn worth_hiding(credential: &str) -> bool {
    credential.chars().count() >= MIN_CREDENTIAL
        && !crate::mesh::is_placeholder(credential)
        && !CHART_CREDENTIALS.contains(&credential)
}

/// What a deployment holds that a server must never be shown saying.
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// The organizations' pair secrets: (MSP ID, secret) for the HTTP Basic credentials a
    /// backend sends (its outgoing entries), ("", secret) for those it accepts.
    pub pairs: BTreeSet<(String, String)>,
    /// Every other credential of the values files and manifests, placeholders
    /// ([`crate::mesh::is_placeholder`]), the charts' defaults ([`CHART_CREDENTIALS`]) and
    /// values shorter than [`MIN_CREDENTIAL`] left out.
    pub others: BTreeSet<String>,
    /// Organizations' names and MSP IDs (the files', and those their lists and the orchestrator's
    /// channels name) and channels' names: no secret, kept where they stand.
    pub names: BTreeSet<String>,
}

impl Held {
    /// What these backends' files (their values files and the manifests they name) and the
    /// orchestrator's values file hold.
    pub fn of<'a>(
        backends: impl IntoIterator<Item = &'a BackendFile>,
        orchestrator: Option<&Doc>,
    ) -> Held {
        let mut held = Held::default();
        let mut found = Vec::new();
        for b in backends {
            held.names.insert(b.name.clone());
            held.names.insert(b.view.msp_id.clone());
            held.names.extend(b.view.channels.iter().cloned());
            for side in [Side::Outgoing, Side::Incoming] {
                let user = if side == Side::Outgoing { b.view.msp_id.as_str() } else { "" };
                for c in b.credentials(side) {
                    // The other organization's MSP ID is a name a report shows.
                    held.names.insert(c.name);
                    if let Some(secret) = c.secret {
                        held.pairs.insert((user.to_string(), secret));
                    }
                }
            }
            found.extend(crate::values::credentials_in(&b.doc().data));
            // The manifest holds the admin users' passwords too, and the chart reads the
            // lists from it whatever the values file still holds.
            if let Store::Manifest(m) = &b.store {
                found.extend(m.secrets());
            }
        }
        if let Some(doc) = orchestrator {
            found.extend(crate::values::credentials_in(&doc.data));
            if let Some(channels) = doc.get(&["channels"]).and_then(|c| c.as_array()) {
                for c in channels {
                    let name = c.get("name").and_then(|n| n.as_str());
                    held.names.extend(name.map(str::to_string));
                    let orgs = c.get("organizations").and_then(|o| o.as_array());
                    let orgs = orgs.into_iter().flatten().filter_map(|o| o.as_str());
                    held.names.extend(orgs.map(str::to_string));
                }
            }
        }
        held.names.retain(|n| !n.is_empty());
        let paired: BTreeSet<&str> = held.pairs.iter().map(|(_, s)| s.as_str()).collect();
        held.others =
            found.into_iter().filter(|s| worth_hiding(s) && !paired.contains(s.as_str())).collect();
        held
    }

    /// A redactor of all of it. A credential of [`FRAGMENT`] characters or more is removed in
    /// every spelling the redactor knows, and wherever a run of [`FRAGMENT`] of its letters and
    /// digits appears; a shorter one, where it stands as a word of its own, in any case
    /// ([`Redactor::add_word`]), unless it is one of the names kept (a short password equal to
    /// an organization's name would cut every mention of it). The pair secrets are removed as
    /// they always were, with their Basic headers.
    pub fn redactor(&self) -> Redactor {
        let mut redactor = Redactor::new();
        for name in &self.names {
            redactor.keep(name);
        }
        for (user, secret) in &self.pairs {
            if user.is_empty() {
                redactor.add(secret);
            } else {
                redactor.basic(user, secret);
            }
        }
        for secret in &self.others {
            if secret.chars().count() >= FRAGMENT {
                redactor.add(secret);
            } else if !self.names.iter().any(|n| n.eq_ignore_ascii_case(secret)) {
                redactor.add_word(secret);
            }
        }
        redactor
    }
}

impl super::Deployment {
    /// Every credential the deployment's files hold: the backends read, the manifests they
    /// name, and the orchestrator's values when they were read.
    pub fn held(&self) -> Held {
        Held::of(&self.backends, self.orchestrator.as_ref().map(|o| &o.doc))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn chart(name: &str) -> serde_json::Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/charts").join(name);
        let text = std::fs::read_to_string(path).expect("chart fixture");
        serde_saphyr::from_str(&text).expect("chart values parse")
    }

    #[test]
    fn the_charts_defaults_are_the_credentials_left_out() {
        let mut found: BTreeSet<String> = BTreeSet::new();
        for name in ["substra-backend-chart-values.yaml", "orchestrator-chart-values.yaml"] {
            found.extend(crate::values::credentials_in(&chart(name)));
        }
        let known: BTreeSet<String> = CHART_CREDENTIALS.iter().map(|s| s.to_string()).collect();
        assert_eq!(found, known);
    }

    fn backend(text: &str) -> BackendFile {
        let doc =
            Doc::from_text(Path::new("backend-a-values.yaml"), text.into(), true).expect("parse");
        BackendFile::read("a", doc).expect("read")
    }

    #[test]
    fn every_credential_of_the_files_is_held() {
        let b = backend(
            "orchestrator:\n  mspID: AMSP\n  channels: [chan]\n\
             addAccountOperator:\n  existingSecret: \"\"\n  users:\n    - {name: admin, secret: Adm1nPassw0rd, channel: chan}\n\
             \x20 outgoingOrganizations:\n    - {name: BMSP, secret: OutgoingSecret123}\n\
             postgresql:\n  auth:\n    postgresPassword: Pg5uperUser\n    password: postgres\n\
             minio:\n  auth:\n    rootPassword: M1nioRoot99\n    forcePassword: true\n\
             redis:\n  auth:\n    password: hunt3r\n    existingSecret: redis-creds\n\
             oidc:\n  provider:\n    endpoints:\n      token: https://idp.example/token\n\
             api:\n  token: REPLACE-ME\n  apiKey: abc\n\
             extra:\n  env:\n    - {name: S3_SECRET_KEY, value: S3cretKeyValue}\n    - {name: S3_BUCKET, value: bucketname}\n",
        );
        let orchestrator = Doc::from_text(
            Path::new("orchestrator-values.yaml"),
            "database:\n  auth:\n    password: OrchDbPassw0rd\nchannels:\n  - {name: chan, organizations: [AMSP, BMSP]}\n"
                .into(),
            true,
        )
        .expect("parse");
        let held = Held::of([&b], Some(&orchestrator));
        let others: Vec<&str> = held.others.iter().map(String::as_str).collect();
        assert_eq!(
            others,
            [
                "Adm1nPassw0rd",
                "M1nioRoot99",
                "OrchDbPassw0rd",
                "Pg5uperUser",
                "S3cretKeyValue",
                "hunt3r"
            ]
        );
        assert!(held.pairs.contains(&("AMSP".to_string(), "OutgoingSecret123".to_string())));
        assert!(held.names.contains("BMSP") && held.names.contains("chan"));
        let r = held.redactor();
        assert_eq!(r.scrub("db OrchDbPassw0rd, PG5UPERUSER"), "db <redacted>, <redacted>");
        assert_eq!(r.scrub("hunt3r / HUNT3R / hunt3rs"), "<redacted> / <redacted> / hunt3rs");
        assert_eq!(r.scrub("postgres on chan for BMSP"), "postgres on chan for BMSP");
    }
}
