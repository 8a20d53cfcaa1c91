//! The charts' own default values, for the keys substractl reads, and Helm's rules for putting
//! a values file over them.
//!
//! These defaults are data copied from the two charts' `values.yaml` (a test compares every
//! one of them with the real files in `tests/fixtures/charts/`). A key a values file leaves
//! out takes its default here; `null` removes a default; maps merge deeply; lists and scalars
//! replace. Switches are read twice, as the charts' templates and as the programs read them
//! (SUBSTRA.md section 8), by [`truthy`], [`to_bool`] and [`go_bool`].

use std::sync::OnceLock;

use serde_json::Value;

/// The substra-backend chart whose defaults are below.
pub const BACKEND_CHART: &str = "substra/substra-backend";
pub const BACKEND_VERSION: &str = "26.15.3";
/// The orchestrator chart whose defaults are below.
pub const ORCHESTRATOR_CHART: &str = "substra/orchestrator";
pub const ORCHESTRATOR_VERSION: &str = "8.8.0";

/// substra-backend 26.15.3 `values.yaml`, the keys substractl reads.
const BACKEND_DEFAULTS: &str = "\
organizationName: owkin
server:
  defaultDomain: localhost
orchestrator:
  host: orchestrator.local
  port: 9000
  tls:
    enabled: false
    cacert: null
    mtls:
      enabled: false
      clientCertificate: null
  mspID: OwkinPeerMSP
  channels:
    - mychannel:
        restricted: false
        model_export_enabled: false
addAccountOperator:
  outgoingOrganizations: []
  incomingOrganizations: []
  users: []
  existingSecret: \"\"
";

/// orchestrator 8.8.0 `values.yaml`, the keys substractl reads.
const ORCHESTRATOR_DEFAULTS: &str = "\
service:
  port: 9000
ingress:
  enabled: false
  hostname: \"\"
orchestrator:
  verifyClientMSPID: false
  tls:
    enabled: false
    secrets:
      pair: orchestrator-tls-server-pair
    cacert: orchestrator-tls-cacert
    mtls:
      enabled: false
      clientCACerts: {}
channels: []
";

fn parse(text: &str) -> Value {
    serde_saphyr::from_str_with_options(text, crate::values::helm_options()).unwrap_or(Value::Null)
}

/// The backend chart's defaults, as data.
pub fn backend_defaults() -> &'static Value {
    static DEFAULTS: OnceLock<Value> = OnceLock::new();
    DEFAULTS.get_or_init(|| parse(BACKEND_DEFAULTS))
}

/// The orchestrator chart's defaults, as data.
pub fn orchestrator_defaults() -> &'static Value {
    static DEFAULTS: OnceLock<Value> = OnceLock::new();
    DEFAULTS.get_or_init(|| parse(ORCHESTRATOR_DEFAULTS))
}

/// The value Helm gives `path` when `user` is coalesced over `defaults`: a user map merges
/// with the default map key by key, anything else the user writes replaces the default, and a
/// user `null` removes it. None when the key ends up absent (or null).
pub fn coalesced<'a>(user: &'a Value, defaults: &'a Value, path: &[&str]) -> Option<&'a Value> {
    fn walk<'a>(
        user: Option<&'a Value>,
        default: Option<&'a Value>,
        path: &[&str],
    ) -> Option<&'a Value> {
        match user {
            // A user null removes the default.
            Some(Value::Null) => None,
            Some(Value::Object(map)) => match path.split_first() {
                None => Some(user?),
                Some((key, rest)) => {
                    let next = default.and_then(Value::as_object).and_then(|d| d.get(*key));
                    walk(map.get(*key), next, rest)
                }
            },
            // A scalar or a list replaces the default whole: nothing lies below it.
            Some(other) => path.is_empty().then_some(other),
            None => {
                let found = path.iter().try_fold(default?, |v, k| v.get(k))?;
                (!found.is_null()).then_some(found)
            }
        }
    }
    walk((!user.is_null()).then_some(user), Some(defaults), path)
}

/// A default of the backend chart, as a template prints it.
pub fn backend_default(path: &[&str]) -> String {
    render(coalesced(&Value::Null, backend_defaults(), path))
}

/// Go template truthiness (`{{ if x }}`): false, 0, "", an empty list or map, and nil are
/// false; everything else, the string "false" included, is true.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

/// Go template `and a b ...`: the first false argument, else the last.
pub fn and<'a>(args: &[Option<&'a Value>]) -> Option<&'a Value> {
    for a in args {
        if !truthy(*a) {
            return *a;
        }
    }
    args.last().copied().flatten()
}

/// A value as a template prints it (`{{ x }}`, or `quote`, which prints nil as nothing).
/// Helm reads numbers as floats; whole ones print without a fraction.
pub fn render(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        // A float64 to Helm, printed as Go prints it (`1000000` is `1e+06`).
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) => crate::values::backend::go_float(f),
            None => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// The backend's `to_bool` of an environment variable (substra-backend settings).
pub fn to_bool(text: &str) -> bool {
    matches!(
        text,
        "t" | "T" | "y" | "Y" | "yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "1"
    )
}

/// Go's `strconv.ParseBool`, as the orchestrator reads its switches; None when it fails.
pub fn go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn maps_merge_lists_replace_and_null_removes() {
        let d = backend_defaults();
        let user = json!({"orchestrator": {"host": "o.example", "tls": {"mtls": null}, "channels": ["c"]}});
        assert_eq!(coalesced(&user, d, &["orchestrator", "host"]), Some(&json!("o.example")));
        assert_eq!(coalesced(&user, d, &["orchestrator", "port"]), Some(&json!(9000)));
        assert_eq!(coalesced(&user, d, &["orchestrator", "tls", "enabled"]), Some(&json!(false)));
        assert_eq!(coalesced(&user, d, &["orchestrator", "tls", "mtls", "enabled"]), None);
        assert_eq!(coalesced(&user, d, &["orchestrator", "channels"]), Some(&json!(["c"])));
        assert_eq!(coalesced(&user, d, &["orchestrator", "tls", "cacert"]), None);
        let removed = json!({"orchestrator": null});
        assert_eq!(coalesced(&removed, d, &["orchestrator", "port"]), None);
        assert_eq!(
            coalesced(&Value::Null, d, &["orchestrator", "mspID"]),
            Some(&json!("OwkinPeerMSP"))
        );
        let scalar = json!({"orchestrator": "x"});
        assert_eq!(coalesced(&scalar, d, &["orchestrator", "port"]), None);
    }

    #[test]
    fn switches_are_read_as_templates_and_programs_read_them() {
        for (v, truth, backend) in [
            (json!(true), true, true),
            (json!(false), false, false),
            (json!("true"), true, true),
            (json!("false"), true, false),
            (json!("yes"), true, true),
            (json!(1), true, true),
            (json!(0), false, false),
            (json!(""), false, false),
        ] {
            assert_eq!(truthy(Some(&v)), truth, "{v}");
            assert_eq!(to_bool(&render(Some(&v))), backend, "{v}");
        }
        assert_eq!(render(Some(&json!(9000))), "9000");
        assert_eq!(render(Some(&json!(9000.0))), "9000");
        let (t, f) = (json!("false"), json!(true));
        assert_eq!(and(&[Some(&t), Some(&f)]), Some(&f));
        assert_eq!(go_bool("yes"), None);
    }
}
