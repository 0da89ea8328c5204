//! The demo register. Facts from the two seed texts are kept as written and marked
//! `seed`; what the demo adds to show the product at work (dates the texts do not
//! give, meetings, minutes, amounts) is marked `demo`, with a note saying so.
//!
//! - Lucca, 22 December 2007: the protocol between the Prefettura, the Provincia
//!   and the Comune di Lucca on technological innovation and digital administration.
//! - Tuscany: the agreement on the digital agenda that the Regione Toscana signed
//!   with Firenze, Massa Carrara and Lucca, then Pistoia, then Prato and Sesto
//!   Fiorentino, and the projects it names.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use raccordo_register::provenance::{self, Origin};
use raccordo_register::*;
use uuid::Uuid;

const LUCCA_TEXT: &str = "comunicato della Prefettura di Lucca del 22.12.2007";
const TOSCANA_TEXT: &str = "testo sugli accordi della Regione Toscana per l'agenda digitale";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid demo time")
}

fn administration(w: &Writer, name: &str) -> Result<Uuid> {
    let id: Option<Uuid> = w.reader().query_one("SELECT id FROM administration WHERE name = ?1", [name])?;
    id.ok_or_else(|| Error::not_found(&format!("Ente «{name}» nell'elenco ISTAT")))
}

/// What [`build_demo`] made, for the caller to open or print.
#[derive(Debug, Clone)]
pub struct Demo {
    pub lucca_protocol: Uuid,
    pub tuscan_agreement: Uuid,
    pub office: Uuid,
}

/// Fills an empty register with the demo. `today` places the demo's invented future
/// events (the next meeting, a deadline) around the day the demo is made, so the
/// dashboard has something to show; the facts of the texts keep their own dates.
pub fn build_demo(reg: &mut Register, today: NaiveDate) -> Result<Demo> {
    if reg.reader().count(Kind::Agreement)? > 0 {
        return Err(Error::bad_request(
            "Il registro contiene già dei protocolli: il registro dimostrativo si crea in un file nuovo.",
        ));
    }
    let demo = reg.write(|w| {
        let lucca = lucca_protocol(w, today)?;
        let tuscany = tuscan_agreement(w, today)?;
        Ok(Demo { lucca_protocol: lucca.0, tuscan_agreement: tuscany, office: lucca.1 })
    })?;
    reg.set_settings(Some(demo.office), "Ufficio di coordinamento (demo)")?;
    Ok(demo)
}

struct Signatory {
    person: Person,
    office: OfficeHeld,
}

fn person(w: &mut Writer, given: &str, family: &str, note: &str) -> Result<Person> {
    let p = w.create(Person::new(given, family))?;
    provenance::mark(w, p.id, Origin::Seed, note)?;
    Ok(p)
}

fn office(w: &mut Writer, person: Uuid, administration: Uuid, title: &str) -> Result<OfficeHeld> {
    w.create(OfficeHeld {
        id: ids::new_id(),
        person_id: person,
        administration_id: administration,
        title: title.to_owned(),
        from_date: None,
        to_date: None,
    })
}

fn signatory(w: &mut Writer, given: &str, family: &str, administration: Uuid, title: &str) -> Result<Signatory> {
    let person = person(w, given, family, &format!("{given} {family}, {title}: dal {LUCCA_TEXT}."))?;
    let office = office(w, person.id, administration, title)?;
    Ok(Signatory { person, office })
}

/// Returns the protocol's id and the Prefettura's (the demo office).
fn lucca_protocol(w: &mut Writer, today: NaiveDate) -> Result<(Uuid, Uuid)> {
    let prefettura = administration(w, "Prefettura di Lucca")?;
    let provincia = administration(w, "Provincia di Lucca")?;
    let comune = administration(w, "Comune di Lucca")?;
    let signed = date(2007, 12, 22);

    let mut a = Agreement::draft(
        "2007/1",
        "Protocollo d'intesa per lo sviluppo di un progetto di cooperazione tra le Pubbliche amministrazioni \
         sui temi dell'innovazione tecnologica e dell'amministrazione digitale",
    );
    a.premises = Some(
        "Prefettura, Provincia e Comune ritrovano e rafforzano lo spirito e la volontà di cooperazione, in risposta \
         alle evoluzioni normative, tecnologiche e di sviluppo, ed alla sfida rappresentata dalla progressiva \
         attuazione del Codice dell'amministrazione digitale.\n\
         Elementi di forza dell'iniziativa: il ruolo di coordinamento e di raccordo con gli organi periferici dello \
         Stato svolto dalla Prefettura; le esperienze di cooperazione e dei tavoli tematici già aperti sul territorio \
         dalla provincia e dal comune di Lucca; le importanti risorse tecniche e professionali messe in gioco \
         dall'accordo; l'esperienza di attiva partecipazione alla Rete telematica regionale condivisa dai tre Enti \
         territoriali."
            .into(),
    );
    a.objectives = [
        "Coordinamento dei Piani di sviluppo locale per la società della conoscenza e della formazione",
        "Coordinamento dello sviluppo dei servizi informatici della Pubblica amministrazione",
        "Condivisione delle esperienze",
        "Collaborazione nello sviluppo di progetti di e-government",
        "Rafforzamento della rete di cooperazione tra gli enti del territorio",
        "Allargamento dell'accordo fino alla costituzione di un «Coordinamento territoriale per l'amministrazione \
         digitale della provincia di Lucca», attraverso il coinvolgimento dei comuni, delle comunità montane e di \
         altri enti",
        "Valorizzare e rafforzare le esperienze di cooperazione già in essere tra Amministrazioni locali",
        "Stimolare il metodo della progettualità condivisa",
        "Coordinare e sostenere l'attuazione delle disposizioni legislative riguardanti l'informatizzazione e la \
         modernizzazione della Pubblica amministrazione",
        "Favorire la circolazione dell'informazione e lo scambio di servizi tra gli uffici operanti sul territorio \
         attraverso i canali informatici, ottimizzando costi e tempi di esercizio, con particolare attenzione \
         all'interazione tra Amministrazioni locali e organi periferici dello Stato",
    ]
    .map(String::from)
    .to_vec();
    a.signed_on = Some(signed);
    a.effective_from = Some(signed);
    a.open_to = Some("Aperto a tutte le altre amministrazioni attive sul territorio.".into());
    a.status = AgreementStatus::Vigente;
    a.themes = ["innovazione tecnologica", "amministrazione digitale", "e-government", "società della conoscenza"]
        .map(String::from)
        .to_vec();
    let a = w.create(a)?;
    provenance::mark(
        w,
        a.id,
        Origin::Seed,
        &format!(
            "Oggetto, premesse, obiettivi, data e adesioni aperte: dal {LUCCA_TEXT}. Il numero di repertorio è della demo."
        ),
    )?;

    let aronica = signatory(w, "Carmelo", "Aronica", prefettura, "Prefetto")?;
    let baccelli = signatory(w, "Stefano", "Baccelli", provincia, "Presidente della Provincia")?;
    let favilla = signatory(w, "Mauro", "Favilla", comune, "Sindaco")?;
    for (admin, role, s) in [
        (prefettura, PartyRole::Capofila, &aronica),
        (provincia, PartyRole::Promotore, &baccelli),
        (comune, PartyRole::Promotore, &favilla),
    ] {
        let mut p = Party::new(a.id, admin, role);
        p.adhered_on = Some(signed);
        let p = w.create(p)?;
        w.create(Signature {
            id: ids::new_id(),
            agreement_id: a.id,
            party_id: p.id,
            person_id: s.person.id,
            office_held_id: Some(s.office.id),
            capacity: SignatureCapacity::ProTempore,
            delegation_act: None,
            signed_on: Some(signed),
            method: SignatureMethod::Autografa,
        })?;
    }
    // The text names both assessori without saying whose; the order of the sentence
    // (Provincia, then Comune) is followed, and said.
    let assessore = "Assessore all'innovazione tecnologica e all'e-government";
    let bambini = person(w, "Francesco", "Bambini", &format!("Presente alla firma: dal {LUCCA_TEXT}."))?;
    let leone = person(w, "Luca", "Leone", &format!("Presente alla firma: dal {LUCCA_TEXT}."))?;
    for (p, admin, who) in [(&bambini, provincia, "Provincia"), (&leone, comune, "Comune")] {
        let o = office(w, p.id, admin, assessore)?;
        provenance::mark(
            w,
            o.id,
            Origin::Demo,
            &format!(
                "Il testo nomina gli assessori Bambini e Leone senza dire di quale ente: l'attribuzione alla {who} segue l'ordine della frase."
            ),
        )?;
    }

    // What the demo adds: tables, meetings, minutes, actions, a deadline.
    let steering = w.create(ThematicTable {
        id: ids::new_id(),
        agreement_id: a.id,
        theme: "Coordinamento territoriale per l'amministrazione digitale".into(),
        coordinator_id: Some(aronica.person.id),
        opened_on: Some(date(2008, 2, 1)),
        closed_on: None,
    })?;
    let services = w.create(ThematicTable {
        id: ids::new_id(),
        agreement_id: a.id,
        theme: "Servizi informatici e scambio di servizi tra gli uffici".into(),
        coordinator_id: Some(leone.id),
        opened_on: Some(date(2008, 2, 1)),
        closed_on: None,
    })?;
    for t in [&steering, &services] {
        provenance::mark(
            w,
            t.id,
            Origin::Demo,
            "Tavolo della demo, dagli obiettivi del protocollo (il testo cita tavoli già aperti, senza nominarli).",
        )?;
    }
    for (table, people) in [
        (&steering, vec![(&aronica.person, prefettura), (&baccelli.person, provincia), (&favilla.person, comune)]),
        (&services, vec![(&bambini, provincia), (&leone, comune), (&aronica.person, prefettura)]),
    ] {
        for (i, (p, admin)) in people.into_iter().enumerate() {
            w.create(TableMember {
                id: ids::new_id(),
                table_id: table.id,
                person_id: p.id,
                administration_id: admin,
                role: if i == 0 { MemberRole::Coordinatore } else { MemberRole::Componente },
            })?;
        }
    }

    // First meeting of the services table: held, minutes approved at the second.
    let services_meeting = |number, convened_on, day, ends, place: &str| Meeting {
        convened_by_id: Some(leone.id),
        convened_on: Some(convened_on),
        starts_at: Some(time(10, 0)),
        ends_at: Some(ends),
        place: Some(place.into()),
        chair_id: Some(leone.id),
        secretary_id: Some(bambini.id),
        ..Meeting::new(a.id, Some(services.id), number, day)
    };
    let first = w.create(services_meeting(
        1,
        date(2008, 2, 20),
        date(2008, 3, 4),
        time(12, 30),
        "Lucca, Palazzo Ducale, sala riunioni",
    ))?;
    let present = [(&leone, comune), (&bambini, provincia), (&aronica.person, prefettura)];
    for (p, admin) in present {
        w.create(Attendance { administration_id: Some(admin), ..Attendance::new(first.id, p.id, Presence::Present) })?;
    }
    let items = [
        (
            "Insediamento del tavolo e calendario dei lavori",
            Some("Il tavolo si insedia e fissa una seduta ogni tre mesi."),
            VoteKind::Unanimous,
            None,
        ),
        (
            "Ricognizione dei servizi on line di Provincia e Comune",
            Some(
                "Si incarica la segreteria di raccogliere l'elenco dei servizi on line di ciascun ente entro la prossima seduta.",
            ),
            VoteKind::Counted,
            Some((3, 0, 0)),
        ),
        ("Varie ed eventuali", None, VoteKind::None, None),
    ];
    for (i, (title, decision, vote, counts)) in items.into_iter().enumerate() {
        w.create(AgendaItem {
            rapporteur_id: Some(leone.id),
            discussion: decision.map(|_| "Interventi dei rappresentanti dei tre enti firmatari.".to_string()),
            decision: decision.map(String::from),
            vote,
            votes_for: counts.map(|c| c.0),
            votes_against: counts.map(|c| c.1),
            abstained: counts.map(|c| c.2),
            ..AgendaItem::new(first.id, i as u32 + 1, title)
        })?;
    }
    let second = w.create(services_meeting(
        2,
        date(2008, 5, 20),
        date(2008, 6, 3),
        time(11, 45),
        "Lucca, Prefettura, sala riunioni",
    ))?;
    w.create(AgendaItem {
        rapporteur_id: Some(bambini.id),
        decision: Some("Il verbale della seduta n. 1 è approvato.".into()),
        vote: VoteKind::Unanimous,
        ..AgendaItem::new(second.id, 1, "Approvazione del verbale della seduta precedente")
    })?;
    let mut first_done = first.clone();
    first_done.minutes_status = MinutesStatus::Approvato;
    first_done.minutes_approved_on = Some(second.date);
    first_done.minutes_approved_at_id = Some(second.id);
    w.update(first_done)?;
    w.create(Action {
        id: ids::new_id(),
        agreement_id: a.id,
        meeting_id: Some(first.id),
        owner_id: Some(bambini.id),
        description: "Raccogliere l'elenco dei servizi on line di Provincia e Comune".into(),
        due_on: Some(date(2008, 6, 1)),
        status: WorkStatus::Completato,
        done_on: Some(date(2008, 5, 28)),
    })?;

    // Around today: the next meeting of the steering table, and an action overdue.
    let next_date = today.checked_add_days(Days::new(14)).unwrap_or(today);
    let next = w.create(Meeting {
        convened_by_id: Some(aronica.person.id),
        convened_on: Some(today),
        starts_at: Some(time(9, 30)),
        place: Some("Lucca, Prefettura".into()),
        agenda_note: Some(
            "1. Approvazione del verbale della seduta precedente\n2. Adesione di comuni e comunità montane al protocollo\n3. Varie ed eventuali".into(),
        ),
        chair_id: Some(aronica.person.id),
        ..Meeting::new(a.id, Some(steering.id), 1, next_date)
    })?;
    let overdue = w.create(Action {
        id: ids::new_id(),
        agreement_id: a.id,
        meeting_id: None,
        owner_id: Some(leone.id),
        description: "Predisporre lo schema di adesione per i comuni e le comunità montane".into(),
        due_on: today.checked_sub_days(Days::new(10)),
        status: WorkStatus::InCorso,
        done_on: None,
    })?;
    for (id, note) in [
        (first.id, "Seduta della demo (data, presenze, verbale inventati)."),
        (second.id, "Seduta della demo (data, presenze, verbale inventati)."),
        (next.id, "Prossima seduta della demo, fissata a due settimane dalla creazione del registro dimostrativo."),
        (overdue.id, "Azione della demo, scaduta da dieci giorni alla creazione del registro dimostrativo."),
    ] {
        provenance::mark(w, id, Origin::Demo, note)?;
    }
    Ok((a.id, prefettura))
}

fn tuscan_agreement(w: &mut Writer, today: NaiveDate) -> Result<Uuid> {
    let regione = administration(w, "Regione Toscana")?;
    // As the text lists them: first Firenze, Massa Carrara and Lucca, then Pistoia,
    // then Prato and Sesto Fiorentino "this morning". "Massa Carrara" is the name of
    // the province, and is taken as such.
    let waves: [(&str, NaiveDate); 6] = [
        ("Comune di Firenze", date(2016, 3, 14)),
        ("Provincia di Massa-Carrara", date(2016, 3, 14)),
        ("Comune di Lucca", date(2016, 3, 14)),
        ("Comune di Pistoia", date(2016, 5, 9)),
        ("Comune di Prato", date(2016, 6, 20)),
        ("Comune di Sesto Fiorentino", date(2016, 6, 20)),
    ];
    let signed = waves[0].1;
    let mut a = Agreement::draft(
        "2016/4",
        "Accordo tra la Regione Toscana e gli enti locali per lo sviluppo dell'agenda digitale: scambio di banche \
         dati, servizi on line, infrastrutture e competenze condivise",
    );
    a.kind = AgreementKind::Accordo;
    a.premises = Some(
        "Uniti per un'amministrazione più digitale, a vantaggio di cittadini e imprese: un'amministrazione che grazie \
         alla tecnologia scioglie il più possibile la burocrazia e aiuta la partecipazione. L'agenda digitale è uno \
         dei sette capisaldi individuati per lo sviluppo dell'Unione europea da qui al 2020; per utilizzare al meglio \
         le risorse a disposizione si promuovono collaborazioni e sinergie tra i vari pezzi dell'amministrazione \
         pubblica."
            .into(),
    );
    a.objectives = [
        "Scambiarsi banche dati ed estendere i servizi on line",
        "Sfruttare in maniera congiunta le infrastrutture informatiche e le competenze a disposizione di ciascuno",
        "Mettere a disposizione degli enti le piattaforme, le infrastrutture e i servizi della Regione, tra cui Iris e Open Toscana",
        "Aumentare i servizi e gli open data per cittadini e imprese",
        "Condividere e integrare i progetti",
        "Estendere la collaborazione alle aziende municipalizzate, alle partecipate e ad altri attori industriali disponibili ad operare sul territorio",
        "Facilitare il dialogo con piattaforme e sistemi nazionali",
    ]
    .map(String::from)
    .to_vec();
    a.signed_on = Some(signed);
    a.effective_from = Some(signed);
    a.duration_months = Some(120);
    a.expires_on = today.checked_add_days(Days::new(60));
    a.renewal = Renewal::Express;
    a.open_to = Some("Replicabile con altri enti del territorio toscano.".into());
    a.financial_terms =
        Some("La Regione mette a disposizione risorse per l'obbligo di fatturazione elettronica.".into());
    a.status = AgreementStatus::Vigente;
    a.themes =
        ["agenda digitale", "open data", "fatturazione elettronica", "cloud", "mobilità"].map(String::from).to_vec();
    let a = w.create(a)?;
    provenance::mark(
        w,
        a.id,
        Origin::Seed,
        &format!(
            "Oggetto, premesse, obiettivi e firmatari: dal {TOSCANA_TEXT}, che descrive lo stesso accordo firmato via via \
             da ciascun ente; qui è un accordo solo, con le adesioni successive. Le date di firma e la scadenza \
             (tra 60 giorni dalla creazione della demo) sono della demo: il testo non le dà."
        ),
    )?;
    let mut regional_party = Party::new(a.id, regione, PartyRole::Promotore);
    regional_party.adhered_on = Some(signed);
    w.create(regional_party)?;
    let mut parties = Vec::new();
    for (name, adhered) in waves {
        let admin = administration(w, name)?;
        let mut p = Party::new(a.id, admin, PartyRole::Aderente);
        p.adhered_on = Some(adhered);
        p.act_kind = Some("Delibera di Giunta".into());
        p.act_date = adhered.checked_sub_days(Days::new(21));
        let p = w.create(p)?;
        provenance::mark(
            w,
            p.id,
            Origin::Demo,
            "Adesione dal testo; data e delibera di approvazione sono della demo.",
        )?;
        parties.push(p);
    }
    w.create(Commitment {
        id: ids::new_id(),
        agreement_id: a.id,
        party_id: None,
        description:
            "La Regione mette a disposizione piattaforme, infrastrutture e servizi, tra cui Iris e Open Toscana".into(),
        due_on: None,
        status: WorkStatus::InCorso,
    })?;
    let due = today.checked_sub_days(Days::new(5));
    let c = w.create(Commitment {
        id: ids::new_id(),
        agreement_id: a.id,
        party_id: parties.first().map(|p| p.id),
        description: "Pubblicare il catalogo delle banche dati da scambiare con la Regione".into(),
        due_on: due,
        status: WorkStatus::DaAvviare,
    })?;
    provenance::mark(
        w,
        c.id,
        Origin::Demo,
        "Impegno della demo, scaduto da cinque giorni alla creazione del registro dimostrativo.",
    )?;

    // The projects the text names.
    let projects: [(&str, &str, FundingSource, i64); 8] = [
        (
            "Scambio di banche dati tra Regione ed enti locali",
            "Scambio di banche dati tra la Regione e gli enti firmatari.",
            FundingSource::Regionale,
            250_000_00,
        ),
        (
            "Iris, portale dei pagamenti e dei debiti verso la PA",
            "Il portale che incrocia pagamenti e debiti verso la pubblica amministrazione di ciascun contribuente.",
            FundingSource::Regionale,
            180_000_00,
        ),
        (
            "Open Toscana",
            "La piattaforma per rendere più accessibile la pubblica amministrazione.",
            FundingSource::Fesr,
            420_000_00,
        ),
        (
            "Open data per cittadini e imprese",
            "Aumentare gli open data per cittadini e imprese.",
            FundingSource::FondiPropri,
            60_000_00,
        ),
        (
            "Fatturazione elettronica",
            "Obbligo di fatturazione elettronica: le risorse messe a disposizione dalla Regione.",
            FundingSource::Regionale,
            95_000_00,
        ),
        (
            "Cloud per gli enti locali",
            "Infrastrutture cloud condivise tra Regione ed enti.",
            FundingSource::Fesr,
            310_000_00,
        ),
        ("Trasporti e mobilità", "Servizi digitali per trasporti e mobilità.", FundingSource::Statale, 150_000_00),
        (
            "Gare on line",
            "Gare telematiche e dialogo con le piattaforme nazionali.",
            FundingSource::Regionale,
            75_000_00,
        ),
    ];
    let year = today.year();
    for (i, (title, description, source, cents)) in projects.into_iter().enumerate() {
        let mut p = Project::new(title);
        p.description = Some(description.into());
        p.lead_administration_id = Some(regione);
        p.agreement_id = Some(a.id);
        p.status = if i < 3 { ProjectStatus::InCorso } else { ProjectStatus::Approvato };
        p.starts_on = Some(date(2016, 9, 1));
        p.ends_on = Some(date(year + 1, 12, 31));
        p.progress_percent = if i < 3 { 40 + 10 * i as u8 } else { 0 };
        let p = w.create(p)?;
        provenance::mark(
            w,
            p.id,
            Origin::Seed,
            &format!("Progetto nominato nel {TOSCANA_TEXT}. Date, stato e finanziamento sono della demo."),
        )?;
        for partner in parties.iter().take(3) {
            w.create(ProjectPartner {
                id: ids::new_id(),
                project_id: p.id,
                administration_id: partner.administration_id,
                role: None,
            })?;
        }
        w.create(FundingLine {
            id: ids::new_id(),
            project_id: p.id,
            source,
            measure: None,
            amount_cents: cents,
            act: None,
        })?;
        w.create(Milestone {
            id: ids::new_id(),
            project_id: p.id,
            title: "Avvio dei servizi".into(),
            planned_on: Some(date(year, 6, 30)),
            actual_on: None,
        })?;
    }
    Ok(a.id)
}
