// The signed file that comes back from the signatories (PAdES .pdf or CAdES .p7m):
// Raccordo keeps it by SHA-256, reads every signature and shows whether each matches
// the signed bytes; the user then confirms, and the agreement becomes "vigente".
// Trust in the certificates is not checked, and the dialog says so.
import { useId, useState } from "react";
import { commands, asRegisterError, type SignedAttached } from "../ipc/api";
import { base64 } from "./Attachments";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

function when(t: string | null): string {
  if (!t) return "non indicata";
  return new Date(t).toLocaleString("it-IT", { dateStyle: "long", timeStyle: "short" });
}

export function SignedFileUpload(p: { agreementId: string; inForce: boolean; onChange: () => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<SignedAttached | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await commands.signedAttach({ agreement_id: p.agreementId, file_name: file.name, content_base64: base64(await file.arrayBuffer()) });
      setConfirmed(false);
      setResult(r);
      p.onChange();
    } catch (e) {
      setProblem(asRegisterError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!result) return;
    try {
      // The register reads the file again and checks its signatures before it agrees.
      await commands.agreementConfirmSigned({ agreement_id: p.agreementId, sha256: result.attachment.sha256 });
      setConfirmed(true);
      p.onChange();
    } catch (e) {
      setProblem(asRegisterError(e).message);
    }
  };

  const check = result?.check;
  return (
    <div>
      <label htmlFor={id} className="btn btn-outline-primary btn-sm">
        {busy ? "Verifica in corso…" : "Allega il file firmato (.pdf o .p7m)"}
      </label>
      <input id={id} type="file" accept=".pdf,.p7m,application/pdf,application/pkcs7-mime" className="visually-hidden" disabled={busy} onChange={(e) => { upload(e.target.files?.[0]); e.target.value = ""; }} />
      {problem && <div className="alert alert-danger mt-2" role="alert">{problem}</div>}
      {check && result && (
        <Dialog title="Verifica delle firme" onClose={() => setResult(null)} wide>
          <div className={`alert ${check.all_intact ? "alert-success" : "alert-danger"}`} role="status">{check.summary}</div>
          <table className="table table-sm">
            <caption className="visually-hidden">Firme trovate nel file</caption>
            <thead>
              <tr><th scope="col">Firmatario</th><th scope="col">Data dichiarata</th><th scope="col">Esito</th></tr>
            </thead>
            <tbody>
              {check.signatures.map((s, i) => (
                <tr key={i}>
                  <td>{s.signer || "—"}{s.organization && <span className="d-block small text-muted">{s.organization}</span>}<span className="d-block small text-muted">Emesso da: {s.issuer || "—"}</span></td>
                  <td>{when(s.signing_time)}</td>
                  <td className={s.intact ? "text-success" : "text-danger"}>{s.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small text-muted">{check.trust_note}</p>
          <p className="small">Il file è conservato tra gli allegati del protocollo: <code className="raccordo-hash">{result.attachment.sha256}</code></p>
          {confirmed ? (
            <p className="text-success" role="status">Il protocollo è ora vigente.</p>
          ) : check.all_intact && !p.inForce ? (
            <Button onClick={confirm}>Conferma: segna il protocollo come vigente</Button>
          ) : null}
        </Dialog>
      )}
    </div>
  );
}
