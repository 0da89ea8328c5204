// What sync is doing, for the dashboard and the sync screen: the state in words, the
// last sync, what waits to be sent, the last error with what to do, the conflicts; and
// "Sincronizza ora" (with the confirmation a held large delete asks for).
import { useState } from "react";
import { Button } from "../components/Button";
import { commands, asRegisterError } from "../ipc/api";
import { count, italianDateTime, thousands } from "../lib/format";
import { describe, useSync } from "./state";

export function SyncPanel({ compact }: { compact?: boolean }) {
  const { sync, update } = useSync();
  const [failure, setFailure] = useState<string | null>(null);
  if (!sync) return null;
  if (!sync.joined)
    return (
      <p className="mb-0" id="sync-panel">
        Il registro è solo su questo PC: nessun hub collegato.{" "}
        <a href="#/settings">Collegalo agli uffici partner dalle Impostazioni</a>.
      </p>
    );
  const now = (confirm_deletes: boolean) =>
    commands
      .syncNow({ confirm_deletes })
      .then((s) => {
        setFailure(null);
        update(s);
      })
      .catch((e) => setFailure(asRegisterError(e).message));
  const { tone, text } = describe(sync);
  return (
    <div id="sync-panel" data-tone={tone}>
      <p className="mb-1">
        <strong id="sync-panel-state">{text}</strong>
      </p>
      <ul className="list-unstyled small mb-2">
        <li>Hub: {sync.hub_url}</li>
        <li>
          Ultima sincronizzazione: {sync.last_sync_at ? italianDateTime(sync.last_sync_at) : "non ancora avvenuta"}
        </li>
        <li>Modifiche da inviare: {thousands(sync.changes_waiting)}</li>
        {sync.held_back > 0 && (
          <li>
            {count(sync.held_back, "modifica trattenuta", "modifiche trattenute")}: datate troppo avanti rispetto
            all'orologio di questo PC, si applicano quando l'orologio le raggiunge.
          </li>
        )}
        {sync.unshared > 0 && (
          <li>
            {count(sync.unshared, "protocollo o progetto", "protocolli o progetti")} non più condivisi con questo
            ufficio: la copia resta, in sola lettura.
          </li>
        )}
      </ul>
      {sync.offline && !compact && (
        <p className="small text-muted">
          Il hub non risponde: il registro funziona lo stesso e la sincronizzazione riprende da dove si era fermata
          appena il collegamento torna.
        </p>
      )}
      {sync.error && (
        <div className="alert alert-danger small" role="alert" id="sync-error">
          {sync.error.message}
        </div>
      )}
      {sync.conflicts > 0 && (
        <p>
          <a href="#/sync" id="sync-conflicts-link">
            {count(sync.conflicts, "conflitto da risolvere", "conflitti da risolvere")}
          </a>
        </p>
      )}
      {failure && (
        <div className="alert alert-danger small" role="alert">
          {failure}
        </div>
      )}
      <div className="d-flex gap-2">
        <Button size="sm" onClick={() => now(false)} disabled={sync.syncing} id="sync-now">
          Sincronizza ora
        </Button>
        {sync.deletes_held && (
          <Button size="sm" color="danger" outline onClick={() => now(true)} id="sync-confirm-deletes">
            Conferma le eliminazioni e sincronizza
          </Button>
        )}
      </div>
    </div>
  );
}
