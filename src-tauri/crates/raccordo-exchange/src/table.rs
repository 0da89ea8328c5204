//! The register's lists as tables of typed cells, the same the window lists show:
//! agreements (with the list's filters), meetings, projects with their funding,
//! funding lines, actions, commitments, administrations, people. `csv.rs` and
//! `xlsx.rs` write a table; each cell keeps its type (a date, an amount in cents, a
//! number), so that each format writes it as its readers expect.

use chrono::{NaiveDate, NaiveTime};
use raccordo_register::query::{self, AgreementFilter, AgreementSort};
use raccordo_register::{
    Action, Administration, Agreement, Commitment, FundingLine, Meeting, Party, PartyRole, Person, Project, Reader,
    Result, ThematicTable,
};
use std::collections::HashMap;
use uuid::Uuid;

/// One cell, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Date(NaiveDate),
    Time(NaiveTime),
    /// An amount in euro cents.
    Cents(i64),
    Int(i64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::from(s.to_owned())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map(Into::into).unwrap_or(Cell::Empty)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl From<NaiveTime> for Cell {
    fn from(t: NaiveTime) -> Cell {
        Cell::Time(t)
    }
}

/// A list as a table: its name (the sheet's), the column heads, the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub heads: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The lists that export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum List {
    Agreements,
    Meetings,
    Projects,
    Funding,
    Actions,
    Commitments,
    Administrations,
    People,
}

impl List {
    pub const ALL: &'static [List] = &[
        List::Agreements,
        List::Meetings,
        List::Projects,
        List::Funding,
        List::Actions,
        List::Commitments,
        List::Administrations,
        List::People,
    ];

    /// The word the command line takes, and the file's suggested name.
    pub fn word(self) -> &'static str {
        match self {
            List::Agreements => "protocolli",
            List::Meetings => "sedute",
            List::Projects => "progetti",
            List::Funding => "finanziamenti",
            List::Actions => "azioni",
            List::Commitments => "impegni",
            List::Administrations => "enti",
            List::People => "persone",
        }
    }

    pub fn parse(word: &str) -> Option<List> {
        List::ALL.iter().copied().find(|l| l.word() == word.trim().to_lowercase())
    }
}

/// Names of administrations, people, agreements by id, read once per export.
struct Names {
    administrations: HashMap<Uuid, String>,
    people: HashMap<Uuid, String>,
    agreements: HashMap<Uuid, String>,
}

impl Names {
    fn read(r: &Reader) -> Result<Names> {
        // A name two bodies share (San Teodoro is a comune in Sardinia and in Sicily)
        // is followed by the province, as the imports read it back.
        let all = r.select::<Administration>("SELECT * FROM administration", [])?;
        let mut uses: HashMap<&str, u32> = HashMap::new();
        for a in &all {
            *uses.entry(a.name.as_str()).or_default() += 1;
        }
        let administrations = all
            .iter()
            .map(|a| match (&a.province, uses[a.name.as_str()]) {
                (Some(p), 2..) => (a.id, format!("{} ({p})", a.name)),
                _ => (a.id, a.name.clone()),
            })
            .collect();
        let people = r
            .select::<Person>("SELECT * FROM person", [])?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
            .collect();
        let mut agreements = HashMap::new();
        let mut stmt = r.connection().prepare("SELECT id, number FROM agreement")?;
        for row in stmt.query_map([], |row| Ok((row.get::<_, Uuid>(0)?, row.get::<_, String>(1)?)))? {
            let (id, number) = row?;
            agreements.insert(id, number);
        }
        Ok(Names { administrations, people, agreements })
    }

    fn administration(&self, id: Option<Uuid>) -> Cell {
        id.and_then(|i| self.administrations.get(&i).cloned()).into()
    }

    fn person(&self, id: Option<Uuid>) -> Cell {
        id.and_then(|i| self.people.get(&i).cloned()).into()
    }

    fn agreement(&self, id: Option<Uuid>) -> Cell {
        id.and_then(|i| self.agreements.get(&i).cloned()).into()
    }
}

/// The list `list` as a table; `filter` applies to agreements, `today` to their
/// "expiring within" filter.
pub fn table(r: &Reader, list: List, filter: &AgreementFilter, today: NaiveDate) -> Result<Table> {
    let names = Names::read(r)?;
    let (name, heads, rows): (&'static str, Vec<&'static str>, Vec<Vec<Cell>>) = match list {
        List::Agreements => ("Protocolli", AGREEMENT_HEADS.to_vec(), agreements(r, &names, filter, today)?),
        List::Meetings => {
            let tables: HashMap<Uuid, String> = r
                .select::<ThematicTable>("SELECT * FROM thematic_table", [])?
                .into_iter()
                .map(|t| (t.id, t.theme))
                .collect();
            let rows = r
                .select::<Meeting>("SELECT * FROM meeting ORDER BY date DESC, number", [])?
                .into_iter()
                .map(|m| {
                    vec![
                        Cell::Int(m.number.into()),
                        m.date.into(),
                        m.starts_at.into(),
                        m.ends_at.into(),
                        names.agreement(Some(m.agreement_id)),
                        m.table_id.and_then(|t| tables.get(&t).cloned()).into(),
                        m.place.into(),
                        m.online_link.into(),
                        m.minutes_status.label().into(),
                    ]
                })
                .collect();
            let heads =
                vec!["Seduta n.", "Data", "Inizio", "Fine", "Protocollo", "Tavolo", "Luogo", "Collegamento", "Verbale"];
            ("Sedute", heads, rows)
        }
        List::Projects => {
            let mut totals: HashMap<Uuid, i64> = HashMap::new();
            for f in r.select::<FundingLine>("SELECT * FROM funding_line", [])? {
                *totals.entry(f.project_id).or_default() += f.amount_cents;
            }
            let rows = r
                .select::<Project>("SELECT * FROM project ORDER BY title", [])?
                .into_iter()
                .map(|p| {
                    vec![
                        p.title.into(),
                        p.cup.into(),
                        p.cig.into(),
                        names.administration(p.lead_administration_id),
                        names.agreement(p.agreement_id),
                        p.status.label().into(),
                        p.starts_on.into(),
                        p.ends_on.into(),
                        Cell::Int(p.progress_percent.into()),
                        Cell::Cents(totals.get(&p.id).copied().unwrap_or(0)),
                    ]
                })
                .collect();
            let heads = vec![
                "Progetto",
                "CUP",
                "CIG",
                "Capofila",
                "Protocollo",
                "Stato",
                "Inizio",
                "Fine",
                "Avanzamento (%)",
                "Finanziamento (€)",
            ];
            ("Progetti", heads, rows)
        }
        List::Funding => {
            let projects: HashMap<Uuid, (String, Option<String>)> = r
                .select::<Project>("SELECT * FROM project", [])?
                .into_iter()
                .map(|p| (p.id, (p.title, p.cup)))
                .collect();
            let mut lines = r.select::<FundingLine>("SELECT * FROM funding_line", [])?;
            lines.sort_by(|a, b| projects.get(&a.project_id).cmp(&projects.get(&b.project_id)));
            let rows = lines
                .into_iter()
                .map(|f| {
                    let (title, cup) = projects.get(&f.project_id).cloned().unwrap_or_default();
                    vec![
                        title.into(),
                        cup.into(),
                        f.source.label().into(),
                        f.measure.into(),
                        Cell::Cents(f.amount_cents),
                        f.act.into(),
                    ]
                })
                .collect();
            ("Finanziamenti", vec!["Progetto", "CUP", "Fonte", "Misura", "Importo (€)", "Atto"], rows)
        }
        List::Actions => {
            let rows = r
                .select::<Action>("SELECT * FROM action ORDER BY due_on IS NULL, due_on", [])?
                .into_iter()
                .map(|x| {
                    vec![
                        x.description.into(),
                        names.agreement(Some(x.agreement_id)),
                        names.person(x.owner_id),
                        x.due_on.into(),
                        x.status.label().into(),
                        x.done_on.into(),
                    ]
                })
                .collect();
            ("Azioni", vec!["Azione", "Protocollo", "Responsabile", "Scadenza", "Stato", "Completata il"], rows)
        }
        List::Commitments => {
            let parties: HashMap<Uuid, Uuid> = r
                .select::<Party>("SELECT * FROM party", [])?
                .into_iter()
                .map(|p| (p.id, p.administration_id))
                .collect();
            let rows = r
                .select::<Commitment>("SELECT * FROM commitment ORDER BY due_on IS NULL, due_on", [])?
                .into_iter()
                .map(|c| {
                    vec![
                        c.description.into(),
                        names.agreement(Some(c.agreement_id)),
                        names.administration(c.party_id.and_then(|p| parties.get(&p).copied())),
                        c.due_on.into(),
                        c.status.label().into(),
                    ]
                })
                .collect();
            ("Impegni", vec!["Impegno", "Protocollo", "Parte", "Scadenza", "Stato"], rows)
        }
        List::Administrations => {
            let rows = r
                .select::<Administration>("SELECT * FROM administration ORDER BY name", [])?
                .into_iter()
                .map(|a| {
                    vec![
                        a.name.into(),
                        a.kind.label().into(),
                        a.ipa_code.into(),
                        a.fiscal_code.into(),
                        a.seat_istat_code.into(),
                        a.province.into(),
                        a.region.into(),
                        a.pec.into(),
                        a.website.into(),
                        a.source.label().into(),
                    ]
                })
                .collect();
            let heads = vec![
                "Ente",
                "Tipo",
                "Codice IPA",
                "Codice fiscale",
                "Codice ISTAT",
                "Provincia",
                "Regione",
                "PEC",
                "Sito",
                "Origine",
            ];
            ("Enti", heads, rows)
        }
        List::People => {
            let rows = r
                .select::<Person>("SELECT * FROM person ORDER BY family_name, given_name", [])?
                .into_iter()
                .map(|p| vec![p.family_name.into(), p.given_name.into(), p.email.into(), p.phone.into()])
                .collect();
            ("Persone", vec!["Cognome", "Nome", "E-mail", "Telefono"], rows)
        }
    };
    Ok(Table { name, heads, rows })
}

/// "Parti" names every party; "Promotore" and "Capofila" those in that role again, so
/// that the import reads each party back in its role.
const AGREEMENT_HEADS: [&str; 11] = [
    "Numero",
    "Tipo",
    "Oggetto",
    "Stato",
    "Parti",
    "Promotore",
    "Capofila",
    "Sottoscritto il",
    "In vigore dal",
    "Scadenza",
    "Rinnovo",
];

/// The agreements the list shows with `filter`, in its order (soonest expiry first).
fn agreements(r: &Reader, names: &Names, filter: &AgreementFilter, today: NaiveDate) -> Result<Vec<Vec<Cell>>> {
    let mut parties: HashMap<Uuid, Vec<(String, PartyRole)>> = HashMap::new();
    for p in r.select::<Party>("SELECT * FROM party", [])? {
        if let Some(name) = names.administrations.get(&p.administration_id) {
            parties.entry(p.agreement_id).or_default().push((name.clone(), p.role));
        }
    }
    let named = |theirs: &[(String, PartyRole)], role: Option<PartyRole>| {
        let names: Vec<&str> =
            theirs.iter().filter(|(_, r)| role.is_none_or(|role| *r == role)).map(|(n, _)| n.as_str()).collect();
        Cell::from(names.join("; "))
    };
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let page = query::agreements(r, filter, AgreementSort::Expiry, today, offset, query::MAX_PAGE)?;
        let n = page.rows.len() as u64;
        for row in page.rows {
            let Some(a) = r.get::<Agreement>(row.id)? else { continue };
            let mut theirs = parties.remove(&a.id).unwrap_or_default();
            theirs.sort_by(|x, y| x.0.cmp(&y.0));
            rows.push(vec![
                a.number.into(),
                a.kind.label().into(),
                a.subject.into(),
                a.status.label().into(),
                named(&theirs, None),
                named(&theirs, Some(PartyRole::Promotore)),
                named(&theirs, Some(PartyRole::Capofila)),
                a.signed_on.into(),
                a.effective_from.into(),
                a.expires_on.into(),
                a.renewal.label().into(),
            ]);
        }
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    Ok(rows)
}
