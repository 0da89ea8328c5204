//! The pre-loaded directory of Italian administrations: regions, provinces and
//! metropolitan cities, comuni, and the Prefettura of each province, from the ISTAT
//! list of comuni kept in `assets/directory/` (see its SOURCE.md for source, licence
//! and date). Every site derives the same records with the same ids.

use crate::db::Fields;
use crate::error::Result;
use crate::ids::derived_id;
use crate::kind::Kind;
use crate::model::{Administration, AdministrationKind, Source};
use std::collections::{BTreeMap, HashMap};
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
        source_note: None,
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
/// IPA code, fiscal code, ISTAT code of the comune or name (in this order).
pub fn pick(all: &[Administration], key: &str) -> std::result::Result<Administration, String> {
    Matcher::new(all).pick(key).cloned()
}

/// The administrations of a register indexed by what people and files name them by:
/// its id, IPA code, fiscal code, the ISTAT code of a comune, its name. Built once for
/// a whole file of names (an import), where looking each one up in the list would cost
/// a pass over the 8,000 of the directory.
pub struct Matcher<'a> {
    all: &'a [Administration],
    by_key: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    folded: Vec<String>,
}

impl<'a> Matcher<'a> {
    pub fn new(all: &'a [Administration]) -> Matcher<'a> {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut folded = Vec::with_capacity(all.len());
        for (i, a) in all.iter().enumerate() {
            by_key.entry(format!("id:{}", a.id)).or_default().push(i);
            if let Some(c) = &a.ipa_code {
                by_key.entry(format!("ipa:{}", c.to_lowercase())).or_default().push(i);
            }
            if let Some(c) = &a.fiscal_code {
                by_key.entry(format!("cf:{}", c.to_uppercase())).or_default().push(i);
            }
            if let (AdministrationKind::Comune, Some(c)) = (a.kind, &a.seat_istat_code) {
                by_key.entry(format!("istat:{c}")).or_default().push(i);
            }
            // The name as written first ("Paternò" and "Paterno" are two comuni), then folded.
            by_key.entry(format!("name:{}", a.name.to_lowercase())).or_default().push(i);
            let f = fold(&a.name);
            by_name.entry(f.clone()).or_default().push(i);
            folded.push(f);
        }
        Matcher { all, by_key, by_name, folded }
    }

    /// The one administration `key` names: its id, IPA code, fiscal code, ISTAT code of
    /// the comune, or its name, where case, accents, apostrophes and spaces do not count
    /// ("COMUNE DI AGLIE'" is «Comune di Agliè»).
    pub fn pick(&self, key: &str) -> std::result::Result<&'a Administration, String> {
        let key = key.trim();
        let tries = [
            Uuid::parse_str(key).ok().map(|id| format!("id:{id}")),
            Some(format!("ipa:{}", key.to_lowercase())),
            Some(format!("cf:{}", key.to_uppercase())),
            (key.len() == 6 && key.bytes().all(|b| b.is_ascii_digit())).then(|| format!("istat:{key}")),
            Some(format!("name:{}", key.to_lowercase())),
        ];
        let found: Vec<usize> = tries
            .iter()
            .flatten()
            .find_map(|k| self.by_key.get(k))
            .or_else(|| self.by_name.get(&fold(key)))
            .cloned()
            .or_else(|| self.in_province(key))
            .unwrap_or_default();
        match found.as_slice() {
            [one] => Ok(&self.all[*one]),
            [] => Err(format!(
                "Nessun ente «{key}»: indicarne l'identificativo, il codice IPA, il codice fiscale, il codice ISTAT del comune o il nome esatto."
            )),
            many => Err(format!(
                "«{key}» indica {} ({}): usare l'identificativo.",
                crate::words::count(many.len() as u64, "ente", "enti"),
                many.iter()
                    .take(5)
                    .map(|&i| format!("{} {}", self.all[i].name, self.all[i].id))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }

    /// "Comune di San Teodoro (SS)": the name, in the province its plate says.
    fn in_province(&self, key: &str) -> Option<Vec<usize>> {
        let (name, plate) = key.strip_suffix(')')?.rsplit_once('(')?;
        let plate = plate.trim();
        let named = self.by_name.get(&fold(name))?;
        Some(
            named
                .iter()
                .copied()
                .filter(|&i| self.all[i].province.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(plate)))
                .collect(),
        )
    }

    /// Up to `n` administrations whose names come closest to `key`, closest first: for
    /// a name that matched none, or more than one ("Lucca" is a comune, a province and a
    /// prefecture).
    pub fn closest(&self, key: &str, n: usize) -> Vec<&'a Administration> {
        let key = fold(key);
        if key.is_empty() {
            return Vec::new();
        }
        let words: Vec<&str> = key.split(' ').collect();
        let mut scored: Vec<(f64, usize)> = self
            .folded
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut score = strsim::jaro_winkler(&key, name);
                // Every word of the key in the name ("lucca" in "comune di lucca"): close,
                // the closer the fewer other words the name has.
                let has = |w: &&str| name.split(' ').any(|x| x == *w);
                if words.iter().all(has) {
                    score = score.max(0.97 - 0.01 * (name.split(' ').count() - words.len()) as f64);
                }
                (score, i)
            })
            .filter(|(score, _)| *score >= 0.8)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| self.all[a.1].name.cmp(&self.all[b.1].name)));
        scored.into_iter().take(n).map(|(_, i)| &self.all[i]).collect()
    }
}

/// A name as people spell it in different ways: lower case, no accents, every run of
/// punctuation and spaces one space ("Aglie'", "AGLIÈ" and "Agliè" are "aglie").
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match crate::words::plain(c) {
            Some(c) => out.push(c),
            None if !out.is_empty() && !out.ends_with(' ') => out.push(' '),
            None => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
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

    #[test]
    fn names_are_matched_however_spelled_and_the_closest_are_offered() {
        let all = administrations();
        let m = Matcher::new(&all);
        assert_eq!(m.pick("COMUNE DI AGLIE'").unwrap().name, "Comune di Agliè");
        assert_eq!(m.pick("  comune di   lucca ").unwrap().name, "Comune di Lucca");
        assert_eq!(m.pick("046017").unwrap().name, "Comune di Lucca");
        assert!(m.pick("Lucca").is_err());
        assert!(m.pick("Comune di San Teodoro").is_err(), "two comuni");
        assert_eq!(m.pick("Comune di San Teodoro (SS)").unwrap().province.as_deref(), Some("SS"));
        assert_eq!(m.pick("Comune di Paternò").unwrap().province.as_deref(), Some("CT"));
        assert_eq!(m.pick("Comune di Paterno").unwrap().province.as_deref(), Some("PZ"));
        let near: Vec<&str> = m.closest("Comune di Luca", 3).iter().map(|a| a.name.as_str()).collect();
        assert_eq!(near.first(), Some(&"Comune di Lucca"), "{near:?}");
        let near: Vec<&str> = m.closest("Lucca", 3).iter().map(|a| a.name.as_str()).collect();
        assert_eq!(near, ["Comune di Lucca", "Prefettura di Lucca", "Provincia di Lucca"]);
        assert!(m.closest("zzzz qqqq", 3).is_empty());
    }
}
