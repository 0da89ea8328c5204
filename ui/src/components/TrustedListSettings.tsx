// Impostazioni → Elenco di fiducia: the EU-format trusted list (ETSI TS 119 612, as
// AgID publishes Italy's) the signers of signed files are checked against. A chosen
// file is read and its XML signature checked first; the user then compares the
// signer's fingerprint with the one the list's operator publishes, and imports it.
import { useEffect, useState } from "react";
import { FileButton } from "./FileButton";
import { commands, asRegisterError, type ListSummary } from "../ipc/api";
import { base64 } from "./Attachments";
import { Button } from "./Button";
import { italianDate } from "../lib/format";

function Summary({ l }: { l: ListSummary }) {
  return (
    <dl className="row small mb-2">
      <dt className="col-sm-4">Elenco</dt>
      <dd className="col-sm-8">
        {l.territory} n. {l.sequence}, di {l.operator}
      </dd>
      <dt className="col-sm-4">Emesso il</dt>
      <dd className="col-sm-8">{italianDate(l.issued.slice(0, 10))}</dd>
      <dt className="col-sm-4">Prossimo aggiornamento</dt>
      <dd className="col-sm-8">{l.next_update ? italianDate(l.next_update.slice(0, 10)) : "non indicato"}</dd>
      <dt className="col-sm-4">Contenuto</dt>
      <dd className="col-sm-8">
        {l.providers} prestatori, {l.qualified_cas} autorità di certificazione qualificate
      </dd>
      <dt className="col-sm-4">Firmato da</dt>
      <dd className="col-sm-8">{l.signer}</dd>
      <dt className="col-sm-4">Impronta SHA-256 del firmatario</dt>
      <dd className="col-sm-8">
        <code className="raccordo-hash">{l.signer_sha256}</code>
      </dd>
    </dl>
  );
}

export function TrustedListSettings() {
  const [current, setCurrent] = useState<ListSummary | null>(null);
  const [candidate, setCandidate] = useState<{ summary: ListSummary; name: string; content: string } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    commands
      .trustList()
      .then(setCurrent)
      .catch((e) => setMessage({ ok: false, text: asRegisterError(e).message }));
  }, []);

  const choose = async (file: File) => {
    setBusy(true);
    setMessage(null);
    try {
      const content = base64(await file.arrayBuffer());
      const summary = await commands.trustInspect({ file_name: file.name, content_base64: content });
      setCandidate({ summary, name: file.name, content });
    } catch (e) {
      setCandidate(null);
      setMessage({ ok: false, text: asRegisterError(e).message });
    } finally {
      setBusy(false);
    }
  };

  const importIt = async () => {
    if (!candidate) return;
    try {
      const l = await commands.trustImport({
        file_name: candidate.name,
        content_base64: candidate.content,
        confirmed_signer_sha256: candidate.summary.signer_sha256,
      });
      setCurrent(l);
      setCandidate(null);
      setMessage({
        ok: true,
        text: `Elenco di fiducia ${l.territory} n. ${l.sequence} importato: i firmatari dei file firmati ora si verificano su questo elenco.`,
      });
    } catch (e) {
      setMessage({ ok: false, text: asRegisterError(e).message });
    }
  };

  const sameSigner = candidate && current && candidate.summary.signer_sha256 === current.signer_sha256;
  return (
    <div className="col-lg-8">
      {message && (
        <div
          className={`alert ${message.ok ? "alert-success" : "alert-danger"}`}
          role={message.ok ? "status" : "alert"}
        >
          {message.text}
        </div>
      )}
      {current ? (
        <Summary l={current} />
      ) : (
        <p className="small raccordo-text-warning">
          Nessun elenco importato: i file firmati risultano «integri, firmatario non verificato» e la conferma chiede di
          assumersene la responsabilità.
        </p>
      )}
      <FileButton
        label="Importa un elenco di fiducia (.xml)"
        busyLabel="Verifica in corso…"
        busy={busy}
        accept=".xml,application/xml,text/xml"
        onFile={choose}
      />
      <p className="small text-muted mt-1">
        L'elenco italiano è pubblicato da AgID in formato ETSI TS 119 612; la sua firma si controlla prima dell'uso.
      </p>
      {candidate && (
        <div className="border rounded p-3 mt-2">
          <p className="mb-2">
            <strong>La firma dell'elenco è valida.</strong>{" "}
            {sameSigner
              ? "È firmato dallo stesso certificato dell'elenco in uso."
              : "Confronta l'impronta del firmatario con quella pubblicata dal gestore dell'elenco prima di importarlo."}
          </p>
          <Summary l={candidate.summary} />
          <Button onClick={importIt}>
            {sameSigner ? "Importa l'elenco" : "Ho confrontato l'impronta: importa l'elenco"}
          </Button>{" "}
          <Button outline color="secondary" onClick={() => setCandidate(null)}>
            Annulla
          </Button>
        </div>
      )}
    </div>
  );
}
