//! Realistic registers at scale, for benchmarks and load tests: `n` agreements
//! among the administrations of the directory, each with two to four parties, and
//! in the proportions an office sees, thematic tables with meetings and minutes,
//! and projects with funding lines. Deterministic for a given seed. Every record
//! goes through the same checked write path as a person's edit.

use chrono::{Days, NaiveDate, NaiveTime};
use raccordo_register::*;
use uuid::Uuid;

const THEMES: [&str; 16] = [
    "amministrazione digitale",
    "interoperabilità delle banche dati",
    "servizi on line ai cittadini",
    "fatturazione elettronica",
    "open data",
    "cloud della pubblica amministrazione",
    "identità digitale",
    "pagamenti elettronici",
    "conservazione documentale",
    "protezione civile",
    "sicurezza urbana",
    "trasporti e mobilità",
    "formazione del personale",
    "banda ultralarga",
    "sportello unico per le imprese",
    "tutela del territorio montano",
];

const VERBS: [&str; 8] = [
    "per lo sviluppo di",
    "per la collaborazione in materia di",
    "per il coordinamento di",
    "per la realizzazione congiunta di",
    "per la gestione associata di",
    "per la promozione di",
    "per l'attuazione di progetti di",
    "per la condivisione di servizi di",
];

const GIVEN: [&str; 16] = [
    "Giulia",
    "Marco",
    "Francesca",
    "Luca",
    "Chiara",
    "Andrea",
    "Sara",
    "Matteo",
    "Elena",
    "Paolo",
    "Anna",
    "Stefano",
    "Laura",
    "Giovanni",
    "Martina",
    "Niccolò",
];
const FAMILY: [&str; 16] = [
    "Rossi",
    "Bianchi",
    "Ricci",
    "Bartolini",
    "Fabbri",
    "Conti",
    "Lombardi",
    "Moretti",
    "Galli",
    "Mancini",
    "Giannini",
    "Pellegrini",
    "Santoro",
    "Benedetti",
    "Nesi",
    "Lucchesi",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeneratorStats {
    pub agreements: u64,
    pub records: u64,
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// What goes with each generated agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Its parties and, in the proportions an office sees, tables with meetings and
    /// minutes, projects with funding, and the people who coordinate them.
    Full,
    /// Its parties only: the records of the sync benchmark.
    AgreementsAndParties,
}

/// Adds `n` agreements (and what goes with them) to the register, in transactions
/// of `batch` agreements. `numbering` prefixes the register numbers, so that several
/// runs can fill one register.
pub fn generate(reg: &mut Register, n: u64, seed: u64, numbering: &str) -> Result<GeneratorStats> {
    generate_with(reg, n, seed, numbering, Extent::Full)
}

/// [`generate`], with only what `extent` says going with each agreement.
pub fn generate_with(reg: &mut Register, n: u64, seed: u64, numbering: &str, extent: Extent) -> Result<GeneratorStats> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let admins: Vec<Uuid> = reg
        .reader()
        .connection()
        .prepare("SELECT id FROM administration WHERE kind <> 'regione' ORDER BY id")?
        .query_map([], |r| r.get::<_, Uuid>(0))?
        .collect::<rusqlite::Result<_>>()?;
    if admins.len() < 4 {
        return Err(Error::bad_request("Servono almeno quattro enti nel registro per generare dei protocolli."));
    }
    let people_count = if extent == Extent::Full { (n / 20).clamp(50, 20_000) as usize } else { 0 };
    let mut stats = GeneratorStats::default();
    let people: Vec<Uuid> = reg.write(|w| {
        let mut out = Vec::with_capacity(people_count);
        for i in 0..people_count {
            let (given, family): (&&str, &&str) = (pick(&mut rng, &GIVEN), pick(&mut rng, &FAMILY));
            let mut p = Person::new(given, family);
            p.email = Some(format!("referente{i}@{numbering}.example.it").to_lowercase());
            out.push(w.create(p)?.id);
        }
        Ok(out)
    })?;
    stats.records += people.len() as u64;

    const BATCH: u64 = 5_000;
    let among = Among {
        admins: &admins,
        people: &people,
        base: NaiveDate::from_ymd_opt(2005, 1, 1).expect("date"),
        numbering,
        extent,
    };
    let mut done = 0;
    while done < n {
        let upto = (done + BATCH).min(n);
        // Records are prepared on a second thread while this one writes them.
        let added = reg.write_many(|b| {
            let mut records = 0u64;
            for i in done..upto {
                records += one_agreement(b, &mut rng, &among, i)?;
            }
            Ok(records)
        })?;
        stats.records += added;
        stats.agreements += upto - done;
        done = upto;
    }
    Ok(stats)
}

/// What every generated agreement draws from.
struct Among<'a> {
    admins: &'a [Uuid],
    people: &'a [Uuid],
    /// The earliest signature date.
    base: NaiveDate,
    numbering: &'a str,
    extent: Extent,
}

fn one_agreement(b: &mut Batch, rng: &mut fastrand::Rng, among: &Among, i: u64) -> Result<u64> {
    let Among { admins, people, base, numbering, extent } = *among;
    let theme = *pick(rng, &THEMES);
    let signed = base + Days::new(rng.u64(0..7_900));
    let number = format!("{numbering}-{}/{}", signed.format("%Y"), i + 1);
    let subject = format!("Protocollo d'intesa {} {theme}", pick(rng, &VERBS));
    let mut a = Agreement::draft(&number, &subject);
    a.kind = *pick(
        rng,
        &[
            AgreementKind::ProtocolloIntesa,
            AgreementKind::ProtocolloIntesa,
            AgreementKind::Accordo,
            AgreementKind::Convenzione,
        ],
    );
    a.objectives = (0..rng.usize(2..5)).map(|_| format!("Promuovere {}", pick(rng, &THEMES))).collect();
    a.themes = vec![theme.to_owned()];
    a.status = *pick(
        rng,
        &[
            AgreementStatus::Vigente,
            AgreementStatus::Vigente,
            AgreementStatus::Vigente,
            AgreementStatus::Scaduto,
            AgreementStatus::Bozza,
            AgreementStatus::InFirma,
            AgreementStatus::Rinnovato,
            AgreementStatus::Risolto,
        ],
    );
    let signed_opt = a.status.needs_signature().then_some(signed);
    a.signed_on = signed_opt;
    a.effective_from = signed_opt;
    if signed_opt.is_some() && rng.u8(0..10) < 8 {
        let months = *pick(rng, &[12u32, 24, 36, 36, 60]);
        a.duration_months = Some(months);
        a.expires_on = signed.checked_add_months(chrono::Months::new(months));
        a.renewal = *pick(rng, &[Renewal::None, Renewal::Tacit, Renewal::Express]);
    }
    a.signature_place = Some("Sede della Prefettura".into());
    let agreement = b.create(a)?;
    let mut records = 1;

    let n_parties = rng.usize(2..5);
    let mut chosen: Vec<Uuid> = Vec::with_capacity(n_parties);
    while chosen.len() < n_parties {
        let c = *pick(rng, admins);
        if !chosen.contains(&c) {
            chosen.push(c);
        }
    }
    for (k, admin) in chosen.iter().enumerate() {
        let mut p = Party::new(agreement, *admin, if k == 0 { PartyRole::Capofila } else { PartyRole::Aderente });
        p.adhered_on = signed_opt;
        b.create(p)?;
        records += 1;
    }
    if extent == Extent::AgreementsAndParties {
        return Ok(records);
    }

    if rng.u8(0..4) == 0 {
        let coordinator = Some(*pick(rng, people));
        let table = b.create(ThematicTable {
            id: ids::new_id(),
            agreement_id: agreement,
            theme: format!("Tavolo {theme}"),
            coordinator_id: coordinator,
            opened_on: signed_opt,
            closed_on: None,
        })?;
        records += 1;
        for m in 0..rng.u32(1..3) {
            let day = signed + Days::new(30 + 90 * m as u64 + rng.u64(0..30));
            let meeting = b.create(Meeting {
                convened_by_id: coordinator,
                convened_on: day.checked_sub_days(Days::new(10)),
                starts_at: NaiveTime::from_hms_opt(10, 0, 0),
                ends_at: NaiveTime::from_hms_opt(12, 0, 0),
                place: Some("Sala riunioni".into()),
                chair_id: coordinator,
                ..Meeting::new(agreement, Some(table), m + 1, day)
            })?;
            b.create(AgendaItem {
                rapporteur_id: coordinator,
                discussion: Some(format!(
                    "Il tavolo esamina lo stato delle attività su {theme} e le criticità segnalate dagli enti."
                )),
                decision: Some("Il tavolo prende atto e aggiorna il cronoprogramma.".into()),
                vote: VoteKind::Unanimous,
                ..AgendaItem::new(meeting, 1, &format!("Stato di avanzamento: {theme}"))
            })?;
            records += 2;
        }
    }

    if rng.u8(0..5) == 0 {
        let mut p = Project::new(&format!("Progetto {theme} n. {}", i + 1));
        p.description = Some(format!("Realizzazione di servizi di {theme} per gli enti aderenti."));
        p.lead_administration_id = chosen.first().copied();
        p.agreement_id = Some(agreement);
        p.status = *pick(
            rng,
            &[
                ProjectStatus::Proposto,
                ProjectStatus::Approvato,
                ProjectStatus::InCorso,
                ProjectStatus::InCorso,
                ProjectStatus::Concluso,
            ],
        );
        p.starts_on = signed_opt;
        p.progress_percent = rng.u8(0..101);
        let project = b.create(p)?;
        b.create(FundingLine {
            id: ids::new_id(),
            project_id: project,
            source: *pick(
                rng,
                &[
                    FundingSource::Pnrr,
                    FundingSource::Fesr,
                    FundingSource::Regionale,
                    FundingSource::FondiPropri,
                    FundingSource::Fsc,
                ],
            ),
            measure: None,
            amount_cents: rng.i64(10_000..2_000_000) * 100,
            act: None,
        })?;
        records += 2;
    }
    Ok(records)
}
