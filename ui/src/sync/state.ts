// The state of sync as the window shows it: read from the shell every two seconds
// while a register is open (a copy the background thread keeps: no register read),
// and the words and icon the header gives it.
import { createContext, useContext, useEffect, useState } from "react";
import { commands, type SyncState } from "../ipc/api";
import { count, italianDateTime, thousands } from "../lib/format";

export const POLL_MS = 2000;

export type SyncContext = { sync: SyncState | null; update: (s: SyncState) => void };

export const Sync = createContext<SyncContext>({ sync: null, update: () => {} });

export function useSync(): SyncContext {
  return useContext(Sync);
}

/** Polls the sync state while `active`; a failed read keeps the last one. */
export function useSyncPolling(active: boolean): SyncContext {
  const [sync, update] = useState<SyncState | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const read = () =>
      commands
        .syncState()
        .then((s) => !stopped && update(s))
        .catch(() => {});
    read();
    const timer = window.setInterval(read, POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [active]);
  return { sync, update };
}

export type Tone = "ok" | "busy" | "waiting" | "offline" | "error";

/** The state in words, for the header and the dashboard: what matters most first. */
export function describe(s: SyncState): { tone: Tone; text: string } {
  if (s.syncing) {
    const p = s.progress;
    const long = p && p.to_send + p.received > 200;
    return {
      tone: "busy",
      text: long
        ? `Sincronizzazione: inviate ${thousands(p.sent)} di ${thousands(p.to_send)}, ricevute ${thousands(p.received)}`
        : "Sincronizzazione in corso",
    };
  }
  if (s.deletes_held) return { tone: "error", text: "Eliminazioni da confermare" };
  if (s.error) return { tone: "error", text: `Errore: ${s.error.message}` };
  if (s.offline) {
    const since = s.last_sync_at ?? s.joined_at;
    return { tone: "offline", text: since ? `Non in linea dal ${italianDateTime(since)}` : "Non in linea" };
  }
  if (s.changes_waiting > 0)
    return { tone: "waiting", text: count(s.changes_waiting, "modifica da inviare", "modifiche da inviare") };
  return { tone: "ok", text: "Aggiornato" };
}
