//! A trusted list in the format of the EU trusted lists (ETSI TS 119 612), as AgID
//! publishes Italy's: who runs it, when it was issued and is due again, and, per trust
//! service provider, each service with its certificates and the history of its status.
//! Read only after its own XML signature is checked (`xmldsig`).

use super::xmldsig;
use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use raccordo_register::{Error, ErrorCode, Result};
use roxmltree::{Document, Node, ParsingOptions};
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

const TSL: &str = "http://uri.etsi.org/02231/v2#";
/// A certification authority issuing qualified certificates.
pub const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
/// Statuses under which a service's certificates were to be trusted: "granted"
/// (eIDAS) and, for periods before 1 July 2016, the statuses of Directive 1999/93/EC.
const TRUSTED_STATUSES: [&str; 4] = [
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
    "http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/accredited",
    "http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/undersupervision",
    "http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/supervisionincessation",
];
/// Italy's list is a few megabytes; ten times that is not a trusted list.
pub const MAX_LIST_BYTES: usize = 32 * 1024 * 1024;
const MAX_NODES: u32 = 4_000_000;

/// What the window and the command line show of an imported list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListSummary {
    /// "IT".
    pub territory: String,
    pub operator: String,
    pub sequence: u64,
    pub issued: DateTime<Utc>,
    pub next_update: Option<DateTime<Utc>>,
    /// Who signed the list (the certificate's subject) and that certificate's SHA-256,
    /// to compare with the one the list's operator publishes.
    pub signer: String,
    pub signer_sha256: String,
    pub providers: usize,
    /// Qualified certification authorities (CA/QC) listed, at any status.
    pub qualified_cas: usize,
}

#[derive(Debug, Clone)]
pub struct TrustedList {
    pub summary: ListSummary,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub provider: String,
    pub name: String,
    pub kind: String,
    pub certificates: Vec<Certificate>,
    /// (status URI, from when), newest first: the current status and its history.
    pub statuses: Vec<(String, DateTime<Utc>)>,
}

impl Service {
    /// Whether the service's certificates were to be trusted at `at`.
    pub fn trusted_at(&self, at: DateTime<Utc>) -> bool {
        self.statuses
            .iter()
            .find(|(_, from)| *from <= at)
            .is_some_and(|(status, _)| TRUSTED_STATUSES.contains(&status.as_str()))
    }
}

fn refused(why: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::TrustList, format!("Elenco di fiducia non accettato: {why}"))
}

impl TrustedList {
    /// Reads a list, its XML signature checked first.
    pub fn parse(bytes: &[u8]) -> Result<TrustedList> {
        if bytes.len() > MAX_LIST_BYTES {
            return Err(refused(format!("il file supera {} MB.", MAX_LIST_BYTES / (1024 * 1024))));
        }
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
            .map_err(|_| refused("non è un file XML in UTF-8."))?;
        let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..ParsingOptions::default() };
        let doc = Document::parse_with_options(text, options).map_err(|e| refused(format!("XML non valido ({e}).")))?;
        let root = doc.root_element();
        if root.tag_name().name() != "TrustServiceStatusList" || root.tag_name().namespace() != Some(TSL) {
            return Err(refused("non è un elenco di fiducia ETSI TS 119 612 (TrustServiceStatusList)."));
        }
        let signer = xmldsig::verify(text, &doc).map_err(refused)?;
        let scheme = child(root, "SchemeInformation").ok_or_else(|| refused("manca SchemeInformation."))?;
        let sequence = text_of(child(scheme, "TSLSequenceNumber"))
            .parse()
            .map_err(|_| refused("numero di sequenza (TSLSequenceNumber) non valido."))?;
        let issued = time(&text_of(child(scheme, "ListIssueDateTime")))
            .ok_or_else(|| refused("data di emissione (ListIssueDateTime) non valida."))?;
        let next_update = child(scheme, "NextUpdate").and_then(|n| time(&text_of(child(n, "dateTime"))));
        let mut services = Vec::new();
        let mut providers = 0;
        for tsp in child(root, "TrustServiceProviderList").iter().flat_map(|l| children(*l, "TrustServiceProvider")) {
            providers += 1;
            let provider = name(child(tsp, "TSPInformation").and_then(|i| child(i, "TSPName")));
            for svc in child(tsp, "TSPServices").iter().flat_map(|s| children(*s, "TSPService")) {
                if let Some(service) = service(&provider, svc)? {
                    services.push(service);
                }
            }
        }
        let der = signer.to_der().map_err(refused)?;
        let summary = ListSummary {
            territory: text_of(child(scheme, "SchemeTerritory")),
            operator: name(child(scheme, "SchemeOperatorName")),
            sequence,
            issued,
            next_update,
            signer: signer.tbs_certificate.subject.to_string(),
            signer_sha256: raccordo_register::audit::hex(&Sha256::digest(&der)),
            providers,
            qualified_cas: services.iter().filter(|s| s.kind == CA_QC).count(),
        };
        Ok(TrustedList { summary, services })
    }

    /// Whether `new` may replace this list: the same signer, unless the office has
    /// compared the new signer's fingerprint (`confirmed_signer`), and not older.
    pub fn may_be_replaced_by(&self, new: &TrustedList, confirmed_signer: Option<&str>) -> Result<()> {
        let (old, new) = (&self.summary, &new.summary);
        if old.territory == new.territory && new.sequence < old.sequence {
            return Err(refused(format!(
                "è la versione n. {} dell'elenco, più vecchia della n. {} già in uso.",
                new.sequence, old.sequence
            )));
        }
        if old.signer_sha256 != new.signer_sha256 && confirmed_signer.is_none() {
            return Err(refused(format!(
                "è firmato da un certificato diverso da quello dell'elenco in uso ({}, impronta SHA-256 {}). \
                 Confronta l'impronta con quella pubblicata dal gestore dell'elenco e conferma il nuovo firmatario.",
                new.signer, new.signer_sha256
            )));
        }
        Ok(())
    }

    /// Checks `confirmed_signer`, the fingerprint the office compared, against the list.
    pub fn signed_by(&self, confirmed_signer: &str) -> Result<()> {
        let wanted: String = confirmed_signer.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        if !wanted.eq_ignore_ascii_case(&self.summary.signer_sha256) {
            return Err(refused(format!(
                "il certificato che l'ha firmato ha impronta SHA-256 {}, non quella indicata ({confirmed_signer}).",
                self.summary.signer_sha256
            )));
        }
        Ok(())
    }
}

fn service(provider: &str, svc: Node) -> Result<Option<Service>> {
    let Some(info) = child(svc, "ServiceInformation") else { return Ok(None) };
    let mut certificates = Vec::new();
    for id in child(info, "ServiceDigitalIdentity").iter().flat_map(|d| children(*d, "DigitalId")) {
        if let Some(c) = child(id, "X509Certificate") {
            use base64::Engine as _;
            let b64: String = text_of(Some(c)).chars().filter(|c| !c.is_whitespace()).collect();
            let der = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| refused("un certificato di servizio non è in base64."))?;
            certificates.push(
                Certificate::from_der(&der)
                    .map_err(|e| refused(format!("un certificato di servizio non è leggibile ({e}).")))?,
            );
        }
    }
    let status = |n: Node| -> Option<(String, DateTime<Utc>)> {
        Some((text_of(child(n, "ServiceStatus")), time(&text_of(child(n, "StatusStartingTime")))?))
    };
    let mut statuses: Vec<(String, DateTime<Utc>)> = status(info).into_iter().collect();
    for h in child(svc, "ServiceHistory").iter().flat_map(|h| children(*h, "ServiceHistoryInstance")) {
        statuses.extend(status(h));
    }
    statuses.sort_by_key(|s| std::cmp::Reverse(s.1));
    Ok(Some(Service {
        provider: provider.to_owned(),
        name: name(child(info, "ServiceName")),
        kind: text_of(child(info, "ServiceTypeIdentifier")),
        certificates,
        statuses,
    }))
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == local && c.tag_name().namespace() == Some(TSL))
}

fn children<'a, 'i>(n: Node<'a, 'i>, local: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == local && c.tag_name().namespace() == Some(TSL))
}

fn text_of(n: Option<Node>) -> String {
    n.and_then(|n| n.text()).unwrap_or_default().trim().to_owned()
}

/// A multilingual name: the Italian one, else the English one, else the first.
fn name(n: Option<Node>) -> String {
    let Some(n) = n else { return String::new() };
    let names: Vec<Node> = children(n, "Name").collect();
    let lang = |l: &str| {
        names.iter().find(|x| x.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some(l)).copied()
    };
    text_of(lang("it").or_else(|| lang("en")).or_else(|| names.first().copied()))
}

fn time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_at_a_time_follows_the_history() {
        let t = |s: &str| time(s).unwrap();
        let service = Service {
            provider: "P".into(),
            name: "CA".into(),
            kind: CA_QC.into(),
            certificates: vec![],
            // Newest first: withdrawn in 2025, granted from 2016, accredited (1999/93/EC) before.
            statuses: vec![
                ("http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn".into(), t("2025-01-01T00:00:00Z")),
                (TRUSTED_STATUSES[0].into(), t("2016-07-01T00:00:00Z")),
                (TRUSTED_STATUSES[1].into(), t("2010-01-01T00:00:00Z")),
            ],
        };
        assert!(!service.trusted_at(t("2009-12-31T00:00:00Z")), "before any status");
        assert!(service.trusted_at(t("2012-05-01T00:00:00Z")), "accredited under the directive");
        assert!(service.trusted_at(t("2020-05-01T00:00:00Z")), "granted");
        assert!(!service.trusted_at(t("2025-06-01T00:00:00Z")), "withdrawn");
    }
}
