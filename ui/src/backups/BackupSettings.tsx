// Impostazioni › Copia di sicurezza: the folder of the copies (a USB key), a copy made
// now, what the daily copy did last, and the copies there are, each of which can be put
// back in place of the register after a confirmation that says what happens to it.
import { useState, type FormEvent } from "react";
import { useSession } from "../app/session";
import { Button } from "../components/Button";
import { ErrorAlert, Loading } from "../components/common";
import { ConfirmDialog } from "../components/ConfirmDialog";
import {
  commands,
  asRegisterError,
  type CopyCheck,
  type CopyFile,
  type RegisterError,
  type Restored,
} from "../ipc/api";
import { count, italianDate, italianDateTime } from "../lib/format";
import { useLoad } from "../lib/useLoad";

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toLocaleString("it-IT", { maximumFractionDigits: 1 })} MB`;
}

/** "integra: 98 voci della catena, 8.219 record e 0 file allegati corrispondenti". */
function whole(c: CopyCheck): string {
  return (
    `integra: ${count(c.history_entries, "voce", "voci")} del registro modifiche verificate, ` +
    `${count(c.records, "record", "record")} e ${count(c.files, "file allegato", "file allegati")} corrispondenti; ` +
    `${count(c.agreements, "protocollo", "protocolli")}, ${megabytes(c.bytes)}`
  );
}

function restoredText(r: Restored): string {
  const parts = [`Copia ripristinata (${whole(r.copy)}).`];
  if (r.kept_aside) parts.push(`Il registro di prima è conservato in ${r.kept_aside}.`);
  parts.push("Il registro ripristinato è una nuova installazione.");
  if (r.left_hub)
    parts.push(
      `Era collegato al hub ${r.left_hub}: collegalo di nuovo con un nuovo codice; riceverà dal hub quanto manca alla copia.`,
    );
  return parts.join(" ");
}

export function BackupSettings() {
  const { refresh } = useSession();
  const { data, error, reload } = useLoad(() => commands.backupState(), []);
  const [folder, setFolder] = useState<string | null>(null);
  const [problem, setProblem] = useState<RegisterError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [restoring, setRestoring] = useState<CopyFile | null>(null);
  const [restoreError, setRestoreError] = useState<RegisterError | null>(null);
  if (!data) return error ? <ErrorAlert error={error} /> : <Loading />;
  const folderError = problem?.fields.find((f) => f.field === "folder")?.message;

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      setDone(await what());
      setProblem(null);
      reload();
    } catch (e) {
      setProblem(asRegisterError(e));
      setDone(null);
    } finally {
      setBusy(false);
    }
  };
  const chooseFolder = (e: FormEvent) => {
    e.preventDefault();
    run(async () => {
      const s = await commands.backupFolder({ folder: folder ?? data.folder });
      setFolder(null);
      return `Le copie vanno ora in ${s.folder}.`;
    });
  };
  const copyNow = () =>
    run(async () => {
      const made = await commands.backupNow();
      return `Copia fatta: ${made.check.path}, ${whole(made.check)}.`;
    });
  const restore = () =>
    restoring &&
    commands
      .backupRestore({ path: restoring.path })
      .then((r) => {
        setRestoring(null);
        setRestoreError(null);
        setDone(restoredText(r));
        refresh();
        reload();
      })
      .catch((e) => setRestoreError(asRegisterError(e)));

  return (
    <div id="backups">
      <p className="small">
        Ogni giorno in cui il programma è aperto fa da sé una copia del registro e tiene le ultime {data.daily_kept}{" "}
        giornaliere e, prima di quelle, una per ciascuna delle {data.weekly_kept} settimane precedenti. Le copie fatte a
        mano restano finché non le si toglie. Per sopravvivere a un PC guasto, scegli una cartella su un altro disco o
        su una chiavetta USB.
      </p>
      {done && (
        <div className="alert alert-success mb-4" role="status" id="backup-done">
          {done}
        </div>
      )}
      {problem && !folderError && <ErrorAlert error={problem} />}
      <form onSubmit={chooseFolder} noValidate className="mb-3">
        <div className="form-group mb-2">
          <label htmlFor="backup-folder" className="active">
            Cartella delle copie
          </label>
          <input
            id="backup-folder"
            type="text"
            className={`form-control${folderError ? " is-invalid" : ""}`}
            value={folder ?? data.folder}
            onChange={(e) => setFolder(e.target.value)}
            aria-invalid={!!folderError || undefined}
            aria-describedby={folderError ? "backup-folder-error" : "backup-folder-help"}
          />
          <small id="backup-folder-help" className="form-text">
            {data.default_folder
              ? "È la cartella dei dati del programma, sullo stesso disco del registro."
              : "Il percorso completo della cartella."}
          </small>
          {folderError && (
            <div id="backup-folder-error" className="invalid-feedback d-block">
              {folderError}
            </div>
          )}
        </div>
        <div className="d-flex flex-wrap gap-2">
          <Button type="submit" size="sm" outline disabled={busy || folder === null || folder === data.folder}>
            Usa questa cartella
          </Button>
          <Button size="sm" onClick={copyNow} disabled={busy} id="backup-now">
            {busy ? "Copia in corso…" : "Fai una copia ora"}
          </Button>
        </div>
      </form>
      <p className="small" id="backup-daily">
        {data.last_error
          ? `Ultima copia automatica non riuscita: ${data.last_error}`
          : data.last_daily
            ? `Ultima copia automatica: ${data.last_daily.path}, ${whole(data.last_daily)}.`
            : "Nessuna copia automatica fatta in questa sessione finora."}
      </p>
      {data.copies.length ? (
        <div className="table-responsive">
          <table className="table table-sm raccordo-table" id="backup-copies">
            <caption className="visually-hidden">Copie di sicurezza del registro</caption>
            <thead>
              <tr>
                <th scope="col">Copia</th>
                <th scope="col">Fatta il</th>
                <th scope="col">Dimensione</th>
                <th scope="col">
                  <span className="visually-hidden">Azioni</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.copies.map((c) => (
                <tr key={c.path}>
                  <td>{c.day ? `giornaliera del ${italianDate(c.day)}` : "fatta a mano"}</td>
                  <td className="text-nowrap">{italianDateTime(c.modified)}</td>
                  <td className="text-nowrap">{megabytes(c.bytes)}</td>
                  <td className="text-end">
                    <Button
                      size="xs"
                      outline
                      onClick={() => setRestoring(c)}
                      aria-label={`Ripristina la copia ${c.name}`}
                    >
                      Ripristina
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="small">Nessuna copia in questa cartella.</p>
      )}
      {restoring && (
        <ConfirmDialog
          title="Ripristinare questa copia?"
          action="Ripristina"
          actionId="backup-restore-confirm"
          error={restoreError}
          onConfirm={restore}
          onClose={() => setRestoring(null)}
        >
          <p id="backup-restore-consequence">
            Il registro torna com'era il {italianDateTime(restoring.modified)}: le modifiche fatte dopo non ci saranno.
            Prima la copia viene controllata; il registro attuale viene conservato a parte, nella sua cartella, e
            rimesso al suo posto se il ripristino non riesce. Il registro ripristinato è una nuova installazione: se era
            collegato a un hub, va collegato di nuovo con un nuovo codice, e riceverà dal hub quanto manca alla copia.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
