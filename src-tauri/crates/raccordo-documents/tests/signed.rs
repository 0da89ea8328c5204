//! Signed files as they come back from the signatories, made here: a certification
//! authority and a signer's certificate made by the test (RSA 2048), a CAdES `.p7m`
//! around the minutes, and a PAdES signature added to the minutes as an incremental
//! update, the way signing tools do. Each verifies; with one byte changed, it does not.

use raccordo_documents::signed::{self, Container};
use sha2::{Digest, Sha256};

#[path = "support/printed.rs"]
mod printed;
use printed::minutes_pdf;
#[path = "support/signing.rs"]
mod signing;
use signing::{find, pades, sign};

#[test]
fn cades_p7m_verifies_and_a_changed_byte_does_not() {
    let pdf = minutes_pdf();
    let p7m = sign(Some(&pdf), None);
    std::fs::write(output_dir().join("verbale-firmato.pdf.p7m"), &p7m).unwrap();
    let report = signed::check(&p7m, None).unwrap();
    assert_eq!(report.container, Container::Cades);
    assert!(report.all_intact, "{report:#?}");
    assert_eq!(report.signatures.len(), 1);
    let s = &report.signatures[0];
    assert_eq!(s.signer, "Mario Rossi");
    assert_eq!(s.organization.as_deref(), Some("Comune di Lucca"));
    assert!(s.signing_time.is_some());
    assert!(s.issuer.contains("Raccordo CA di prova"), "{}", s.issuer);
    assert_eq!(report.content_sha256.as_deref(), Some(raccordo_register::audit::hex(&Sha256::digest(&pdf)).as_str()));
    assert!(report.trust_note.contains("non verificati"), "{}", report.trust_note);
    assert!(!report.all_trusted && !s.trusted);

    // One byte of the signed minutes changed inside the envelope.
    let mut bad = p7m.clone();
    let at = find(&bad, b"Verbale della seduta");
    bad[at] ^= 0x01;
    let report = signed::check(&bad, None).unwrap();
    assert!(!report.all_intact);
    assert!(!report.signatures[0].intact);
    assert!(report.signatures[0].outcome.contains("NON valida"), "{}", report.signatures[0].outcome);
    assert!(report.summary.contains("1 su 1 firma NON corrisponde"), "{}", report.summary);
}

#[test]
fn pades_verifies_and_a_changed_byte_does_not() {
    let signed_pdf = pades(&minutes_pdf());
    let path = output_dir().join("verbale-firmato-pades.pdf");
    std::fs::write(&path, &signed_pdf).unwrap();
    let qpdf = std::process::Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(qpdf.status.success(), "qpdf: {}", String::from_utf8_lossy(&qpdf.stdout));

    let report = signed::check(&signed_pdf, None).unwrap();
    assert_eq!(report.container, Container::Pades);
    assert!(report.all_intact, "{report:#?}");
    let s = &report.signatures[0];
    assert_eq!(s.signer, "Mario Rossi");
    assert_eq!(s.covers_whole_file, Some(true));
    assert_eq!(s.signing_time.unwrap().to_rfc3339(), "2026-11-24T09:30:00+00:00");

    // A byte of the page changed after signing.
    let mut bad = signed_pdf.clone();
    let at = find(&bad, b"/MediaBox");
    bad[at + 1] = b'm';
    let report = signed::check(&bad, None).unwrap();
    assert!(!report.all_intact && !report.signatures[0].intact, "{report:#?}");

    // Something appended after the signature: intact, but the file changed since.
    let mut appended = signed_pdf.clone();
    appended.extend_from_slice(b"% aggiunta\n");
    let report = signed::check(&appended, None).unwrap();
    assert!(report.signatures[0].intact && !report.all_intact);
    assert!(report.summary.contains("modificato dopo l'ultima firma"), "{}", report.summary);
}

#[test]
fn a_p7m_without_the_document_says_so() {
    let detached = sign(None, Some(&Sha256::digest(b"x")));
    let e = signed::check(&detached, None).unwrap_err();
    assert_eq!(e.code_str(), "signature");
    assert!(e.message.contains("detached"), "{}", e.message);
}

fn output_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/documents");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Files made to break the checker (each once made it panic, loop or exhaust memory):
/// each gets an answer, an error or a signature reported as not intact.
#[test]
fn crafted_files_get_an_answer_not_a_panic() {
    let signed_pdf = pades(&minutes_pdf());
    let at = find(&signed_pdf, b"/ByteRange[");
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();

    let mut reversed = signed_pdf.clone();
    reversed[at + 10] = b']';
    reversed[at + 11] = b'[';
    cases.push(("/ByteRange ][", reversed));

    // A /ByteRange far after the gap it names (another signature's bytes).
    let mut far = signed_pdf.clone();
    let range = String::from_utf8_lossy(&far[at..at + 60]).to_string();
    let range = &range[..range.find(']').unwrap() + 1];
    far.extend_from_slice(&vec![b' '; 200_000]);
    far.extend_from_slice(format!("\n99 0 obj\n<</Type/Sig{range}>>\nendobj\n").as_bytes());
    cases.push(("/ByteRange far after its gap", far));

    let mut absurd_offset = signed_pdf.clone();
    let m = find(&absurd_offset, b"/M(D:20261124103000+01'00')");
    absurd_offset[m..m + 26].copy_from_slice(b"/M(D:20261124103000+99'99'");
    cases.push(("/M with an absurd offset", absurd_offset));

    let mut huge_offset = b"%PDF-1.7\n1 0 obj\n<</M(D:20261124103000+9999999999999999'00')/ByteRange[0 ".to_vec();
    let len = huge_offset.len() + 40;
    huge_offset.extend_from_slice(format!("{len} {len} 0]/Contents<>>>\nendobj\n").as_bytes());
    cases.push(("/M offset that overflows", huge_offset));

    // Thousands of /ByteRange entries over one large gap.
    let mut many = b"%PDF-1.7\n".to_vec();
    let gap_start = many.len() + 1;
    many.push(b'<');
    many.extend_from_slice(&vec![b'0'; 4_000_000]);
    many.push(b'>');
    let gap_end = many.len();
    for _ in 0..10_000 {
        many.extend_from_slice(format!("/ByteRange[0 {gap_start} {gap_end} 0]").as_bytes());
    }
    cases.push(("10,000 /ByteRange over one 4 MB gap", many));

    cases.push(("/ByteRange past the end", b"%PDF-1.7 /ByteRange[0 1 18446744073709551615 5]".to_vec()));
    cases.push(("a /ByteRange cut short", b"%PDF-1.7 /ByteRange[0 1".to_vec()));
    cases.push(("an empty /ByteRange", b"%PDF-1.7 /ByteRange[]".to_vec()));

    for (what, bytes) in cases {
        let started = std::time::Instant::now();
        let outcome = std::panic::catch_unwind(|| signed::check(&bytes, None));
        let report = outcome.unwrap_or_else(|_| panic!("{what}: the checker panicked"));
        if let Ok(r) = &report {
            assert!(!r.all_intact, "{what}: reported intact");
        }
        assert_plain_italian(&report);
        // Not a timing assertion on speed, a bound on work: seconds, not minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{what}: took {:?}", started.elapsed());
    }
}

#[test]
fn too_many_signatures_and_too_large_a_file_are_refused_with_their_reason() {
    let mut many = b"%PDF-1.7\n".to_vec();
    for _ in 0..40 {
        many.extend_from_slice(b"1 0 obj<</ByteRange[0 1 2 3]>>endobj\n");
    }
    let e = signed::check(&many, None).unwrap_err();
    assert!(e.message.contains("più di 32 firme"), "{}", e.message);
    let huge = vec![b'%'; signed::MAX_SIGNED_FILE_BYTES + 1];
    let e = signed::check(&huge, None).unwrap_err();
    assert!(e.message.starts_with("File firmato troppo grande"), "{}", e.message);
}

/// A second SignerInfo hidden in a PAdES signature: a signer nobody sees on screen.
#[test]
fn an_extra_signer_info_makes_the_signature_not_intact() {
    use der::Encode;
    let signed_pdf = pades(&minutes_pdf());
    let start = find(&signed_pdf, b"/Contents<") + "/Contents<".len();
    let end = start + signed_pdf[start..].iter().position(|&b| b == b'>').unwrap();
    let hex = std::str::from_utf8(&signed_pdf[start..end]).unwrap();
    let der_bytes: Vec<u8> =
        (0..hex.len() / 2).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    let mut reader = der::SliceReader::new(&der_bytes).unwrap();
    let ci: cms::content_info::ContentInfo = der::Reader::decode(&mut reader).unwrap();
    let mut sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let mut second = sd.signer_infos.0.iter().next().unwrap().clone();
    let mut sig = second.signature.as_bytes().to_vec();
    sig[0] ^= 1;
    second.signature = der::asn1::OctetString::new(sig).unwrap();
    sd.signer_infos.0.insert(second).unwrap();
    let ci =
        cms::content_info::ContentInfo { content_type: ci.content_type, content: der::Any::encode_from(&sd).unwrap() };
    let new_hex: String = ci.to_der().unwrap().iter().map(|b| format!("{b:02X}")).collect();
    assert!(new_hex.len() <= end - start, "the placeholder has room");
    let mut forged = signed_pdf.clone();
    forged[start..end].fill(b'0');
    forged[start..start + new_hex.len()].copy_from_slice(new_hex.as_bytes());
    let report = signed::check(&forged, None).unwrap();
    assert!(!report.all_intact);
    assert!(report.signatures[0].outcome.contains("2 firmatari"), "{}", report.signatures[0].outcome);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]
    /// Real signed files (PAdES, PAdES with an update after its signature, CAdES in DER
    /// and base64) with bytes changed, cut or inserted at random: the checker, and its
    /// reading of the revisions after a signature, always answers.
    #[test]
    fn mutated_signed_files_never_panic(
        which in 0usize..4,
        edits in proptest::collection::vec((0.0f64..1.0, 0u8..=255, 0u8..3), 1..8),
    ) {
        let file = &mutation_seeds()[which];
        let mut bytes = file.clone();
        for (at, value, how) in edits {
            let i = ((bytes.len() as f64) * at) as usize;
            match how {
                0 if i < bytes.len() => bytes[i] = value,
                1 => bytes.truncate(i.max(1)),
                _ => bytes.insert(i.min(bytes.len()), value),
            }
        }
        let outcome = std::panic::catch_unwind(|| signed::check(&bytes, None));
        proptest::prop_assert!(outcome.is_ok(), "the checker panicked");
        assert_plain_italian(&outcome.unwrap());
    }
}

fn mutation_seeds() -> &'static [Vec<u8>; 4] {
    static SEEDS: std::sync::OnceLock<[Vec<u8>; 4]> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        use base64::Engine as _;
        let pdf = minutes_pdf();
        let p7m = sign(Some(&pdf), None);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&p7m).into_bytes();
        let signed = pades(&pdf);
        [with_note_appended(&signed), signed, p7m, b64]
    })
}

/// `pdf` with an incremental update written by hand after its last revision: a new
/// annotation object, a cross-reference table and a trailer pointing back.
fn with_note_appended(pdf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(pdf);
    let prev = text.rsplit("startxref").next().unwrap().split_whitespace().next().unwrap().to_owned();
    let root = text.rsplit("/Root").next().unwrap().split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let mut out = pdf.to_vec();
    out.push(b'\n');
    let object = out.len();
    out.extend_from_slice(
        b"9999 0 obj\n<< /Type /Annot /Subtype /FreeText /Rect [0 0 300 40] /Contents (nota) >>\nendobj\n",
    );
    let xref = out.len();
    let tail = format!(
        "xref\n9999 1\n{object:010} 00000 n \ntrailer\n<< /Size 10000 /Root {root} /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
    );
    out.extend_from_slice(tail.as_bytes());
    out
}

#[test]
fn an_annotation_written_after_the_signature_makes_the_file_not_intact() {
    let noted = &mutation_seeds()[0];
    let report = signed::check(noted, None).unwrap();
    assert!(report.signatures[0].intact && !report.all_intact, "{report:#?}");
    assert!(report.summary.contains("annotazione (testo libero)"), "{}", report.summary);
}

/// What the checker says reaches the window and the command line: no names of the
/// file's inner structures, which mean nothing to the person reading them.
fn assert_plain_italian(report: &raccordo_register::Result<signed::SignedFile>) {
    const JARGON: [&str; 14] = [
        "/ByteRange",
        "/Contents",
        "CMS",
        "SignedData",
        "SignerInfo",
        "TSTInfo",
        "messageDigest",
        "DER",
        "ASN",
        "xref",
        "XMP",
        "DSS",
        "/Length",
        "signing-certificate",
    ];
    let texts: Vec<String> = match report {
        Err(e) => vec![e.message.clone()],
        Ok(r) => std::iter::once(r.summary.clone())
            .chain(r.signatures.iter().flat_map(|s| [s.outcome.clone(), s.trust.clone()]))
            .chain(r.signatures.iter().flat_map(|s| s.changes_after.clone()))
            .collect(),
    };
    for text in texts {
        for word in JARGON {
            assert!(!text.contains(word), "«{word}» in «{text}»");
        }
    }
}
