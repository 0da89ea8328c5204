// The directory completed from the Indice delle Pubbliche Amministrazioni: its list of
// bodies as published (enti.csv or enti.xlsx). First what would change, with nothing
// written; then the import; then the bodies typed by hand that look like one of the
// IPA's, each merged only if the person says so.
import { useState } from "react";
import { commands, asRegisterError, type IpaReport, type PossibleDuplicate, type RegisterError } from "../ipc/api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Dialog } from "../components/Dialog";
import { FileButton } from "../components/FileButton";
import { ErrorAlert } from "../components/common";
import { count, italianDate } from "../lib/format";
import { hrefOf } from "../lib/router";
import { ImportOpener, useImport } from "./useImport";

export function IpaImport({ onImported }: { onImported: () => void }) {
  return (
    <ImportOpener
      id="import-ipa"
      label="Importa dall'Indice PA"
      dialog={(close) => <IpaDialog onClose={close} onImported={onImported} />}
    />
  );
}

function IpaDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { file, report, error, busy, run, choose } = useImport<boolean, IpaReport>(
    (f, dryRun) => commands.importIpa({ file_name: f.name, content_base64: f.content, dry_run: dryRun }),
    true,
    onImported,
  );

  return (
    <Dialog title="Importa dall'Indice delle Pubbliche Amministrazioni" onClose={onClose} wide>
      <p className="small">
        L'elenco degli enti si scarica dagli open data dell'Indice PA (indicepa.gov.it, «Enti»: enti.csv o enti.xlsx).
        Gli enti già presenti, riconosciuti per codice IPA, codice fiscale o, per comuni, province, città metropolitane
        e regioni, per la sede, vengono completati e non duplicati; i valori inseriti a mano non vengono sovrascritti.
      </p>
      <FileButton
        label={file ? "Scegli un altro file" : "Scegli il file"}
        busyLabel="Lettura in corso…"
        busy={busy}
        accept=".csv,.xlsx,.xls,.ods,.txt,text/csv"
        onFile={choose}
      />
      {file && <span className="ms-2 small">{file.name}</span>}
      <div className="mt-3">
        <ErrorAlert error={error} />
        {report && <IpaOutcome report={report} />}
      </div>
      {file && report && !report.written && report.created + report.completed > 0 && (
        <div className="d-flex gap-2 mt-3">
          <Button id="ipa-confirm" disabled={busy} onClick={() => run(file, false)}>
            Aggiorna l'elenco degli enti
          </Button>
          <Button outline color="secondary" onClick={onClose}>
            Annulla
          </Button>
        </div>
      )}
      {report?.written && report.duplicates.length > 0 && <Duplicates list={report.duplicates} onMerged={onImported} />}
    </Dialog>
  );
}

function IpaOutcome({ report }: { report: IpaReport }) {
  const asOf = report.updated_to ? `, aggiornato al ${italianDate(report.updated_to)}` : "";
  const what = report.written
    ? `${count(report.created, "ente aggiunto", "enti aggiunti")}, ${count(report.completed, "completato", "completati")}, ${count(report.unchanged, "già aggiornato", "già aggiornati")}.`
    : `${count(report.created, "ente da aggiungere", "enti da aggiungere")}, ${count(report.completed, "da completare", "da completare")}, ${count(report.unchanged, "già aggiornato", "già aggiornati")}. Nulla è stato ancora scritto.`;
  return (
    <>
      <div className={`alert ${report.written ? "alert-success" : "alert-info"}`} role="status" id="ipa-outcome">
        Indice PA ({count(report.rows, "ente", "enti")} nel file{asOf}): {what}
      </div>
      {report.skipped.length > 0 && (
        <Notes
          caption="Righe e valori non importati"
          rows={report.skipped.map((n) => [String(n.line), n.name || n.ipa_code, n.why])}
          heads={["Riga", "Ente", "Perché"]}
        />
      )}
      {report.differences.length > 0 && (
        <Notes
          caption="Valori diversi nell'Indice PA, lasciati come sono nel registro"
          rows={report.differences.map((d) => [d.name, d.field, d.ours, d.theirs])}
          heads={["Ente", "Campo", "Nel registro", "Nell'Indice PA"]}
        />
      )}
    </>
  );
}

function Notes({ caption, heads, rows }: { caption: string; heads: string[]; rows: string[][] }) {
  return (
    <div className="table-responsive">
      <table className="table table-sm raccordo-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {heads.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Bodies typed by hand that look like one of the IPA's: merged one by one, if asked. */
function Duplicates({ list, onMerged }: { list: PossibleDuplicate[]; onMerged: () => void }) {
  const [left, setLeft] = useState(list);
  const [asking, setAsking] = useState<PossibleDuplicate | null>(null);
  const [error, setError] = useState<RegisterError | null>(null);
  const [merged, setMerged] = useState<string | null>(null);
  const merge = (d: PossibleDuplicate) =>
    commands
      .syncCombine({ kind: "administration", kept: d.ipa_id, absorbed: d.typed_id })
      .then(() => {
        setLeft((l) => l.filter((x) => x !== d));
        setAsking(null);
        setMerged(`«${d.typed_name}» è ora «${d.ipa_name}».`);
        onMerged();
      })
      .catch((e) => setError(asRegisterError(e)));
  return (
    <section className="mt-3" aria-labelledby="ipa-duplicates">
      <h3 className="h6" id="ipa-duplicates">
        Enti inseriti a mano che sembrano dell'Indice PA
      </h3>
      {merged && (
        <div className="alert alert-success" role="status">
          {merged}
        </div>
      )}
      {left.length === 0 ? (
        <p className="small">Nessuno da unire.</p>
      ) : (
        <ul className="list-unstyled">
          {left.map((d) => (
            <li key={d.typed_id} className="d-flex flex-wrap align-items-center gap-2 mb-2">
              <span>
                <a href={hrefOf("administration", d.typed_id)}>{d.typed_name}</a> (inserito a mano) e{" "}
                <a href={hrefOf("administration", d.ipa_id)}>{d.ipa_name}</a> (Indice PA)
              </span>
              <Button size="sm" outline onClick={() => setAsking(d)}>
                Unisci
              </Button>
            </li>
          ))}
        </ul>
      )}
      {asking && (
        <ConfirmDialog
          title="Unire i due enti?"
          action="Unisci"
          actionId="ipa-combine-confirm"
          error={error}
          onConfirm={() => merge(asking)}
          onClose={() => setAsking(null)}
        >
          <p>
            Resta <strong>{asking.ipa_name}</strong>, dall'Indice PA; <strong>{asking.typed_name}</strong> viene
            eliminato e tutto ciò che lo richiamava (parti di protocolli, cariche, progetti) passa al primo. I campi
            vuoti del primo prendono i valori del secondo.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
