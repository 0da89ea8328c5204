// The header's words for each state of sync, what matters most first.
import type { SyncState } from "../ipc/api";
import { describe as words } from "./state";

const base: SyncState = {
  joined: true,
  hub_url: "https://hub.example:8443",
  pinned: null,
  joined_at: "2026-12-01T08:00:00Z",
  last_sync_at: "2026-12-07T09:30:00Z",
  syncing: false,
  progress: null,
  offline: false,
  error: null,
  deletes_held: false,
  changes_waiting: 0,
  conflicts: 0,
  held_back: 0,
  unshared: 0,
  data_generation: 0,
};

describe("sync state in words", () => {
  it("says up to date, or how many changes wait", () => {
    expect(words(base)).toEqual({ tone: "ok", text: "Aggiornato" });
    expect(words({ ...base, changes_waiting: 1 }).text).toBe("1 modifica da inviare");
    expect(words({ ...base, changes_waiting: 1200 }).text).toBe("1.200 modifiche da inviare");
  });

  it("calls offline a state, with the last contact, not an error", () => {
    const w = words({ ...base, offline: true, changes_waiting: 3 });
    expect(w.tone).toBe("offline");
    expect(w.text).toMatch(/^Non in linea dal 7 dicembre 2026, \d\d:30$/);
  });

  it("puts an error before waiting changes, and a held delete before all", () => {
    const error = { code: "credential_revoked", message: "Credenziale revocata dal hub." };
    expect(words({ ...base, error, changes_waiting: 2 })).toEqual({
      tone: "error",
      text: "Errore: Credenziale revocata dal hub.",
    });
    expect(words({ ...base, error, deletes_held: true }).text).toBe("Eliminazioni da confermare");
  });

  it("shows the progress of a long first sync", () => {
    const w = words({ ...base, syncing: true, progress: { to_send: 40000, sent: 12000, received: 0 } });
    expect(w).toEqual({ tone: "busy", text: "Sincronizzazione: inviate 12.000 di 40.000, ricevute 0" });
    expect(words({ ...base, syncing: true, progress: { to_send: 2, sent: 0, received: 0 } }).text).toBe(
      "Sincronizzazione in corso",
    );
  });
});
