"""Changes a (signed) PDF by an incremental update, as a viewer or an attacker would,
with pyHanko's writer: the update the DocMDP analysis of the signed-file check must
classify. Nothing of Raccordo's here.

usage: pdf_update.py MODE IN OUT [cert:FILE|crl:FILE|ocsp:FILE ...]
  text   a content stream drawing text is appended to page 1 (the document changed)
  note   a FreeText annotation is added to page 1 (an annotation, not a signature)
  dss    a Document Security Store with the certificates, CRLs and OCSP responses
         given (DER or PEM), as PAdES-B-LT adds after signing
"""
import sys

from asn1crypto import crl, ocsp, pem, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.validation.dss import DocumentSecurityStore

mode, src, out = sys.argv[1:4]
extra = sys.argv[4:]

with open(src, "rb") as f:
    writer = IncrementalPdfFileWriter(f)
    if mode == "text":
        stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (IMPORTO RADDOPPIATO) Tj ET")
        writer.add_stream_to_page(0, writer.add_object(stream))
    elif mode == "note":
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        note = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
                generic.pdf_name("/Rect"): generic.ArrayObject(map(generic.NumberObject, (50, 50, 400, 100))),
                generic.pdf_name("/Contents"): generic.TextStringObject("Importo: 2.000.000 euro"),
                generic.pdf_name("/DA"): generic.TextStringObject("/Helv 18 Tf 0 g"),
            }
        )
        annots = page.get("/Annots", generic.ArrayObject())
        annots.append(writer.add_object(note))
        page["/Annots"] = annots
        writer.update_container(page)
    elif mode == "dss":
        certs, crls, ocsps = [], [], []
        for item in extra:
            kind, path = item.split(":", 1)
            with open(path, "rb") as d:
                der = d.read()
            if pem.detect(der):
                _, _, der = pem.unarmor(der)
            if kind == "crl":
                crls.append(crl.CertificateList.load(der))
            elif kind == "ocsp":
                ocsps.append(ocsp.OCSPResponse.load(der))
            else:
                certs.append(x509.Certificate.load(der))
        DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=certs, crls=crls, ocsps=ocsps)
    else:
        sys.exit(f"unknown mode {mode}")
    with open(out, "wb") as o:
        writer.write(o)
