// First start: no register yet. The demo register, or the office's own, empty.
import { useState } from "react";
import { Button } from "../components/Button";
import { commands, asRegisterError, type SessionState } from "../ipc/api";

export function Welcome({ state, onOpened }: { state: SessionState; onOpened: (s: SessionState) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(state.problem?.message ?? null);
  const open = async (demo: boolean) => {
    setBusy(true);
    try {
      onOpened(await commands.sessionOpen({ demo }));
    } catch (e) {
      setProblem(asRegisterError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="container py-5 raccordo-welcome" id="contenuto">
      <h1>Benvenuto in Raccordo</h1>
      <p className="lead">
        Raccordo tiene il registro dei protocolli d'intesa del tuo ufficio: le parti e i firmatari, i tavoli tematici e
        le loro sedute, i progetti che ne nascono. Funziona anche senza rete.
      </p>
      {problem && (
        <div className="alert alert-danger" role="alert">
          {problem}
        </div>
      )}
      <div className="row g-4 mt-2">
        <div className="col-md-6">
          <div className="card card-bg h-100">
            <div className="card-body">
              <h2 className="h4">Provare con il registro dimostrativo</h2>
              <p>
                Il protocollo di Lucca del 22 dicembre 2007 e l'accordo con la Regione Toscana, con sedute, verbali e
                progetti di esempio. Si tiene in un file a parte.
              </p>
              <Button color="primary" onClick={() => open(true)} disabled={busy}>
                Apri il registro dimostrativo
              </Button>
            </div>
          </div>
        </div>
        <div className="col-md-6">
          <div className="card card-bg h-100">
            <div className="card-body">
              <h2 className="h4">Cominciare il registro dell'ufficio</h2>
              <p>Un registro vuoto, con già l'elenco ISTAT di regioni, province, comuni e prefetture.</p>
              <Button color="primary" outline onClick={() => open(false)} disabled={busy}>
                Crea un registro vuoto
              </Button>
            </div>
          </div>
        </div>
      </div>
    </main>
  );
}
