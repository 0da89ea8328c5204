// Sedute: the list, and the meeting editor: agenda with the minutes of each item
// (discussion, decision, vote), attendance, actions, and the approval of the minutes.
import { useState } from "react";
import { OwnActions, AddButton } from "../components/Button";
import { commands, LABELS, type AgendaItem } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { PrintButton } from "../components/Print";
import { CalendarButton } from "../components/SaveButton";
import { italianDate, shortTime, count } from "../lib/format";
import { hrefOf } from "../lib/router";
import { Breadcrumb, Empty, ErrorAlert, Field, Loading, RowButton, ScreenTitle, Section } from "../components/common";
import { ListScreen } from "../components/ListScreen";
import { ChildTable } from "../components/ChildTable";
import { Attachments } from "../components/Attachments";
import { useEditing } from "../components/useEditing";
import { RecordHistory } from "../components/RecordHistory";
import { Dialog } from "../components/Dialog";
import { blank } from "../forms/schema";
import { ReadOnly } from "../components/readOnly";
import { UnsharedNotice, useRecordSync } from "../sync/RecordSync";

export function MeetingList() {
  return (
    <ListScreen
      title="Sedute"
      kind="meeting"
      caption="Sedute"
      filterLabel="Cerca nei luoghi e nelle note di convocazione"
      note="Le sedute più recenti per prime. Una seduta si convoca dalla pagina del protocollo o del tavolo."
      columns={[
        {
          head: "Seduta",
          cell: (r) => (
            <a href={hrefOf("meeting", r.id)}>
              n. {r.number} del {italianDate(r.date)}
            </a>
          ),
        },
        { head: "Protocollo", cell: (r, n) => n[r.agreement_id] },
        { head: "Tavolo", cell: (r, n) => (r.table_id ? n[r.table_id!] : "") },
        { head: "Verbale", cell: (r) => LABELS.MinutesStatus[r.minutes_status] },
      ]}
    />
  );
}

function vote(i: AgendaItem): string {
  if (i.vote === "counted")
    return `favorevoli ${i.votes_for ?? 0}, contrari ${i.votes_against ?? 0}, astenuti ${i.abstained ?? 0}`;
  return LABELS.VoteKind[i.vote];
}

export function MeetingDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.meetingDetail({ id }), [id]);
  const editing = useEditing({
    reload,
    own: { kind: "meeting", leaveTo: () => (data ? hrefOf("agreement", data.meeting.agreement_id) : "/") },
  });
  const sync = useRecordSync("meeting", id, editing.version);
  const [itemHistory, setItemHistory] = useState<AgendaItem | null>(null);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const m = data.meeting;
  const title = `Seduta n. ${m.number} del ${italianDate(m.date)}`;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  const names = { ...data.names, [m.id]: title };
  const present = data.attendance.filter((a) => a.presence === "present" || a.presence === "represented").length;
  const missing = data.members.filter((mem) => !data.attendance.some((a) => a.person_id === mem.person_id));
  const laterMeetings = data.later_meetings.map((x) => ({
    id: x.id,
    title: `Seduta n. ${x.number} del ${italianDate(x.date)}`,
    detail: null,
  }));
  const nextPosition = Math.max(0, ...data.agenda.map((i) => i.position)) + 1;

  const takeRollCall = async () => {
    // Everyone on the table not yet listed, as present, in one transaction: the
    // secretary then marks the absent.
    await commands.rollCall({ id: m.id });
    editing.saved();
  };

  return (
    <ReadOnly.Provider value={!!sync.data?.unshared}>
      <article>
        <Breadcrumb
          parents={[
            { href: hrefOf("agreement", m.agreement_id), label: data.agreement_number },
            ...(m.table_id ? [{ href: hrefOf("thematic_table", m.table_id), label: name(m.table_id) }] : []),
          ]}
          current={title}
        />
        <UnsharedNotice unshared={sync.data?.unshared} />
        <ScreenTitle
          actions={
            <OwnActions
              onEdit={() =>
                editing.edit({
                  kind: "meeting",
                  record: m,
                  title: "Modifica seduta",
                  names,
                  options: { minutes_approved_at_id: laterMeetings },
                })
              }
              onDelete={() => editing.remove({ kind: "meeting", id: m.id, what: title })}
            />
          }
        >
          {title}
        </ScreenTitle>
        <p>
          <span className={`badge ${m.minutes_status === "approvato" ? "bg-success" : "bg-secondary"}`}>
            Verbale: {LABELS.MinutesStatus[m.minutes_status]}
          </span>{" "}
          {m.minutes_status === "approvato" && m.minutes_approved_on && (
            <span className="small">
              approvato il {italianDate(m.minutes_approved_on)}
              {m.minutes_approved_at_id && ` nella ${name(m.minutes_approved_at_id)}`}
            </span>
          )}
        </p>
        <Section title="Documenti" id="documents">
          <div className="d-flex flex-wrap gap-4 align-items-start">
            <PrintButton
              label="Stampa la convocazione (PDF)"
              request={() => ({ document: "convocation", meeting_id: m.id })}
            />
            <PrintButton
              label={m.minutes_status === "approvato" ? "Stampa il verbale (PDF)" : "Stampa la bozza del verbale (PDF)"}
              request={() => ({ document: "minutes", meeting_id: m.id })}
            />
            <CalendarButton meetingId={m.id} label="Aggiungi al calendario (.ics)" id="meeting-calendar" />
          </div>
        </Section>
        <Section title="Convocazione" id="convocation">
          <dl className="row">
            <Field label="Protocollo">
              <a href={hrefOf("agreement", m.agreement_id)}>{name(m.agreement_id)}</a>
            </Field>
            <Field label="Tavolo">
              {m.table_id && <a href={hrefOf("thematic_table", m.table_id)}>{name(m.table_id)}</a>}
            </Field>
            <Field label="Orario">
              {[m.starts_at && `dalle ${shortTime(m.starts_at)}`, m.ends_at && `alle ${shortTime(m.ends_at)}`]
                .filter(Boolean)
                .join(" ")}
            </Field>
            <Field label="Luogo">{[m.place, m.online_link].filter(Boolean).join(" · ")}</Field>
            <Field label="Convocata">
              {[name(m.convened_by_id), m.convened_on && `il ${italianDate(m.convened_on)}`].filter(Boolean).join(" ")}
            </Field>
            <Field label="Presidente">{name(m.chair_id)}</Field>
            <Field label="Segretario verbalizzante">{name(m.secretary_id)}</Field>
          </dl>
          {m.agenda_note && <p className="raccordo-prose">{m.agenda_note}</p>}
        </Section>

        <Section
          title={`Presenze (${count(present, "presente", "presenti")})`}
          id="attendance"
          actions={
            <>
              {missing.length > 0 && (
                <AddButton onClick={takeRollCall}>Segna presenti i componenti del tavolo ({missing.length})</AddButton>
              )}
              <AddButton
                onClick={() =>
                  editing.edit({
                    kind: "attendance",
                    record: blank("attendance", { meeting_id: m.id, presence: "present" }),
                    title: "Nuova presenza",
                    names,
                  })
                }
              >
                Aggiungi presenza
              </AddButton>
            </>
          }
        >
          <ChildTable
            rows={data.attendance}
            caption="Presenze"
            kind="attendance"
            empty="Nessuna presenza registrata."
            name={(a) => name(a.person_id)}
            columns={[
              { head: "Persona", cell: (a) => name(a.person_id) },
              { head: "Ente", cell: (a) => name(a.administration_id) },
              {
                head: "Presenza",
                cell: (a) => LABELS.Presence[a.presence] + (a.delegate_id ? ` (delega a ${name(a.delegate_id)})` : ""),
              },
              {
                head: "Orari",
                cell: (a) =>
                  [a.joined_at && `entrato ${shortTime(a.joined_at)}`, a.left_at && `uscito ${shortTime(a.left_at)}`]
                    .filter(Boolean)
                    .join(", "),
              },
            ]}
            onEdit={(a) => editing.edit({ kind: "attendance", record: a, title: "Modifica presenza", names })}
            onDelete={(a) => editing.remove({ kind: "attendance", id: a.id, what: name(a.person_id) })}
          />
        </Section>

        <Section
          title="Ordine del giorno e verbale"
          id="agenda"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "agenda_item",
                  record: blank("agenda_item", { meeting_id: m.id, position: nextPosition }),
                  title: "Nuovo punto all'ordine del giorno",
                  names,
                })
              }
            >
              Aggiungi punto
            </AddButton>
          }
        >
          {data.agenda.length === 0 && <Empty>Nessun punto all'ordine del giorno.</Empty>}
          <ol className="list-unstyled">
            {data.agenda.map((i) => (
              <li key={i.id} className="raccordo-agenda-item mb-3">
                <div className="d-flex justify-content-between gap-2">
                  <h3 className="h6 mb-1">
                    {i.position}. {i.title}
                  </h3>
                  <span className="text-nowrap">
                    <RowButton label={`Storico punto ${i.position}`} onClick={() => setItemHistory(i)}>
                      Storico
                    </RowButton>
                    {!sync.data?.unshared && (
                      <>
                        {" · "}
                        <RowButton
                          label={`Modifica punto ${i.position}`}
                          onClick={() =>
                            editing.edit({
                              kind: "agenda_item",
                              record: i,
                              title: `Punto ${i.position}: verbale`,
                              names,
                            })
                          }
                        >
                          Modifica
                        </RowButton>
                        {" · "}
                        <RowButton
                          danger
                          label={`Elimina punto ${i.position}`}
                          onClick={() => editing.remove({ kind: "agenda_item", id: i.id, what: i.title })}
                        >
                          Elimina
                        </RowButton>
                      </>
                    )}
                  </span>
                </div>
                {i.rapporteur_id && <p className="small mb-1">Relatore: {name(i.rapporteur_id)}</p>}
                {i.discussion && (
                  <p className="raccordo-prose mb-1">
                    <strong>Discussione.</strong> {i.discussion}
                  </p>
                )}
                {i.decision && (
                  <p className="raccordo-prose mb-1">
                    <strong>Decisione.</strong> {i.decision}
                  </p>
                )}
                <p className="small mb-0">Votazione: {vote(i)}</p>
              </li>
            ))}
          </ol>
        </Section>

        <Section
          title="Azioni decise"
          id="actions"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "action",
                  record: blank("action", { agreement_id: m.agreement_id, meeting_id: m.id }),
                  title: "Nuova azione",
                  names,
                })
              }
            >
              Aggiungi azione
            </AddButton>
          }
        >
          <ChildTable
            rows={data.actions}
            caption="Azioni"
            kind="action"
            empty="Nessuna azione."
            name={(x) => x.description}
            columns={[
              { head: "Azione", cell: (x) => x.description },
              { head: "Responsabile", cell: (x) => name(x.owner_id) },
              { head: "Entro", cell: (x) => italianDate(x.due_on) },
              { head: "Stato", cell: (x) => LABELS.WorkStatus[x.status] },
            ]}
            onEdit={(x) => editing.edit({ kind: "action", record: x, title: "Modifica azione", names })}
            onDelete={(x) => editing.remove({ kind: "action", id: x.id, what: x.description })}
          />
        </Section>

        <Section title="Allegati" id="attachments">
          <Attachments
            ownerKind="meeting"
            ownerId={m.id}
            items={data.attachments}
            onChange={editing.saved}
            onDelete={(f) => editing.remove({ kind: "attachment", id: f.id, what: f.file_name })}
          />
        </Section>
        <RecordHistory kind="meeting" id={m.id} version={editing.version} />
        {itemHistory && (
          <Dialog title={`Punto ${itemHistory.position}: ${itemHistory.title}`} onClose={() => setItemHistory(null)}>
            <RecordHistory kind="agenda_item" id={itemHistory.id} />
          </Dialog>
        )}
        {editing.dialogs}
      </article>
    </ReadOnly.Provider>
  );
}
