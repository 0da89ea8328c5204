// Tavoli tematici: members and meetings of each.
import { OwnActions, AddButton } from "../components/Button";
import { commands, LABELS } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { italianDate } from "../lib/format";
import { hrefOf } from "../lib/router";
import { Breadcrumb, ErrorAlert, Field, Loading, ScreenTitle, Section } from "../components/common";
import { ListScreen } from "../components/ListScreen";
import { ChildTable } from "../components/ChildTable";
import { useEditing } from "../components/useEditing";
import { RecordHistory } from "../components/RecordHistory";
import { blank } from "../forms/schema";
import { ReadOnly } from "../components/readOnly";
import { UnsharedNotice, useRecordSync } from "../sync/RecordSync";

export function TableList() {
  return (
    <ListScreen
      title="Tavoli tematici"
      kind="thematic_table"
      caption="Tavoli tematici"
      filterLabel="Cerca per tema"
      note="Un tavolo nasce da un protocollo: si istituisce dalla pagina del protocollo."
      columns={[
        { head: "Tema", cell: (r) => <a href={hrefOf("thematic_table", r.id)}>{r.theme}</a> },
        { head: "Protocollo", cell: (r, n) => n[r.agreement_id] },
        {
          head: "Coordinatore",
          cell: (r, n) => (r.coordinator_id ? n[r.coordinator_id!] : ""),
        },
        { head: "Istituito", cell: (r) => italianDate(r.opened_on) },
      ]}
    />
  );
}

export function TableDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.tableDetail({ id }), [id]);
  const editing = useEditing({ reload, own: { kind: "thematic_table", leaveTo: () => "/tables" } });
  const sync = useRecordSync("thematic_table", id, editing.version);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const t = data.table;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  const names = { ...data.names, [t.id]: t.theme };
  return (
    <ReadOnly.Provider value={!!sync.data?.unshared}>
      <article>
        <Breadcrumb parents={[{ href: "#/tables", label: "Tavoli tematici" }]} current={t.theme} />
        <UnsharedNotice unshared={sync.data?.unshared} />
        <ScreenTitle
          actions={
            <OwnActions
              onEdit={() => editing.edit({ kind: "thematic_table", record: t, title: "Modifica tavolo", names })}
              onDelete={() => editing.remove({ kind: "thematic_table", id: t.id, what: t.theme })}
            />
          }
        >
          Tavolo: {t.theme}
        </ScreenTitle>
        <Section title="Dati del tavolo" id="data">
          <dl className="row">
            <Field label="Protocollo">
              <a href={hrefOf("agreement", t.agreement_id)}>{name(t.agreement_id)}</a>
            </Field>
            <Field label="Coordinatore">{name(t.coordinator_id)}</Field>
            <Field label="Istituito il">{italianDate(t.opened_on)}</Field>
            <Field label="Chiuso il">{italianDate(t.closed_on)}</Field>
          </dl>
        </Section>
        <Section
          title="Componenti"
          id="members"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "table_member",
                  record: blank("table_member", { table_id: t.id }),
                  title: "Nuovo componente",
                  names,
                })
              }
            >
              Aggiungi componente
            </AddButton>
          }
        >
          <ChildTable
            rows={data.members}
            caption="Componenti"
            kind="table_member"
            empty="Nessun componente."
            name={(m) => name(m.person_id)}
            columns={[
              { head: "Persona", cell: (m) => <a href={hrefOf("person", m.person_id)}>{name(m.person_id)}</a> },
              { head: "Per l'ente", cell: (m) => name(m.administration_id) },
              { head: "Ruolo", cell: (m) => LABELS.MemberRole[m.role] },
            ]}
            onEdit={(m) => editing.edit({ kind: "table_member", record: m, title: "Modifica componente", names })}
            onDelete={(m) => editing.remove({ kind: "table_member", id: m.id, what: name(m.person_id) })}
          />
        </Section>
        <Section
          title="Sedute"
          id="meetings"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "meeting",
                  record: blank("meeting", {
                    agreement_id: t.agreement_id,
                    table_id: t.id,
                    number: data.meetings.length + 1,
                  }),
                  title: "Nuova seduta",
                  names,
                })
              }
            >
              Aggiungi seduta
            </AddButton>
          }
        >
          <ChildTable
            rows={data.meetings}
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
              },
              { head: "Luogo", cell: (m) => m.place },
              { head: "Verbale", cell: (m) => LABELS.MinutesStatus[m.minutes_status] },
            ]}
          />
        </Section>
        <RecordHistory kind="thematic_table" id={t.id} version={editing.version} />
        {editing.dialogs}
      </article>
    </ReadOnly.Provider>
  );
}
