// The signed file that comes back from the signatories (PAdES .pdf or CAdES .p7m):
// Raccordo keeps it by SHA-256, reads every signature, shows whether each matches the
// signed bytes and whether its signer is verified against the imported trusted list;
// the user then confirms, and the agreement becomes "vigente". Green only when every
// signer is verified; an intact file with an unverified signer is amber, and
// confirming it asks the user to take responsibility, which the history records. The
// file is also compared with the agreement: only the sheet printed for it can make it
// in force, and signers who are not its signatories are named (confirming them too
// needs the user's responsibility).
import { useId, useState } from "react";
import { FileButton } from "./FileButton";
import { commands, asRegisterError, type SignedAttached } from "../ipc/api";
import { base64 } from "./Attachments";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { useReadOnly } from "./readOnly";

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
  const [responsible, setResponsible] = useState(false);
  const readOnly = useReadOnly();

  if (readOnly) return null;
  const upload = async (file: File) => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await commands.signedAttach({
        agreement_id: p.agreementId,
        file_name: file.name,
        content_base64: base64(await file.arrayBuffer()),
      });
      setConfirmed(false);
      setResponsible(false);
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
      await commands.agreementConfirmSigned({
        agreement_id: p.agreementId,
        sha256: result.attachment.sha256,
        accept_unverified: responsible,
      });
      setConfirmed(true);
      p.onChange();
    } catch (e) {
      setProblem(asRegisterError(e).message);
    }
  };

  const check = result?.check;
  const matching = result?.matching;
  const tone = !check ? "" : check.all_trusted ? "success" : check.all_intact ? "warning" : "danger";
  const verified = !!check?.all_trusted && !!matching?.signatories_match;
  const confirmable = !!check?.all_intact && !!matching?.printed_for_it && !p.inForce;
  return (
    <div>
      <FileButton
        label="Allega il file firmato (.pdf o .p7m)"
        busyLabel="Verifica in corso…"
        busy={busy}
        accept=".pdf,.p7m,application/pdf,application/pkcs7-mime"
        onFile={upload}
      />
      {problem && (
        <div className="alert alert-danger mt-2" role="alert">
          {problem}
        </div>
      )}
      {check && result && (
        <Dialog title="Verifica delle firme" onClose={() => setResult(null)} wide>
          <div className={`alert alert-${tone}`} role="status">
            {check.all_intact && !check.all_trusted && (
              <strong className="d-block">Integra, firmatario non verificato</strong>
            )}
            {check.summary}
          </div>
          <table className="table table-sm">
            <caption className="visually-hidden">Firme trovate nel file</caption>
            <thead>
              <tr>
                <th scope="col">Firmatario</th>
                <th scope="col">Data dichiarata</th>
                <th scope="col">Integrità</th>
                <th scope="col">Firmatario verificato</th>
              </tr>
            </thead>
            <tbody>
              {check.signatures.map((s, i) => (
                <tr key={i}>
                  <td>
                    {s.signer || "—"}
                    {s.timestamp && <span className="d-block small">Marca temporale del documento</span>}
                    {s.organization && <span className="d-block small text-muted">{s.organization}</span>}
                    <span className="d-block small text-muted">Emesso da: {s.issuer || "—"}</span>
                  </td>
                  <td>{when(s.signing_time)}</td>
                  <td className={s.intact ? "text-success" : "text-danger"}>{s.outcome}</td>
                  <td className={s.trusted ? "text-success" : "raccordo-text-warning"}>
                    {s.trusted ? `Sì. ${s.trust}` : s.trust || "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small text-muted">{check.trust_note}</p>
          {matching && matching.problems.length > 0 && (
            <div id="signed-match" className={`alert alert-${matching.printed_for_it ? "warning" : "danger"}`}>
              <strong className="d-block">Confronto con il protocollo</strong>
              <ul className="mb-0">
                {matching.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          )}
          <p className="small">
            Il file è conservato tra gli allegati del protocollo:{" "}
            <code className="raccordo-hash">{result.attachment.sha256}</code>
          </p>
          {confirmed ? (
            <p className="text-success" role="status">
              Il protocollo è ora vigente.
            </p>
          ) : confirmable && verified ? (
            <Button onClick={confirm}>Conferma: segna il protocollo come vigente</Button>
          ) : confirmable ? (
            <div>
              <div className="form-check">
                <input
                  id={`${id}-responsible`}
                  className="form-check-input"
                  type="checkbox"
                  checked={responsible}
                  onChange={(e) => setResponsible(e.target.checked)}
                />
                <label htmlFor={`${id}-responsible`} className="form-check-label">
                  {check.all_trusted
                    ? "I firmatari non corrispondono a quelli registrati per il protocollo: confermo il file sotto la mia responsabilità (resta annotato nella cronologia del protocollo)."
                    : "I firmatari non sono verificati su un elenco di fiducia: confermo il file sotto la mia responsabilità (resta annotato nella cronologia del protocollo)."}
                </label>
              </div>
              <Button onClick={confirm} disabled={!responsible}>
                Conferma sotto la mia responsabilità
              </Button>
            </div>
          ) : null}
        </Dialog>
      )}
    </div>
  );
}
