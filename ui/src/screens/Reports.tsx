// Report: the register reports as PDF, each with its filters. A report of thousands
// of agreements takes a few seconds; the print button shows it is being prepared. And
// the transparency open data of the office.
import { useState } from "react";
import { commands, LABELS, type ProjectStatus } from "../ipc/api";
import { ScreenTitle, Section } from "../components/common";
import { PrintButton } from "../components/Print";
import { AgreementFilterFields, LabelSelect, useAgreementFilters } from "../components/Filters";
import { ExportButtons, SaveButton } from "../components/SaveButton";

export function ReportsScreen() {
  const agreements = useAgreementFilters();
  const [projectStatus, setProjectStatus] = useState<ProjectStatus | "">("");
  return (
    <div>
      <ScreenTitle>Report</ScreenTitle>
      <p>
        Ogni report è un PDF/A pronto per l'archivio, con accanto la scheda dei metadati AGID per il protocollo
        informatico.
      </p>

      <Section title="Protocolli per stato e scadenza" id="report-agreements">
        <form
          className="row g-3 mt-1 raccordo-filters"
          aria-label="Filtri del report dei protocolli"
          onSubmit={(e) => e.preventDefault()}
        >
          <AgreementFilterFields f={agreements} prefix="r-agreements" />
        </form>
        {agreements.daysParsed.ok ? (
          <PrintButton
            long
            label="Stampa il report dei protocolli (PDF)"
            request={() => ({ document: "agreements_report", filter: { ...agreements.value, text: null } })}
          />
        ) : (
          <p className="text-danger small">Correggi i giorni per stampare il report.</p>
        )}
      </Section>

      <Section title="Progetti per stato e finanziamento" id="report-projects">
        <form
          className="row g-3 mt-1 raccordo-filters"
          aria-label="Filtri del report dei progetti"
          onSubmit={(e) => e.preventDefault()}
        >
          <LabelSelect
            id="r-projects-status"
            label="Stato"
            labels={LABELS.ProjectStatus}
            value={projectStatus}
            onChange={setProjectStatus}
            className="col-lg-3 col-md-4"
          />
        </form>
        <PrintButton
          long
          label="Stampa il report dei progetti (PDF)"
          request={() => ({
            document: "projects_report",
            filter: { status: projectStatus || null, agreement_id: null },
          })}
        />
      </Section>

      <Section title="Azioni e impegni scaduti" id="report-overdue">
        <p>Le azioni e gli impegni oltre la scadenza e non completati, dal più vecchio.</p>
        <PrintButton
          long
          label="Stampa il report delle scadenze (PDF)"
          request={() => ({ document: "overdue_report" })}
        />
      </Section>

      <Section title="Elenchi in foglio di calcolo" id="report-sheets">
        <p>
          Gli elenchi che non hanno una pagina propria, interi, in CSV (Excel e LibreOffice in italiano) o in Excel; gli
          altri si esportano dalla loro pagina, con i filtri applicati.
        </p>
        {(
          [
            ["actions", "Azioni"],
            ["commitments", "Impegni"],
            ["funding", "Finanziamenti dei progetti"],
          ] as const
        ).map(([list, label]) => (
          <div key={list}>
            <h3 className="h6">{label}</h3>
            <ExportButtons list={list} />
          </div>
        ))}
      </Section>

      <Section title="Trasparenza: open data (art. 23 D.Lgs. 33/2013)" id="report-opendata">
        <p>
          Gli accordi sottoscritti dall'ufficio con altre amministrazioni (numero, oggetto, parti, date, stato, oneri)
          in CSV e JSON, con la loro descrizione DCAT-AP_IT (dcat.jsonld, licenza CC BY 4.0) per il portale degli open
          data: senza dati personali (nomi, e-mail e telefoni di persone, anche dentro i testi, diventano «[omissis]»).
        </p>
        <SaveButton
          label="Salva gli open data (CSV, JSON, DCAT-AP_IT)"
          id="opendata-export"
          run={() => commands.opendataExport()}
          saved={(dir) => (
            <>
              Open data salvati nella cartella <code>{dir}</code>: accordi.csv, accordi.json, dcat.jsonld.
            </>
          )}
        />
      </Section>
    </div>
  );
}
