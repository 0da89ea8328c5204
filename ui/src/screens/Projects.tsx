// Progetti: CUP, partners, funding lines with their totals by source, milestones.
import { OwnActions, AddButton } from "../components/Button";
import { commands, LABELS } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { euro, italianDate } from "../lib/format";
import { hrefOf } from "../lib/router";
import { Breadcrumb, ErrorAlert, Field, Loading, ScreenTitle, Section } from "../components/common";
import { ListScreen } from "../components/ListScreen";
import { ChildTable } from "../components/ChildTable";
import { Attachments } from "../components/Attachments";
import { useEditing } from "../components/useEditing";
import { RecordHistory } from "../components/RecordHistory";
import { blank } from "../forms/schema";
import { ReadOnly } from "../components/readOnly";
import { UnsharedNotice, useRecordSync } from "../sync/RecordSync";
import { SharingSection, useSharing } from "../sync/Sharing";

export function ProjectList() {
  return (
    <ListScreen
      title="Progetti"
      kind="project"
      caption="Progetti"
      filterLabel="Cerca per titolo, descrizione o CUP"
      newLabel="Nuovo progetto"
      columns={[
        { head: "Progetto", cell: (r) => <a href={hrefOf("project", r.id)}>{r.title}</a> },
        { head: "CUP", cell: (r) => r.cup },
        {
          head: "Capofila",
          cell: (r, n) => (r.lead_administration_id ? n[r.lead_administration_id!] : ""),
        },
        { head: "Stato", cell: (r) => LABELS.ProjectStatus[r.status] },
        { head: "Avanzamento", cell: (r) => `${r.progress_percent}%` },
      ]}
    />
  );
}

export function ProjectDetail({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => commands.projectDetail({ id }), [id]);
  const editing = useEditing({ reload, own: { kind: "project", leaveTo: () => "/projects" } });
  const sync = useRecordSync("project", id, editing.version);
  const standalone = data ? !data.project.agreement_id : false;
  const sharing = useSharing("project", id, standalone);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const p = data.project;
  const name = (x: string | null) => (x ? (data.names[x] ?? "") : "");
  const names = { ...data.names, [p.id]: p.title };
  const fixed = { project_id: p.id };
  return (
    <ReadOnly.Provider value={!!sync.data?.unshared}>
      <article>
        <Breadcrumb parents={[{ href: "#/projects", label: "Progetti" }]} current={p.title} />
        <UnsharedNotice unshared={sync.data?.unshared} />
        <ScreenTitle
          actions={
            <OwnActions
              onEdit={() => editing.edit({ kind: "project", record: p, title: "Modifica progetto", names })}
              onDelete={() => editing.remove({ kind: "project", id: p.id, what: p.title })}
            />
          }
        >
          {p.title}
        </ScreenTitle>
        <Section title="Dati del progetto" id="data">
          <dl className="row">
            <Field label="Stato">{`${LABELS.ProjectStatus[p.status]}, ${p.progress_percent}%`}</Field>
            <Field label="CUP">{p.cup}</Field>
            <Field label="CIG">{p.cig}</Field>
            <Field label="Capofila">
              {p.lead_administration_id && (
                <a href={hrefOf("administration", p.lead_administration_id)}>{name(p.lead_administration_id)}</a>
              )}
            </Field>
            <Field label="Protocollo">
              {p.agreement_id && <a href={hrefOf("agreement", p.agreement_id)}>{name(p.agreement_id)}</a>}
            </Field>
            <Field label="Tavolo">
              {p.table_id && <a href={hrefOf("thematic_table", p.table_id)}>{name(p.table_id)}</a>}
            </Field>
            <Field label="Periodo">
              {[p.starts_on && `dal ${italianDate(p.starts_on)}`, p.ends_on && `al ${italianDate(p.ends_on)}`]
                .filter(Boolean)
                .join(" ")}
            </Field>
          </dl>
          {p.description && <p className="raccordo-prose">{p.description}</p>}
        </Section>
        <Section
          title="Partner"
          id="partners"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "project_partner",
                  record: blank("project_partner", fixed),
                  title: "Nuovo partner",
                  names,
                })
              }
            >
              Aggiungi partner
            </AddButton>
          }
        >
          <ChildTable
            rows={data.partners}
            caption="Partner"
            kind="project_partner"
            empty="Nessun partner."
            name={(x) => name(x.administration_id)}
            columns={[
              {
                head: "Ente",
                cell: (x) => <a href={hrefOf("administration", x.administration_id)}>{name(x.administration_id)}</a>,
              },
              { head: "Ruolo", cell: (x) => x.role },
            ]}
            onEdit={(x) => editing.edit({ kind: "project_partner", record: x, title: "Modifica partner", names })}
            onDelete={(x) => editing.remove({ kind: "project_partner", id: x.id, what: name(x.administration_id) })}
          />
        </Section>
        <Section
          title={`Finanziamento: ${euro(data.total_cents)}`}
          id="funding"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({
                  kind: "funding_line",
                  record: blank("funding_line", fixed),
                  title: "Nuova linea di finanziamento",
                  names,
                })
              }
            >
              Aggiungi linea
            </AddButton>
          }
        >
          <ChildTable
            rows={data.funding}
            caption="Linee di finanziamento"
            kind="funding_line"
            empty="Nessuna linea di finanziamento."
            name={(f) => LABELS.FundingSource[f.source]}
            columns={[
              { head: "Fonte", cell: (f) => LABELS.FundingSource[f.source] },
              { head: "Misura", cell: (f) => f.measure },
              { head: "Atto", cell: (f) => f.act },
              { head: "Importo", cell: (f) => <span className="text-nowrap">{euro(f.amount_cents)}</span> },
            ]}
            onEdit={(f) =>
              editing.edit({ kind: "funding_line", record: f, title: "Modifica linea di finanziamento", names })
            }
            onDelete={(f) =>
              editing.remove({
                kind: "funding_line",
                id: f.id,
                what: `${LABELS.FundingSource[f.source]} ${euro(f.amount_cents)}`,
              })
            }
          />
          {data.totals_by_source.length > 1 && (
            <p className="small">
              Per fonte:{" "}
              {data.totals_by_source.map((t) => `${LABELS.FundingSource[t.source]} ${euro(t.cents)}`).join(" · ")}
            </p>
          )}
        </Section>
        <Section
          title="Milestone"
          id="milestones"
          actions={
            <AddButton
              onClick={() =>
                editing.edit({ kind: "milestone", record: blank("milestone", fixed), title: "Nuova milestone", names })
              }
            >
              Aggiungi milestone
            </AddButton>
          }
        >
          <ChildTable
            rows={data.milestones}
            caption="Milestone"
            kind="milestone"
            empty="Nessuna milestone."
            name={(x) => x.title}
            columns={[
              { head: "Traguardo", cell: (x) => x.title },
              { head: "Previsto", cell: (x) => italianDate(x.planned_on) },
              { head: "Raggiunto", cell: (x) => italianDate(x.actual_on) },
            ]}
            onEdit={(x) => editing.edit({ kind: "milestone", record: x, title: "Modifica milestone", names })}
            onDelete={(x) => editing.remove({ kind: "milestone", id: x.id, what: x.title })}
          />
        </Section>
        {standalone && (
          <Section title="Condivisione con gli altri uffici" id="sharing-section">
            {sharing.data ? (
              <SharingSection kind="project" id={p.id} sharing={sharing.data} reload={sharing.reload} />
            ) : (
              <ErrorAlert error={sharing.error} />
            )}
          </Section>
        )}
        <Section title="Allegati" id="attachments">
          <Attachments
            ownerKind="project"
            ownerId={p.id}
            items={data.attachments}
            onChange={editing.saved}
            onDelete={(f) => editing.remove({ kind: "attachment", id: f.id, what: f.file_name })}
          />
        </Section>
        <RecordHistory kind="project" id={p.id} version={editing.version} />
        {editing.dialogs}
      </article>
    </ReadOnly.Provider>
  );
}
