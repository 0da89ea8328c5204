// One agreement with everything that hangs from it, each part editable in place.
import { OwnActions, AddButton } from "../components/Button";
import { commands, LABELS, type AgreementDetail as Detail, type Choice } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { SharingSection, useSharing } from "../sync/Sharing";
import { RecordSyncInfo, UnsharedNotice, useRecordSync } from "../sync/RecordSync";
import { ReadOnly } from "../components/readOnly";
import { count, italianDate, shortTime } from "../lib/format";
import { hrefOf } from "../lib/router";
import { Breadcrumb, ErrorAlert, Field, Loading, ScreenTitle, Section, StatusBadge, Empty } from "../components/common";
import { ChildTable } from "../components/ChildTable";
import { Attachments } from "../components/Attachments";
import { PrintButton } from "../components/Print";
import { SignedFileUpload } from "../components/SignedFile";
import { History } from "../components/History";
import { type Edit } from "../components/Editor";
import { useEditing } from "../components/useEditing";
import { blank } from "../forms/schema";

export function AgreementDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.agreementDetail({ id }), [id]);
  const sharing = useSharing("agreement", id);
  const editing = useEditing({ reload, own: { kind: "agreement", leaveTo: () => "/agreements" }, opens: "project" });
  // Its conflicts with other offices, in its history (the last change is in Condivisione).
  const conflicts = useRecordSync("agreement", id, editing.version);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const d: Detail = data;
  const a = d.agreement;
  const name = (x: string | null) => (x ? (d.names[x] ?? "") : "");
  const parties: Choice[] = d.parties.map((p) => ({
    id: p.id,
    title: name(p.administration_id),
    detail: LABELS.PartyRole[p.role],
  }));
  const open = (e: Edit) => editing.edit({ ...e, names: { ...d.names, [a.id]: `${a.number} — ${a.subject}` } });
  const fixed = { agreement_id: a.id };

  return (
    <ReadOnly.Provider value={!!sharing.data?.unshared}>
      <article>
        <Breadcrumb parents={[{ href: "#/agreements", label: "Protocolli" }]} current={a.number} />
        <ScreenTitle
          actions={
            <OwnActions
              onEdit={() => open({ kind: "agreement", record: a, title: `Modifica protocollo ${a.number}` })}
              onDelete={() => editing.remove({ kind: "agreement", id: a.id, what: `${a.number} — ${a.subject}` })}
            />
          }
        >
          {LABELS.AgreementKind[a.kind]} n. {a.number}
        </ScreenTitle>
        <p className="lead">{a.subject}</p>
        <p>
          <StatusBadge status={a.status} />{" "}
          {d.provenance && (
            <span
              className={`badge ${d.provenance.origin === "demo" ? "bg-warning text-dark" : "bg-info text-dark"}`}
              title={d.provenance.note}
            >
              {LABELS.Origin[d.provenance.origin]}
            </span>
          )}
        </p>
        {d.provenance && <p className="small text-muted">{d.provenance.note}</p>}
        <UnsharedNotice unshared={sharing.data?.unshared} />

        <Section title="Condivisione con gli altri uffici" id="sharing-section">
          {sharing.data ? (
            <SharingSection kind="agreement" id={a.id} sharing={sharing.data} reload={sharing.reload} />
          ) : (
            <ErrorAlert error={sharing.error} />
          )}
        </Section>

        <Section title="Documenti e firme" id="documents">
          <div className="d-flex flex-wrap gap-4 align-items-start">
            <PrintButton
              label="Stampa la scheda del protocollo (PDF)"
              request={() => ({ document: "protocol", agreement_id: a.id })}
            />
            <SignedFileUpload agreementId={a.id} inForce={a.status === "vigente"} onChange={reload} />
          </div>
          {a.signed_file_sha256 && (
            <p className="small mt-3 mb-0">
              File firmato confermato (SHA-256): <code className="raccordo-hash">{a.signed_file_sha256}</code>
            </p>
          )}
          {a.signature_check && <p className="small mt-1 mb-0">Verifica alla conferma: {a.signature_check}</p>}
        </Section>

        <Section title="Dati del protocollo" id="data">
          <dl className="row">
            <Field label="Sottoscritto">
              {[a.signature_place, italianDate(a.signed_on)].filter(Boolean).join(", ")}
            </Field>
            <Field label="Decorrenza">{italianDate(a.effective_from)}</Field>
            <Field label="Scadenza">{italianDate(a.expires_on)}</Field>
            <Field label="Durata">{a.duration_months ? count(a.duration_months, "mese", "mesi") : ""}</Field>
            <Field label="Rinnovo">{LABELS.Renewal[a.renewal]}</Field>
            <Field label="Aperto all'adesione di">{a.open_to}</Field>
            <Field label="Aspetti finanziari">{a.financial_terms}</Field>
            <Field label="Temi">{a.themes.join(", ")}</Field>
          </dl>
          {a.premises && (
            <>
              <h3 className="h6">Premesse</h3>
              <p className="raccordo-prose">{a.premises}</p>
            </>
          )}
          <h3 className="h6">Obiettivi</h3>
          {a.objectives.length ? (
            <ol>
              {a.objectives.map((o, i) => (
                <li key={i}>{o}</li>
              ))}
            </ol>
          ) : (
            <Empty>Nessun obiettivo indicato.</Empty>
          )}
        </Section>

        <Section
          title="Parti e adesioni"
          id="parties"
          actions={
            <AddButton onClick={() => open({ kind: "party", record: blank("party", fixed), title: "Nuova parte" })}>
              Aggiungi parte
            </AddButton>
          }
        >
          <ChildTable
            rows={d.parties}
            caption="Parti del protocollo"
            kind="party"
            empty="Nessuna parte."
            name={(p) => name(p.administration_id)}
            columns={[
              {
                head: "Ente",
                cell: (p) => <a href={hrefOf("administration", p.administration_id)}>{name(p.administration_id)}</a>,
              },
              { head: "Ruolo", cell: (p) => LABELS.PartyRole[p.role] },
              { head: "Adesione", cell: (p) => italianDate(p.adhered_on), nowrap: true },
              {
                head: "Atto di approvazione",
                cell: (p) =>
                  [p.act_kind, p.act_number && `n. ${p.act_number}`, p.act_date && `del ${italianDate(p.act_date)}`]
                    .filter(Boolean)
                    .join(" "),
              },
              { head: "Referente", cell: (p) => name(p.contact_person_id) },
            ]}
            onEdit={(p) => open({ kind: "party", record: p, title: "Modifica parte" })}
            onDelete={(p) => editing.remove({ kind: "party", id: p.id, what: name(p.administration_id) })}
          />
        </Section>

        <Section
          title="Firmatari"
          id="signatures"
          actions={
            d.parties.length > 0 && (
              <AddButton
                onClick={() =>
                  open({
                    kind: "signature",
                    record: blank("signature", fixed),
                    title: "Nuovo firmatario",
                    options: { party_id: parties },
                  })
                }
              >
                Aggiungi firmatario
              </AddButton>
            )
          }
        >
          <ChildTable
            rows={d.signatures}
            caption="Firmatari"
            kind="signature"
            empty={d.parties.length ? "Nessun firmatario." : "Aggiungi prima le parti, poi i loro firmatari."}
            name={(s) => name(s.person_id)}
            columns={[
              { head: "Firmatario", cell: (s) => <a href={hrefOf("person", s.person_id)}>{name(s.person_id)}</a> },
              { head: "Carica", cell: (s) => name(s.office_held_id) },
              { head: "Per", cell: (s) => name(s.party_id) },
              {
                head: "Titolo",
                cell: (s) => LABELS.SignatureCapacity[s.capacity] + (s.delegation_act ? ` (${s.delegation_act})` : ""),
              },
              {
                head: "Firma",
                cell: (s) => `${LABELS.SignatureMethod[s.method]}${s.signed_on ? `, ${italianDate(s.signed_on)}` : ""}`,
              },
            ]}
            onEdit={(s) =>
              open({ kind: "signature", record: s, title: "Modifica firmatario", options: { party_id: parties } })
            }
            onDelete={(s) => editing.remove({ kind: "signature", id: s.id, what: name(s.person_id) })}
          />
        </Section>

        <Section
          title="Impegni"
          id="commitments"
          actions={
            <AddButton
              onClick={() =>
                open({
                  kind: "commitment",
                  record: blank("commitment", fixed),
                  title: "Nuovo impegno",
                  options: { party_id: parties },
                })
              }
            >
              Aggiungi impegno
            </AddButton>
          }
        >
          <ChildTable
            rows={d.commitments}
            caption="Impegni"
            kind="commitment"
            empty="Nessun impegno."
            name={(c) => c.description}
            columns={[
              { head: "Impegno", cell: (c) => c.description },
              { head: "Parte", cell: (c) => name(c.party_id) },
              { head: "Entro", cell: (c) => italianDate(c.due_on), nowrap: true },
              { head: "Stato", cell: (c) => LABELS.WorkStatus[c.status] },
            ]}
            onEdit={(c) =>
              open({ kind: "commitment", record: c, title: "Modifica impegno", options: { party_id: parties } })
            }
            onDelete={(c) => editing.remove({ kind: "commitment", id: c.id, what: c.description })}
          />
        </Section>

        <Section
          title="Tavoli tematici"
          id="tables"
          actions={
            <AddButton
              onClick={() =>
                open({ kind: "thematic_table", record: blank("thematic_table", fixed), title: "Nuovo tavolo tematico" })
              }
            >
              Aggiungi tavolo
            </AddButton>
          }
        >
          <ChildTable
            rows={d.tables}
            caption="Tavoli tematici"
            empty="Nessun tavolo."
            name={(t) => t.theme}
            columns={[
              { head: "Tema", cell: (t) => <a href={hrefOf("thematic_table", t.id)}>{t.theme}</a> },
              { head: "Coordinatore", cell: (t) => name(t.coordinator_id) },
              { head: "Istituito", cell: (t) => italianDate(t.opened_on), nowrap: true },
            ]}
          />
        </Section>

        <Section
          title="Sedute"
          id="meetings"
          actions={
            <AddButton
              onClick={() =>
                open({
                  kind: "meeting",
                  record: blank("meeting", { ...fixed, number: d.meetings.length + 1 }),
                  title: "Nuova seduta",
                })
              }
            >
              Aggiungi seduta
            </AddButton>
          }
        >
          <ChildTable
            rows={d.meetings}
            caption="Sedute"
            empty="Nessuna seduta."
            name={(m) => `seduta n. ${m.number}`}
            columns={[
              {
                head: "Seduta",
                cell: (m) => (
                  <a href={hrefOf("meeting", m.id)}>
                    n. {m.number} del {italianDate(m.date)}
                  </a>
                ),
                nowrap: true,
              },
              { head: "Ora", cell: (m) => shortTime(m.starts_at) },
              { head: "Tavolo", cell: (m) => name(m.table_id) },
              { head: "Verbale", cell: (m) => LABELS.MinutesStatus[m.minutes_status] },
            ]}
          />
        </Section>

        <Section title="Azioni" id="actions">
          <ChildTable
            rows={d.actions}
            caption="Azioni"
            kind="action"
            empty="Nessuna azione."
            name={(x) => x.description}
            columns={[
              { head: "Azione", cell: (x) => x.description },
              { head: "Responsabile", cell: (x) => name(x.owner_id) },
              { head: "Entro", cell: (x) => italianDate(x.due_on), nowrap: true },
              { head: "Stato", cell: (x) => LABELS.WorkStatus[x.status] },
            ]}
            onEdit={(x) => open({ kind: "action", record: x, title: "Modifica azione" })}
          />
        </Section>

        <Section
          title="Progetti"
          id="projects"
          actions={
            <AddButton
              onClick={() => open({ kind: "project", record: blank("project", fixed), title: "Nuovo progetto" })}
            >
              Aggiungi progetto
            </AddButton>
          }
        >
          <ChildTable
            rows={d.projects}
            caption="Progetti"
            empty="Nessun progetto."
            name={(p) => p.title}
            columns={[
              { head: "Progetto", cell: (p) => <a href={hrefOf("project", p.id)}>{p.title}</a> },
              { head: "CUP", cell: (p) => p.cup, nowrap: true },
              { head: "Capofila", cell: (p) => name(p.lead_administration_id) },
              { head: "Stato", cell: (p) => LABELS.ProjectStatus[p.status] },
            ]}
          />
        </Section>

        <Section title="Allegati" id="attachments">
          <Attachments
            ownerKind="agreement"
            ownerId={a.id}
            items={d.attachments}
            onChange={reload}
            onDelete={(f) => editing.remove({ kind: "attachment", id: f.id, what: f.file_name })}
          />
        </Section>

        <Section title="Registro delle modifiche" id="history">
          {conflicts.data && <RecordSyncInfo kind="agreement" data={conflicts.data} lastChange={false} />}
          <History entries={d.history} />
        </Section>
        {editing.dialogs}
      </article>
    </ReadOnly.Provider>
  );
}
