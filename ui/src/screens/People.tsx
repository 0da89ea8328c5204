// Persone, with the offices they hold and the agreements they signed.
import { useState } from "react";
import { Button } from "../components/Button";
import { commands, LABELS, type Person } from "../ipc/api";
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
              {(r as Person).family_name} {(r as Person).given_name}
            </a>
          ),
        },
        { head: "E-mail", cell: (r) => (r as Person).email },
        { head: "Telefono", cell: (r) => (r as Person).phone },
      ]}
    />
  );
}

export function PersonDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.personDetail({ id }), [id]);
  const [edit, setEdit] = useState<Edit | null>(null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  const [version, setVersion] = useState(0);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const p = data.person;
  const full = `${p.given_name} ${p.family_name}`;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  const saved = () => {
    reload();
    setVersion((v) => v + 1);
  };
  return (
    <article>
      <Breadcrumb parents={[{ href: "#/people", label: "Persone" }]} current={full} />
      <ScreenTitle
        actions={
          <>
            <Button
              color="primary"
              outline
              size="sm"
              onClick={() => setEdit({ kind: "person", record: p, title: `Modifica ${full}` })}
            >
              Modifica
            </Button>
            <Button
              color="danger"
              outline
              size="sm"
              onClick={() => setRemoval({ kind: "person", id: p.id, what: full })}
            >
              Elimina
            </Button>
          </>
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
          <Button
            size="xs"
            color="primary"
            outline
            onClick={() =>
              setEdit({
                kind: "office_held",
                record: blank("office_held", { person_id: p.id }),
                title: "Nuova carica",
                names: { [p.id]: full },
              })
            }
          >
            Aggiungi carica
          </Button>
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
            setEdit({
              kind: "office_held",
              record: o,
              title: "Modifica carica",
              names: { ...data.names, [p.id]: full },
            })
          }
          onDelete={(o) => setRemoval({ kind: "office_held", id: o.id, what: o.title })}
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
      <RecordHistory kind="person" id={p.id} version={version} />
      <Editor edit={edit} onClose={() => setEdit(null)} onSaved={saved} />
      <ConfirmDelete
        removal={removal}
        onClose={() => setRemoval(null)}
        onDeleted={() => (removal?.kind === "person" ? go("/people") : saved())}
      />
    </article>
  );
}
