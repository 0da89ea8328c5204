"""Adds a document timestamp to a PDF (PAdES, /SubFilter /ETSI.RFC3161) as an
incremental update, with pyHanko acting as its own timestamp authority (its
DummyTimeStamper, which signs RFC 3161 tokens with the key and certificate given).
Nothing of Raccordo's here.

usage: pdf_timestamp.py TSA_KEY TSA_CERT CA IN OUT
"""
import sys

from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

key, cert, ca, src, out = sys.argv[1:6]
tsa = DummyTimeStamper(
    tsa_cert=load_cert_from_pemder(cert),
    tsa_key=load_private_key_from_pemder(key, passphrase=None),
    certs_to_embed=[load_cert_from_pemder(ca)],
)
with open(src, "rb") as f, open(out, "wb") as o:
    signers.PdfTimeStamper(tsa).timestamp_pdf(IncrementalPdfFileWriter(f), "sha256", output=o)
