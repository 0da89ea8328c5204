//! A public-key infrastructure made by tools nobody here wrote, for the trust tests:
//! OpenSSL makes a qualified CA, Mario Rossi's signing certificate, a revoked signer,
//! a forger's CA that copies the real one's name, and a revocation list; `xmlsec1`
//! signs a trusted list (ETSI TS 119 612) naming the CA; OpenSSL `cms -sign` makes
//! CAdES envelopes and pyHanko (`tests/tools/pades_sign.py`) PAdES files. Shared by
//! the tests of raccordo-documents, raccordo-ipc and raccordo-cli.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pki {
    pub dir: tempfile::TempDir,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?} non parte: {e} (scripts/install-deps lo installa)"));
    assert!(
        out.status.success(),
        "{cmd:?} fallito: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    run(Command::new("openssl").current_dir(dir).args(args));
}

/// The workspace's root, where `tests/tools` holds the scripts and `target/tools/py`
/// the Python with pyHanko (whichever package's tests include this file).
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|d| d.join("tests/tools/pades_sign.py").exists()).expect("the workspace root").to_path_buf()
}

const CA_NAME: &str = "/C=IT/O=Certificatore di prova S.p.A./CN=Prova CA Firma Qualificata";
const LEAF_EXT: &str = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,nonRepudiation\n";

/// `name.key` and a self-signed `name.pem` for `subject`, ten years, RSA 2048.
fn self_signed(dir: &Path, name: &str, subject: &str, extensions: &[&str]) {
    let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
    let mut args = vec!["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &cert];
    args.extend_from_slice(&["-subj", subject, "-days", "3650", "-sha256"]);
    args.extend_from_slice(extensions);
    openssl(dir, &args);
}

impl Pki {
    pub fn new() -> Pki {
        let pki = Pki { dir: tempfile::tempdir().unwrap() };
        let d = pki.dir.path();
        std::fs::write(d.join("leaf.ext"), LEAF_EXT).unwrap();
        std::fs::write(d.join("plain.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n")
            .unwrap();
        // The qualified CA and a forger's CA that copies its name.
        for ca in ["ca", "forger-ca"] {
            self_signed(
                d,
                ca,
                CA_NAME,
                &["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            );
        }
        let rossi = "/C=IT/O=Comune di Lucca/CN=ROSSI MARIO/GN=Mario/SN=Rossi/serialNumber=TINIT-RSSMRA70A01E715X";
        pki.issue("rossi", rossi, "rsa:2048", "ca", "leaf.ext", 1001);
        pki.issue(
            "revoked",
            "/C=IT/O=Provincia di Lucca/CN=BIANCHI ANNA/GN=Anna/SN=Bianchi",
            "rsa:2048",
            "ca",
            "leaf.ext",
            1002,
        );
        pki.issue("forged", rossi, "rsa:2048", "forger-ca", "leaf.ext", 1001);
        pki.issue("plain", "/C=IT/O=Comune di Lucca/CN=VERDI LUCA", "rsa:2048", "ca", "plain.ext", 1003);
        pki.issue(
            "ec",
            "/C=IT/O=Comune di Capannori/CN=NERI GIULIA/GN=Giulia/SN=Neri",
            "ec:prime256v1.param",
            "ca",
            "leaf.ext",
            1004,
        );
        // A timestamp authority of the CA (RFC 3161: the time-stamping key purpose only).
        std::fs::write(
            d.join("tsa.ext"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n",
        )
        .unwrap();
        pki.issue("tsa", "/C=IT/O=Certificatore di prova S.p.A./CN=TSA di prova", "rsa:2048", "ca", "tsa.ext", 1005);
        pki.revocation_list();
        pki
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `name.key` and `name.pem`, issued by `ca` with the extensions of `ext`.
    fn issue(&self, name: &str, subject: &str, key: &str, ca: &str, ext: &str, serial: u32) {
        let d = self.dir.path();
        if key.starts_with("ec:") {
            openssl(d, &["ecparam", "-name", "prime256v1", "-out", "prime256v1.param"]);
        }
        openssl(
            d,
            &[
                "req",
                "-new",
                "-newkey",
                key,
                "-nodes",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                subject,
            ],
        );
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                &format!("{ca}.pem"),
                "-CAkey",
                &format!("{ca}.key"),
                "-set_serial",
                &serial.to_string(),
                "-days",
                "365",
                "-sha256",
                "-extfile",
                ext,
                "-out",
                &format!("{name}.pem"),
            ],
        );
    }

    /// A CRL of the qualified CA revoking the "revoked" signer (`openssl ca -gencrl`).
    fn revocation_list(&self) {
        let d = self.dir.path();
        std::fs::create_dir_all(d.join("db")).unwrap();
        std::fs::write(d.join("db/index.txt"), "").unwrap();
        std::fs::write(d.join("db/crlnumber"), "01\n").unwrap();
        let conf = "[ca]\ndefault_ca=ca\n[ca]\ndatabase=db/index.txt\ncrlnumber=db/crlnumber\ncertificate=ca.pem\n\
                    private_key=ca.key\ndefault_md=sha256\ndefault_crl_days=30\n";
        std::fs::write(d.join("ca.cnf"), conf).unwrap();
        openssl(d, &["ca", "-config", "ca.cnf", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise"]);
        // Rossi is in the CA's database as valid, so its OCSP responder says "good".
        openssl(d, &["ca", "-config", "ca.cnf", "-valid", "rossi.pem"]);
        openssl(d, &["ca", "-config", "ca.cnf", "-gencrl", "-out", "crl.pem"]);
    }

    /// The CA's OCSP response on `signer`'s certificate, signed by the CA
    /// (`openssl ocsp`, from a request and the CA's database): `signer.ocsp`, DER.
    pub fn ocsp(&self, signer: &str) -> String {
        let d = self.dir.path();
        let (cert, request, response) = (format!("{signer}.pem"), format!("{signer}.ocsq"), format!("{signer}.ocsp"));
        openssl(d, &["ocsp", "-issuer", "ca.pem", "-cert", &cert, "-no_nonce", "-reqout", &request]);
        openssl(
            d,
            &[
                "ocsp",
                "-index",
                "db/index.txt",
                "-rsigner",
                "ca.pem",
                "-rkey",
                "ca.key",
                "-CA",
                "ca.pem",
                "-reqin",
                &request,
                "-respout",
                &response,
                "-ndays",
                "30",
            ],
        );
        response
    }

    /// A CAdES `.p7m` of `content` by `signer` (OpenSSL `cms -sign -cades`), DER.
    pub fn cades(&self, signer: &str, content: &[u8], extra: &[&str]) -> Vec<u8> {
        let d = self.dir.path();
        std::fs::write(d.join("content.bin"), content).unwrap();
        let (cert, key) = (format!("{signer}.pem"), format!("{signer}.key"));
        let mut args = vec![
            "cms",
            "-sign",
            "-cades",
            "-binary",
            "-nodetach",
            "-md",
            "sha256",
            "-in",
            "content.bin",
            "-signer",
            &cert,
            "-inkey",
            &key,
            "-outform",
            "DER",
            "-out",
            "out.p7m",
        ];
        args.extend_from_slice(extra);
        openssl(d, &args);
        std::fs::read(d.join("out.p7m")).unwrap()
    }

    /// The envelope with the CA's revocation list in its `crls` (asn1crypto, by
    /// `tests/tools/add_crl.py`).
    pub fn with_crl(&self, der: &[u8]) -> Vec<u8> {
        self.with_revocation(der, "crl.pem", "crl")
    }

    /// `der` with the revocation data in `file` added by `tests/tools/add_crl.py` as
    /// `kind`: `crl` or `ocsp` among the SignedData's `crls`, or `ocsp-attribute` in
    /// the signer's CAdES `revocationValues`.
    pub fn with_revocation(&self, der: &[u8], file: &str, kind: &str) -> Vec<u8> {
        let d = self.dir.path();
        std::fs::write(d.join("crl.in"), der).unwrap();
        run(Command::new(root().join("target/tools/py/bin/python")).current_dir(d).args([
            root().join("tests/tools/add_crl.py").to_str().unwrap(),
            "crl.in",
            file,
            "crl.out",
            kind,
        ]));
        std::fs::read(d.join("crl.out")).unwrap()
    }

    /// The same envelope as `openssl base64` writes it: the `.p7m` some tools send.
    pub fn base64(&self, der: &[u8]) -> Vec<u8> {
        let d = self.dir.path();
        std::fs::write(d.join("b64.in"), der).unwrap();
        openssl(d, &["base64", "-in", "b64.in", "-out", "b64.out"]);
        std::fs::read(d.join("b64.out")).unwrap()
    }

    /// A PAdES signature by `signer` over `pdf`, added by pyHanko as an incremental
    /// update, with the CA's certificate in the CMS.
    pub fn pades(&self, signer: &str, pdf: &[u8], field: &str) -> Vec<u8> {
        let d = self.dir.path();
        std::fs::write(d.join("in.pdf"), pdf).unwrap();
        let python = root().join("target/tools/py/bin/python");
        run(Command::new(&python).current_dir(d).args([
            root().join("tests/tools/pades_sign.py").to_str().unwrap(),
            &format!("{signer}.key"),
            &format!("{signer}.pem"),
            "ca.pem",
            "in.pdf",
            "out.pdf",
            field,
        ]));
        std::fs::read(d.join("out.pdf")).unwrap()
    }

    /// `pdf` with a document timestamp by this PKI's timestamp authority, added by
    /// pyHanko (`tests/tools/pdf_timestamp.py`).
    pub fn doc_timestamp(&self, pdf: &[u8]) -> Vec<u8> {
        let d = self.dir.path();
        std::fs::write(d.join("ts.in.pdf"), pdf).unwrap();
        let python = root().join("target/tools/py/bin/python");
        let script = root().join("tests/tools/pdf_timestamp.py");
        run(Command::new(&python).current_dir(d).args([
            script.to_str().unwrap(),
            "tsa.key",
            "tsa.pem",
            "ca.pem",
            "ts.in.pdf",
            "ts.out.pdf",
        ]));
        std::fs::read(d.join("ts.out.pdf")).unwrap()
    }

    /// `pdf` changed by an incremental update as `tests/tools/pdf_update.py MODE` makes
    /// it (pyHanko's writer): `text` on the page, a `note` annotation, or a `dss` with
    /// the files named in `extra` (in this PKI's folder).
    pub fn pdf_update(&self, mode: &str, pdf: &[u8], extra: &[&str]) -> Vec<u8> {
        let d = self.dir.path();
        std::fs::write(d.join("upd.in.pdf"), pdf).unwrap();
        let python = root().join("target/tools/py/bin/python");
        let script = root().join("tests/tools/pdf_update.py");
        run(Command::new(&python)
            .current_dir(d)
            .args([script.to_str().unwrap(), mode, "upd.in.pdf", "upd.out.pdf"])
            .args(extra));
        std::fs::read(d.join("upd.out.pdf")).unwrap()
    }

    /// A trusted list naming the qualified CA as a granted CA/QC service since
    /// `granted_since` (RFC 3339), signed by `xmlsec1` with a list signer of its own.
    pub fn trusted_list(&self, sequence: u32, granted_since: &str, next_update: &str) -> Vec<u8> {
        let d = self.dir.path();
        if !d.join("tl-signer.pem").exists() {
            self_signed(d, "tl-signer", "/C=IT/O=Agenzia di prova/CN=Firmatario elenco di prova", &[]);
        }
        let ca = std::fs::read_to_string(d.join("ca.pem")).unwrap();
        let ca_b64: String = ca.lines().filter(|l| !l.starts_with("-----")).collect();
        let template = TL_TEMPLATE
            .replace("{sequence}", &sequence.to_string())
            .replace("{granted_since}", granted_since)
            .replace("{next_update}", next_update)
            .replace("{ca}", &ca_b64);
        std::fs::write(d.join("tl-template.xml"), template).unwrap();
        run(Command::new("xmlsec1").current_dir(d).args([
            "--sign",
            "--privkey-pem",
            "tl-signer.key,tl-signer.pem",
            "--output",
            "tl.xml",
            "tl-template.xml",
        ]));
        std::fs::read(d.join("tl.xml")).unwrap()
    }
}

/// The shape of a national trusted list, as AgID's: namespaces, scheme information,
/// one provider with one qualified CA, and the enveloped signature for xmlsec1 to fill.
const TL_TEMPLATE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="TrustServiceStatusList-1" TSLTag="http://uri.etsi.org/19612/TSLTag">
  <tsl:SchemeInformation>
    <tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
    <tsl:TSLSequenceNumber>{sequence}</tsl:TSLSequenceNumber>
    <tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType>
    <tsl:SchemeOperatorName>
      <tsl:Name xml:lang="en">Test Agency</tsl:Name>
      <tsl:Name xml:lang="it">Agenzia di prova per l'Italia digitale</tsl:Name>
    </tsl:SchemeOperatorName>
    <tsl:SchemeTerritory>IT</tsl:SchemeTerritory>
    <tsl:ListIssueDateTime>2026-11-01T00:00:00Z</tsl:ListIssueDateTime>
    <tsl:NextUpdate><tsl:dateTime>{next_update}</tsl:dateTime></tsl:NextUpdate>
  </tsl:SchemeInformation>
  <tsl:TrustServiceProviderList>
    <tsl:TrustServiceProvider>
      <tsl:TSPInformation>
        <tsl:TSPName><tsl:Name xml:lang="it">Certificatore di prova S.p.A.</tsl:Name></tsl:TSPName>
      </tsl:TSPInformation>
      <tsl:TSPServices>
        <tsl:TSPService>
          <tsl:ServiceInformation>
            <tsl:ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</tsl:ServiceTypeIdentifier>
            <tsl:ServiceName><tsl:Name xml:lang="it">Prova CA Firma Qualificata</tsl:Name></tsl:ServiceName>
            <tsl:ServiceDigitalIdentity>
              <tsl:DigitalId><tsl:X509Certificate>{ca}</tsl:X509Certificate></tsl:DigitalId>
            </tsl:ServiceDigitalIdentity>
            <tsl:ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</tsl:ServiceStatus>
            <tsl:StatusStartingTime>{granted_since}</tsl:StatusStartingTime>
          </tsl:ServiceInformation>
        </tsl:TSPService>
      </tsl:TSPServices>
    </tsl:TrustServiceProvider>
  </tsl:TrustServiceProviderList>
  <ds:Signature Id="tsl-signature">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
          <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue/>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue/>
    <ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>
  </ds:Signature>
</tsl:TrustServiceStatusList>
"##;
