//! The PKI domain: what a CA and its certificates hold, checked by parsing them back.

use std::path::Path;

use time::OffsetDateTime;
use x509_parser::extensions::ParsedExtension;

use super::inspect::{self, info};
use super::leaf::{check_mspid, issue, service_names, Name, Role};
use super::verify::{verify, Purpose, Request};
use super::*;
use crate::check::Mark as Status;

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn server_role() -> Role {
    Role::Server {
        names: vec![
            Name::parse("orchestrator.cluster-1.example").expect("name"),
            Name::parse("10.0.0.1").expect("ip"),
        ],
    }
}

fn checks_of(
    ca: &Ca,
    cert: &Issued,
    host: Option<&str>,
    purpose: Purpose,
    key: Option<&rcgen::KeyPair>,
) -> Vec<(String, Status)> {
    let host = host.map(|h| Name::parse(h).expect("host"));
    let cas = [ca.cert_der.clone()];
    let req = Request {
        ca_path: Path::new("ca.crt"),
        ca_certs: &cas,
        cert_path: Path::new("x.crt"),
        cert: &cert.cert_der,
        hosts: host.as_slice(),
        organization: None,
        purpose,
        key,
        msp_id_verification: None,
        now: now(),
    };
    verify(&req).expect("verify").into_iter().map(|c| (c.check, c.status)).collect()
}

#[test]
fn ca_has_the_guides_v3_ca_extensions_for_every_key_type() {
    for alg in KeyAlg::ALL {
        let ca = Ca::generate("Orchestrator Root CA", alg, 1825, now()).expect("ca");
        let (_, cert) = x509_parser::parse_x509_certificate(ca.cert_der.as_ref()).expect("parse");
        assert_eq!(cert.subject().to_string(), "CN=Orchestrator Root CA");
        assert_eq!(cert.issuer().to_string(), "CN=Orchestrator Root CA");
        let bc = cert.basic_constraints().expect("ok").expect("present");
        assert!(bc.critical && bc.value.ca, "{alg:?}");
        assert_eq!(inspect::key_usage(&cert), ["Certificate Sign", "CRL Sign"]);
        let ski = inspect::subject_key_id(&cert).expect("ski");
        assert_eq!(
            ski,
            key_id(&cert.public_key().subject_public_key.data),
            "SHA-1 of the key bits"
        );
        let aki = cert
            .iter_extensions()
            .find_map(|e| match e.parsed_extension() {
                ParsedExtension::AuthorityKeyIdentifier(a) => Some(a.clone()),
                _ => None,
            })
            .expect("aki");
        assert_eq!(aki.key_identifier.expect("keyid").0, &ski[..]);
        assert_eq!(aki.authority_cert_serial, Some(cert.raw_serial()));
        assert!(aki.authority_cert_issuer.is_some_and(|n| n.len() == 1));
        cert.verify_signature(None).expect("self-signed");
        let i = info(ca.cert_der.as_ref(), &cert, now());
        assert!((1823..=1825).contains(&i.days_left), "{}", i.days_left);
        let key_pem = ca.new_key_pem.as_deref().expect("new key");
        let key = read_key(Path::new("ca.key"), key_pem.as_bytes()).expect("reads back");
        assert!(key_matches(&key, &cert), "{alg:?}");
        // PKCS#8 v1 (version 0), which every TLS stack reads.
        let der = rustls_pemfile::private_key(&mut key_pem.as_bytes()).expect("pem").expect("key");
        let der = der.secret_der();
        let header = if der[1] & 0x80 != 0 { 2 + usize::from(der[1] & 0x7f) } else { 2 };
        assert_eq!(&der[header..header + 3], &[2, 1, 0], "{alg:?}");
    }
}

#[test]
fn serials_are_random_not_derived_from_the_key() {
    let a = Ca::generate("x", KeyAlg::EcdsaP256, 1, now()).expect("ca");
    let b = Ca::generate("x", KeyAlg::EcdsaP256, 1, now()).expect("ca");
    let serial = |ca: &Ca| {
        let (_, c) = x509_parser::parse_x509_certificate(ca.cert_der.as_ref()).expect("parse");
        c.raw_serial().to_vec()
    };
    assert_ne!(serial(&a), serial(&b));
    assert_eq!(serial(&a).len(), 16);
}

#[test]
fn leaves_name_the_ca_key_and_pass_verification() {
    for alg in KeyAlg::ALL {
        let ca = Ca::generate("Orchestrator Root CA", KeyAlg::EcdsaP256, 3650, now()).expect("ca");
        let server = issue(&ca, &server_role(), alg, 365, now()).expect("server");
        let (_, cert) = x509_parser::parse_x509_certificate(server.cert_der.as_ref()).expect("p");
        assert_eq!(cert.subject().to_string(), "CN=orchestrator.cluster-1.example");
        assert_eq!(inspect::sans(&cert), ["DNS:orchestrator.cluster-1.example", "IP:10.0.0.1"]);
        assert_eq!(
            inspect::extended_key_usage(&cert),
            ["TLS Web Server Authentication", "TLS Web Client Authentication"],
            "clientAuth too, for the chart's health probe under mTLS"
        );
        assert_eq!(inspect::authority_key_id(&cert), ca.key_id);
        assert!(inspect::subject_key_id(&cert).is_some());
        assert!(!cert.is_ca());
        let key = read_key(Path::new("k"), server.key_pem.as_bytes()).expect("key");
        let checks = checks_of(
            &ca,
            &server,
            Some("orchestrator.cluster-1.example"),
            Purpose::Server,
            Some(&key),
        );
        assert!(checks.iter().all(|(_, s)| *s == Status::Ok), "{alg:?} {checks:?}");

        let role = Role::Client { mspid: "ingen".into(), cn: "api.ingen.example".into() };
        let client = issue(&ca, &role, alg, 365, now()).expect("client");
        let (_, cert) = x509_parser::parse_x509_certificate(client.cert_der.as_ref()).expect("p");
        assert_eq!(cert.subject().to_string(), "O=ingen, CN=api.ingen.example");
        assert_eq!(inspect::authority_key_id(&cert), ca.key_id);
        let checks = checks_of(&ca, &client, None, Purpose::Client, None);
        assert!(checks.iter().all(|(_, s)| *s == Status::Ok), "{checks:?}");
    }
}

#[test]
fn verification_names_each_failure() {
    let ca = Ca::generate("Orchestrator Root CA", KeyAlg::EcdsaP256, 30, now()).expect("ca");
    let other = Ca::generate("Orchestrator Root CA", KeyAlg::EcdsaP256, 30, now()).expect("ca");
    let server = issue(&ca, &server_role(), KeyAlg::EcdsaP256, 10, now()).expect("server");
    let foreign_key = KeyAlg::EcdsaP256.generate().expect("key");
    let status = |checks: &[(String, Status)], name: &str| {
        checks.iter().find(|(n, _)| n == name).map(|(_, s)| *s)
    };
    let c = checks_of(&other, &server, Some("wrong.example"), Purpose::Client, Some(&foreign_key));
    assert_eq!(status(&c, "chain"), Some(Status::Failure));
    assert_eq!(status(&c, "host"), Some(Status::Failure));
    assert_eq!(status(&c, "purpose"), Some(Status::Ok), "a server certificate allows clientAuth");
    assert_eq!(status(&c, "key"), Some(Status::Failure));
    assert_eq!(status(&c, "validity"), Some(Status::Warning), "10 days left");
    let role = Role::Client { mspid: "ingen".into(), cn: "ingen".into() };
    let client = issue(&ca, &role, KeyAlg::EcdsaP256, 10, now()).expect("client");
    let c = checks_of(&ca, &client, None, Purpose::Server, None);
    assert_eq!(status(&c, "purpose"), Some(Status::Failure));
    assert_eq!(status(&c, "health-probe"), Some(Status::Ok), "a client certificate has clientAuth");
}

#[test]
fn a_loaded_ca_signs_with_its_own_key_id() {
    let ca = Ca::generate("Orchestrator Root CA", KeyAlg::Rsa2048, 3650, now()).expect("ca");
    let key_pem = ca.new_key_pem.clone().expect("key");
    let loaded = Ca::load(
        Path::new("ca.crt"),
        ca.cert_pem.as_bytes(),
        Path::new("ca.key"),
        key_pem.as_bytes(),
    )
    .expect("load");
    assert_eq!(loaded.key_id, ca.key_id);
    let server = issue(&loaded, &server_role(), KeyAlg::EcdsaP256, 365, now()).expect("server");
    let checks = checks_of(&ca, &server, None, Purpose::Server, None);
    assert!(checks.iter().all(|(_, s)| *s == Status::Ok), "{checks:?}");

    let other_key = KeyAlg::Rsa2048.generate().expect("key").serialize_pem();
    let err = Ca::load(
        Path::new("ca.crt"),
        ca.cert_pem.as_bytes(),
        Path::new("ca.key"),
        other_key.as_bytes(),
    )
    .expect_err("mismatch");
    assert_eq!(
        err.to_string(),
        "ca.key does not match the certificate ca.crt: they are not one key pair"
    );
}

#[test]
fn unreadable_inputs_are_named() {
    let err = read_certs(Path::new("a.crt"), b"hello").expect_err("not pem");
    assert!(err.to_string().starts_with("a.crt: no PEM certificate found"), "{err}");
    let enc = concat!(
        "-----BEGIN ENCRYPTED ",
        "PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
    );
    let err = read_key(Path::new("ca.key"), enc.as_bytes()).expect_err("encrypted");
    assert!(err.to_string().contains("ca.key: the private key is encrypted"), "{err}");
    let err = read_key(Path::new("ca.key"), b"").expect_err("empty");
    assert!(err.to_string().contains("no PEM private key"), "{err}");
}

#[test]
fn host_names_follow_rfc1123() {
    for ok in [
        "orchestrator.example.org",
        "*.example.org",
        "a-b.c",
        "localhost",
        "::1",
        "10.1.2.3",
        "X.Example.ORG.",
    ] {
        Name::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    assert_eq!(Name::parse("X.Example.ORG.").expect("ok"), Name::Dns("x.example.org".into()));
    for bad in [
        "",
        "a..b",
        "-a.b",
        "a_b.c",
        "*.org",
        "a.*.b",
        "f*.b.c",
        "1.2.3.999",
        "exa mple.org",
        &"a".repeat(64),
    ] {
        assert!(Name::parse(bad).is_err(), "{bad}");
    }
    let names: Vec<String> = service_names("orchestrator-server.orchestrator")
        .expect("ok")
        .iter()
        .map(Name::show)
        .collect();
    assert_eq!(
        names,
        [
            "DNS:orchestrator-server.orchestrator",
            "DNS:orchestrator-server.orchestrator.svc",
            "DNS:orchestrator-server.orchestrator.svc.cluster.local"
        ]
    );
    assert!(service_names("orchestrator").is_err());
    assert!(service_names("a.b.c").is_err());
    assert!(check_mspid("ingen").is_ok());
    assert!(check_mspid("../x").is_err());
    assert!(check_mspid("a b").is_err());
}

/// A client certificate signed by the CA's key but naming another key id as its authority: the
/// chain holds, and MSP-ID verification would still refuse it.
#[test]
fn a_client_certificate_naming_another_key_id_fails_msp_id_verification_only_when_on() {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyIdMethod, KeyUsagePurpose,
    };
    let ca_key = KeyAlg::EcdsaP256.generate().expect("key");
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name.push(DnType::CommonName, "Orchestrator Root CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    ca_params.key_identifier_method = KeyIdMethod::PreSpecified(key_id(ca_key.public_key_raw()));
    let ca_der = ca_params.self_signed(&ca_key).expect("ca").der().clone();
    let mut wrong = ca_params.clone();
    wrong.key_identifier_method = KeyIdMethod::PreSpecified(vec![7; 20]);
    let issuer = Issuer::from_params(&wrong, &ca_key);
    let key = KeyAlg::EcdsaP256.generate().expect("key");
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::OrganizationName, "ingen");
    params.use_authority_key_identifier_extension = true;
    let cert = params.signed_by(&key, &issuer).expect("leaf").der().clone();

    let cas = [ca_der];
    let check = |verification: Option<bool>| {
        let req = Request {
            ca_path: Path::new("ca.crt"),
            ca_certs: &cas,
            cert_path: Path::new("ingen.crt"),
            cert: &cert,
            hosts: &[],
            organization: None,
            purpose: Purpose::Client,
            key: None,
            msp_id_verification: verification,
            now: now(),
        };
        let checks = verify(&req).expect("verify");
        assert_eq!(checks[0].status, Status::Ok, "the chain holds: {:?}", checks[0]);
        checks.into_iter().find(|c| c.check == "msp-issuer").expect("msp-issuer check")
    };
    for (verification, status) in
        [(Some(true), Status::Failure), (None, Status::Failure), (Some(false), Status::Warning)]
    {
        let c = check(verification);
        assert_eq!(c.status, status, "{verification:?}: {c:?}");
        assert!(
            c.detail.starts_with(
                "authorityKeyIdentifier 07:07:07:07:07:07:07:07:07:07:07:07:07:07:07:07:07:07:07:07 \
                 differs from the CA's subjectKeyIdentifier"
            ),
            "{}",
            c.detail
        );
        assert!(c.detail.contains("invalid MSPID: invalid issuer for MSPID \"ingen\""));
        assert!(c.hint.as_deref().is_some_and(|h| h.contains("substractl certs sign ingen.csr")));
    }
}
