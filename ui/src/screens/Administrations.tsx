// Enti: the ISTAT directory, what the IPA list completed or added, and those added by hand; one administration with its
// offices, agreements and projects.
import { OwnActions, AddButton } from "../components/Button";
import { commands, LABELS } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { italianDate } from "../lib/format";
import { hrefOf } from "../lib/router";
import { Breadcrumb, ErrorAlert, Field, Loading, ScreenTitle, Section, StatusBadge } from "../components/common";
import { ListScreen } from "../components/ListScreen";
import { ChildTable } from "../components/ChildTable";
import { useEditing } from "../components/useEditing";
import { RecordHistory } from "../components/RecordHistory";
import { blank } from "../forms/schema";
import { IpaImport } from "../imports/IpaImport";

export function AdministrationList() {
  return (
    <ListScreen
      title="Enti"
      kind="administration"
      caption="Enti"
      filterLabel="Cerca per nome, provincia, codice fiscale o IPA"
      newLabel="Nuovo ente"
      tools={(reload) => <IpaImport onImported={reload} />}
      columns={[
        {
          head: "Denominazione",
          cell: (r) => <a href={hrefOf("administration", r.id)}>{r.name}</a>,
        },
        { head: "Tipo", cell: (r) => LABELS.AdministrationKind[r.kind] },
        { head: "Provincia", cell: (r) => r.province },
        { head: "Regione", cell: (r) => r.region },
        { head: "Codice fiscale", cell: (r) => r.fiscal_code },
      ]}
    />
  );
}

export function AdministrationDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.administrationDetail({ id }), [id]);
  const editing = useEditing({ reload, own: { kind: "administration", leaveTo: () => "/administrations" } });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const a = data.administration;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  return (
    <article>
      <Breadcrumb parents={[{ href: "#/administrations", label: "Enti" }]} current={a.name} />
      <ScreenTitle
        actions={
          <OwnActions
            onEdit={() => editing.edit({ kind: "administration", record: a, title: `Modifica ${a.name}` })}
            onDelete={() => editing.remove({ kind: "administration", id: a.id, what: a.name })}
          />
        }
      >
        {a.name}
      </ScreenTitle>
      <Section title="Dati dell'ente" id="data">
        <dl className="row">
          <Field label="Tipo">{LABELS.AdministrationKind[a.kind]}</Field>
          <Field label="Codice fiscale">{a.fiscal_code}</Field>
          <Field label="Codice IPA">{a.ipa_code}</Field>
          <Field label="Codice ISTAT della sede">{a.seat_istat_code}</Field>
          <Field label="Provincia">{a.province}</Field>
          <Field label="Regione">{a.region}</Field>
          <Field label="PEC">{a.pec}</Field>
          <Field label="Sito web">{a.website}</Field>
          <Field label="Provenienza">{LABELS.Source[a.source]}</Field>
          <Field label="Origine dei dati">{a.source_note}</Field>
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
                record: blank("office_held", { administration_id: a.id }),
                title: "Nuova carica",
                names: { [a.id]: a.name },
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
          name={(o) => `${o.title} ${name(o.person_id)}`}
          columns={[
            { head: "Carica", cell: (o) => o.title },
            { head: "Persona", cell: (o) => <a href={hrefOf("person", o.person_id)}>{name(o.person_id)}</a> },
            { head: "Dal", cell: (o) => italianDate(o.from_date) },
            { head: "Al", cell: (o) => italianDate(o.to_date) },
          ]}
          onEdit={(o) =>
            editing.edit({
              kind: "office_held",
              record: o,
              title: "Modifica carica",
              names: { ...data.names, [a.id]: a.name },
            })
          }
          onDelete={(o) => editing.remove({ kind: "office_held", id: o.id, what: `${o.title} ${name(o.person_id)}` })}
        />
      </Section>
      <Section title={`Protocolli di cui è parte (${data.agreements_total})`} id="agreements">
        <ChildTable
          rows={data.agreements}
          caption="Protocolli"
          empty="Nessun protocollo."
          name={(r) => r.number}
          columns={[
            { head: "Numero", cell: (r) => <a href={hrefOf("agreement", r.id)}>{r.number}</a> },
            { head: "Oggetto", cell: (r) => r.subject },
            { head: "Stato", cell: (r) => <StatusBadge status={r.status} /> },
            { head: "Scadenza", cell: (r) => italianDate(r.expires_on) },
          ]}
        />
      </Section>
      <Section title="Progetti di cui è capofila" id="projects">
        <ChildTable
          rows={data.projects}
          caption="Progetti"
          empty="Nessun progetto."
          name={(p) => p.title}
          columns={[
            { head: "Progetto", cell: (p) => <a href={hrefOf("project", p.id)}>{p.title}</a> },
            { head: "Stato", cell: (p) => LABELS.ProjectStatus[p.status] },
          ]}
        />
      </Section>
      <RecordHistory kind="administration" id={a.id} version={editing.version} />
      {editing.dialogs}
    </article>
  );
}
