// Tavoli tematici: members and meetings of each.
import { useState } from "react";
import { Button } from "../components/Button";
import { commands, LABELS, type ThematicTable } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { italianDate } from "../lib/format";
import { go, hrefOf } from "../lib/router";
import { Breadcrumb, ErrorAlert, Loading, ScreenTitle, Section } from "../components/common";
import { ListScreen } from "../components/BrowseList";
import { ChildTable } from "../components/ChildTable";
import { ConfirmDelete, Editor, type Edit, type Removal } from "../components/Editor";
import { RecordHistory } from "../components/RecordHistory";
import { blank } from "../forms/schema";
import { Field } from "./AgreementDetail";

export function TableList() {
  return (
    <ListScreen
      title="Tavoli tematici"
      kind="thematic_table"
      caption="Tavoli tematici"
      filterLabel="Cerca per tema"
      note="Un tavolo nasce da un protocollo: si istituisce dalla pagina del protocollo."
      columns={[
        { head: "Tema", cell: (r) => <a href={hrefOf("thematic_table", r.id)}>{(r as ThematicTable).theme}</a> },
        { head: "Protocollo", cell: (r, n) => n[(r as ThematicTable).agreement_id] },
        {
          head: "Coordinatore",
          cell: (r, n) => ((r as ThematicTable).coordinator_id ? n[(r as ThematicTable).coordinator_id!] : ""),
        },
        { head: "Istituito", cell: (r) => italianDate((r as ThematicTable).opened_on) },
      ]}
    />
  );
}

export function TableDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.tableDetail({ id }), [id]);
  const [edit, setEdit] = useState<Edit | null>(null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  const [version, setVersion] = useState(0);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const t = data.table;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  const names = { ...data.names, [t.id]: t.theme };
  const saved = () => {
    reload();
    setVersion((v) => v + 1);
  };
  return (
    <article>
      <Breadcrumb parents={[{ href: "#/tables", label: "Tavoli tematici" }]} current={t.theme} />
      <ScreenTitle
        actions={
          <>
            <Button
              color="primary"
              outline
              size="sm"
              onClick={() => setEdit({ kind: "thematic_table", record: t, title: "Modifica tavolo", names })}
            >
              Modifica
            </Button>
            <Button
              color="danger"
              outline
              size="sm"
              onClick={() => setRemoval({ kind: "thematic_table", id: t.id, what: t.theme })}
            >
              Elimina
            </Button>
          </>
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
          <Button
            size="xs"
            color="primary"
            outline
            onClick={() =>
              setEdit({
                kind: "table_member",
                record: blank("table_member", { table_id: t.id }),
                title: "Nuovo componente",
                names,
              })
            }
          >
            Aggiungi componente
          </Button>
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
          onEdit={(m) => setEdit({ kind: "table_member", record: m, title: "Modifica componente", names })}
          onDelete={(m) => setRemoval({ kind: "table_member", id: m.id, what: name(m.person_id) })}
        />
      </Section>
      <Section
        title="Sedute"
        id="meetings"
        actions={
          <Button
            size="xs"
            color="primary"
            outline
            onClick={() =>
              setEdit({
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
          </Button>
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
      <RecordHistory kind="thematic_table" id={t.id} version={version} />
      <Editor
        edit={edit}
        onClose={() => setEdit(null)}
        onSaved={(r) => (edit?.kind === "meeting" ? go(hrefOf("meeting", r.id).slice(1)) : saved())}
      />
      <ConfirmDelete
        removal={removal}
        onClose={() => setRemoval(null)}
        onDeleted={() => (removal?.kind === "thematic_table" ? go("/tables") : saved())}
      />
    </article>
  );
}
