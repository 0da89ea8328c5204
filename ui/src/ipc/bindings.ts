// Generated from src-tauri/crates/raccordo-ipc by `cargo run -p raccordo-ipc --bin bindings`.
// Do not edit: change the Rust types and generate again (a test fails while this file is stale).

import { invoke } from "@tauri-apps/api/core";

export type Action = { id: string, agreement_id: string, meeting_id: string | null, owner_id: string | null, description: string, due_on: string | null, status: WorkStatus, done_on: string | null, };

export type Administration = { id: string, name: string, kind: AdministrationKind, ipa_code: string | null, fiscal_code: string | null, 
/**
 * ISTAT code of the comune where it has its seat.
 */
seat_istat_code: string | null, 
/**
 * Vehicle-plate code of its province ("LU"), for filters.
 */
province: string | null, region: string | null, pec: string | null, website: string | null, source: Source, 
/**
 * Where and when its data came from, in Italian, when it came from a file (the
 * IPA list): "Indice PA, file «enti.csv» (voce aggiornata al …), importato il …".
 */
source_note: string | null, };

export type AdministrationDetail = { administration: Administration, 
/**
 * People holding (or having held) an office in it.
 */
offices: Array<OfficeHeld>, agreements: Array<AgreementRow>, agreements_total: number, 
/**
 * Projects it leads.
 */
projects: Array<Project>, attachments: Array<Attachment>, names: { [key in string]: string }, };

export type AdministrationKind = "prefettura" | "regione" | "provincia" | "citta_metropolitana" | "comune" | "unione_comunita" | "altro";

export type AgendaItem = { id: string, meeting_id: string, position: number, title: string, rapporteur_id: string | null, discussion: string | null, decision: string | null, vote: VoteKind, votes_for: number | null, votes_against: number | null, abstained: number | null, };

export type Agreement = { id: string, 
/**
 * Register number, e.g. "2007/12". Unique in the register.
 */
number: string, kind: AgreementKind, 
/**
 * Oggetto.
 */
subject: string, premises: string | null, 
/**
 * Ordered objectives.
 */
objectives: Array<string>, signature_place: string | null, signed_on: string | null, effective_from: string | null, duration_months: number | null, expires_on: string | null, renewal: Renewal, 
/**
 * Who may adhere later, as the text says.
 */
open_to: string | null, financial_terms: string | null, status: AgreementStatus, 
/**
 * SHA-256 of the signed file, once it is back.
 */
signed_file_sha256: string | null, themes: Array<string>, 
/**
 * How the signed file was found when it was confirmed, in Italian: its signers
 * verified against the trusted list, or confirmed under the user's responsibility.
 */
signature_check: string | null, 
/**
 * Who receives it through sync.
 */
scope: Scope, };

export type AgreementDetail = { agreement: Agreement, 
/**
 * Taken from a seed text, or demo data.
 */
provenance: Provenance | null, parties: Array<Party>, signatures: Array<Signature>, commitments: Array<Commitment>, tables: Array<ThematicTable>, meetings: Array<Meeting>, actions: Array<Action>, projects: Array<Project>, attachments: Array<Attachment>, history: Array<Entry>, names: { [key in string]: string }, };

export type AgreementFilter = { status: AgreementStatus | null, kind: AgreementKind | null, 
/**
 * Only agreements this administration is a party to.
 */
administration_id: string | null, 
/**
 * Only agreements expiring between today and today + N days.
 */
expiring_within_days: number | null, 
/**
 * Full-text words, as typed.
 */
text: string | null, };

export type AgreementKind = "protocollo_intesa" | "accordo" | "convenzione";

export type AgreementMatch = { 
/**
 * The signed document is the sheet Raccordo printed for this agreement.
 */
printed_for_it: boolean, 
/**
 * Every signer is a signatory of the agreement and every digital signatory signed.
 */
signatories_match: boolean, 
/**
 * Each problem, in Italian (empty when both hold).
 */
problems: Array<string>, };

export type AgreementPage = { rows: Array<AgreementRow>, total: number, offset: number, };

export type AgreementPageArgs = { filter: AgreementFilter, sort: AgreementSort, offset: number, limit: number, };

export type AgreementRow = { id: string, number: string, kind: AgreementKind, subject: string, status: AgreementStatus, signed_on: string | null, expires_on: string | null, };

export type AgreementSort = "expiry" | "number";

export type AgreementStatus = "bozza" | "in_firma" | "vigente" | "scaduto" | "rinnovato" | "risolto";

export type AgreementsImportArgs = { file_name: string, content_base64: string, mode: ImportMode, };

export type AnyRecord = { "kind": "administration", "record": Administration } | { "kind": "person", "record": Person } | { "kind": "office_held", "record": OfficeHeld } | { "kind": "agreement", "record": Agreement } | { "kind": "party", "record": Party } | { "kind": "signature", "record": Signature } | { "kind": "commitment", "record": Commitment } | { "kind": "thematic_table", "record": ThematicTable } | { "kind": "table_member", "record": TableMember } | { "kind": "meeting", "record": Meeting } | { "kind": "agenda_item", "record": AgendaItem } | { "kind": "attendance", "record": Attendance } | { "kind": "action", "record": Action } | { "kind": "project", "record": Project } | { "kind": "project_partner", "record": ProjectPartner } | { "kind": "funding_line", "record": FundingLine } | { "kind": "milestone", "record": Milestone } | { "kind": "attachment", "record": Attachment };

export type Attachment = { id: string, owner_kind: Kind, owner_id: string, file_name: string, media_type: string, size: number, sha256: string, description: string | null, };

export type AttachmentUpload = { owner_kind: Kind, owner_id: string, file_name: string, media_type: string, description: string | null, 
/**
 * The file's bytes, base64.
 */
content_base64: string, };

export type Attendance = { id: string, meeting_id: string, person_id: string, administration_id: string | null, presence: Presence, delegate_id: string | null, joined_at: string | null, left_at: string | null, };

export type BackupState = { folder: string, 
/**
 * The folder is the default one, inside the app's data: on the same disk.
 */
default_folder: boolean, 
/**
 * The copies of the open register in the folder, newest first.
 */
copies: Array<CopyFile>, 
/**
 * The last daily copy made by the window, and the error of the last attempt.
 */
last_daily: CopyCheck | null, last_error: string | null, daily_kept: number, weekly_kept: number, };

export type BrowseArgs = { kind: Kind, text: string | null, offset: number, limit: number, };

export type BrowsePage = { rows: Array<AnyRecord>, 
/**
 * Rows matching, over all pages (for a text, at most [`lists::MAX_TEXT_MATCHES`]).
 */
total: number, offset: number, 
/**
 * Titles of the records the rows link to.
 */
names: { [key in string]: string }, };

export type CalendarArgs = { 
/**
 * One meeting; `None`: every event from today on.
 */
meeting_id: string | null, };

export type Choice = { id: string, title: string, 
/**
 * What tells two alike titles apart (a province, a date).
 */
detail: string | null, };

export type ChoiceArgs = { kind: Kind, text: string | null, limit: number, };

export type Collision = "field" | "changed_after_delete" | "under_deleted" | "key" | "rule";

export type CombineArgs = { kind: Kind, kept: string, absorbed: string, };

export type Combined = { 
/**
 * Records that referred to the absorbed one and now refer to the kept one.
 */
repointed: number, 
/**
 * Fields of the kept one filled from the absorbed one.
 */
filled: Array<string>, };

export type Commitment = { id: string, agreement_id: string, party_id: string | null, description: string, due_on: string | null, status: WorkStatus, };

export type ConfirmSignedArgs = { agreement_id: string, 
/**
 * The SHA-256 of the signed file, already attached to the agreement.
 */
sha256: string, 
/**
 * The user confirms a file whose signers are not verified against a trusted
 * list, or do not match the agreement's signatories, and takes responsibility for
 * it: the agreement's history records so.
 */
accept_unverified: boolean, };

export type Conflict = { id: string, what: Collision, kind: Kind, record_id: string, field: string | null, 
/**
 * What each side holds: for a field, `kept` and `lost` (value, site, clock,
 * author, office, time); for a key, the `records` sharing it and the `value`;
 * for a rule, the `messages`; for a delete, the `lost` changes or record.
 */
detail: unknown, };

export type ConflictList = { conflicts: Array<Conflict>, 
/**
 * Changes received with a clock too far ahead of this PC's: held back until the
 * clock reaches them, or a person applies them now.
 */
held: Array<HeldChange>, 
/**
 * Titles of the records the conflicts are about, and of the offices that wrote
 * each side (by id).
 */
names: { [key in string]: string }, 
/**
 * This installation's site: the side it wrote is "questo computer".
 */
own_site: string, };

export type Container = "Pades" | "Cades";

export type CopyArgs = { 
/**
 * The copy's file, as listed in [`BackupState::copies`].
 */
path: string, };

export type CopyCheck = { path: string, bytes: number, schema: number, 
/**
 * Entries of the history, each linked to the one before (all checked).
 */
history_entries: number, 
/**
 * Records and kept files found to be what the history says they are.
 */
records: number, files: number, agreements: number, 
/**
 * When the last change it holds was made (RFC 3339), if any.
 */
last_change_at: string | null, };

export type CopyFile = { name: string, path: string, bytes: number, 
/**
 * When it was written (RFC 3339, UTC).
 */
modified: string, 
/**
 * The day of a daily copy, which the rotation keeps or removes; `None` for a
 * copy made by hand, which stays until someone removes it.
 */
day: string | null, };

export type Dashboard = { today: string, expiring: Array<AgreementRow>, expiring_total: number, next_meetings: Array<Meeting>, overdue_actions: Array<Action>, overdue_actions_total: number, overdue_commitments: Array<Commitment>, overdue_commitments_total: number, recent: Array<RecentChange>, names: { [key in string]: string }, };

export type Deleted = { 
/**
 * The record and what it owned.
 */
count: number, };

export type Entry = { seq: number, hlc: number, site: string, kind: string, record_id: string, 
/**
 * `create`, `update`, `delete`, or `snapshot` for the directory load.
 */
op: string, 
/**
 * New values of the fields that changed (an object; empty for a delete).
 */
after: JsonValue, 
/**
 * Their old values (an object; empty for a create).
 */
before: JsonValue, 
/**
 * UTC, RFC 3339 with milliseconds.
 */
at: string, actor: string, office_id: string | null, 
/**
 * SHA-256 over the previous entry's hash and this entry.
 */
hash: string, };

export type ErrorCode = "validation" | "not_found" | "in_use" | "duplicate" | "schema_too_new" | "not_a_register" | "audit_broken" | "bad_request" | "storage" | "busy" | "network_share" | "inconsistent" | "document" | "signature" | "trust_list" | "unverified" | "sync_refused" | "sync" | "unshared";

export type Exported = { 
/**
 * False when the user closed the save dialog: nothing was written.
 */
saved: boolean, path: string | null, 
/**
 * Set when the file was saved but no program opened it.
 */
open_problem: string | null, };

export type FieldCode = "required" | "too_long" | "fiscal_code_length" | "fiscal_code_check_digit" | "cup_format" | "cig_format" | "ipa_format" | "istat_format" | "email_format" | "url_format" | "sha256_format" | "date_order" | "vote_exceeds_present" | "vote_incomplete" | "link_missing" | "link_mismatch" | "duplicate" | "out_of_range" | "not_allowed";

export type FieldError = { field: string, code: FieldCode, message: string, };

export type FolderArgs = { folder: string, };

export type Found = { hit: Hit, open_kind: Kind, open_id: string, };

export type FundingLine = { id: string, project_id: string, source: FundingSource, 
/**
 * Mission/component/investment for PNRR ("M1C1 Inv. 1.4"), axis or action otherwise.
 */
measure: string | null, amount_cents: number, 
/**
 * The act that grants it ("Decreto n. 12/2023").
 */
act: string | null, };

export type FundingSource = "pnrr" | "fesr" | "fse" | "fsc" | "statale" | "regionale" | "fondi_propri" | "altro";

export type HeldArgs = { site: string, hlc: string, };

export type HeldChange = { site: string, 
/**
 * The change's clock, as `sync_accept_held` takes it back.
 */
hlc: string, kind: Kind, record_id: string, title: string | null, fields: Array<string>, actor: string, office: string | null, 
/**
 * When its clock says it was made (RFC 3339): ahead of this PC's clock.
 */
stamped_at: string, };

export type Hit = { kind: Kind, id: string, title: string, 
/**
 * The matched passage, with the matching words between « and ».
 */
snippet: string, 
/**
 * Order score, lower is better: BM25, or for a very broad query 0 for a title
 * match and 1 for a body match.
 */
rank: number, };

export type HubAddressArgs = { url: string, };

export type HubInspection = { url: string, hub_id: string, 
/**
 * The system's authorities vouch for its certificate: nothing to compare.
 */
trusted_by_system: boolean, 
/**
 * Otherwise the certificate's SHA-256 as people read it aloud ("AB:12:…").
 */
fingerprint: string | null, };

export type IdArgs = { id: string, };

export type ImportMode = "dry_run" | "whole" | "good_rows";

export type ImportReport = { mode: ImportMode, 
/**
 * Every row read, in order (the window's command keeps the refused ones only).
 */
rows: Array<RowReport>, good: number, refused: number, 
/**
 * Whether anything was written.
 */
written: boolean, 
/**
 * Heads of columns this import does not read, as the file spells them.
 */
ignored_columns: Array<string>, };

export type IpaDifference = { administration_id: string, name: string, field: string, ours: string, theirs: string, };

export type IpaImportArgs = { file_name: string, content_base64: string, dry_run: boolean, };

export type IpaNote = { line: number, ipa_code: string, name: string, why: string, };

export type IpaReport = { 
/**
 * Rows of the file read (bodies).
 */
rows: number, created: number, completed: number, unchanged: number, 
/**
 * The newest `Data_aggiornamento` of the file, if it has them.
 */
updated_to: string | null, 
/**
 * Rows not imported, and values of a row left out, with why.
 */
skipped: Array<IpaNote>, 
/**
 * Values a record of the register has that the IPA gives otherwise: left as they are.
 */
differences: Array<IpaDifference>, 
/**
 * Bodies typed by hand that look like one of the IPA's: to merge, if a person agrees.
 */
duplicates: Array<PossibleDuplicate>, written: boolean, };

export type JoinArgs = { url: string, code: string, 
/**
 * The fingerprint the person compared and confirmed ("AB:12:…" or hex), for a
 * hub whose certificate the system's authorities do not vouch for.
 */
fingerprint: string | null, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type Kind = "administration" | "person" | "office_held" | "agreement" | "party" | "signature" | "commitment" | "thematic_table" | "table_member" | "meeting" | "agenda_item" | "attendance" | "action" | "project" | "project_partner" | "funding_line" | "milestone" | "attachment";

export type LastChange = { actor: string, office: string | null, 
/**
 * RFC 3339.
 */
at: string, 
/**
 * Written on this computer.
 */
here: boolean, };

export type List = "agreements" | "meetings" | "projects" | "funding" | "actions" | "commitments" | "administrations" | "people";

export type ListExportArgs = { list: List, 
/**
 * The agreement list's filters, as on screen (other lists: none).
 */
filter: AgreementFilter | null, format: SheetFormat, };

export type ListSummary = { 
/**
 * "IT".
 */
territory: string, operator: string, sequence: number, issued: string, next_update: string | null, 
/**
 * Who signed the list (the certificate's subject) and that certificate's SHA-256,
 * to compare with the one the list's operator publishes.
 */
signer: string, signer_sha256: string, providers: number, 
/**
 * Qualified certification authorities (CA/QC) listed, at any status.
 */
qualified_cas: number, };

export type MadeCopy = { check: CopyCheck, state: BackupState, };

export type Meeting = { id: string, agreement_id: string, table_id: string | null, 
/**
 * Seduta n. — numbered within its table (or committee).
 */
number: number, convened_by_id: string | null, convened_on: string | null, date: string, starts_at: string | null, ends_at: string | null, place: string | null, online_link: string | null, 
/**
 * Ordine del giorno as sent with the convocation; items are [`AgendaItem`]s.
 */
agenda_note: string | null, chair_id: string | null, secretary_id: string | null, minutes_status: MinutesStatus, minutes_approved_on: string | null, minutes_approved_at_id: string | null, };

export type MeetingDetail = { meeting: Meeting, 
/**
 * The number of the meeting's agreement ("2007/12"), as the breadcrumb shows it.
 */
agreement_number: string, agenda: Array<AgendaItem>, attendance: Array<Attendance>, actions: Array<Action>, 
/**
 * The table's members, offered first when taking attendance.
 */
members: Array<TableMember>, 
/**
 * Earlier meetings of the same agreement, where these minutes may be approved.
 */
later_meetings: Array<Meeting>, attachments: Array<Attachment>, names: { [key in string]: string }, };

export type MemberRole = "coordinatore" | "componente" | "segreteria";

export type Milestone = { id: string, project_id: string, title: string, planned_on: string | null, actual_on: string | null, };

export type MinutesStatus = "bozza" | "approvato";

export type MissingParty = { named: string, 
/**
 * Why it matched none, or which ones it matched, in Italian.
 */
why: string, 
/**
 * The directory's closest names, closest first.
 */
closest: Array<string>, };

export type OfficeHeld = { id: string, person_id: string, administration_id: string, 
/**
 * "Prefetto", "Sindaco", "Assessore all'innovazione"…
 */
title: string, from_date: string | null, to_date: string | null, };

export type OpenArgs = { 
/**
 * `true`: the demo register; `false`: the office's own (created empty if missing).
 */
demo: boolean, };

export type Origin = "seed" | "demo";

export type Outcome = "kept" | "typed" | "let_go" | "restored" | "changed" | "removed";

export type Party = { id: string, agreement_id: string, administration_id: string, role: PartyRole, adhered_on: string | null, 
/**
 * Approving act: kind ("Delibera di Giunta"), number and date.
 */
act_kind: string | null, act_number: string | null, act_date: string | null, contact_person_id: string | null, };

export type PartyRole = "promotore" | "capofila" | "aderente";

export type Person = { id: string, given_name: string, family_name: string, email: string | null, phone: string | null, };

export type PersonDetail = { person: Person, offices: Array<OfficeHeld>, signatures: Array<Signature>, names: { [key in string]: string }, };

export type PossibleDuplicate = { typed_id: string, typed_name: string, ipa_id: string, ipa_name: string, };

export type Presence = "present" | "absent_justified" | "absent" | "represented";

export type PrintArgs = { request: Request, };

export type Printed = { 
/**
 * False when the user closed the save dialog: nothing was written.
 */
saved: boolean, pdf: string | null, metadata: string | null, 
/**
 * Set when the PDF was saved but the system's viewer could not open it.
 */
open_problem: string | null, 
/**
 * The office's template files that were not used, and why (`modelli/`).
 */
template_notes: Array<string>, };

export type Project = { id: string, title: string, description: string | null, cup: string | null, cig: string | null, lead_administration_id: string | null, agreement_id: string | null, table_id: string | null, status: ProjectStatus, starts_on: string | null, ends_on: string | null, 
/**
 * Progress, 0 to 100.
 */
progress_percent: number, 
/**
 * Who receives it through sync when it belongs to no agreement (otherwise the
 * agreement's scope holds).
 */
scope: Scope, };

export type ProjectDetail = { project: Project, partners: Array<ProjectPartner>, funding: Array<FundingLine>, milestones: Array<Milestone>, 
/**
 * Sum of the funding lines, in euro cents.
 */
total_cents: number, totals_by_source: Array<SourceTotal>, attachments: Array<Attachment>, names: { [key in string]: string }, };

export type ProjectFilter = { status: ProjectStatus | null, 
/**
 * Only the projects of this agreement.
 */
agreement_id: string | null, };

export type ProjectPartner = { id: string, project_id: string, administration_id: string, role: string | null, };

export type ProjectStatus = "proposto" | "approvato" | "in_corso" | "sospeso" | "concluso" | "annullato";

export type Provenance = { origin: Origin, note: string, };

export type RecentChange = { entry: Entry, 
/**
 * The record's title now; `None` once it is deleted.
 */
title: string | null, 
/**
 * The kind, when it is one of the register's (not the directory snapshot).
 */
kind: Kind | null, };

export type RecordRef = { kind: Kind, id: string, };

export type RecordSync = { 
/**
 * The register syncs with a hub.
 */
joined: boolean, 
/**
 * The last change of the record, and where it came from.
 */
last_change: LastChange | null, 
/**
 * The hub no longer shares the record's agreement (or project) with this office:
 * the copy here is read-only.
 */
unshared: boolean, 
/**
 * Conflicts of the record waiting for a person (on the Sincronizzazione screen).
 */
open: Array<Conflict>, 
/**
 * Conflicts of the record a person resolved, oldest first.
 */
settled: Array<Settled>, 
/**
 * Names of the offices that wrote each side, and of a restored copy (by id).
 */
names: { [key in string]: string }, 
/**
 * This installation's site: what it wrote is "questo computer".
 */
own_site: string, };

export type RegisterError = { code: ErrorCode, message: string, fields: Array<FieldError>, 
/**
 * With [`ErrorCode::Sync`]: the hub's refusal or the client's code
 * (`unreachable`, `tls`, `code_used`, `credential_revoked`, …), to act on.
 */
sync_code?: string, };

export type Reminded = "expiry" | "commitment" | "action";

export type Reminder = { what: Reminded, 
/**
 * The same while the reminder says the same: what the window remembers as told.
 */
key: string, record_id: string, 
/**
 * The day it is about (expiry, due date).
 */
day: string, 
/**
 * One line in Italian.
 */
text: string, };

export type RemindersSettings = { expiries: boolean, commitments: boolean, actions: boolean, };

export type RemindersState = { settings: RemindersSettings, 
/**
 * The reminders of today, of the kinds turned on.
 */
current: Array<Reminder>, };

export type Renewal = "none" | "tacit" | "express";

export type Request = { "document": "protocol", agreement_id: string, } | { "document": "convocation", meeting_id: string, } | { "document": "minutes", meeting_id: string, } | { "document": "agreements_report", filter: AgreementFilter, } | { "document": "projects_report", filter: ProjectFilter, } | { "document": "overdue_report" };

export type ResolveArgs = { id: string, how: ResolveHow, 
/**
 * With `value`: the value, as typed.
 */
value: string | null, };

export type ResolveHow = "keep_stored" | "keep_lost" | "value" | "let_go" | "restore";

export type Restored = { copy: CopyCheck, 
/**
 * The register as it was before, kept aside.
 */
kept_aside: string | null, 
/**
 * The restored register's new site id.
 */
site_id: string, 
/**
 * The hub the register was joined to, which it must join again.
 */
left_hub: string | null, };

export type RollCall = { 
/**
 * Members of the table newly listed as present.
 */
added: number, };

export type RowOutcome = "imported" | "good" | "refused";

export type RowReport = { 
/**
 * The row as the spreadsheet numbers it.
 */
line: number, number: string, subject: string, outcome: RowOutcome, 
/**
 * Each problem, in Italian, led by the column it is about.
 */
problems: Array<string>, missing_parties: Array<MissingParty>, 
/**
 * The agreement made from it, once imported.
 */
agreement_id: string | null, };

export type Scope = "privato" | "parti" | "rete";

export type SearchArgs = { text: string, limit: number, };

export type SessionState = { 
/**
 * A register is open and the screens can be used.
 */
open: boolean, path: string | null, 
/**
 * The open register is the demo one: the window says so on every screen.
 */
demo: boolean, settings: Settings | null, 
/**
 * The office's name, for the header.
 */
office_name: string | null, 
/**
 * The day "expiring", "overdue" and "next" count from.
 */
today: string, 
/**
 * The main register file does not exist yet: offer the demo or an empty register.
 */
first_start: boolean, 
/**
 * Why the register could not be opened, if it could not.
 */
problem: RegisterError | null, };

export type Settings = { 
/**
 * This installation, as sync will know it.
 */
site_id: string, 
/**
 * The administration this installation belongs to.
 */
office_id: string | null, 
/**
 * Who is working, as the history records it.
 */
user_name: string, };

export type SettingsArgs = { office_id: string | null, user_name: string, };

export type Settled = { what: Collision, field: string | null, 
/**
 * What collided: for a field, each value with who wrote it, from which site and
 * office, and when (as a conflict's `kept` and `lost`); for a delete, the changes
 * made while another office deleted the record.
 */
sides: unknown[], 
/**
 * The change that resolved it: its value (none for a delete), who, where, when.
 */
resolution: unknown, outcome: Outcome, restored_as: string | null, };

export type ShareArgs = { kind: Kind, id: string, scope: Scope, };

export type Sharing = { scope: Scope, 
/**
 * The office that registered it, which alone changes the scope (`None`: older
 * than the journal, so registered here).
 */
registrar: string | null, 
/**
 * This office registered it: the scope is its to change.
 */
registered_here: boolean, 
/**
 * The administrations among its parties (or the project's partners), by name:
 * with `parti`, their offices receive it.
 */
parties: Array<string>, 
/**
 * The register syncs with a hub at all.
 */
joined: boolean, 
/**
 * The hub no longer shares it with this office: the copy here is read-only.
 */
unshared: boolean, 
/**
 * The last change of the record, and where it came from.
 */
last_change: LastChange | null, };

export type SharingArgs = { kind: Kind, id: string, };

export type SheetFormat = "csv" | "xlsx";

export type Signature = { id: string, agreement_id: string, party_id: string, person_id: string, office_held_id: string | null, capacity: SignatureCapacity, delegation_act: string | null, signed_on: string | null, method: SignatureMethod, };

export type SignatureCapacity = "pro_tempore" | "delegation";

export type SignatureCheck = { 
/**
 * "Mario Rossi", from the certificate (given name and surname, or common name).
 */
signer: string, 
/**
 * The organisation in the certificate, when there is one.
 */
organization: string | null, 
/**
 * The certificate's issuer, as a distinguished name.
 */
issuer: string, 
/**
 * The time the signer's software declared (not a trusted timestamp).
 */
signing_time: string | null, 
/**
 * The digest matches the signed bytes and the signature verifies with the key.
 */
intact: boolean, 
/**
 * PAdES: this signature covers the file up to its end (nothing was added after).
 */
covers_whole_file: boolean | null, 
/**
 * PAdES: what the revisions after this signature changed, in Italian (empty when
 * nothing was added after it).
 */
changes_after: Array<string>, 
/**
 * PAdES: something beyond further signatures, their fields and validation data
 * changed after this signature (DocMDP): the document it signed is not the file's.
 */
modified_after: boolean, 
/**
 * "Firma integra", or what is wrong, in Italian.
 */
outcome: string, 
/**
 * The signer's certificate chains to a qualified service of the trusted list, and
 * passed every check of `trust::chain`.
 */
trusted: boolean, 
/**
 * PAdES: a document timestamp (RFC 3161 token over the file up to it), not a
 * signatory's signature: its time is the timestamp authority's.
 */
timestamp: boolean, 
/**
 * In Italian: the qualified service reached, or why the signer is not verified.
 */
trust: string, };

export type SignatureMethod = "autografa" | "pades" | "cades" | "fea";

export type SignedAttached = { attachment: Attachment, check: SignedFile, 
/**
 * Whether it is the sheet printed for this agreement, signed by its signatories.
 */
matching: AgreementMatch, };

export type SignedFile = { container: Container, signatures: Array<SignatureCheck>, 
/**
 * CAdES: the SHA-256 of the file inside the envelope (to compare with the PDF sent).
 */
content_sha256: string | null, 
/**
 * Every signature matches the bytes it signs (and, for PAdES, the last one covers
 * the whole file).
 */
all_intact: boolean, 
/**
 * Every signature is intact and its signer verified against the trusted list.
 */
all_trusted: boolean, 
/**
 * In Italian, for the window and the command line.
 */
summary: string, 
/**
 * Which trusted list the signers were checked against, or that none was.
 */
trust_note: string, };

export type SignedUpload = { agreement_id: string, file_name: string, content_base64: string, };

export type Source = "istat" | "ipa" | "typed";

export type SourceTotal = { source: FundingSource, cents: number, };

export type SyncFailure = { code: string, message: string, };

export type SyncNowArgs = { 
/**
 * The person confirmed a pull that deletes a large part of the register.
 */
confirm_deletes: boolean, };

export type SyncProgress = { 
/**
 * Changes to send when the sync started, and sent so far.
 */
to_send: number, sent: number, received: number, };

export type SyncState = { 
/**
 * The register is an installation of a hub.
 */
joined: boolean, hub_url: string | null, 
/**
 * The hub's certificate as pinned at join ("AB:12:…"), when the hub has its own.
 */
pinned: string | null, joined_at: string | null, 
/**
 * The last sync that went through (RFC 3339).
 */
last_sync_at: string | null, 
/**
 * A sync is running (or asked for).
 */
syncing: boolean, 
/**
 * Where a running sync is.
 */
progress: SyncProgress | null, 
/**
 * The hub did not answer the last time: the register works on, and sync resumes
 * when it answers. A normal state, not an error.
 */
offline: boolean, 
/**
 * Why the last sync stopped, when a person must do something about it.
 */
error: SyncFailure | null, 
/**
 * A pull would delete a large part of the register: it waits for a person.
 */
deletes_held: boolean, changes_waiting: number, conflicts: number, 
/**
 * Changes received with a clock too far ahead, waiting.
 */
held_back: number, 
/**
 * Agreements and projects no longer shared with this office.
 */
unshared: number, 
/**
 * Raised each time a sync changed the register: the screens read it again.
 */
data_generation: number, };

export type TableDetail = { table: ThematicTable, members: Array<TableMember>, meetings: Array<Meeting>, projects: Array<Project>, names: { [key in string]: string }, };

export type TableMember = { id: string, table_id: string, person_id: string, administration_id: string, role: MemberRole, };

export type ThematicTable = { id: string, agreement_id: string, theme: string, coordinator_id: string | null, opened_on: string | null, closed_on: string | null, };

export type TrustImportArgs = { file_name: string, content_base64: string, 
/**
 * The SHA-256 of the list signer's certificate, as the user compared it with the
 * one the list's operator publishes. Needed for the first list, and for a list
 * signed by another certificate than the one in use.
 */
confirmed_signer_sha256: string | null, };

export type TrustInspectArgs = { file_name: string, content_base64: string, };

export type VoteKind = "none" | "unanimous" | "counted";

export type WorkStatus = "da_avviare" | "in_corso" | "completato" | "annullato";

/** The Italian label of every value of every enum, in the order forms offer them. */
export const LABELS = {
  Kind: { administration: "Ente", person: "Persona", office_held: "Carica", agreement: "Protocollo", party: "Parte", signature: "Firma", commitment: "Impegno", thematic_table: "Tavolo tematico", table_member: "Componente del tavolo", meeting: "Seduta", agenda_item: "Punto all'ordine del giorno", attendance: "Presenza", action: "Azione", project: "Progetto", project_partner: "Partner di progetto", funding_line: "Linea di finanziamento", milestone: "Milestone", attachment: "Allegato" } satisfies Record<Kind, string>,
  AdministrationKind: { prefettura: "Prefettura", regione: "Regione", provincia: "Provincia", citta_metropolitana: "Città metropolitana", comune: "Comune", unione_comunita: "Unione di comuni / Comunità montana", altro: "Altro ente" } satisfies Record<AdministrationKind, string>,
  Source: { istat: "Elenco ISTAT", ipa: "Indice PA", typed: "Inserito a mano" } satisfies Record<Source, string>,
  AgreementKind: { protocollo_intesa: "Protocollo d'intesa", accordo: "Accordo", convenzione: "Convenzione" } satisfies Record<AgreementKind, string>,
  AgreementStatus: { bozza: "Bozza", in_firma: "In firma", vigente: "Vigente", scaduto: "Scaduto", rinnovato: "Rinnovato", risolto: "Risolto" } satisfies Record<AgreementStatus, string>,
  Renewal: { none: "Nessun rinnovo", tacit: "Rinnovo tacito", express: "Rinnovo espresso" } satisfies Record<Renewal, string>,
  PartyRole: { promotore: "Promotore", capofila: "Capofila", aderente: "Aderente" } satisfies Record<PartyRole, string>,
  SignatureCapacity: { pro_tempore: "Pro tempore", delegation: "Su delega" } satisfies Record<SignatureCapacity, string>,
  SignatureMethod: { autografa: "Firma autografa", pades: "Firma digitale PAdES", cades: "Firma digitale CAdES", fea: "Firma elettronica avanzata" } satisfies Record<SignatureMethod, string>,
  WorkStatus: { da_avviare: "Da avviare", in_corso: "In corso", completato: "Completato", annullato: "Annullato" } satisfies Record<WorkStatus, string>,
  MemberRole: { coordinatore: "Coordinatore", componente: "Componente", segreteria: "Segreteria" } satisfies Record<MemberRole, string>,
  MinutesStatus: { bozza: "Bozza", approvato: "Approvato" } satisfies Record<MinutesStatus, string>,
  VoteKind: { none: "Nessuna votazione", unanimous: "All'unanimità", counted: "Con voti contati" } satisfies Record<VoteKind, string>,
  Presence: { present: "Presente", absent_justified: "Assente giustificato", absent: "Assente", represented: "Rappresentato per delega" } satisfies Record<Presence, string>,
  ProjectStatus: { proposto: "Proposto", approvato: "Approvato", in_corso: "In corso", sospeso: "Sospeso", concluso: "Concluso", annullato: "Annullato" } satisfies Record<ProjectStatus, string>,
  FundingSource: { pnrr: "PNRR", fesr: "FESR", fse: "FSE+", fsc: "FSC", statale: "Fondi statali", regionale: "Fondi regionali", fondi_propri: "Fondi propri", altro: "Altro" } satisfies Record<FundingSource, string>,
  Origin: { seed: "Dal testo di origine", demo: "Dato dimostrativo" } satisfies Record<Origin, string>,
  Scope: { privato: "Privato", parti: "Parti", rete: "Rete" } satisfies Record<Scope, string>,
} as const;

/** Every command of the shell; a failure rejects with a `RegisterError`. */
export const commands = {
  sessionState: (): Promise<SessionState> => invoke("session_state", { args: null }),
  sessionOpen: (args: OpenArgs): Promise<SessionState> => invoke("session_open", { args: args }),
  settingsSave: (args: SettingsArgs): Promise<SessionState> => invoke("settings_save", { args: args }),
  dashboard: (): Promise<Dashboard> => invoke("dashboard", { args: null }),
  recordGet: (args: RecordRef): Promise<AnyRecord> => invoke("record_get", { args: args }),
  recordCreate: (args: AnyRecord): Promise<AnyRecord> => invoke("record_create", { args: args }),
  recordUpdate: (args: AnyRecord): Promise<AnyRecord> => invoke("record_update", { args: args }),
  recordDelete: (args: RecordRef): Promise<Deleted> => invoke("record_delete", { args: args }),
  history: (args: RecordRef): Promise<Array<Entry>> => invoke("history", { args: args }),
  attachmentAdd: (args: AttachmentUpload): Promise<Attachment> => invoke("attachment_add", { args: args }),
  browse: (args: BrowseArgs): Promise<BrowsePage> => invoke("browse", { args: args }),
  choices: (args: ChoiceArgs): Promise<Array<Choice>> => invoke("choices", { args: args }),
  search: (args: SearchArgs): Promise<Array<Found>> => invoke("search", { args: args }),
  agreementsPage: (args: AgreementPageArgs): Promise<AgreementPage> => invoke("agreements_page", { args: args }),
  agreementDetail: (args: IdArgs): Promise<AgreementDetail> => invoke("agreement_detail", { args: args }),
  administrationDetail: (args: IdArgs): Promise<AdministrationDetail> => invoke("administration_detail", { args: args }),
  personDetail: (args: IdArgs): Promise<PersonDetail> => invoke("person_detail", { args: args }),
  tableDetail: (args: IdArgs): Promise<TableDetail> => invoke("table_detail", { args: args }),
  meetingDetail: (args: IdArgs): Promise<MeetingDetail> => invoke("meeting_detail", { args: args }),
  rollCall: (args: IdArgs): Promise<RollCall> => invoke("roll_call", { args: args }),
  projectDetail: (args: IdArgs): Promise<ProjectDetail> => invoke("project_detail", { args: args }),
  documentPrint: (args: PrintArgs): Promise<Printed> => invoke("document_print", { args: args }),
  signedAttach: (args: SignedUpload): Promise<SignedAttached> => invoke("signed_attach", { args: args }),
  agreementConfirmSigned: (args: ConfirmSignedArgs): Promise<Agreement> => invoke("agreement_confirm_signed", { args: args }),
  trustList: (): Promise<ListSummary | null> => invoke("trust_list", { args: null }),
  trustInspect: (args: TrustInspectArgs): Promise<ListSummary> => invoke("trust_inspect", { args: args }),
  trustImport: (args: TrustImportArgs): Promise<ListSummary> => invoke("trust_import", { args: args }),
  syncState: (): Promise<SyncState> => invoke("sync_state", { args: null }),
  hubInspect: (args: HubAddressArgs): Promise<HubInspection> => invoke("hub_inspect", { args: args }),
  syncJoin: (args: JoinArgs): Promise<SyncState> => invoke("sync_join", { args: args }),
  syncNow: (args: SyncNowArgs): Promise<SyncState> => invoke("sync_now", { args: args }),
  syncLeave: (): Promise<SyncState> => invoke("sync_leave", { args: null }),
  syncConflicts: (): Promise<ConflictList> => invoke("sync_conflicts", { args: null }),
  syncResolve: (args: ResolveArgs): Promise<ConflictList> => invoke("sync_resolve", { args: args }),
  syncCombine: (args: CombineArgs): Promise<Combined> => invoke("sync_combine", { args: args }),
  syncAcceptHeld: (args: HeldArgs): Promise<ConflictList> => invoke("sync_accept_held", { args: args }),
  syncRejectHeld: (args: HeldArgs): Promise<ConflictList> => invoke("sync_reject_held", { args: args }),
  sharing: (args: SharingArgs): Promise<Sharing> => invoke("sharing", { args: args }),
  share: (args: ShareArgs): Promise<Sharing> => invoke("share", { args: args }),
  recordSync: (args: RecordRef): Promise<RecordSync> => invoke("record_sync", { args: args }),
  backupState: (): Promise<BackupState> => invoke("backup_state", { args: null }),
  backupNow: (): Promise<MadeCopy> => invoke("backup_now", { args: null }),
  backupFolder: (args: FolderArgs): Promise<BackupState> => invoke("backup_folder", { args: args }),
  backupRestore: (args: CopyArgs): Promise<Restored> => invoke("backup_restore", { args: args }),
  calendarExport: (args: CalendarArgs): Promise<Exported> => invoke("calendar_export", { args: args }),
  listExport: (args: ListExportArgs): Promise<Exported> => invoke("list_export", { args: args }),
  opendataExport: (): Promise<Exported> => invoke("opendata_export", { args: null }),
  importAgreements: (args: AgreementsImportArgs): Promise<ImportReport> => invoke("import_agreements", { args: args }),
  importIpa: (args: IpaImportArgs): Promise<IpaReport> => invoke("import_ipa", { args: args }),
  remindersState: (): Promise<RemindersState> => invoke("reminders_state", { args: null }),
  remindersSettings: (args: RemindersSettings): Promise<RemindersState> => invoke("reminders_settings", { args: args }),
};
