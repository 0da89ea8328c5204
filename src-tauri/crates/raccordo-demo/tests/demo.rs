//! The demo register: the facts of the two seed texts as written, what the demo adds
//! marked as such, and enough around "today" for the dashboard to show.

use chrono::NaiveDate;
use raccordo_register::provenance::{self, Origin};
use raccordo_register::query::{self, AgreementFilter, AgreementSort};
use raccordo_register::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn demo() -> (tempfile::TempDir, Register, raccordo_demo::seeds::Demo) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    let demo = raccordo_demo::build_demo(&mut reg, today()).unwrap();
    (dir, reg, demo)
}

#[test]
fn the_lucca_protocol_is_as_the_text_says() {
    let (_d, reg, demo) = demo();
    let r = reg.reader();
    let a: Agreement = r.require(demo.lucca_protocol).unwrap();
    assert_eq!(a.signed_on, NaiveDate::from_ymd_opt(2007, 12, 22));
    assert_eq!(a.kind, AgreementKind::ProtocolloIntesa);
    assert_eq!(a.status, AgreementStatus::Vigente);
    assert_eq!(a.objectives.len(), 10);
    assert!(
        a.objectives[5].contains("Coordinamento territoriale per l'amministrazione digitale della provincia di Lucca")
    );
    assert_eq!(a.open_to.as_deref(), Some("Aperto a tutte le altre amministrazioni attive sul territorio."));
    assert!(a.premises.as_deref().unwrap().contains("Rete telematica regionale"));

    let signatures: Vec<Signature> = r.children("agreement_id", a.id).unwrap();
    let mut signed: Vec<(String, String, String)> = signatures
        .iter()
        .map(|s| {
            let person: Person = r.require(s.person_id).unwrap();
            let office: OfficeHeld = r.require(s.office_held_id.unwrap()).unwrap();
            let admin: Administration = r.require(office.administration_id).unwrap();
            (person.full_name(), office.title, admin.name)
        })
        .collect();
    signed.sort();
    assert_eq!(
        signed,
        [
            ("Carmelo Aronica".into(), "Prefetto".into(), "Prefettura di Lucca".into()),
            ("Mauro Favilla".into(), "Sindaco".into(), "Comune di Lucca".into()),
            ("Stefano Baccelli".into(), "Presidente della Provincia".into(), "Provincia di Lucca".into()),
        ]
    );
    // The two assessori were present; the text does not say whose they were, and the
    // register says that it guessed.
    let offices: Vec<OfficeHeld> = r.select("SELECT * FROM office_held WHERE title LIKE 'Assessore%'", []).unwrap();
    assert_eq!(offices.len(), 2);
    for o in &offices {
        let p = provenance::of(&r, o.id).unwrap().unwrap();
        assert_eq!(p.origin, Origin::Demo);
        assert!(p.note.contains("senza dire di quale ente"));
    }
    let seed = provenance::of(&r, a.id).unwrap().unwrap();
    assert_eq!(seed.origin, Origin::Seed);
    assert_eq!(reg.settings().office_id, Some(demo.office));
}

#[test]
fn the_tuscan_agreement_has_its_adhesions_and_projects() {
    let (_d, reg, demo) = demo();
    let r = reg.reader();
    let parties: Vec<Party> = r.children("agreement_id", demo.tuscan_agreement).unwrap();
    let mut names: Vec<String> =
        parties.iter().map(|p| r.require::<Administration>(p.administration_id).unwrap().name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Comune di Firenze",
            "Comune di Lucca",
            "Comune di Pistoia",
            "Comune di Prato",
            "Comune di Sesto Fiorentino",
            "Provincia di Massa-Carrara",
            "Regione Toscana",
        ]
    );
    let projects: Vec<Project> = r.children("agreement_id", demo.tuscan_agreement).unwrap();
    let titles: Vec<&str> = projects.iter().map(|p| p.title.as_str()).collect();
    for t in [
        "Iris, portale dei pagamenti e dei debiti verso la PA",
        "Open Toscana",
        "Fatturazione elettronica",
        "Gare on line",
        "Cloud per gli enti locali",
        "Trasporti e mobilità",
        "Open data per cittadini e imprese",
        "Scambio di banche dati tra Regione ed enti locali",
    ] {
        assert!(titles.contains(&t), "{t}");
    }
    for p in &projects {
        assert_eq!(r.children::<FundingLine>("project_id", p.id).unwrap().len(), 1);
        assert_eq!(provenance::of(&r, p.id).unwrap().unwrap().origin, Origin::Seed);
    }
}

#[test]
fn the_dashboard_has_something_to_show_and_it_is_marked_as_demo() {
    let (_d, reg, demo) = demo();
    let r = reg.reader();
    let expiring = query::agreements(
        &r,
        &AgreementFilter { expiring_within_days: Some(90), ..Default::default() },
        AgreementSort::Expiry,
        today(),
        0,
        10,
    )
    .unwrap();
    assert_eq!(expiring.rows.iter().map(|a| a.id).collect::<Vec<_>>(), [demo.tuscan_agreement]);
    let upcoming: Vec<Meeting> = r.select("SELECT * FROM meeting WHERE date >= ?1", [today().to_string()]).unwrap();
    assert_eq!(upcoming.len(), 1);
    assert_eq!(provenance::of(&r, upcoming[0].id).unwrap().unwrap().origin, Origin::Demo);
    let overdue: Vec<Action> = r
        .select(
            "SELECT * FROM action WHERE status IN ('da_avviare', 'in_corso') AND due_on < ?1",
            [today().to_string()],
        )
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(provenance::of(&r, overdue[0].id).unwrap().unwrap().origin, Origin::Demo);
    // Minutes: the first meeting approved at the second.
    let approved: Vec<Meeting> = r.select("SELECT * FROM meeting WHERE minutes_status = 'approvato'", []).unwrap();
    assert_eq!(approved.len(), 1);
    assert!(approved[0].minutes_approved_at_id.is_some());
}

#[test]
fn the_demo_is_valid_searchable_and_its_journal_faithful() {
    let (_d, mut reg, _) = demo();
    verify::register(reg.connection()).unwrap().into_result().unwrap();
    let replayed = changelog::replay(reg.connection(), directory::base_state().unwrap()).unwrap();
    assert!(replayed == changelog::snapshot(reg.connection()).unwrap());
    let hits = search::search(&reg.reader(), "societa della conoscenza", &[], 5).unwrap();
    assert_eq!(hits[0].kind, Kind::Agreement);
    assert!(raccordo_demo::build_demo(&mut reg, today()).is_err(), "never twice in one register");
}

#[test]
fn the_generator_is_deterministic_and_realistic() {
    let mk = || {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = Register::open(dir.path().join("g.raccordo")).unwrap();
        let stats = raccordo_demo::generate(&mut reg, 400, 11, "T").unwrap();
        let titles: Vec<String> =
            query::titles(&reg.reader(), Kind::Agreement).unwrap().into_iter().map(|(_, t)| t).collect();
        (dir, reg, stats, titles)
    };
    let (_d1, reg, stats, titles) = mk();
    let (_d2, _, stats2, titles2) = mk();
    assert_eq!(titles, titles2, "same seed, same register");
    assert_eq!(stats, stats2);
    assert_eq!(stats.agreements, 400);
    let r = reg.reader();
    let parties = r.count(Kind::Party).unwrap();
    assert!((800..=1600).contains(&parties), "2 to 4 parties each: {parties}");
    assert!(r.count(Kind::Meeting).unwrap() > 0 && r.count(Kind::Project).unwrap() > 0);
    verify::register(reg.connection()).unwrap().into_result().unwrap();
}
