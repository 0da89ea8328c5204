"""Adds a revocation list to a CAdES envelope's SignedData `crls`, as signing tools do
for long-term validation (OpenSSL 3.0's `cms -sign` has no option for it). The
signature covers the signed attributes only, so it stays intact. asn1crypto, which
pyHanko brings, does the DER: nothing of Raccordo's here.

usage: add_crl.py IN.p7m CRL.pem OUT.p7m
"""
import sys

from asn1crypto import cms, crl, pem

src, crl_path, out = sys.argv[1:4]
with open(src, "rb") as f:
    info = cms.ContentInfo.load(f.read())
with open(crl_path, "rb") as f:
    data = f.read()
if pem.detect(data):
    _, _, data = pem.unarmor(data)
signed = info["content"]
signed["crls"] = cms.RevocationInfoChoices([cms.RevocationInfoChoice(name="crl", value=crl.CertificateList.load(data))])
with open(out, "wb") as f:
    f.write(info.dump(force=True))
