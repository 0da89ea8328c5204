// Printing: make the document, let the user choose where to save it (the system's
// dialog), then the PDF opens in the system's viewer. A long report shows that it is
// being prepared; the outcome is announced to screen readers.
import { useState } from "react";
import { commands, asRegisterError, type Request, type Printed } from "../ipc/api";
import { Button } from "./Button";

type State =
  { kind: "idle" } | { kind: "busy" } | { kind: "done"; printed: Printed } | { kind: "failed"; message: string };

export function PrintButton(p: { request: () => Request; label: string; long?: boolean }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const print = async () => {
    setState({ kind: "busy" });
    try {
      setState({ kind: "done", printed: await commands.documentPrint({ request: p.request() }) });
    } catch (e) {
      setState({ kind: "failed", message: asRegisterError(e).message });
    }
  };
  return (
    <div className="raccordo-print">
      <Button color="primary" outline size="sm" onClick={print} disabled={state.kind === "busy"}>
        {p.label}
      </Button>
      <div aria-live="polite" className="small mt-1">
        {state.kind === "busy" && (
          <div role="status">
            {p.long
              ? "Preparazione del report in corso: può richiedere qualche secondo…"
              : "Preparazione del documento…"}
            <div className="progress raccordo-progress mt-1">
              <div
                className="progress-bar progress-bar-striped progress-bar-animated w-100"
                role="progressbar"
                aria-label="Preparazione del PDF"
              />
            </div>
          </div>
        )}
        {state.kind === "done" && !state.printed.saved && (
          <span className="text-muted">Stampa annullata: nessun file scritto.</span>
        )}
        {state.kind === "done" && state.printed.saved && (
          <span className="raccordo-printed">
            PDF salvato in <code>{state.printed.pdf}</code>, con i metadati AGID in{" "}
            <code>{state.printed.metadata}</code>.
            {state.printed.open_problem && <span className="d-block text-danger">{state.printed.open_problem}</span>}
            {state.printed.template_notes.map((n) => (
              <span key={n} className="d-block raccordo-text-warning">
                {n}
              </span>
            ))}
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
