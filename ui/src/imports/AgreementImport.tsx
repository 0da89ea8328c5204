// Agreements from the spreadsheet an office kept until now. The file is first checked
// row by row with nothing written; the report says what each refused row lacks (the
// column and its value, the register's rule, a party not found with the closest
// names), and the person then imports the whole file, or, when some rows were
// refused, only the good ones, or corrects the file and chooses it again.
import { commands, type ImportMode, type ImportReport } from "../ipc/api";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { FileButton } from "../components/FileButton";
import { ErrorAlert } from "../components/common";
import { count, thousands } from "../lib/format";
import { ImportOpener, useImport } from "./useImport";

/** Refused rows shown in the dialog; the count says how many more. */
const SHOWN = 200;

export function AgreementImport({ onImported }: { onImported: () => void }) {
  return (
    <ImportOpener
      id="import-agreements"
      label="Importa da foglio di calcolo"
      dialog={(close) => <ImportDialog onClose={close} onImported={onImported} />}
    />
  );
}

function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { file, report, error, busy, run, choose } = useImport<ImportMode, ImportReport>(
    (f, mode) => commands.importAgreements({ file_name: f.name, content_base64: f.content, mode }),
    "dry_run",
    onImported,
  );
  const canImport = file && report && !report.written && report.good > 0;

  return (
    <Dialog title="Importa protocolli da un foglio di calcolo" onClose={onClose} wide>
      <p className="small">
        Un protocollo per riga, con le intestazioni nella prima riga: <strong>Numero</strong> e <strong>Oggetto</strong>{" "}
        (obbligatorie), Tipo, Stato, Parti, Promotore, Capofila, Sottoscritto il, Luogo di sottoscrizione, In vigore
        dal, Durata (mesi), Scadenza, Rinnovo, Temi, Aspetti finanziari. Le parti si indicano per nome, codice fiscale o
        codice IPA, più di una separate da «;». File CSV, Excel (.xlsx, .xls) o LibreOffice (.ods). Prima si verifica
        ogni riga, senza scrivere nulla.
      </p>
      <FileButton
        label={file ? "Scegli un altro file" : "Scegli il file"}
        busyLabel="Verifica in corso…"
        busy={busy}
        accept=".csv,.xlsx,.xls,.ods,text/csv"
        onFile={choose}
      />
      {file && <span className="ms-2 small">{file.name}</span>}
      <div className="mt-3">
        <ErrorAlert error={error} />
        {report && <Outcome report={report} />}
      </div>
      {canImport && (
        <div className="d-flex gap-2 mt-3">
          {report.refused === 0 ? (
            <Button id="import-confirm" disabled={busy} onClick={() => run(file, "whole")}>
              Importa {count(report.good, "protocollo", "protocolli")}
            </Button>
          ) : (
            <Button id="import-good" disabled={busy} onClick={() => run(file, "good_rows")}>
              Importa solo le righe buone ({count(report.good, "riga", "righe")})
            </Button>
          )}
          <Button outline color="secondary" onClick={onClose}>
            Annulla
          </Button>
        </div>
      )}
    </Dialog>
  );
}

function Outcome({ report }: { report: ImportReport }) {
  const refused = report.rows.filter((r) => r.outcome === "refused");
  const good = count(report.good, "riga", "righe");
  const summary = report.written
    ? `${count(report.good, "protocollo importato", "protocolli importati")} nel registro.` +
      (report.refused > 0
        ? ` ${count(report.refused, "riga rifiutata non è stata importata", "righe rifiutate non sono state importate")}.`
        : "")
    : report.good === 0
      ? `Nessuna riga si può importare: ${count(report.refused, "riga rifiutata", "righe rifiutate")}. Nulla è stato scritto.`
      : report.refused === 0
        ? `Tutte le righe si possono importare (${good}). Nulla è stato ancora scritto.`
        : `${count(report.good, "riga si può importare", "righe si possono importare")}, ` +
          `${count(report.refused, "è rifiutata", "sono rifiutate")} (qui sotto perché). ` +
          "Nulla è stato scritto: correggi il file e sceglilo di nuovo, oppure importa solo le righe buone.";
  return (
    <>
      <div
        className={`alert ${report.written ? "alert-success" : report.refused > 0 ? "alert-warning" : "alert-info"}`}
        role="status"
        id="import-outcome"
      >
        {summary}
      </div>
      {report.ignored_columns.length > 0 && (
        <p className="small">Colonne non lette: {report.ignored_columns.map((c) => `«${c}»`).join(", ")}.</p>
      )}
      {refused.length > 0 && (
        <div className="table-responsive">
          <table className="table table-sm raccordo-table" id="import-refused">
            <caption>Righe rifiutate</caption>
            <thead>
              <tr>
                <th scope="col">Riga</th>
                <th scope="col">Numero</th>
                <th scope="col">Perché</th>
              </tr>
            </thead>
            <tbody>
              {refused.slice(0, SHOWN).map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.number}</td>
                  <td>
                    <ul className="mb-0 ps-3">
                      {r.problems.map((p, i) => (
                        <li key={i}>{p}</li>
                      ))}
                      {r.missing_parties.map((m, i) => (
                        <li key={`m${i}`}>
                          Ente «{m.named}» non trovato
                          {m.closest.length > 0 ? `; i più vicini: ${m.closest.join("; ")}` : ""}.
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {refused.length > SHOWN && (
            <p className="small">E altre {thousands(refused.length - SHOWN)} righe rifiutate, non mostrate.</p>
          )}
        </div>
      )}
    </>
  );
}
