//! The little DER that rcgen does not write for us: the CA's authorityKeyIdentifier with
//! issuer and serial (`keyid:always,issuer:always` in the guide's openssl config).

/// One TLV: tag, definite length, contents.
pub fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().iter().copied().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// The contents of an INTEGER holding unsigned big-endian bytes.
fn unsigned_integer(bytes: &[u8]) -> Vec<u8> {
    let trimmed: &[u8] = {
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len().saturating_sub(1));
        &bytes[start..]
    };
    let mut out = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(trimmed);
    out
}

/// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0], authorityCertIssuer [1]
/// GeneralNames { directoryName [4] Name }, authorityCertSerialNumber [2] } (RFC 5280 4.2.1.1).
/// `issuer_name` is the DER of the issuer's Name, `serial` its serial number's bytes.
pub fn authority_key_identifier(key_id: &[u8], issuer_name: &[u8], serial: &[u8]) -> Vec<u8> {
    let mut body = tlv(0x80, key_id);
    body.extend(tlv(0xa1, &tlv(0xa4, issuer_name)));
    body.extend(tlv(0x82, &unsigned_integer(serial)));
    tlv(0x30, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_integers_encode_as_der() {
        assert_eq!(tlv(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = tlv(0x04, &[0u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(unsigned_integer(&[0x80]), vec![0, 0x80]);
        assert_eq!(unsigned_integer(&[0, 0, 0x7f]), vec![0x7f]);
        assert_eq!(unsigned_integer(&[0]), vec![0]);
    }

    #[test]
    fn aki_parses_back_with_all_three_parts() {
        // Name: CN=x
        let name =
            tlv(0x30, &tlv(0x31, &tlv(0x30, &[&[6, 3, 85, 4, 3][..], &tlv(0x0c, b"x")].concat())));
        let der = authority_key_identifier(&[1; 20], &name, &[0x40, 1, 2]);
        let (_, aki) =
            <x509_parser::extensions::AuthorityKeyIdentifier as x509_parser::prelude::FromDer<
                x509_parser::error::X509Error,
            >>::from_der(&der)
            .expect("parses");
        assert_eq!(aki.key_identifier.expect("keyid").0, &[1; 20]);
        assert_eq!(aki.authority_cert_serial, Some(&[0x40, 1, 2][..]));
        let issuer = aki.authority_cert_issuer.expect("issuer");
        assert!(
            matches!(&issuer[0], x509_parser::extensions::GeneralName::DirectoryName(n) if n.to_string() == "CN=x")
        );
    }
}
