// A file made from the register (a calendar, a spreadsheet), saved where the user
// chooses (the system's dialog), then opened by the system's program for it. The
// outcome is announced to screen readers.
import { useState, type ReactNode } from "react";
import { commands, asRegisterError, type AgreementFilter, type Exported, type List } from "../ipc/api";
import { Button } from "./Button";

type State =
  { kind: "idle" } | { kind: "busy" } | { kind: "done"; exported: Exported } | { kind: "failed"; message: string };

/** Saving a file: its state, and what starts it. */
function useSave(): [State, (run: () => Promise<Exported>) => Promise<void>] {
  const [state, setState] = useState<State>({ kind: "idle" });
  const save = async (run: () => Promise<Exported>) => {
    setState({ kind: "busy" });
    try {
      setState({ kind: "done", exported: await run() });
    } catch (e) {
      setState({ kind: "failed", message: asRegisterError(e).message });
    }
  };
  return [state, save];
}

/** What became of the last save: where it went, cancelled, or why it failed. */
function SaveOutcome({ state, saved }: { state: State; saved: (path: string) => ReactNode }) {
  return (
    <>
      <div aria-live="polite" className="small mt-1">
        {state.kind === "done" && !state.exported.saved && (
          <span className="text-muted">Annullato: nessun file scritto.</span>
        )}
        {state.kind === "done" && state.exported.saved && (
          <span className="raccordo-exported">
            {saved(state.exported.path ?? "")}
            {state.exported.open_problem && <span className="d-block text-danger">{state.exported.open_problem}</span>}
          </span>
        )}
      </div>
      {state.kind === "failed" && (
        <div className="alert alert-danger mt-1" role="alert">
          {state.message}
        </div>
      )}
    </>
  );
}

export function SaveButton(p: {
  label: string;
  id?: string;
  run: () => Promise<Exported>;
  /** What to say once saved, given where. */
  saved: (path: string) => ReactNode;
}) {
  const [state, save] = useSave();
  return (
    <div className="raccordo-print">
      <Button color="primary" outline size="sm" onClick={() => save(p.run)} disabled={state.kind === "busy"} id={p.id}>
        {p.label}
      </Button>
      <SaveOutcome state={state} saved={p.saved} />
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
 *  an Excel workbook: the two buttons side by side, what became of the last below. */
export function ExportButtons(p: { list: List; filter?: AgreementFilter }) {
  const [state, save] = useSave();
  return (
    <div className="mb-2" id={`export-${p.list}`}>
      <div className="d-flex flex-wrap gap-2">
        {(["csv", "xlsx"] as const).map((format) => (
          <Button
            key={format}
            color="primary"
            outline
            size="sm"
            id={`export-${p.list}-${format}`}
            disabled={state.kind === "busy"}
            onClick={() => save(() => commands.listExport({ list: p.list, filter: p.filter ?? null, format }))}
          >
            {format === "csv" ? "Esporta CSV" : "Esporta Excel"}
          </Button>
        ))}
      </div>
      <SaveOutcome
        state={state}
        saved={(path) => (
          <>
            Elenco salvato in <code>{path}</code>.
          </>
        )}
      />
    </div>
  );
}
