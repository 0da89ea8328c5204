// What each form shows: the fields of every record, with the Italian label a person
// reads and the control that edits it. Field names are checked against the generated
// record types, so a renamed Rust field breaks the build here, not at run time.
import { LABELS, NEW_ID, type AnyRecord, type Kind } from "../ipc/api";

export type EnumName = keyof typeof LABELS;

export type Control =
  | { type: "text" }
  | { type: "textarea"; rows?: number }
  | { type: "date" }
  | { type: "time" }
  | { type: "integer"; min?: number; max?: number }
  | { type: "money" }
  | { type: "enum"; of: EnumName }
  | { type: "link"; to: Kind }
  | { type: "lines" };

export type FieldSpec<R> = {
  name: keyof R & string;
  label: string;
  control: Control;
  required?: boolean;
  help?: string;
  /** Set by the screen (the agreement a party belongs to): not shown. */
  fixed?: boolean;
  /** Half width: two such fields share a row. */
  half?: boolean;
};

type RecordOf<K extends Kind> = Extract<AnyRecord, { kind: K }>["record"];
type Specs = { [K in Kind]: FieldSpec<RecordOf<K>>[] };

const text = { type: "text" } as const;
const date = { type: "date" } as const;
const long = { type: "textarea", rows: 4 } as const;
const e = (of: EnumName) => ({ type: "enum", of }) as const;
const link = (to: Kind) => ({ type: "link", to }) as const;

export const FIELDS: Specs = {
  administration: [
    { name: "name", label: "Denominazione", control: text, required: true },
    { name: "kind", label: "Tipo di ente", control: e("AdministrationKind"), required: true, half: true },
    { name: "source", label: "Provenienza", control: e("Source"), required: true, fixed: true },
    { name: "source_note", label: "Origine dei dati", control: text, fixed: true },
    {
      name: "fiscal_code",
      label: "Codice fiscale",
      control: text,
      half: true,
      help: "11 cifre, con la cifra di controllo.",
    },
    { name: "ipa_code", label: "Codice IPA", control: text, half: true },
    { name: "seat_istat_code", label: "Codice ISTAT della sede", control: text, half: true, help: "6 cifre." },
    { name: "province", label: "Provincia (sigla)", control: text, half: true },
    { name: "region", label: "Regione", control: text, half: true },
    { name: "pec", label: "PEC", control: text, half: true },
    { name: "website", label: "Sito web", control: text },
  ],
  person: [
    { name: "given_name", label: "Nome", control: text, required: true, half: true },
    { name: "family_name", label: "Cognome", control: text, required: true, half: true },
    { name: "email", label: "E-mail", control: text, half: true },
    { name: "phone", label: "Telefono", control: text, half: true },
  ],
  office_held: [
    { name: "person_id", label: "Persona", control: link("person"), required: true },
    { name: "administration_id", label: "Ente", control: link("administration"), required: true },
    {
      name: "title",
      label: "Carica",
      control: text,
      required: true,
      help: "Per esempio «Sindaco», «Prefetto», «Assessore all'innovazione».",
    },
    { name: "from_date", label: "Dal", control: date, half: true },
    { name: "to_date", label: "Al", control: date, half: true },
  ],
  agreement: [
    {
      name: "number",
      label: "Numero di repertorio",
      control: text,
      required: true,
      half: true,
      help: "Per esempio 2026/12.",
    },
    { name: "kind", label: "Tipo", control: e("AgreementKind"), required: true, half: true },
    { name: "subject", label: "Oggetto", control: { type: "textarea", rows: 2 }, required: true },
    { name: "status", label: "Stato", control: e("AgreementStatus"), required: true, half: true },
    { name: "renewal", label: "Rinnovo", control: e("Renewal"), required: true, half: true },
    { name: "signature_place", label: "Luogo di sottoscrizione", control: text, half: true },
    { name: "signed_on", label: "Data di sottoscrizione", control: date, half: true },
    { name: "effective_from", label: "Decorrenza", control: date, half: true },
    { name: "expires_on", label: "Scadenza", control: date, half: true },
    { name: "duration_months", label: "Durata (mesi)", control: { type: "integer", min: 1, max: 1200 }, half: true },
    { name: "premises", label: "Premesse", control: long },
    { name: "objectives", label: "Obiettivi", control: { type: "lines" }, help: "Un obiettivo per riga." },
    { name: "open_to", label: "Aperto all'adesione di", control: { type: "textarea", rows: 2 } },
    { name: "financial_terms", label: "Aspetti finanziari", control: { type: "textarea", rows: 2 } },
    { name: "themes", label: "Temi", control: { type: "lines" }, help: "Un tema per riga." },
  ],
  party: [
    { name: "agreement_id", label: "Protocollo", control: link("agreement"), required: true, fixed: true },
    { name: "administration_id", label: "Ente", control: link("administration"), required: true },
    { name: "role", label: "Ruolo", control: e("PartyRole"), required: true, half: true },
    { name: "adhered_on", label: "Data di adesione", control: date, half: true },
    {
      name: "act_kind",
      label: "Atto di approvazione",
      control: text,
      half: true,
      help: "Per esempio «Delibera di Giunta».",
    },
    { name: "act_number", label: "Numero dell'atto", control: text, half: true },
    { name: "act_date", label: "Data dell'atto", control: date, half: true },
    { name: "contact_person_id", label: "Referente", control: link("person"), half: true },
  ],
  signature: [
    { name: "agreement_id", label: "Protocollo", control: link("agreement"), required: true, fixed: true },
    { name: "party_id", label: "Per la parte", control: link("party"), required: true },
    { name: "person_id", label: "Firmatario", control: link("person"), required: true },
    { name: "office_held_id", label: "Nella carica di", control: link("office_held") },
    { name: "capacity", label: "A quale titolo", control: e("SignatureCapacity"), required: true, half: true },
    { name: "delegation_act", label: "Atto di delega", control: text, half: true },
    { name: "signed_on", label: "Data della firma", control: date, half: true },
    { name: "method", label: "Modalità di firma", control: e("SignatureMethod"), required: true, half: true },
  ],
  commitment: [
    { name: "agreement_id", label: "Protocollo", control: link("agreement"), required: true, fixed: true },
    { name: "party_id", label: "Parte che si impegna", control: link("party") },
    { name: "description", label: "Impegno", control: long, required: true },
    { name: "due_on", label: "Entro il", control: date, half: true },
    { name: "status", label: "Stato", control: e("WorkStatus"), required: true, half: true },
  ],
  thematic_table: [
    { name: "agreement_id", label: "Protocollo", control: link("agreement"), required: true, fixed: true },
    { name: "theme", label: "Tema del tavolo", control: text, required: true },
    { name: "coordinator_id", label: "Coordinatore", control: link("person") },
    { name: "opened_on", label: "Istituito il", control: date, half: true },
    { name: "closed_on", label: "Chiuso il", control: date, half: true },
  ],
  table_member: [
    { name: "table_id", label: "Tavolo", control: link("thematic_table"), required: true, fixed: true },
    { name: "person_id", label: "Persona", control: link("person"), required: true },
    { name: "administration_id", label: "Per l'ente", control: link("administration"), required: true },
    { name: "role", label: "Ruolo", control: e("MemberRole"), required: true },
  ],
  meeting: [
    { name: "agreement_id", label: "Protocollo", control: link("agreement"), required: true, fixed: true },
    { name: "table_id", label: "Tavolo", control: link("thematic_table"), fixed: true },
    {
      name: "number",
      label: "Numero della seduta",
      control: { type: "integer", min: 1, max: 100000 },
      required: true,
      half: true,
    },
    { name: "date", label: "Data", control: date, required: true, half: true },
    { name: "starts_at", label: "Inizio", control: { type: "time" }, half: true },
    { name: "ends_at", label: "Fine", control: { type: "time" }, half: true },
    { name: "place", label: "Luogo", control: text, half: true },
    { name: "online_link", label: "Collegamento da remoto", control: text, half: true },
    { name: "convened_by_id", label: "Convocata da", control: link("person"), half: true },
    { name: "convened_on", label: "Convocata il", control: date, half: true },
    { name: "chair_id", label: "Presidente", control: link("person"), half: true },
    { name: "secretary_id", label: "Segretario verbalizzante", control: link("person"), half: true },
    { name: "agenda_note", label: "Note alla convocazione", control: { type: "textarea", rows: 2 } },
    { name: "minutes_status", label: "Verbale", control: e("MinutesStatus"), required: true, half: true },
    { name: "minutes_approved_on", label: "Verbale approvato il", control: date, half: true },
    { name: "minutes_approved_at_id", label: "Approvato nella seduta", control: link("meeting") },
  ],
  agenda_item: [
    { name: "meeting_id", label: "Seduta", control: link("meeting"), required: true, fixed: true },
    {
      name: "position",
      label: "Punto n.",
      control: { type: "integer", min: 1, max: 1000 },
      required: true,
      half: true,
    },
    { name: "rapporteur_id", label: "Relatore", control: link("person"), half: true },
    { name: "title", label: "Argomento", control: text, required: true },
    { name: "discussion", label: "Discussione", control: long },
    { name: "decision", label: "Decisione", control: { type: "textarea", rows: 3 } },
    { name: "vote", label: "Votazione", control: e("VoteKind"), required: true },
    { name: "votes_for", label: "Favorevoli", control: { type: "integer", min: 0, max: 10000 }, half: true },
    { name: "votes_against", label: "Contrari", control: { type: "integer", min: 0, max: 10000 }, half: true },
    { name: "abstained", label: "Astenuti", control: { type: "integer", min: 0, max: 10000 }, half: true },
  ],
  attendance: [
    { name: "meeting_id", label: "Seduta", control: link("meeting"), required: true, fixed: true },
    { name: "person_id", label: "Persona", control: link("person"), required: true },
    { name: "administration_id", label: "Per l'ente", control: link("administration") },
    { name: "presence", label: "Presenza", control: e("Presence"), required: true, half: true },
    { name: "delegate_id", label: "Delegato", control: link("person"), half: true },
    { name: "joined_at", label: "Entrato alle", control: { type: "time" }, half: true },
    { name: "left_at", label: "Uscito alle", control: { type: "time" }, half: true },
  ],
  action: [
    { name: "agreement_id", label: "Protocollo", control: link("agreement"), required: true, fixed: true },
    { name: "meeting_id", label: "Decisa nella seduta", control: link("meeting"), fixed: true },
    { name: "description", label: "Azione", control: long, required: true },
    { name: "owner_id", label: "Responsabile", control: link("person"), half: true },
    { name: "due_on", label: "Entro il", control: date, half: true },
    { name: "status", label: "Stato", control: e("WorkStatus"), required: true, half: true },
    { name: "done_on", label: "Completata il", control: date, half: true },
  ],
  project: [
    { name: "title", label: "Titolo", control: text, required: true },
    { name: "description", label: "Descrizione", control: long },
    { name: "cup", label: "CUP", control: text, half: true, help: "15 caratteri, per esempio J61B21001230006." },
    { name: "cig", label: "CIG", control: text, half: true },
    { name: "lead_administration_id", label: "Ente capofila", control: link("administration") },
    { name: "agreement_id", label: "Protocollo", control: link("agreement") },
    { name: "table_id", label: "Tavolo", control: link("thematic_table") },
    { name: "status", label: "Stato", control: e("ProjectStatus"), required: true, half: true },
    {
      name: "progress_percent",
      label: "Avanzamento (%)",
      control: { type: "integer", min: 0, max: 100 },
      required: true,
      half: true,
    },
    { name: "starts_on", label: "Inizio", control: date, half: true },
    { name: "ends_on", label: "Fine", control: date, half: true },
  ],
  project_partner: [
    { name: "project_id", label: "Progetto", control: link("project"), required: true, fixed: true },
    { name: "administration_id", label: "Ente", control: link("administration"), required: true },
    { name: "role", label: "Ruolo nel progetto", control: text },
  ],
  funding_line: [
    { name: "project_id", label: "Progetto", control: link("project"), required: true, fixed: true },
    { name: "source", label: "Fonte", control: e("FundingSource"), required: true, half: true },
    { name: "amount_cents", label: "Importo (€)", control: { type: "money" }, required: true, half: true },
    { name: "measure", label: "Misura / linea", control: text, help: "Per esempio «M1C1 — Investimento 1.2»." },
    { name: "act", label: "Atto di assegnazione", control: text },
  ],
  milestone: [
    { name: "project_id", label: "Progetto", control: link("project"), required: true, fixed: true },
    { name: "title", label: "Traguardo", control: text, required: true },
    { name: "planned_on", label: "Previsto il", control: date, half: true },
    { name: "actual_on", label: "Raggiunto il", control: date, half: true },
  ],
  attachment: [
    { name: "file_name", label: "Nome del file", control: text, required: true },
    { name: "description", label: "Descrizione", control: text },
  ],
};

/** A new, empty record of a kind, with the links the screen fixes already set. */
export function blank<K extends Kind>(kind: K, fixed: Partial<RecordOf<K>> = {}): RecordOf<K> {
  const rec: Record<string, unknown> = { id: NEW_ID };
  for (const f of FIELDS[kind] as FieldSpec<Record<string, unknown>>[]) {
    const c = f.control;
    if (c.type === "enum") rec[f.name] = f.required ? Object.keys(LABELS[c.of])[0] : null;
    else if (c.type === "lines") rec[f.name] = [];
    else if (f.required && c.type === "integer") rec[f.name] = c.min ?? 0;
    // An amount starts empty: the form asks for it rather than offering € 0,00.
    else if (c.type === "money") rec[f.name] = null;
    else if (f.required) rec[f.name] = "";
    else rec[f.name] = null;
  }
  if (kind === "administration") rec.source = "typed";
  if (kind === "attachment") Object.assign(rec, { media_type: "application/octet-stream", size: 0, sha256: "" });
  return { ...rec, ...fixed } as unknown as RecordOf<K>;
}

export type { RecordOf };
