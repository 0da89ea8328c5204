// Impostazioni › Sincronizzazione: joining a hub with the address and the one-time
// code its office gave; for a hub with a certificate of its own, the fingerprint is
// shown to compare with the one that office reads out, and trusted only once the
// person confirms it. Joined: the hub, the pinned certificate, leaving.
import { useState, type FormEvent } from "react";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { commands, asRegisterError, type HubInspection, type RegisterError } from "../ipc/api";
import { italianDateTime } from "../lib/format";
import { useSync } from "./state";

function FieldProblem({ id, error, field }: { id: string; error: RegisterError | null; field: string }) {
  const f = error?.fields.find((x) => x.field === field);
  return f ? (
    <div id={id} className="invalid-feedback d-block">
      {f.message}
    </div>
  ) : null;
}

function JoinForm() {
  const { update } = useSync();
  const [url, setUrl] = useState("");
  const [code, setCode] = useState("");
  const [hub, setHub] = useState<HubInspection | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RegisterError | null>(null);
  const has = (field: string) => !!error?.fields.some((f) => f.field === field);

  const inspect = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setHub(null);
    setConfirmed(false);
    try {
      if (!code.trim()) {
        setError({
          code: "validation",
          message: "Codice di adesione: campo obbligatorio.",
          fields: [{ field: "code", code: "required", message: "Codice di adesione: campo obbligatorio." }],
        });
        return;
      }
      setHub(await commands.hubInspect({ url }));
      setError(null);
    } catch (err) {
      setError(asRegisterError(err));
    } finally {
      setBusy(false);
    }
  };
  const join = async () => {
    if (!hub) return;
    setBusy(true);
    try {
      update(await commands.syncJoin({ url: hub.url, code, fingerprint: hub.fingerprint }));
      setError(null);
    } catch (err) {
      setError(asRegisterError(err));
      setHub(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={inspect} noValidate id="sync-join-form">
      <p className="small">
        Chi gestisce il hub (la Prefettura, la Regione…) dà l'indirizzo e un codice di adesione valido 7 giorni. Il
        codice serve una volta sola; la credenziale che lo sostituisce resta nel portachiavi del sistema.
      </p>
      {error && !error.fields.length && (
        <div className="alert alert-danger mb-4" role="alert" id="sync-join-error">
          {error.message}
        </div>
      )}
      <div className="form-group">
        <label htmlFor="sync-url" className="active">
          Indirizzo del hub *
        </label>
        <input
          id="sync-url"
          type="url"
          className={`form-control${has("url") ? " is-invalid" : ""}`}
          placeholder="https://hub.esempio.it:8443"
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            setHub(null);
          }}
          aria-invalid={has("url") || undefined}
          aria-describedby={has("url") ? "sync-url-error" : undefined}
          aria-required
        />
        <FieldProblem id="sync-url-error" error={error} field="url" />
      </div>
      <div className="form-group">
        <label htmlFor="sync-code" className="active">
          Codice di adesione *
        </label>
        <input
          id="sync-code"
          type="text"
          autoComplete="off"
          className={`form-control${has("code") ? " is-invalid" : ""}`}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-invalid={has("code") || undefined}
          aria-describedby={has("code") ? "sync-code-error" : undefined}
          aria-required
        />
        <FieldProblem id="sync-code-error" error={error} field="code" />
      </div>
      {!hub && (
        <Button type="submit" disabled={busy} id="sync-inspect">
          {busy ? "Verifica in corso…" : "Verifica il hub"}
        </Button>
      )}
      {hub && (
        <div className="border rounded p-3 mb-3" id="sync-hub-found">
          {hub.trusted_by_system ? (
            <p className="mb-2">Il certificato del hub è garantito da un'autorità riconosciuta dal sistema.</p>
          ) : (
            <>
              <p className="mb-1">
                Il hub ha un certificato proprio. Confronta questa impronta con quella che ti legge l'ufficio che lo
                gestisce (la stampa «raccordo-hub serve» all'avvio):
              </p>
              <p className="raccordo-fingerprint" id="sync-fingerprint">
                {hub.fingerprint}
              </p>
              <div className="form-check">
                <input
                  id="sync-trust"
                  type="checkbox"
                  className="form-check-input"
                  checked={confirmed}
                  onChange={(e) => setConfirmed(e.target.checked)}
                />
                <label htmlFor="sync-trust" className="form-check-label">
                  L'impronta corrisponde: mi fido di questo hub
                </label>
              </div>
            </>
          )}
          <div className="d-flex gap-2 mt-2">
            <Button onClick={join} disabled={busy || (!hub.trusted_by_system && !confirmed)} id="sync-join">
              {busy ? "Collegamento in corso…" : "Collega il registro"}
            </Button>
            <Button outline color="secondary" onClick={() => setHub(null)}>
              Annulla
            </Button>
          </div>
        </div>
      )}
    </form>
  );
}

function Joined() {
  const { sync, update } = useSync();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<RegisterError | null>(null);
  if (!sync) return null;
  const leave = () =>
    commands
      .syncLeave()
      .then((s) => {
        update(s);
        setAsking(false);
      })
      .catch((e) => setError(asRegisterError(e)));
  return (
    <div id="sync-joined">
      <ul className="list-unstyled">
        <li>
          Hub: <strong>{sync.hub_url}</strong>
        </li>
        {sync.pinned && (
          <li>
            Certificato fissato per impronta: <span className="raccordo-fingerprint small">{sync.pinned}</span>
          </li>
        )}
        {sync.joined_at && <li>Collegato dal {italianDateTime(sync.joined_at)}</li>}
      </ul>
      <Button color="danger" outline size="sm" onClick={() => setAsking(true)} id="sync-leave">
        Scollega dal hub
      </Button>
      {asking && (
        <ConfirmDialog
          title="Scollegare il registro dal hub?"
          action="Scollega"
          actionId="sync-leave-confirm"
          danger
          error={error}
          onConfirm={leave}
          onClose={() => setAsking(false)}
        >
          <p>
            Il registro smette di scambiare modifiche con gli uffici partner; i record restano tutti qui. La credenziale
            viene tolta dal portachiavi: per ricollegarsi servirà un nuovo codice di adesione.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function SyncSettings() {
  const { sync } = useSync();
  if (!sync) return null;
  return sync.joined ? <Joined /> : <JoinForm />;
}
