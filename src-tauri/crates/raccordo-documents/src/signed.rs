//! The signed files that come back from the signatories: PAdES (a PDF with its
//! signatures inside) and CAdES (a `.p7m` envelope around the signed file). Every
//! signature is read (signer from the certificate, declared signing time) and checked
//! against the signed bytes: the message digest, then the signature itself with the
//! certificate's public key.
//!
//! Then, with a trusted list imported (`trust`), each signer's certificate is
//! evaluated: its chain to a qualified certification authority of the list, validity
//! at the signing time, the non-repudiation key usage, the ESS signing-certificate
//! attribute binding it to the signature, and the revocation lists the file carries.
//! Without a list, or when the chain does not reach it, a signature is at most
//! "integra, firmatario non verificato": never shown as valid.

use crate::trust::TrustedList;
use crate::trust::chain::{self, Evidence};
use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier as Oid, OctetString};
use der::{Decode, Encode, Tagged};
use raccordo_register::words::count;
use raccordo_register::{Error, ErrorCode, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// The content of an RFC 3161 timestamp token: a document timestamp's CMS holds one.
const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
const SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
const CN: Oid = Oid::new_unwrap("2.5.4.3");
const GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
const SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
const ORGANIZATION: Oid = Oid::new_unwrap("2.5.4.10");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Container {
    /// PDF with signatures inside (ETSI EN 319 142).
    Pades,
    /// CMS envelope, `.p7m` (ETSI EN 319 122).
    Cades,
}

/// What was found in a signed file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedFile {
    pub container: Container,
    pub signatures: Vec<SignatureCheck>,
    /// CAdES: the SHA-256 of the file inside the envelope (to compare with the PDF sent).
    pub content_sha256: Option<String>,
    /// Every signature matches the bytes it signs (and, for PAdES, the last one covers
    /// the whole file).
    pub all_intact: bool,
    /// Every signature is intact and its signer verified against the trusted list.
    pub all_trusted: bool,
    /// In Italian, for the window and the command line.
    pub summary: String,
    /// Which trusted list the signers were checked against, or that none was.
    pub trust_note: String,
}

impl SignedFile {
    /// The day the file was signed, as the office's clock reads it: the earliest
    /// signing time its signers declared (document timestamps are not signings). What
    /// an agreement without a signature date takes when the file is confirmed.
    pub fn signed_on(&self) -> Option<chrono::NaiveDate> {
        self.signatures
            .iter()
            .filter(|sig| !sig.timestamp)
            .filter_map(|sig| sig.signing_time)
            .min()
            .map(|t| t.with_timezone(&chrono::Local).date_naive())
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureCheck {
    /// "Mario Rossi", from the certificate (given name and surname, or common name).
    pub signer: String,
    /// The organisation in the certificate, when there is one.
    pub organization: Option<String>,
    /// The certificate's issuer, as a distinguished name.
    pub issuer: String,
    /// The time the signer's software declared (not a trusted timestamp).
    pub signing_time: Option<DateTime<Utc>>,
    /// The digest matches the signed bytes and the signature verifies with the key.
    pub intact: bool,
    /// PAdES: this signature covers the file up to its end (nothing was added after).
    pub covers_whole_file: Option<bool>,
    /// PAdES: what the revisions after this signature changed, in Italian (empty when
    /// nothing was added after it).
    pub changes_after: Vec<String>,
    /// PAdES: something beyond further signatures, their fields and validation data
    /// changed after this signature (DocMDP): the document it signed is not the file's.
    pub modified_after: bool,
    /// "Firma integra", or what is wrong, in Italian.
    pub outcome: String,
    /// The signer's certificate chains to a qualified service of the trusted list, and
    /// passed every check of `trust::chain`.
    pub trusted: bool,
    /// PAdES: a document timestamp (RFC 3161 token over the file up to it), not a
    /// signatory's signature: its time is the timestamp authority's.
    pub timestamp: bool,
    /// In Italian: the qualified service reached, or why the signer is not verified.
    pub trust: String,
}

pub const TRUST_NOT_CHECKED: &str = "Firmatari non verificati: nessun elenco di fiducia (Trusted List) è \
importato, quindi non si controlla che i certificati siano qualificati, né che non siano stati revocati. Si \
controlla solo che ogni firma corrisponda ai byte firmati. Importa l'elenco di fiducia pubblicato da AgID in \
Impostazioni.";
const NO_LIST: &str = "Firmatario non verificato: nessun elenco di fiducia importato.";

/// The largest signed file checked: what the register keeps as an attachment.
pub const MAX_SIGNED_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Signatures (`/ByteRange`s) read in one PDF; real files have a handful.
const MAX_PDF_SIGNATURES: usize = 32;
/// How far from the gap it names a signature's `/ByteRange` may stand: its dictionary's
/// other entries (reason, location, build properties) lie between them.
const NEAR: usize = 64 * 1024;
/// Signers in one CMS envelope (co-signatures of a `.p7m`).
const MAX_SIGNER_INFOS: usize = 16;

fn unreadable(what: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Signature, format!("File firmato non leggibile: {what}"))
}

/// Reads and checks every signature of a PAdES `.pdf` or a CAdES `.p7m` file, and
/// each signer against `list` when there is one.
pub fn check(bytes: &[u8], list: Option<&TrustedList>) -> Result<SignedFile> {
    if bytes.len() > MAX_SIGNED_FILE_BYTES {
        return Err(Error::new(
            ErrorCode::Signature,
            format!(
                "File firmato troppo grande ({} MB): il massimo è {} MB.",
                bytes.len() / (1024 * 1024),
                MAX_SIGNED_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let trust = Trust { list, now: Utc::now() };
    if bytes.starts_with(b"%PDF-") { check_pades(bytes, &trust) } else { check_cades(bytes, &trust) }
}

fn check_cades(bytes: &[u8], trust: &Trust) -> Result<SignedFile> {
    // Some tools send the .p7m in base64 (PEM-less): accept it as the same bytes.
    let der_bytes = if bytes.first() == Some(&0x30) { bytes.to_vec() } else { from_base64(bytes)? };
    let crate::envelope::Envelope { signed: sd, ocsps } = crate::envelope::read(&der_bytes)?;
    let content = match &sd.encap_content_info.econtent {
        Some(any) => OctetString::from_der(&any.to_der().map_err(unreadable)?)
            .map(|o| o.into_bytes())
            .unwrap_or_else(|_| any.value().to_vec()),
        None => {
            return Err(Error::new(
                ErrorCode::Signature,
                "Il file .p7m non contiene il documento firmato (firma «detached»): allega il documento insieme alla firma.",
            ));
        }
    };
    if sd.signer_infos.0.len() > MAX_SIGNER_INFOS {
        return Err(unreadable(format!(
            "la busta dichiara {}, più dei {MAX_SIGNER_INFOS} che si controllano.",
            count(sd.signer_infos.0.len() as u64, "firmatario", "firmatari")
        )));
    }
    let mut digests = Digests::default();
    let evidence = evidence_of(&sd, ocsps, Evidence::default());
    let signatures: Vec<SignatureCheck> = sd
        .signer_infos
        .0
        .iter()
        .map(|si| check_signer(&sd, si, &content, &mut digests, None, None, (trust, &evidence)))
        .collect();
    Ok(finish(Container::Cades, signatures, Some(raccordo_register::audit::hex(&Sha256::digest(&content))), trust))
}

fn check_pades(bytes: &[u8], trust: &Trust) -> Result<SignedFile> {
    let found = pdf_signatures(bytes)?;
    let dss = crate::trust::dss::evidence(bytes);
    if found.is_empty() {
        return Err(Error::new(
            ErrorCode::Signature,
            "Il PDF non contiene firme digitali: è la copia non firmata? Allega il file restituito dai firmatari.",
        ));
    }
    // Where each signed revision ends: what follows each is judged by `revisions`.
    let mut ends: Vec<usize> = found.iter().flatten().map(|s| s.range[2] + s.range[3]).collect();
    ends.sort_unstable();
    ends.dedup();
    let updates = crate::revisions::after(bytes, &ends);
    let mut signatures = Vec::new();
    for sig in found {
        let end = sig.as_ref().ok().map(|s| s.range[2] + s.range[3]);
        let check = match sig {
            Err(problem) => failed(problem),
            Ok(s) => {
                let [a, b, c, d] = s.range;
                // Bounds were checked when the range was read: these slices hold.
                let mut signed = Vec::with_capacity(b + d);
                signed.extend_from_slice(&bytes[a..a + b]);
                signed.extend_from_slice(&bytes[c..c + d]);
                // Each signature hashes its own range once (see `Digests`).
                let mut digests = Digests::default();
                match crate::envelope::read(&s.contents).map(|e| (e.signed, e.ocsps)) {
                    Err(e) => failed(e.message),
                    // PAdES: one signer per signature dictionary (ETSI EN 319 142-1,
                    // 5.1). A second SignerInfo would be a signature nobody sees.
                    Ok((sd, _)) if sd.signer_infos.0.len() != 1 => failed(format!(
                        "la firma contiene {}, mentre una firma PAdES ne ha uno solo.",
                        count(sd.signer_infos.0.len() as u64, "firmatario", "firmatari")
                    )),
                    Ok((sd, _)) if sd.encap_content_info.econtent_type == TST_INFO => {
                        match sd.signer_infos.0.iter().next() {
                            Some(si) => check_timestamp(&sd, si, &signed),
                            None => failed("la marca temporale non contiene alcun firmatario.".into()),
                        }
                    }
                    Ok((sd, ocsps)) => match sd.signer_infos.0.iter().next() {
                        Some(si) => {
                            let evidence = evidence_of(&sd, ocsps, dss.clone());
                            let whole = Some(c + d == bytes.len());
                            check_signer(&sd, si, &signed, &mut digests, whole, s.claimed_time, (trust, &evidence))
                        }
                        None => failed("la firma non contiene alcun firmatario.".into()),
                    },
                }
            }
        };
        signatures.push(match end {
            Some(end) => with_later_changes(check, updates.iter().filter(|u| u.start >= end)),
            None => check,
        });
    }
    Ok(finish(Container::Pades, signatures, None, trust))
}

/// What the revisions after a signature changed, on that signature's check.
fn with_later_changes<'u>(
    mut check: SignatureCheck,
    later: impl Iterator<Item = &'u crate::revisions::Update>,
) -> SignatureCheck {
    for update in later {
        check.modified_after |= !update.allowed;
        for change in &update.changes {
            if !check.changes_after.contains(change) {
                check.changes_after.push(change.clone());
            }
        }
    }
    if check.intact && !check.changes_after.is_empty() {
        let changes = check.changes_after.join("; ");
        check.outcome = if check.modified_after {
            format!("Firma integra, ma il documento è stato modificato dopo questa firma: {changes}.")
        } else {
            format!("Firma integra; dopo questa firma: {changes}.")
        };
    }
    check
}

/// A document timestamp (ETSI EN 319 142-1, 5.4, `/SubFilter /ETSI.RFC3161`): the
/// timestamp authority's signature must verify over the token's content (TSTInfo),
/// and the token's message imprint must be the digest of the byte ranges. It proves
/// the file existed at that time; it is not a signatory, so its authority is not
/// evaluated against the trusted list as signers are.
fn check_timestamp(sd: &SignedData, si: &SignerInfo, signed: &[u8]) -> SignatureCheck {
    let Some(tst) = sd.encap_content_info.econtent.as_ref().and_then(|a| OctetString::from_der(&a.to_der().ok()?).ok())
    else {
        return failed("la marca temporale non contiene la data e l'impronta che certifica.".into());
    };
    let Some((imprint_alg, imprint, time)) = tst_info(tst.as_bytes()) else {
        return failed("il contenuto della marca temporale non è leggibile.".into());
    };
    let untrusted = Trust { list: None, now: Utc::now() };
    let mut out =
        check_signer(sd, si, tst.as_bytes(), &mut Digests::default(), None, None, (&untrusted, &Evidence::default()));
    out.timestamp = true;
    out.signing_time = Some(time);
    out.trust = "Marca temporale: l'ente che la emette non è un firmatario e non è controllato sull'elenco di \
                 fiducia."
        .into();
    if out.intact {
        let matches = crate::keys::Hash::from_oid(imprint_alg).is_ok_and(|h| h.digest(signed) == imprint);
        if matches {
            out.outcome = "Marca temporale integra: il documento fino a questo punto esisteva a quella data.".into();
        } else {
            out.intact = false;
            out.outcome = "Marca temporale NON valida: non corrisponde ai byte del documento.".into();
        }
    }
    out
}

/// TSTInfo's message imprint (algorithm, digest) and time (RFC 3161, 2.4.2):
/// `SEQUENCE { version, policy, messageImprint, serialNumber, genTime, … }`.
fn tst_info(der_bytes: &[u8]) -> Option<(Oid, Vec<u8>, DateTime<Utc>)> {
    let fields: Vec<der::Any> = Vec::from_der(der_bytes).ok()?;
    let imprint: Vec<der::Any> = Vec::from_der(&fields.get(2)?.to_der().ok()?).ok()?;
    let alg = spki::AlgorithmIdentifierOwned::from_der(&imprint.first()?.to_der().ok()?).ok()?;
    let digest = OctetString::from_der(&imprint.get(1)?.to_der().ok()?).ok()?;
    // "YYYYMMDDhhmmss[.f…]Z": RFC 3161 allows fractions of a second, which `der`'s
    // GeneralizedTime refuses; the second is enough here.
    let time = fields.get(4).filter(|f| f.tag() == der::Tag::GeneralizedTime)?.value();
    let time = std::str::from_utf8(time.get(..14)?).ok()?;
    let time = chrono::NaiveDateTime::parse_from_str(time, "%Y%m%d%H%M%S").ok()?.and_utc();
    Some((alg.oid, digest.as_bytes().to_vec(), time))
}

/// The trusted list the signers are checked against (if any), and when.
struct Trust<'a> {
    list: Option<&'a TrustedList>,
    now: DateTime<Utc>,
}

/// The certificates and revocation data of a signature: its own CMS ones (and the OCSP
/// responses `envelope` found), and what the file carries besides (a PDF's DSS).
fn evidence_of(sd: &SignedData, ocsps: Vec<x509_ocsp::BasicOcspResponse>, mut evidence: Evidence) -> Evidence {
    evidence.ocsps.extend(ocsps);
    for c in sd.certificates.iter().flat_map(|s| s.0.iter()) {
        if let CertificateChoices::Certificate(cert) = c {
            evidence.certificates.push(cert.clone());
        }
    }
    for r in sd.crls.iter().flat_map(|s| s.0.iter()) {
        if let cms::revocation::RevocationInfoChoice::Crl(crl) = r {
            evidence.crls.push(crl.clone());
        }
    }
    evidence
}

/// Digests of one signed content by algorithm, so that co-signers using the same
/// algorithm do not hash a large file again each.
#[derive(Default)]
struct Digests(Vec<(Oid, Vec<u8>)>);

impl Digests {
    fn of(&mut self, alg: Oid, content: &[u8]) -> std::result::Result<Vec<u8>, String> {
        if let Some((_, d)) = self.0.iter().find(|(a, _)| *a == alg) {
            return Ok(d.clone());
        }
        let d = crate::keys::Hash::from_oid(alg)?.digest(content);
        self.0.push((alg, d.clone()));
        Ok(d)
    }
}

fn failed(problem: String) -> SignatureCheck {
    SignatureCheck {
        signer: String::new(),
        organization: None,
        issuer: String::new(),
        signing_time: None,
        intact: false,
        covers_whole_file: None,
        changes_after: Vec::new(),
        modified_after: false,
        outcome: format!("Firma non verificabile: {problem}"),
        trusted: false,
        timestamp: false,
        trust: String::new(),
    }
}

fn finish(
    container: Container,
    signatures: Vec<SignatureCheck>,
    content_sha256: Option<String>,
    trust: &Trust,
) -> SignedFile {
    let intact = signatures.iter().all(|s| s.intact);
    // The signature closest before a change that is not another signature's.
    let modified_after = signatures.iter().rposition(|s| s.modified_after);
    let all_intact = intact && modified_after.is_none() && !signatures.is_empty();
    // Document timestamps are not signatories: they count for integrity, not for trust.
    let signers = || signatures.iter().filter(|s| !s.timestamp);
    let all_trusted = all_intact && signers().next().is_some() && signers().all(|s| s.trusted);
    let unverified = signers().filter(|s| s.intact && !s.trusted).count();
    let n = signers().count();
    let stamps = signatures.len() - n;
    let with_stamps = match stamps {
        0 => String::new(),
        1 => " Il file ha anche una marca temporale del documento.".to_owned(),
        k => format!(" Il file ha anche {k} marche temporali del documento."),
    };
    let kind = match container {
        Container::Pades => "PDF firmato (PAdES)",
        Container::Cades => "Busta firmata .p7m (CAdES)",
    };
    let summary = if all_trusted {
        format!(
            "{kind}: {} integr{} e firmatari verificati.",
            crate::italian::count(n, "firma", "firme"),
            if n == 1 { "a" } else { "e" }
        )
        .replace('\u{a0}', " ")
    } else if all_intact {
        let who = if unverified == 1 {
            "un firmatario non verificato".to_owned()
        } else {
            count(unverified as u64, "firmatario non verificato", "firmatari non verificati")
        };
        format!(
            "{kind}: {} integr{}, {who}.",
            crate::italian::count(n, "firma", "firme"),
            if n == 1 { "a" } else { "e" }
        )
        .replace('\u{a0}', " ")
    } else if let (Some(i), true) = (modified_after, intact) {
        let s = &signatures[i];
        let after = if i + 1 == signatures.len() {
            "l'ultima firma".to_owned()
        } else {
            format!("la firma di {}", if s.signer.is_empty() { "un firmatario senza nome" } else { &s.signer })
        };
        let refused: Vec<&str> = s.changes_after.iter().map(String::as_str).collect();
        format!("{kind}: le firme sono integre, ma il file è stato modificato dopo {after} ({}).", refused.join("; "))
    } else {
        let bad = signatures.iter().filter(|s| !s.intact).count();
        let total = signatures.len();
        let verb = if bad == 1 { "NON corrisponde" } else { "NON corrispondono" };
        format!(
            "{kind}: {bad} su {} {verb} ai byte firmati: il file è stato alterato o la firma è danneggiata.",
            count(total as u64, "firma", "firme")
        )
    };
    let summary = if all_intact { format!("{summary}{with_stamps}") } else { summary };
    let trust_note = match trust.list {
        None => TRUST_NOT_CHECKED.to_owned(),
        Some(l) => format!(
            "Firmatari controllati sull'elenco di fiducia {} n. {} del {} ({}).",
            l.summary.territory,
            l.summary.sequence,
            l.summary.issued.format("%d/%m/%Y"),
            l.summary.operator
        ),
    };
    SignedFile { container, signatures, content_sha256, all_intact, all_trusted, summary, trust_note }
}

/// What an agreement keeps of the check when its signed file is confirmed: each signer
/// and whether they were verified, what did not match the agreement (`problems`, from
/// `agreement_file`); when anything was not verified, that `user` confirmed the file
/// under their own responsibility.
pub fn confirmation_note(check: &SignedFile, problems: &[String], user: &str) -> String {
    let signers: Vec<String> = check
        .signatures
        .iter()
        .filter(|s| !s.timestamp)
        .map(|s| {
            let who = if s.signer.is_empty() { "firmatario senza nome" } else { s.signer.as_str() };
            if s.trusted { format!("{who}: verificato") } else { format!("{who}: NON verificato") }
        })
        .collect();
    let mut note = format!("{} {} ({}).", check.summary, check.trust_note, signers.join("; "));
    for p in problems {
        note.push(' ');
        note.push_str(p);
    }
    if !check.all_trusted || !problems.is_empty() {
        let what =
            if check.all_trusted { "nonostante le differenze indicate" } else { "senza la verifica dei firmatari" };
        note.push_str(&format!(" Confermato da {user} sotto la propria responsabilità, {what}."));
    }
    note
}

/// The document the signatories signed, as it was before any signature: a PDF's
/// first revision (every signature covers it), or the file inside a `.p7m` (its own
/// first revision when it is a signed PDF too). `None` when there is no signature.
pub fn signed_document(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(b"%PDF-") {
        let der_bytes = if bytes.first() == Some(&0x30) { bytes.to_vec() } else { from_base64(bytes).ok()? };
        let any = crate::envelope::read(&der_bytes).ok()?.signed.encap_content_info.econtent?;
        let content = OctetString::from_der(&any.to_der().ok()?).map(|o| o.into_bytes()).ok()?;
        return Some(first_revision(&content).unwrap_or(content));
    }
    first_revision(bytes)
}

/// The bytes of a PDF up to the end of the revision before its first signature.
fn first_revision(pdf: &[u8]) -> Option<Vec<u8>> {
    let signature = find(pdf, b"/ByteRange", 0)?;
    let eof = pdf[..signature].windows(5).rposition(|w| w == b"%%EOF")? + 5;
    let end = eof + pdf[eof..].iter().take(2).take_while(|b| matches!(b, b'\r' | b'\n')).count();
    Some(pdf[..end].to_vec())
}

/// Checks one signer: digest of `content` against the signed attributes, then the
/// signature with the signer's certificate.
fn check_signer(
    sd: &SignedData,
    si: &SignerInfo,
    content: &[u8],
    digests: &mut Digests,
    covers_whole_file: Option<bool>,
    claimed_time: Option<DateTime<Utc>>,
    (trust, evidence): (&Trust, &Evidence),
) -> SignatureCheck {
    let cert = signer_certificate(sd, &si.sid);
    let (signer, organization, issuer) = match &cert {
        Some(c) => names(c),
        None => (String::new(), None, String::new()),
    };
    let mut out = SignatureCheck {
        signer,
        organization,
        issuer,
        signing_time: signing_time(si).or(claimed_time),
        intact: false,
        covers_whole_file,
        changes_after: Vec::new(),
        modified_after: false,
        outcome: String::new(),
        trusted: false,
        timestamp: false,
        trust: NO_LIST.to_owned(),
    };
    let result = (|| -> std::result::Result<(), String> {
        let cert = cert.as_ref().ok_or("il certificato del firmatario non è nel file.")?;
        let digest_alg = si.digest_alg.oid;
        let digest = digests.of(digest_alg, content)?;
        let signed_message: Vec<u8> = match &si.signed_attrs {
            Some(attrs) => {
                let md = attrs
                    .iter()
                    .find(|a| a.oid == MESSAGE_DIGEST)
                    .and_then(|a| a.values.iter().next())
                    .and_then(|v| v.decode_as::<OctetString>().ok())
                    .ok_or("manca l'impronta del documento tra i dati firmati.")?;
                if md.as_bytes() != digest.as_slice() {
                    return Err(
                        "l'impronta dei byte firmati non corrisponde: il documento è stato modificato dopo la firma."
                            .into(),
                    );
                }
                attrs.to_der().map_err(|e| e.to_string())?
            }
            None => content.to_vec(),
        };
        let (scheme, hash) = crate::keys::algorithm(si.signature_algorithm.oid, Some(digest_alg))?;
        // The hash the signature algorithm names must be the one the signer declared for
        // the document: a file that says one thing and signs with another is refused.
        if crate::keys::Hash::from_oid(digest_alg)? != hash {
            return Err("l'algoritmo di firma e quello dell'impronta dichiarati non sono coerenti.".into());
        }
        let key = &cert.tbs_certificate.subject_public_key_info;
        crate::keys::verify(key, scheme, hash, &signed_message, si.signature.as_bytes())
            .map_err(|e| format!("{e} Il documento o la firma sono stati alterati."))
    })();
    match result {
        Ok(()) => {
            out.intact = true;
            out.outcome = "Firma integra: corrisponde ai byte firmati.".into();
        }
        Err(problem) => out.outcome = format!("Firma NON valida: {problem}"),
    }
    if let (true, Some(list), Some(cert)) = (out.intact, trust.list, &cert) {
        let verdict = match bound_certificate(si, cert) {
            Err(why) => chain::Verdict { trusted: false, reason: why },
            Ok(()) => chain::evaluate(cert, evidence, out.signing_time.unwrap_or(trust.now), list, trust.now),
        };
        out.trusted = verdict.trusted;
        out.trust =
            if verdict.trusted { verdict.reason } else { format!("Firmatario non verificato: {}", verdict.reason) };
    }
    out
}

/// The ESS signing-certificate attribute (v2, or v1 with SHA-1), signed with the
/// signature, names the signer's certificate by its hash: without it, another
/// certificate with the same key and name could be put in its place.
fn bound_certificate(si: &SignerInfo, cert: &Certificate) -> std::result::Result<(), String> {
    let missing = || "manca, tra i dati firmati, il riferimento che lega il certificato alla firma.".to_string();
    let attrs = si.signed_attrs.as_ref().ok_or_else(missing)?;
    let attr =
        attrs.iter().find(|a| a.oid == SIGNING_CERTIFICATE_V2 || a.oid == SIGNING_CERTIFICATE).ok_or_else(missing)?;
    let value = attr.values.iter().next().ok_or_else(missing)?;
    let unreadable = |_| "il riferimento al certificato tra i dati firmati non è leggibile.".to_string();
    // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
    let outer: Vec<der::Any> = value.decode_as().map_err(unreadable)?;
    let certs: Vec<der::Any> = outer.first().ok_or_else(missing)?.decode_as().map_err(unreadable)?;
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL }
    let first: Vec<der::Any> = certs.first().ok_or_else(missing)?.decode_as().map_err(unreadable)?;
    let (hash_alg, hash) = match first.as_slice() {
        [alg, h, ..] if der::Tagged::tag(alg) == der::Tag::Sequence => {
            let alg: spki::AlgorithmIdentifierOwned = alg.decode_as().map_err(unreadable)?;
            (Some(alg.oid), h)
        }
        [h, ..] => (None, h),
        [] => return Err(missing()),
    };
    let hash: OctetString = hash.decode_as().map_err(unreadable)?;
    let der = cert.to_der().map_err(|e| e.to_string())?;
    let actual = match (attr.oid, hash_alg) {
        (SIGNING_CERTIFICATE, _) => sha1::Sha1::digest(&der).to_vec(),
        (_, None) => Sha256::digest(&der).to_vec(),
        (_, Some(alg)) => crate::keys::Hash::from_oid(alg)?.digest(&der),
    };
    if actual != hash.as_bytes() {
        return Err("il certificato nel file non è quello indicato negli attributi firmati: è stato sostituito.".into());
    }
    Ok(())
}

fn signer_certificate(sd: &SignedData, sid: &SignerIdentifier) -> Option<Certificate> {
    let certs = sd.certificates.as_ref()?;
    certs.0.iter().find_map(|c| match c {
        CertificateChoices::Certificate(cert) => {
            let tbs = &cert.tbs_certificate;
            let matches = match sid {
                SignerIdentifier::IssuerAndSerialNumber(isn) => {
                    isn.issuer == tbs.issuer && isn.serial_number == tbs.serial_number
                }
                SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
                    .get::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                    .ok()
                    .flatten()
                    .is_some_and(|(_, s)| s.0 == ski.0),
            };
            matches.then(|| cert.clone())
        }
        _ => None,
    })
}

/// (signer, organisation, issuer) from a certificate.
fn names(cert: &Certificate) -> (String, Option<String>, String) {
    let attr = |name: &x509_cert::name::Name, oid: Oid| -> Option<String> {
        name.0.iter().flat_map(|rdn| rdn.0.iter()).find(|a| a.oid == oid).and_then(|a| {
            a.value
                .decode_as::<der::asn1::Utf8StringRef>()
                .map(|s| s.as_str().to_owned())
                .or_else(|_| a.value.decode_as::<der::asn1::PrintableStringRef>().map(|s| s.as_str().to_owned()))
                .ok()
        })
    };
    let subject = &cert.tbs_certificate.subject;
    let signer = match (attr(subject, GIVEN_NAME), attr(subject, SURNAME)) {
        (Some(g), Some(s)) => format!("{g} {s}"),
        _ => attr(subject, CN).unwrap_or_else(|| subject.to_string()),
    };
    (signer, attr(subject, ORGANIZATION), cert.tbs_certificate.issuer.to_string())
}

fn signing_time(si: &SignerInfo) -> Option<DateTime<Utc>> {
    let value = si.signed_attrs.as_ref()?.iter().find(|a| a.oid == SIGNING_TIME)?.values.iter().next()?;
    let t = x509_cert::time::Time::from_der(&value.to_der().ok()?).ok()?;
    DateTime::<Utc>::from_timestamp(t.to_unix_duration().as_secs() as i64, 0)
}

/// One signature found in a PDF: its byte range, the DER in /Contents, and the /M time.
struct PdfSignature {
    range: [usize; 4],
    contents: Vec<u8>,
    claimed_time: Option<DateTime<Utc>>,
}

/// Every `/ByteRange [a b c d]` of the file, in file order. The bytes between the two
/// ranges are, by definition, the `/Contents <hex>` string holding the CMS signature.
fn pdf_signatures(bytes: &[u8]) -> Result<Vec<std::result::Result<PdfSignature, String>>> {
    let mut out = Vec::new();
    let mut ranges: Vec<[usize; 4]> = Vec::new();
    let mut from = 0;
    while let Some(pos) = find(bytes, b"/ByteRange", from) {
        from = pos + 10;
        if out.len() == MAX_PDF_SIGNATURES {
            return Err(unreadable(format!(
                "il PDF dichiara più di {MAX_PDF_SIGNATURES} firme; un documento firmato ne ha poche."
            )));
        }
        let sig = one_pdf_signature(bytes, pos);
        // The same range twice is one signature written twice, not two signatures:
        // hashing it again would only cost time.
        if let Ok(s) = &sig {
            if ranges.contains(&s.range) {
                out.push(Err("due firme dichiarano gli stessi byte firmati: il PDF è stato alterato.".into()));
                continue;
            }
            ranges.push(s.range);
        }
        out.push(sig);
    }
    Ok(out)
}

fn one_pdf_signature(bytes: &[u8], pos: usize) -> std::result::Result<PdfSignature, String> {
    let rest = bytes.get(pos + 10..bytes.len().min(pos + 200)).unwrap_or_default();
    let unreadable_range = || "l'indicazione dei byte firmati non è leggibile.".to_string();
    let open = rest.iter().position(|&b| b == b'[').ok_or("l'indicazione dei byte firmati è vuota.")?;
    let close = rest[open..]
        .iter()
        .position(|&b| b == b']')
        .map(|p| open + p)
        .ok_or("l'indicazione dei byte firmati è vuota.")?;
    let numbers: Vec<usize> = std::str::from_utf8(&rest[open + 1..close])
        .map_err(|_| unreadable_range())?
        .split_whitespace()
        .map(|n| n.parse::<usize>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| unreadable_range())?;
    let [a, b, c, d] = numbers[..] else {
        return Err("l'indicazione dei byte firmati non ha la forma prevista.".into());
    };
    let first_end = a.checked_add(b);
    let end = c.checked_add(d);
    if a != 0 || first_end.is_none_or(|e| e > c) || end.is_none_or(|e| e > bytes.len()) {
        return Err("i byte firmati indicati vanno oltre la fine del file: il PDF è stato troncato o alterato.".into());
    }
    // The signature dictionary holding this /ByteRange lies inside the gap it names
    // (the /Contents string) or just around it; one far away names another's bytes.
    if pos.saturating_add(NEAR) < a + b || pos > c.saturating_add(NEAR) {
        return Err("l'indicazione dei byte firmati non appartiene a questa firma: il PDF è stato alterato.".into());
    }
    let gap = &bytes[a + b..c];
    let hex = gap
        .strip_prefix(b"<")
        .and_then(|g| g.strip_suffix(b">"))
        .ok_or("la firma non si trova dove il file la indica.")?;
    let contents = from_hex(hex).ok_or("la firma non è scritta nel file nella forma prevista.")?;
    // The signature dictionary's /M (D:YYYYMMDDHHmmSS…), read near the /ByteRange.
    // The window starts at the object holding this /ByteRange, so the /M of another
    // signature's dictionary is never taken for this one's.
    let back = pos.saturating_sub(4096);
    let object_start = bytes[back..pos].windows(4).rposition(|w| w == b" obj").map_or(back, |p| back + p);
    let window_end = bytes.len().min(c.saturating_add(4096)).max(object_start);
    let window = &bytes[object_start..window_end];
    let mut claimed_time = None;
    let mut at = 0;
    while let Some(m) = find(window, b"/M", at) {
        at = m + 2;
        let value = window[at..].iter().position(|b| !b.is_ascii_whitespace()).map(|p| at + p);
        if let Some(v) = value.filter(|&v| window[v..].starts_with(b"(D:")) {
            claimed_time = pdf_date(&window[v + 3..window.len().min(v + 40)]);
            break;
        }
    }
    Ok(PdfSignature { range: [a, b, c, d], contents, claimed_time })
}

/// "20261124093000Z" or "20261124103000+01'00'" → UTC.
fn pdf_date(s: &[u8]) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(s).ok()?;
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 14 {
        return None;
    }
    let naive = chrono::NaiveDateTime::parse_from_str(&digits[..14], "%Y%m%d%H%M%S").ok()?;
    let tz = s.get(14..)?;
    let offset_minutes = match tz.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let parts: Vec<i64> = tz[1..].split('\'').map_while(|p| p.parse().ok()).take(2).collect();
            let (h, m) = (parts.first().copied().unwrap_or(0), parts.get(1).copied().unwrap_or(0));
            // Real offsets run from -12:00 to +14:00: anything else is not a date.
            if !(0..=14).contains(&h) || !(0..60).contains(&m) {
                return None;
            }
            let total = h * 60 + m;
            if sign == '-' { -total } else { total }
        }
        _ => 0,
    };
    naive.and_utc().checked_sub_signed(chrono::Duration::minutes(offset_minutes))
}

/// Where `needle` first occurs in `hay` at or after `from` (a PDF's keywords).
pub(crate) fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn from_hex(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()).collect()
}

fn from_base64(bytes: &[u8]) -> Result<Vec<u8>> {
    use base64::Engine as _;
    let clean: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean)
        .map_err(|_| unreadable("non è né un PDF né una busta .p7m."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        let t = pdf_date(b"20261124103000+01'00')").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-24T09:30:00+00:00");
        assert_eq!(pdf_date(b"20261124093000Z)").unwrap().to_rfc3339(), "2026-11-24T09:30:00+00:00");
        assert!(pdf_date(b"2026").is_none());
    }

    #[test]
    fn not_a_signed_file() {
        let e = check(b"hello", None).unwrap_err();
        assert_eq!(e.code_str(), "signature");
        let e = check(b"%PDF-1.7\n%%EOF", None).unwrap_err();
        assert!(e.message.contains("non contiene firme"), "{}", e.message);
    }
}
