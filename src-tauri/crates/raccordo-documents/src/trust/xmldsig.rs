//! The XML signature (W3C XML-DSig, enveloped) that a trusted list carries: checked
//! before anything in the list is believed. What is accepted is narrow on purpose:
//! exactly one `Signature`, a child of the document element; a reference that covers
//! the whole document element (`URI=""` or its `Id`), with the enveloped-signature
//! transform; any other reference only to an element inside that signature (the
//! XAdES signed properties); SHA-2 digests, RSA or ECDSA signatures; the signer's
//! certificate in `KeyInfo`. A list signed any other way is refused, not half-checked.

use super::c14n::{self, Method, Subset};
use crate::keys::{Hash, Scheme};
use base64::Engine as _;
use der::Decode;
use roxmltree::{Document, Node};
use x509_cert::Certificate;

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// Checks the document's enveloped signature; gives the certificate that made it.
pub fn verify(text: &str, doc: &Document) -> Result<Certificate, String> {
    let root = doc.root_element();
    let signatures: Vec<Node> = doc.descendants().filter(|n| is(n, "Signature")).collect();
    let signature = match signatures[..] {
        [one] if one.parent() == Some(root) => one,
        [] => return Err("l'elenco non è firmato (manca l'elemento Signature).".into()),
        [_] => return Err("la firma non è al posto previsto (figlia dell'elemento principale).".into()),
        _ => return Err("l'elenco contiene più di una firma XML.".into()),
    };
    let signed_info = child(signature, "SignedInfo").ok_or("manca SignedInfo nella firma.")?;
    let method = child(signed_info, "CanonicalizationMethod")
        .and_then(|n| n.attribute("Algorithm"))
        .and_then(Method::from_uri)
        .ok_or("metodo di canonicalizzazione non supportato.")?;
    let (scheme, hash) = signature_method(
        child(signed_info, "SignatureMethod").and_then(|n| n.attribute("Algorithm")).unwrap_or_default(),
    )?;

    let mut covers_document = false;
    for reference in signed_info.children().filter(|n| is(n, "Reference")) {
        let uri = reference.attribute("URI").ok_or("un riferimento della firma non ha URI.")?;
        let target = if uri.is_empty() {
            doc.root()
        } else {
            let id = uri.strip_prefix('#').ok_or("un riferimento della firma punta fuori dal documento.")?;
            by_id(doc, id)?
        };
        let whole = target == doc.root() || target == root;
        if !whole && !target.ancestors().any(|a| a == signature) {
            return Err("un riferimento della firma copre solo una parte dell'elenco.".into());
        }
        let (mut enveloped, mut method, mut prefixes) = (false, Method::Inclusive, Vec::new());
        if let Some(transforms) = child(reference, "Transforms") {
            for t in transforms.children().filter(|n| is(n, "Transform")) {
                match t.attribute("Algorithm").unwrap_or_default() {
                    ENVELOPED => enveloped = true,
                    uri => {
                        method =
                            Method::from_uri(uri).ok_or_else(|| format!("trasformazione non supportata ({uri})."))?;
                        prefixes = inclusive_prefixes(t);
                    }
                }
            }
        }
        if whole && !enveloped {
            return Err("la firma dell'elenco non è «enveloped».".into());
        }
        let digest_uri = child(reference, "DigestMethod").and_then(|n| n.attribute("Algorithm")).unwrap_or_default();
        let digest_hash = digest_method(digest_uri)?;
        let expected = base64_text(child(reference, "DigestValue"))?;
        let subset = Subset {
            text,
            apex: target,
            excluded: enveloped.then(|| signature.id()),
            method,
            inclusive_prefixes: prefixes,
        };
        if digest_hash.digest(&c14n::canonicalize(&subset)) != expected {
            return Err(if whole {
                "l'impronta dell'elenco non corrisponde: è stato modificato dopo la firma.".into()
            } else {
                "l'impronta delle proprietà firmate non corrisponde.".into()
            });
        }
        covers_document |= whole;
    }
    if !covers_document {
        return Err("la firma non copre l'elenco.".into());
    }

    let cert_text = child(signature, "KeyInfo")
        .and_then(|k| k.descendants().find(|n| is(n, "X509Certificate")))
        .ok_or("il certificato di chi ha firmato l'elenco non è nella firma (KeyInfo).")?;
    let cert = Certificate::from_der(&base64_text(Some(cert_text))?)
        .map_err(|e| format!("certificato del firmatario dell'elenco non leggibile ({e})."))?;
    let canonical_signed_info = c14n::canonicalize(&Subset {
        text,
        apex: signed_info,
        excluded: None,
        method,
        inclusive_prefixes: child(signed_info, "CanonicalizationMethod").map(inclusive_prefixes).unwrap_or_default(),
    });
    let value = base64_text(child(signature, "SignatureValue"))?;
    crate::keys::verify(&cert.tbs_certificate.subject_public_key_info, scheme, hash, &canonical_signed_info, &value)
        .map_err(|e| format!("la firma dell'elenco non è valida: {e}"))?;
    Ok(cert)
}

fn is(n: &Node, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(DSIG)
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, local))
}

/// The one element whose `Id` (or `ID`, `id`) is `id`: two would let a signature
/// cover one and the reader see the other.
fn by_id<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Result<Node<'a, 'i>, String> {
    let mut found =
        doc.descendants().filter(|n| n.is_element() && ["Id", "ID", "id"].iter().any(|a| n.attribute(*a) == Some(id)));
    match (found.next(), found.next()) {
        (Some(n), None) => Ok(n),
        (None, _) => Err(format!("la firma si riferisce a «{id}», che non è nell'elenco.")),
        _ => Err(format!("più elementi dell'elenco hanno l'identificativo «{id}».")),
    }
}

fn inclusive_prefixes(n: Node) -> Vec<String> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
        .and_then(|c| c.attribute("PrefixList"))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn signature_method(uri: &str) -> Result<(Scheme, Hash), String> {
    let more = "http://www.w3.org/2001/04/xmldsig-more#";
    Ok(match uri.strip_prefix(more) {
        Some("rsa-sha256") => (Scheme::Rsa, Hash::Sha256),
        Some("rsa-sha384") => (Scheme::Rsa, Hash::Sha384),
        Some("rsa-sha512") => (Scheme::Rsa, Hash::Sha512),
        Some("ecdsa-sha256") => (Scheme::EcdsaFixed, Hash::Sha256),
        Some("ecdsa-sha384") => (Scheme::EcdsaFixed, Hash::Sha384),
        Some("ecdsa-sha512") => (Scheme::EcdsaFixed, Hash::Sha512),
        _ => return Err(format!("algoritmo di firma dell'elenco non supportato ({uri}).")),
    })
}

fn digest_method(uri: &str) -> Result<Hash, String> {
    match uri {
        "http://www.w3.org/2001/04/xmlenc#sha256" => Ok(Hash::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Ok(Hash::Sha384),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Ok(Hash::Sha512),
        _ => Err(format!("algoritmo di impronta dell'elenco non supportato ({uri}).")),
    }
}

fn base64_text(n: Option<Node>) -> Result<Vec<u8>, String> {
    let text: String =
        n.map(|n| n.text().unwrap_or_default()).unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| "valore base64 non valido nella firma.".into())
}
