//! Full-text search: accents and case ignored, ranked, with the matched passage.

mod common;
use common::*;
use raccordo_register::*;

#[test]
fn accents_and_case_are_ignored_on_both_sides() {
    let (_d, mut reg) = fresh();
    let mut a = Agreement::draft("2007/12", "Protocollo per la Città digitale");
    a.objectives = vec!["Favorire la circolazione dell'Informazione".into()];
    let a = reg.create(a).unwrap();
    for q in ["citta", "CITTÀ", "Città Digitale", "informazione", "circolazione dell'informazione", "dig"] {
        let hits = search::search(&reg.reader(), q, &[Kind::Agreement], 10).unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [a.id], "{q}");
    }
    assert!(search::search(&reg.reader(), "cittadinanza", &[Kind::Agreement], 10).unwrap().is_empty());
}

#[test]
fn every_searchable_kind_is_found_with_its_snippet() {
    let (_d, mut reg) = fresh();
    let (a, ..) = signed_agreement(&mut reg, "2007/12");
    let (m, item, p, person) = reg
        .write(|w| {
            let m = w.create(Meeting {
                place: Some("Palazzo Ducale".into()),
                ..Meeting::new(a.id, None, 1, date("2008-03-04"))
            })?;
            let item = w.create(AgendaItem {
                discussion: Some(
                    "Si discute a lungo dello scambio di banche dati anagrafiche tra gli enti del territorio.".into(),
                ),
                ..AgendaItem::new(m.id, 1, "Interoperabilità")
            })?;
            let mut p = Project::new("Fatturazione elettronica");
            p.cup = Some("E11B22000390007".into());
            let p = w.create(p)?;
            let person = w.create(Person::new("Niccolò", "Lucchesi"))?;
            Ok((m, item, p, person))
        })
        .unwrap();
    let r = reg.reader();
    let hits = search::search(&r, "banche dati anagrafiche", &[], 10).unwrap();
    assert_eq!((hits[0].kind, hits[0].id), (Kind::AgendaItem, item.id));
    assert!(hits[0].snippet.contains("«banche» «dati» «anagrafiche»"), "{}", hits[0].snippet);
    assert_eq!(search::search(&r, "palazzo ducale", &[], 10).unwrap()[0].id, m.id);
    assert_eq!(search::search(&r, "E11B22000390007", &[], 10).unwrap()[0].id, p.id);
    assert_eq!(search::search(&r, "niccolo", &[], 10).unwrap()[0].id, person.id);
    let lucca = search::search(&r, "comune lucca", &[Kind::Administration], 5).unwrap();
    assert_eq!(lucca[0].title, "Comune di Lucca");
    // Kind filter.
    assert!(search::search(&r, "palazzo ducale", &[Kind::Project], 10).unwrap().is_empty());
    // Edits replace the indexed text.
    let mut renamed = p.clone();
    renamed.title = "Pagamenti elettronici".into();
    reg.update(renamed).unwrap();
    assert!(search::search(&reg.reader(), "fatturazione", &[Kind::Project], 10).unwrap().is_empty());
    assert_eq!(search::search(&reg.reader(), "pagamenti", &[Kind::Project], 10).unwrap()[0].id, p.id);
}

#[test]
fn a_title_match_ranks_above_a_body_match() {
    let (_d, mut reg) = fresh();
    let mut body = Agreement::draft("2009/1", "Protocollo sulla mobilità");
    body.premises = Some("Tra le premesse si cita anche la protezione civile del territorio montano.".into());
    let body = reg.create(body).unwrap();
    let title = reg.create(Agreement::draft("2009/2", "Protocollo per la protezione civile")).unwrap();
    let hits = search::search(&reg.reader(), "protezione civile", &[Kind::Agreement], 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [title.id, body.id]);
    assert!(hits[0].rank < hits[1].rank);
}

#[test]
fn any_typed_text_is_a_valid_query() {
    let (_d, reg) = fresh();
    for q in ["\"", "AND OR NOT", "(((", "*", "città\"); DROP TABLE agreement; --", "NEAR(a b)", ""] {
        search::search(&reg.reader(), q, &[], 10).unwrap();
    }
}

#[test]
fn a_very_broad_query_lists_title_matches_first_newest_first() {
    let (_d, mut reg) = fresh();
    let ids = reg
        .write(|w| {
            let mut ids = Vec::new();
            for i in 0..12 {
                let mut a = Agreement::draft(&format!("2010/{i}"), &format!("Protocollo n. {i}"));
                if i % 3 == 0 {
                    a.subject = format!("Protocollo n. {i} per la città digitale");
                } else {
                    a.premises = Some(format!("Premessa {i}: la città digitale è un obiettivo comune."));
                }
                ids.push(w.create(a)?.id);
            }
            Ok(ids)
        })
        .unwrap();
    let hits = search::search_with_threshold(&reg.reader(), "citta digitale", &[Kind::Agreement], 6, 5).unwrap();
    let got: Vec<_> = hits.iter().map(|h| h.id).collect();
    // Titles 9, 6, 3, 0 (newest first), then the newest body matches, 11 and 10.
    assert_eq!(got, [ids[9], ids[6], ids[3], ids[0], ids[11], ids[10]]);
    assert_eq!(hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]);
    assert!(hits[4].snippet.contains("«città» «digitale»"), "{}", hits[4].snippet);
    // The same query under the threshold is ranked by BM25: titles still first.
    let ranked = search::search(&reg.reader(), "citta digitale", &[Kind::Agreement], 12).unwrap();
    assert_eq!(ranked.len(), 12);
    assert!(ranked[..4].iter().all(|h| [ids[0], ids[3], ids[6], ids[9]].contains(&h.id)));
}
