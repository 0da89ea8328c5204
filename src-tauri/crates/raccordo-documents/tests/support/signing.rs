//! Signed files as signing tools make them, with certificates made here: a test
//! certification authority and, issued by it, Mario Rossi's signing certificate (RSA
//! 2048). Shared by the tests of raccordo-documents and raccordo-ipc, each of which uses
//! only some of it.
#![allow(dead_code)]

use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::ObjectIdentifier;
use der::{Any, Encode, Tag};
use rsa::pkcs1v15::SigningKey;
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, EncodePublicKey, SubjectPublicKeyInfoOwned};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const SHA256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

struct Signer {
    key: SigningKey<Sha256>,
    cert: Certificate,
}

/// A test CA and, issued by it, Mario Rossi's signing certificate.
fn signer() -> &'static Signer {
    static S: OnceLock<Signer> = OnceLock::new();
    S.get_or_init(|| {
        let mut rng = rand::thread_rng();
        let ca_key = SigningKey::<Sha256>::new(rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap());
        let ca_name = Name::from_str("CN=Raccordo CA di prova,O=Test").unwrap();
        let spki = |k: &SigningKey<Sha256>| {
            let pk = rsa::RsaPublicKey::from(k.as_ref());
            SubjectPublicKeyInfoOwned::try_from(pk.to_public_key_der().unwrap().as_bytes()).unwrap()
        };
        let validity = Validity::from_now(Duration::from_secs(3600 * 24 * 365)).unwrap();
        let ca = CertificateBuilder::new(
            Profile::Root,
            SerialNumber::from(1u32),
            validity,
            ca_name.clone(),
            spki(&ca_key),
            &ca_key,
        )
        .unwrap()
        .build::<rsa::pkcs1v15::Signature>()
        .unwrap();
        let _ = ca;
        let key = SigningKey::<Sha256>::new(rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap());
        let subject = Name::from_str("CN=ROSSI MARIO,2.5.4.42=Mario,2.5.4.4=Rossi,O=Comune di Lucca,C=IT").unwrap();
        let cert = CertificateBuilder::new(
            Profile::Leaf { issuer: ca_name, enable_key_agreement: false, enable_key_encipherment: false },
            SerialNumber::from(4242u32),
            validity,
            subject,
            spki(&key),
            &ca_key,
        )
        .unwrap()
        .build::<rsa::pkcs1v15::Signature>()
        .unwrap();
        Signer { key, cert }
    })
}

/// A CMS SignedData by Mario Rossi: over `content` inside (CAdES) or over bytes whose
/// digest is given (detached, for PAdES).
pub fn sign(content: Option<&[u8]>, detached_digest: Option<&[u8]>) -> Vec<u8> {
    let s = signer();
    let eci = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: content.map(|c| Any::new(Tag::OctetString, c.to_vec()).unwrap()),
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: s.cert.tbs_certificate.issuer.clone(),
        serial_number: s.cert.tbs_certificate.serial_number.clone(),
    });
    let digest_alg = AlgorithmIdentifierOwned { oid: SHA256_OID, parameters: None };
    let mut info = SignerInfoBuilder::new(&s.key, sid, digest_alg.clone(), &eci, detached_digest).unwrap();
    if content.is_some() {
        // CAdES carries the signing time among the signed attributes; PAdES baseline
        // forbids it and puts it in the signature dictionary's /M instead.
        info.add_signed_attribute(create_signing_time_attribute().unwrap()).unwrap();
    }
    let mut builder = SignedDataBuilder::new(&eci);
    builder
        .add_digest_algorithm(digest_alg)
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(s.cert.clone()))
        .unwrap()
        .add_signer_info::<SigningKey<Sha256>, rsa::pkcs1v15::Signature>(info)
        .unwrap();
    builder.build().unwrap().to_der().unwrap()
}

pub fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).rposition(|w| w == needle).expect("present")
}

/// Adds an invisible signature field to `pdf` as an incremental update and signs the
/// whole file but the signature itself, as PAdES (ETSI.CAdES.detached) prescribes.
pub fn pades(pdf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(pdf);
    let trailer = &text[text.rfind("trailer").unwrap()..];
    let size: usize =
        trailer.split("/Size ").nth(1).unwrap().split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
    let root: usize = trailer.split("/Root ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let prev: usize =
        text[text.rfind("startxref").unwrap() + 9..].trim().trim_end_matches("%%EOF").trim().parse().unwrap();
    let id = &trailer[trailer.find("/ID").unwrap()..trailer.find("]>>").unwrap() + 1];
    let catalog_at = find(pdf, format!("\n{root} 0 obj").as_bytes()) + 1;
    let catalog = String::from_utf8_lossy(&pdf[catalog_at..]);
    let dict = &catalog[catalog.find("<<").unwrap()..catalog.find("\nendobj").unwrap()];
    let dict = dict.trim_end().strip_suffix(">>").unwrap();

    let (sig, field) = (size, size + 1);
    let placeholder = "0".repeat(16384);
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    offsets.push((sig, out.len()));
    out.extend_from_slice(format!(
        "{sig} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M(D:20261124103000+01'00')/Name(Mario Rossi)/ByteRange[0 0000000000 0000000000 0000000000]/Contents<{placeholder}>>>\nendobj\n"
    ).as_bytes());
    offsets.push((field, out.len()));
    out.extend_from_slice(format!("{field} 0 obj\n<</Type/Annot/Subtype/Widget/FT/Sig/T(Firma del Presidente)/V {sig} 0 R/F 132/Rect[0 0 0 0]>>\nendobj\n").as_bytes());
    offsets.push((root, out.len()));
    out.extend_from_slice(
        format!("{root} 0 obj\n{dict}/AcroForm<</Fields[{field} 0 R]/SigFlags 3>>>>\nendobj\n").as_bytes(),
    );
    let xref_at = out.len();
    let mut xref = String::from("xref\n0 1\n0000000000 65535 f \n");
    offsets.sort();
    for (n, at) in &offsets {
        xref.push_str(&format!("{n} 1\n{at:010} 00000 n \n"));
    }
    out.extend_from_slice(xref.as_bytes());
    out.extend_from_slice(
        format!("trailer\n<</Size {}/Root {root} 0 R/Prev {prev}{id}>>\nstartxref\n{xref_at}\n%%EOF\n", field + 1)
            .as_bytes(),
    );

    // Fill /ByteRange, then sign the two ranges and put the signature in /Contents.
    let contents_at = find(&out, b"/Contents<");
    let start = contents_at + "/Contents".len();
    let end = start + placeholder.len() + 2;
    let range = format!("0 {start:010} {end:010} {:010}", out.len() - end);
    let br = find(&out, b"/ByteRange[0 0000000000") + "/ByteRange[".len();
    out[br..br + range.len()].copy_from_slice(range.as_bytes());
    let mut signed_bytes = out[..start].to_vec();
    signed_bytes.extend_from_slice(&out[end..]);
    let cms = sign(None, Some(&Sha256::digest(&signed_bytes)));
    let hex: String = cms.iter().map(|b| format!("{b:02X}")).collect();
    assert!(hex.len() <= placeholder.len());
    out[start + 1..start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    out
}
