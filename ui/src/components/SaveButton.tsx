// A file made from the register (a calendar, a spreadsheet), saved where the user
// chooses (the system's dialog), then opened by the system's program for it. The
// outcome is announced to screen readers.
import { useState, type ReactNode } from "react";
import { commands, asRegisterError, type AgreementFilter, type Exported, type List } from "../ipc/api";
import { Button } from "./Button";

type State =
  { kind: "idle" } | { kind: "busy" } | { kind: "done"; exported: Exported } | { kind: "failed"; message: string };

export function SaveButton(p: {
  label: string;
  id?: string;
  run: () => Promise<Exported>;
  /** What to say once saved, given where. */
  saved: (path: string) => ReactNode;
}) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const run = async () => {
    setState({ kind: "busy" });
    try {
      setState({ kind: "done", exported: await p.run() });
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
            {p.saved(state.exported.path ?? "")}
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

/** One meeting (`meetingId`), or everything from today on, as a calendar file. */
export function CalendarButton(p: { meetingId: string | null; label: string; id?: string }) {
  return (
    <SaveButton
      label={p.label}
      id={p.id}
      run={() => commands.calendarExport({ meeting_id: p.meetingId })}
      saved={(path) => (
        <>
          Calendario salvato in <code>{path}</code>: importato di nuovo, aggiorna gli eventi invece di raddoppiarli.
        </>
      )}
    />
  );
}

/** A list, with the filters on screen, as CSV for Italian Excel and LibreOffice or as
 *  an Excel workbook. */
export function ExportButtons(p: { list: List; filter?: AgreementFilter }) {
  const saved = (path: string) => (
    <>
      Elenco salvato in <code>{path}</code>.
    </>
  );
  return (
    <div className="d-flex flex-wrap gap-2 mb-2" id={`export-${p.list}`}>
      {(["csv", "xlsx"] as const).map((format) => (
        <SaveButton
          key={format}
          label={format === "csv" ? "Esporta CSV" : "Esporta Excel"}
          id={`export-${p.list}-${format}`}
          run={() => commands.listExport({ list: p.list, filter: p.filter ?? null, format })}
          saved={saved}
        />
      ))}
    </div>
  );
}
