//! The pre-loaded directory of Italian administrations: regions, provinces and
//! metropolitan cities, comuni, and the Prefettura of each province, from the ISTAT
//! list of comuni kept in `assets/directory/` (see its SOURCE.md for source, licence
//! and date). Every site derives the same records with the same ids.

use crate::db::Fields;
use crate::error::Result;
use crate::ids::derived_id;
use crate::kind::Kind;
use crate::model::{Administration, AdministrationKind, Source};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The snapshot's name, as kept in the register's metadata.
pub const SNAPSHOT: &str = "istat-comuni-2024-12-04";
/// 2024-12-04T00:00:00Z, the time part of the derived ids.
const SNAPSHOT_MS: u64 = 1_733_270_400_000;
const CSV: &[u8] = include_bytes!("../../../../assets/directory/comuni-istat-2024-12-04.csv");

/// Regional capitals, by region name as ISTAT spells it: the regions' seats.
const REGION_SEATS: [(&str, &str, &str); 20] = [
    ("Piemonte", "Regione Piemonte", "Torino"),
    ("Valle d'Aosta/Vallée d'Aoste", "Regione autonoma Valle d'Aosta", "Aosta"),
    ("Lombardia", "Regione Lombardia", "Milano"),
    ("Trentino-Alto Adige/Südtirol", "Regione autonoma Trentino-Alto Adige/Südtirol", "Trento"),
    ("Veneto", "Regione del Veneto", "Venezia"),
    ("Friuli-Venezia Giulia", "Regione autonoma Friuli Venezia Giulia", "Trieste"),
    ("Liguria", "Regione Liguria", "Genova"),
    ("Emilia-Romagna", "Regione Emilia-Romagna", "Bologna"),
    ("Toscana", "Regione Toscana", "Firenze"),
    ("Umbria", "Regione Umbria", "Perugia"),
    ("Marche", "Regione Marche", "Ancona"),
    ("Lazio", "Regione Lazio", "Roma"),
    ("Abruzzo", "Regione Abruzzo", "L'Aquila"),
    ("Molise", "Regione Molise", "Campobasso"),
    ("Campania", "Regione Campania", "Napoli"),
    ("Puglia", "Regione Puglia", "Bari"),
    ("Basilicata", "Regione Basilicata", "Potenza"),
    ("Calabria", "Regione Calabria", "Catanzaro"),
    ("Sicilia", "Regione Siciliana", "Palermo"),
    ("Sardegna", "Regione autonoma della Sardegna", "Cagliari"),
];

/// One comune as the ISTAT list gives it.
#[derive(Debug, Clone)]
pub struct Comune {
    pub region_code: String,
    pub region: String,
    pub uts_code: String,
    pub uts_name: String,
    /// 1 provincia, 2 provincia autonoma, 3 città metropolitana, 4 libero consorzio,
    /// 5 unità non amministrativa (the former provinces of Friuli-Venezia Giulia).
    pub uts_type: u8,
    pub code: String,
    pub name: String,
    pub is_capital: bool,
    pub plate: String,
}

/// The comuni of the snapshot, in ISTAT order.
pub fn comuni() -> Vec<Comune> {
    // The file is ISO-8859-1, where every byte is the code point of the same value.
    let text: String = CSV.iter().map(|&b| b as char).collect();
    split_records(&text)
        .into_iter()
        .filter(|f| f.len() >= 15 && f[0].len() == 2 && f[0].bytes().all(|b| b.is_ascii_digit()))
        .map(|f| Comune {
            region_code: f[0].clone(),
            region: f[10].clone(),
            uts_code: f[1].clone(),
            uts_name: f[11].clone(),
            uts_type: f[12].trim().parse().unwrap_or(0),
            code: f[4].clone(),
            name: f[6].clone(),
            is_capital: f[13].trim() == "1",
            plate: f[14].clone(),
        })
        .collect()
}

/// Semicolon-separated records, with quoted fields that may hold newlines (the header).
fn split_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (';', false) => fields.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                fields.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut fields));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(fields);
    }
    records
}

fn record(key: &str, name: String, kind: AdministrationKind, seat: Option<&Comune>) -> Administration {
    Administration {
        id: derived_id(SNAPSHOT_MS, key),
        name,
        kind,
        ipa_code: None,
        fiscal_code: None,
        seat_istat_code: seat.map(|c| c.code.clone()),
        province: seat.map(|c| c.plate.clone()),
        region: seat.map(|c| c.region.clone()),
        pec: None,
        website: None,
        source: Source::Istat,
    }
}

/// The administrations of the directory: regions, then for each province its
/// Prefettura and the province itself, then every comune.
pub fn administrations() -> Vec<Administration> {
    let comuni = comuni();
    let mut out = Vec::with_capacity(comuni.len() + 250);
    for (istat_region, official, capital) in REGION_SEATS {
        let seat = comuni.iter().find(|c| c.region == istat_region && c.name == capital);
        let code = seat.map(|c| c.region_code.as_str()).unwrap_or(istat_region);
        let mut r = record(&format!("istat:regione:{code}"), official.to_owned(), AdministrationKind::Regione, seat);
        r.region = Some(istat_region.to_owned());
        out.push(r);
    }
    let mut provinces: BTreeMap<String, &Comune> = BTreeMap::new();
    for c in &comuni {
        let entry = provinces.entry(c.uts_code.clone()).or_insert(c);
        if c.is_capital && !entry.is_capital {
            *entry = c;
        }
    }
    for (code, seat) in &provinces {
        let uts = &seat.uts_name;
        if let Some(name) = prefecture_name(seat) {
            out.push(record(&format!("istat:prefettura:{code}"), name, AdministrationKind::Prefettura, Some(seat)));
        }
        let province = match seat.uts_type {
            1 => Some((format!("Provincia di {uts}"), AdministrationKind::Provincia)),
            2 => Some((format!("Provincia autonoma di {uts}"), AdministrationKind::Provincia)),
            3 => Some((format!("Città metropolitana di {uts}"), AdministrationKind::CittaMetropolitana)),
            4 => Some((format!("Libero consorzio comunale di {uts}"), AdministrationKind::Provincia)),
            // The former provinces of Friuli-Venezia Giulia no longer exist as bodies.
            _ => None,
        };
        if let Some((name, kind)) = province {
            out.push(record(&format!("istat:uts:{code}"), name, kind, Some(seat)));
        }
    }
    for c in &comuni {
        out.push(record(
            &format!("istat:comune:{}", c.code),
            format!("Comune di {}", c.name),
            AdministrationKind::Comune,
            Some(c),
        ));
    }
    out
}

/// The State's territorial office of a province. Valle d'Aosta has none (the
/// President of the Region exercises its functions), Trento and Bolzano have a
/// Commissariato del Governo, and Sud Sardegna falls under the Prefettura di Cagliari.
fn prefecture_name(seat: &Comune) -> Option<String> {
    match seat.plate.as_str() {
        "AO" | "SU" => None,
        "TN" => Some("Commissariato del Governo per la provincia di Trento".into()),
        "BZ" => Some("Commissariato del Governo per la provincia di Bolzano".into()),
        _ => Some(format!("Prefettura di {}", seat.uts_name)),
    }
}

/// The id the journal records the load of a snapshot under.
pub fn snapshot_id(snapshot: &str) -> Uuid {
    derived_id(SNAPSHOT_MS, &format!("snapshot:{snapshot}"))
}

/// One record's starting state, if the directory has it (see `changelog::fold`).
pub fn base_of(id: Uuid) -> Result<Option<Fields>> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<Uuid, Administration>> = std::sync::OnceLock::new();
    let by_id = BY_ID.get_or_init(|| administrations().into_iter().map(|a| (a.id, a)).collect());
    by_id.get(&id).map(crate::db::rows::to_fields).transpose()
}

/// The directory as the change log's starting state (see `changelog::replay`).
pub fn base_state() -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut out = BTreeMap::new();
    for a in administrations() {
        out.insert((Kind::Administration, a.id), crate::db::rows::to_fields(&a)?);
    }
    Ok(out)
}

/// The one administration of `all` that `key` names, or why none, in Italian: its id,
/// IPA code, fiscal code, ISTAT code of the comune or exact name (in this order).
pub fn pick(all: &[Administration], key: &str) -> std::result::Result<Administration, String> {
    let key = key.trim();
    let matches: Vec<&Administration> = if let Ok(id) = Uuid::parse_str(key) {
        all.iter().filter(|a| a.id == id).collect()
    } else {
        let up = key.to_uppercase();
        let by = |f: &dyn Fn(&Administration) -> bool| all.iter().filter(|a| f(a)).collect::<Vec<_>>();
        let mut m = by(&|a| a.ipa_code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(key)));
        if m.is_empty() {
            m = by(&|a| a.fiscal_code.as_deref() == Some(up.as_str()));
        }
        if m.is_empty() && key.len() == 6 && key.bytes().all(|b| b.is_ascii_digit()) {
            m = by(&|a| a.kind == AdministrationKind::Comune && a.seat_istat_code.as_deref() == Some(key));
        }
        if m.is_empty() {
            m = by(&|a| a.name.eq_ignore_ascii_case(key));
        }
        m
    };
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "Nessun ente «{key}»: indicarne l'identificativo, il codice IPA, il codice fiscale, il codice ISTAT del comune o il nome esatto."
        )),
        many => Err(format!(
            "«{key}» indica {} ({}): usare l'identificativo.",
            crate::words::count(many.len() as u64, "ente", "enti"),
            many.iter().take(5).map(|a| format!("{} {}", a.name, a.id)).collect::<Vec<_>>().join("; ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_has_every_comune_region_and_province() {
        let comuni = comuni();
        assert_eq!(comuni.len(), 7896);
        let lucca = comuni.iter().find(|c| c.code == "046017").unwrap();
        assert_eq!((lucca.name.as_str(), lucca.plate.as_str(), lucca.is_capital), ("Lucca", "LU", true));
        assert!(comuni.iter().any(|c| c.name == "Agliè"), "accents decoded from ISO-8859-1");
        let all = administrations();
        let count = |k| all.iter().filter(|a| a.kind == k).count();
        assert_eq!(count(AdministrationKind::Regione), 20);
        assert_eq!(count(AdministrationKind::Comune), 7896);
        assert_eq!(count(AdministrationKind::CittaMetropolitana), 14);
        // 107 territorial units less Valle d'Aosta and Sud Sardegna.
        assert_eq!(count(AdministrationKind::Prefettura), 105);
        assert!(all.iter().any(|a| a.name == "Prefettura di Lucca" && a.seat_istat_code.as_deref() == Some("046017")));
        assert!(all.iter().any(|a| a.name == "Provincia di Lucca"));
        assert!(all.iter().any(|a| a.name == "Città metropolitana di Firenze"));
        assert!(all.iter().all(|a| a.region.is_some()));
        let ids: std::collections::BTreeSet<_> = all.iter().map(|a| a.id).collect();
        assert_eq!(ids.len(), all.len(), "derived ids are unique");
    }

    #[test]
    fn every_directory_record_passes_validation() {
        use crate::model::Record;
        for a in administrations() {
            let mut v = crate::error::Violations::default();
            a.check(&mut v);
            assert!(v.is_empty(), "{}: {:?}", a.name, v.0);
        }
    }
}
