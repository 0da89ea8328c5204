// A calendar file (.ics) of one meeting, or of everything from today on: saved where
// the user chooses (the system's dialog), then opened by the system's calendar program.
// The outcome is announced to screen readers.
import { useState } from "react";
import { commands, asRegisterError, type Exported } from "../ipc/api";
import { Button } from "./Button";

type State =
  { kind: "idle" } | { kind: "busy" } | { kind: "done"; exported: Exported } | { kind: "failed"; message: string };

export function CalendarButton(p: { meetingId: string | null; label: string; id?: string }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const run = async () => {
    setState({ kind: "busy" });
    try {
      setState({ kind: "done", exported: await commands.calendarExport({ meeting_id: p.meetingId }) });
    } catch (e) {
      setState({ kind: "failed", message: asRegisterError(e).message });
    }
  };
  return (
    <div className="raccordo-print">
      <Button color="primary" outline size="sm" onClick={run} disabled={state.kind === "busy"} id={p.id}>
        {p.label}
      </Button>
      <div aria-live="polite" className="small mt-1">
        {state.kind === "done" && !state.exported.saved && (
          <span className="text-muted">Annullato: nessun file scritto.</span>
        )}
        {state.kind === "done" && state.exported.saved && (
          <span className="raccordo-exported">
            Calendario salvato in <code>{state.exported.path}</code>: importato di nuovo, aggiorna gli eventi invece di
            raddoppiarli.
            {state.exported.open_problem && <span className="d-block text-danger">{state.exported.open_problem}</span>}
          </span>
        )}
      </div>
      {state.kind === "failed" && (
        <div className="alert alert-danger mt-1" role="alert">
          {state.message}
        </div>
      )}
    </div>
  );
}
