// Persone, with the offices they hold and the agreements they signed.
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

export function PersonList() {
  return (
    <ListScreen
      title="Persone"
      kind="person"
      caption="Persone"
      filterLabel="Cerca per nome o cognome"
      newLabel="Nuova persona"
      columns={[
        {
          head: "Cognome e nome",
          cell: (r) => (
            <a href={hrefOf("person", r.id)}>
              {r.family_name} {r.given_name}
            </a>
          ),
        },
        { head: "E-mail", cell: (r) => r.email },
        { head: "Telefono", cell: (r) => r.phone },
      ]}
    />
  );
}

export function PersonDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.personDetail({ id }), [id]);
  const editing = useEditing({ reload, own: { kind: "person", leaveTo: () => "/people" } });
  const sync = useRecordSync("person", id, editing.version);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const p = data.person;
  const full = `${p.given_name} ${p.family_name}`;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  return (
    <ReadOnly.Provider value={!!sync.data?.unshared}>
      <article>
        <Breadcrumb parents={[{ href: "#/people", label: "Persone" }]} current={full} />
        <UnsharedNotice unshared={sync.data?.unshared} />
        <ScreenTitle
          actions={
            <OwnActions
              onEdit={() => editing.edit({ kind: "person", record: p, title: `Modifica ${full}` })}
              onDelete={() => editing.remove({ kind: "person", id: p.id, what: full })}
            />
          }
        >
          {full}
        </ScreenTitle>
        <Section title="Recapiti" id="contacts">
          <dl className="row">
            <Field label="E-mail">{p.email}</Field>
            <Field label="Telefono">{p.phone}</Field>
          </dl>
        </Section>
        <Section
          title="Cariche"
          id="offices"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "office_held",
                  record: blank("office_held", { person_id: p.id }),
                  title: "Nuova carica",
                  names: { [p.id]: full },
                })
              }
            >
              Aggiungi carica
            </AddButton>
          }
        >
          <ChildTable
            rows={data.offices}
            caption="Cariche"
            kind="office_held"
            empty="Nessuna carica registrata."
            name={(o) => o.title}
            columns={[
              { head: "Carica", cell: (o) => o.title },
              {
                head: "Ente",
                cell: (o) => <a href={hrefOf("administration", o.administration_id)}>{name(o.administration_id)}</a>,
              },
              { head: "Dal", cell: (o) => italianDate(o.from_date) },
              { head: "Al", cell: (o) => italianDate(o.to_date) },
            ]}
            onEdit={(o) =>
              editing.edit({
                kind: "office_held",
                record: o,
                title: "Modifica carica",
                names: { ...data.names, [p.id]: full },
              })
            }
            onDelete={(o) => editing.remove({ kind: "office_held", id: o.id, what: o.title })}
          />
        </Section>
        <Section title="Firme" id="signatures">
          <ChildTable
            rows={data.signatures}
            caption="Firme"
            empty="Nessuna firma."
            name={(s) => name(s.agreement_id)}
            columns={[
              {
                head: "Protocollo",
                cell: (s) => <a href={hrefOf("agreement", s.agreement_id)}>{name(s.agreement_id)}</a>,
              },
              { head: "Per", cell: (s) => name(s.party_id) },
              {
                head: "Firma",
                cell: (s) => `${LABELS.SignatureMethod[s.method]}${s.signed_on ? `, ${italianDate(s.signed_on)}` : ""}`,
              },
            ]}
          />
        </Section>
        <RecordHistory kind="person" id={p.id} version={editing.version} />
        {editing.dialogs}
      </article>
    </ReadOnly.Provider>
  );
}
