use std::path::Path;

use serde_json::{json, Value};

use super::*;

/// Every leaf of `embedded` (lists compared whole) equals the real chart's value there.
fn same_as_chart(embedded: &Value, real: &Value, at: &str) {
    match embedded {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}.{k}");
                let real_v = real.get(k).unwrap_or_else(|| panic!("{here} is not in the chart"));
                same_as_chart(v, real_v, &here);
            }
        }
        leaf => assert_eq!(leaf, real, "{at} differs from the chart's values.yaml"),
    }
}

fn chart_values(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/charts").join(name);
    let text = std::fs::read_to_string(&path).expect("chart fixture");
    serde_saphyr::from_str(&text).expect("chart values parse")
}

#[test]
fn the_embedded_defaults_are_the_charts_own() {
    same_as_chart(
        chart::backend_defaults(),
        &chart_values("substra-backend-chart-values.yaml"),
        "substra-backend",
    );
    same_as_chart(
        chart::orchestrator_defaults(),
        &chart_values("orchestrator-chart-values.yaml"),
        "orchestrator",
    );
}

fn doc(text: &str) -> Doc {
    Doc::from_text(Path::new("v.yaml"), text.into(), true).expect("parse")
}

#[test]
fn a_backend_as_helm_deploys_it() {
    // tls.enabled "true" and no port: the ConfigMap says ORCHESTRATOR_PORT "9000",
    // ORCHESTRATOR_TLS_ENABLED "true" (templates/configmap-orchestrator.yaml, lines 9-11).
    let b =
        Backend::of(&doc("orchestrator:\n  host: 127.0.0.1\n  tls:\n    enabled: \"true\"\n").data);
    assert_eq!(
        (b.orchestrator_host.as_str(), b.port(), b.tls, b.mtls),
        ("127.0.0.1", Some(9000), true, false)
    );
    assert_eq!(b.msp_id, "OwkinPeerMSP");
    assert!(b.msp_id_from_chart && b.channels_from_chart);
    assert_eq!(b.channels, ["mychannel"]);
    // "false" mounts the volumes but the backend dials in plaintext; and mtls is
    // `and "false" true` = true.
    let b = Backend::of(
        &doc("orchestrator:\n  tls:\n    enabled: \"false\"\n    mtls: {enabled: true}\n").data,
    );
    assert!(b.tls_mounted && !b.tls && b.mtls);
    let b = Backend::of(
        &doc("orchestrator:\n  port: \"443\"\n  mspID: ingen\n  channels: [a, {b: {}}]\n").data,
    );
    assert_eq!(
        (b.port(), b.msp_id.as_str(), b.channels.clone()),
        (Some(443), "ingen", vec!["a".to_string(), "b".to_string()])
    );
    let b = Backend::of(&doc("orchestrator:\n  mspID: null\n  port: null\n").data);
    assert_eq!((b.msp_id.as_str(), b.msp_id_from_chart, b.port()), ("", false, None));
}

#[test]
fn switches_that_are_not_booleans_are_noted_with_their_line() {
    let text = "orchestrator:\n  tls:\n    enabled: \"false\"\n    mtls:\n      enabled: 1\n";
    let f = BackendFile::read("x", doc(text)).expect("read");
    let notes = f.notes();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].line, 3);
    assert_eq!(
        notes[0].message,
        "orchestrator.tls.enabled is \"false\" (a string): the chart's templates read it as on, the backend off"
    );
    assert_eq!(notes[1].line, 5);
}

#[test]
fn orchestrator_channels_of_the_wrong_type_are_refused_with_their_line() {
    let err =
        Orchestrator::of(&doc("ingress:\n  enabled: true\nchannels:\n  - c\n")).expect_err("shape");
    assert!(
        err.to_string().starts_with("v.yaml:4:3: each entry of channels must be a mapping"),
        "{err}"
    );
    let o =
        Orchestrator::of(&doc("channels:\n  - {name: c, organizations: [a, b]}\n")).expect("read");
    assert_eq!(o.channels[0].organizations, ["a", "b"]);
    assert_eq!(json!(o.tls), json!(false));
}

#[test]
fn the_msp_id_is_read_through_aliases_and_must_be_a_name() {
    let f =
        BackendFile::read("x", doc("x: &n BioMSP\norchestrator:\n  mspID: *n\n")).expect("read");
    assert_eq!((f.view.msp_id.as_str(), f.msp_id_line()), ("BioMSP", 3));
    let err = BackendFile::read("x", doc("orchestrator:\n  mspID: [a]\n")).expect_err("list");
    assert_eq!(
        err.to_string(),
        "v.yaml:2:10: orchestrator.mspID must be a name, not a list or a mapping"
    );
}

#[test]
fn keys_helm_names_otherwise_are_refused_with_their_line() {
    // clientCACerts keys are MSP IDs: `yes` is `true` to Helm, which matches no client.
    let e = Orchestrator::of(&doc(
        "orchestrator:\n  tls:\n    mtls:\n      clientCACerts:\n        ingen: [a]\n        yes: [b]\n",
    ))
    .expect_err("a key Helm names true");
    assert!(e.to_string().contains("v.yaml:6:9: the clientCACerts key yes is a boolean"), "{e}");
    let ok = "orchestrator:\n  tls:\n    mtls:\n      clientCACerts:\n        \"yes\": [b]\n";
    assert_eq!(Orchestrator::of(&doc(ok)).expect("quoted").client_ca_keys, ["yes"]);
    // A channel key brought in by a merge key is read as written out.
    let merged = "orchestrator:\n  channels:\n    - <<: {on: {restricted: false}}\n";
    let Err(e) = crate::values::backend::BackendValues::read(doc(merged)) else {
        panic!("a key Helm names true, brought in by <<, was taken");
    };
    assert!(e.to_string().contains("the channel key on is a boolean"), "{e}");
}

#[test]
fn keys_are_read_through_tags_aliases_and_merge_keys_at_every_level() {
    let cas = |text: &str| Orchestrator::of(&doc(text)).map(|o| o.client_ca_keys);
    for (text, line) in [
        // A tagged mapping, an alias of one, a merge key bringing in an alias, one at a level
        // above, a tagged mapping above.
        ("orchestrator:\n  tls:\n    mtls:\n      clientCACerts: !!map {ingen: [a], yes: [b]}\n", 4),
        ("c: &c\n  yes: [b]\norchestrator:\n  tls:\n    mtls:\n      clientCACerts: *c\n", 2),
        ("c: &c {on: [b]}\norchestrator:\n  tls:\n    mtls:\n      clientCACerts:\n        <<: [{a: [x]}, *c]\n", 1),
        ("m: &m\n  clientCACerts: {010: [b]}\norchestrator:\n  tls:\n    mtls:\n      <<: *m\n", 2),
        ("orchestrator:\n  tls: !!map\n    mtls:\n      clientCACerts: {ingen: [a], \"no\": [b], 1e3: []}\n", 4),
    ] {
        let e = cas(text).expect_err(text);
        assert!(e.to_string().contains(&format!("v.yaml:{line}:")), "{text}: {e}");
        assert!(e.to_string().contains("the clientCACerts key"), "{text}: {e}");
    }
    // The same shapes with names Helm reads as written are taken.
    let ok = "c: &c\n  b: [x]\norchestrator:\n  tls:\n    mtls:\n      clientCACerts:\n        <<: *c\n        !!str yes: [y]\n";
    assert_eq!(cas(ok).expect("names"), ["yes", "b"]);

    let channels = |text: &str| crate::values::backend::BackendValues::read(doc(text)).err();
    for (text, line) in [
        ("orchestrator:\n  channels:\n    - !!map {yes: {restricted: false}}\n", 3),
        ("chs: &chs\n  - yes: {restricted: false}\norchestrator:\n  channels: *chs\n", 2),
        ("ch: &ch {off: {}}\norchestrator:\n  channels:\n    - *ch\n", 1),
        ("ch: &ch {off: {}}\norchestrator:\n  channels:\n    - <<: *ch\n", 1),
    ] {
        let e = channels(text).unwrap_or_else(|| panic!("taken: {text}"));
        assert!(e.to_string().contains(&format!("v.yaml:{line}:")), "{text}: {e}");
        assert!(e.to_string().contains("the channel key"), "{text}: {e}");
    }
    let ok = "ch: &ch {mychannel: {}}\norchestrator:\n  channels:\n    - <<: *ch\n    - !!map {\"on\": {}}\n";
    assert!(channels(ok).is_none(), "{:?}", channels(ok));
}

#[test]
fn a_chart_version_is_named_by_the_text_helmfile_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Through a merge key, written out, and through an alias.
    let helmfile = "t: &t\n  chart: substra/substra-backend\n  version: 26.150\nv: &v 0x10\n\
                    releases:\n  - name: a\n    <<: *t\n  - name: b\n    \
                    chart: substra/substra-backend\n    version: 1e6\n  - name: c\n    \
                    chart: substra/substra-backend\n    version: *v\n";
    std::fs::write(dir.path().join(HELMFILE), helmfile).expect("write");
    let notes = chart_notes(dir.path()).expect("notes");
    let said: Vec<&str> = notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(said.len(), 3, "{said:?}");
    for (note, version) in said.iter().zip(["26.150", "1e6", "0x10"]) {
        assert!(note.contains(&format!("substra-backend version {version};")), "{note}");
    }
}
