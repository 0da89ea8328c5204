//! A signature checked with a public key: RSA (PKCS #1 v1.5) and ECDSA on P-256 and
//! P-384, with SHA-256, SHA-384 or SHA-512. One place for every signature Raccordo
//! checks: the signers' (CMS), the certificates' and revocation lists' (X.509), and
//! the trusted list's own (XML-DSig).

use der::Encode;
use der::asn1::ObjectIdentifier as Oid;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::SubjectPublicKeyInfoOwned;

pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn from_oid(oid: Oid) -> Result<Hash, String> {
        match oid {
            SHA256 => Ok(Hash::Sha256),
            SHA384 => Ok(Hash::Sha384),
            SHA512 => Ok(Hash::Sha512),
            other => Err(format!("algoritmo di impronta non supportato ({other}); SHA-1 non è più ammesso.")),
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Rsa,
    /// ECDSA with its (r, s) DER-encoded (CMS, X.509).
    EcdsaDer,
    /// ECDSA with r and s side by side (XML-DSig).
    EcdsaFixed,
}

/// A signature algorithm of CMS or X.509, by OID. `digest`: the digest algorithm a
/// CMS signer declared beside it, which plain `rsaEncryption` takes as its hash.
pub fn algorithm(sig_alg: Oid, digest: Option<Oid>) -> Result<(Scheme, Hash), String> {
    let unsupported = || format!("algoritmo di firma non supportato ({sig_alg}): il controllo non è possibile.");
    Ok(match sig_alg {
        RSA => (Scheme::Rsa, Hash::from_oid(digest.ok_or_else(unsupported)?)?),
        RSA_SHA256 => (Scheme::Rsa, Hash::Sha256),
        RSA_SHA384 => (Scheme::Rsa, Hash::Sha384),
        RSA_SHA512 => (Scheme::Rsa, Hash::Sha512),
        ECDSA_SHA256 => (Scheme::EcdsaDer, Hash::Sha256),
        ECDSA_SHA384 => (Scheme::EcdsaDer, Hash::Sha384),
        ECDSA_SHA512 => (Scheme::EcdsaDer, Hash::Sha512),
        _ => return Err(unsupported()),
    })
}

/// Checks `signature` over `message` with the key of `spki`. The message is hashed with
/// `hash`, whatever the curve's own default would be; a key of another kind than the
/// scheme (an RSA key for an ECDSA signature, a curve other than P-256 or P-384) is
/// refused, never tried another way.
pub fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    use rsa::signature::Verifier;
    use rsa::signature::hazmat::PrehashVerifier;
    let spki_der = spki.to_der().map_err(|e| e.to_string())?;
    let bad = |_| "la firma non corrisponde alla chiave del certificato.".to_string();
    match scheme {
        Scheme::Rsa => {
            use rsa::pkcs8::DecodePublicKey;
            let key = rsa::RsaPublicKey::from_public_key_der(&spki_der)
                .map_err(|_| "il certificato non ha una chiave RSA, come la firma dichiara.".to_string())?;
            let sig = rsa::pkcs1v15::Signature::try_from(signature).map_err(|e| e.to_string())?;
            match hash {
                Hash::Sha256 => rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key).verify(message, &sig).map_err(bad),
                Hash::Sha384 => rsa::pkcs1v15::VerifyingKey::<Sha384>::new(key).verify(message, &sig).map_err(bad),
                Hash::Sha512 => rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key).verify(message, &sig).map_err(bad),
            }
        }
        Scheme::EcdsaDer | Scheme::EcdsaFixed => {
            use p256::pkcs8::DecodePublicKey;
            let prehash = hash.digest(message);
            let der = scheme == Scheme::EcdsaDer;
            if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der) {
                let sig = if der {
                    p256::ecdsa::Signature::from_der(signature)
                } else {
                    p256::ecdsa::Signature::from_slice(signature)
                }
                .map_err(|e| e.to_string())?;
                key.verify_prehash(&prehash, &sig).map_err(bad)
            } else if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der) {
                let sig = if der {
                    p384::ecdsa::Signature::from_der(signature)
                } else {
                    p384::ecdsa::Signature::from_slice(signature)
                }
                .map_err(|e| e.to_string())?;
                key.verify_prehash(&prehash, &sig).map_err(bad)
            } else {
                Err("il certificato non ha una chiave a curva ellittica supportata (P-256 o P-384), come la firma \
                     dichiara."
                    .into())
            }
        }
    }
}
