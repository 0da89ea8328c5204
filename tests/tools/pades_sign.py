"""Signs a PDF as a signing tool would: a PAdES baseline signature (ETSI.CAdES.detached)
added by pyHanko as an incremental update, with the signer's and the CA's certificates
in the CMS. Used by the trust tests; nothing of Raccordo's here.

usage: pades_sign.py KEY CERT CA IN OUT FIELD
"""
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

key, cert, ca, src, out, field = sys.argv[1:7]

signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(ca,))
with open(src, "rb") as f, open(out, "wb") as o:
    writer = IncrementalPdfFileWriter(f)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES)
    signers.sign_pdf(writer, meta, signer=signer, output=o)
