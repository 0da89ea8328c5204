"""Adds revocation data to a CAdES envelope, as signing tools do for long-term
validation (OpenSSL 3.0's `cms -sign` has no option for it): a revocation list or an
OCSP response among the SignedData's `crls` (RFC 5652, RFC 5940), or an OCSP response
in the signer's unsigned `revocationValues` attribute (CAdES-X-L, ETSI EN 319 122-1).
The signature covers the signed attributes only, so it stays intact. asn1crypto, which
pyHanko brings, does the DER: nothing of Raccordo's here.

usage: add_crl.py IN.p7m FILE OUT.p7m [crl|ocsp|ocsp-attribute]
"""
import sys

from asn1crypto import cms, core, crl, ocsp, pem


def der(tag, content):
    """A DER value: tag, definite length, content."""
    n = len(content)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + content


src, path, out = sys.argv[1:4]
kind = sys.argv[4] if len(sys.argv) > 4 else "crl"
with open(src, "rb") as f:
    info = cms.ContentInfo.load(f.read())
with open(path, "rb") as f:
    data = f.read()
if pem.detect(data):
    _, _, data = pem.unarmor(data)
signed = info["content"]
if kind == "crl":
    choice = cms.RevocationInfoChoice(name="crl", value=crl.CertificateList.load(data))
    signed["crls"] = cms.RevocationInfoChoices([choice])
elif kind == "ocsp":
    other = cms.OtherRevocationInfoFormat(
        {"other_rev_info_format": "ocsp_response", "other_rev_info": ocsp.OCSPResponse.load(data)}
    )
    signed["crls"] = cms.RevocationInfoChoices([cms.RevocationInfoChoice(name="other", value=other)])
else:
    # RevocationValues ::= SEQUENCE { crlVals [0] ..., ocspVals [1] SEQUENCE OF
    # BasicOCSPResponse, ... }, written as DER by hand: asn1crypto has no class for it.
    basic = ocsp.OCSPResponse.load(data)["response_bytes"]["response"].parsed.dump()
    values = der(0x30, der(0xA1, der(0x30, basic)))
    attribute = cms.CMSAttribute({"type": "1.2.840.113549.1.9.16.2.24", "values": [core.Any.load(values)]})
    signed["signer_infos"][0]["unsigned_attrs"] = cms.CMSAttributes([attribute])
with open(out, "wb") as f:
    f.write(info.dump(force=True))
