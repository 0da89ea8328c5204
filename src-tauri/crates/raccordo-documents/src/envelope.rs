//! A CMS SignedData envelope read from DER (RFC 5652), with the OCSP responses it
//! carries: among its `crls` as the `other` revocation choice (`id-ri-ocsp-response`,
//! RFC 5940) and in each signer's CAdES `revocationValues` attribute (ETSI EN 319
//! 122-1, CAdES-X-L). `cms` 0.2 declares the `other` choice with an algorithm
//! identifier where RFC 5652 has an object identifier, so an envelope carrying one
//! would not decode: those choices are taken out of `crls` here, before `cms` reads it,
//! and the OCSP responses among them kept.

use crate::trust::ocsp;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::ObjectIdentifier as Oid;
use der::{Any, Decode, Encode, Reader as _, SliceReader, Tag, TagNumber, Tagged};
use raccordo_register::{Error, ErrorCode, Result};
use x509_ocsp::BasicOcspResponse;

const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// The format of an OCSP response among `crls` (RFC 5940).
const OCSP_IN_CMS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.16.2");
/// CAdES `revocationValues`, an unsigned attribute of a signer.
const REVOCATION_VALUES: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.24");
/// OCSP responses read from one envelope, at most.
const MAX_RESPONSES: usize = 64;

pub struct Envelope {
    pub signed: SignedData,
    pub ocsps: Vec<BasicOcspResponse>,
}

fn unreadable(what: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Signature, format!("File firmato non leggibile: {what}"))
}

/// Reads the first DER value of `der_bytes` (a PAdES `/Contents` is padded with zeros
/// after it) as a ContentInfo holding a SignedData.
pub fn read(der_bytes: &[u8]) -> Result<Envelope> {
    let mut reader = SliceReader::new(der_bytes).map_err(unreadable)?;
    let ci: ContentInfo = reader.decode().map_err(|_| unreadable("la busta di firma non ha la struttura prevista."))?;
    if ci.content_type != SIGNED_DATA {
        return Err(unreadable("non è una busta di firma."));
    }
    let invalid = |_: der::Error| unreadable("il contenuto della busta di firma non è leggibile.");
    let (signed, mut ocsps) = match without_other_revocations(&ci.content).map_err(invalid)? {
        None => (ci.content.decode_as::<SignedData>().map_err(invalid)?, Vec::new()),
        Some((der, ocsps)) => (SignedData::from_der(&der).map_err(invalid)?, ocsps),
    };
    for si in signed.signer_infos.0.iter() {
        for attr in si.unsigned_attrs.iter().flat_map(|a| a.iter()).filter(|a| a.oid == REVOCATION_VALUES) {
            for value in attr.values.iter() {
                ocsps.extend(revocation_values(value));
            }
        }
    }
    ocsps.truncate(MAX_RESPONSES);
    Ok(Envelope { signed, ocsps })
}

/// The SignedData re-encoded without the `other` choices of its `crls`, and the OCSP
/// responses among them; `None` when it has none (read as it is).
fn without_other_revocations(signed: &Any) -> der::Result<Option<(Vec<u8>, Vec<BasicOcspResponse>)>> {
    let crls_tag = Tag::ContextSpecific { constructed: true, number: TagNumber::N1 };
    let mut fields: Vec<Any> = Vec::from_der(&signed.to_der()?)?;
    let Some(at) = fields.iter().position(|f| f.tag() == crls_tag) else { return Ok(None) };
    let mut kept = Vec::new();
    let mut ocsps = Vec::new();
    let mut reader = SliceReader::new(fields[at].value())?;
    let mut others = 0;
    while !reader.is_finished() {
        let choice: Any = reader.decode()?;
        // `other [1] IMPLICIT OtherRevocationInfoFormat`: an OID, then the value.
        if choice.tag() == crls_tag {
            others += 1;
            let mut inner = SliceReader::new(choice.value())?;
            let format: Oid = inner.decode()?;
            let value: Any = inner.decode()?;
            if format == OCSP_IN_CMS
                && let Some(response) = ocsp::parse(&value.to_der()?)
            {
                ocsps.push(response);
            }
        } else {
            kept.extend_from_slice(&choice.to_der()?);
        }
    }
    if others == 0 {
        return Ok(None);
    }
    if kept.is_empty() {
        fields.remove(at);
    } else {
        fields[at] = Any::new(crls_tag, kept)?;
    }
    Ok(Some((fields.to_der()?, ocsps)))
}

/// `RevocationValues ::= SEQUENCE { crlVals [0] …, ocspVals [1] SEQUENCE OF
/// BasicOCSPResponse, … }`: the OCSP responses.
fn revocation_values(value: &Any) -> Vec<BasicOcspResponse> {
    let ocsp_vals = Tag::ContextSpecific { constructed: true, number: TagNumber::N1 };
    let Ok(fields) = Vec::<Any>::from_der(&value.to_der().unwrap_or_default()) else { return Vec::new() };
    fields
        .iter()
        .filter(|f| f.tag() == ocsp_vals)
        .flat_map(|f| Vec::<BasicOcspResponse>::from_der(f.value()).unwrap_or_default())
        .collect()
}
