// Files attached to a record, kept by SHA-256; a new one is read here and sent whole.
import { useState } from "react";
import { FileButton } from "./FileButton";
import { commands, asRegisterError, type Attachment, type Kind } from "../ipc/api";
import { ChildTable } from "./ChildTable";
import { useReadOnly } from "./readOnly";

export function base64(bytes: ArrayBuffer): string {
  const b = new Uint8Array(bytes);
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function size(n: number): string {
  if (n < 1024) return `${n} byte`;
  if (n < 1024 * 1024) return `${(n / 1024).toLocaleString("it-IT", { maximumFractionDigits: 1 })} KB`;
  return `${(n / 1024 / 1024).toLocaleString("it-IT", { maximumFractionDigits: 1 })} MB`;
}

export function Attachments(p: {
  ownerKind: Kind;
  ownerId: string;
  items: Attachment[];
  onChange: () => void;
  onDelete: (a: Attachment) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const readOnly = useReadOnly();
  const add = async (file: File) => {
    setBusy(true);
    try {
      await commands.attachmentAdd({
        owner_kind: p.ownerKind,
        owner_id: p.ownerId,
        file_name: file.name,
        media_type: file.type || "application/octet-stream",
        description: null,
        content_base64: base64(await file.arrayBuffer()),
      });
      setProblem(null);
      p.onChange();
    } catch (e) {
      setProblem(asRegisterError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <ChildTable
        rows={p.items}
        caption="Allegati"
        empty="Nessun allegato."
        name={(a) => a.file_name}
        columns={[
          { head: "File", cell: (a) => a.file_name },
          { head: "Dimensione", cell: (a) => size(a.size), nowrap: true },
          { head: "SHA-256", cell: (a) => <code className="raccordo-hash">{a.sha256}</code> },
        ]}
        onDelete={p.onDelete}
      />
      {problem && (
        <div className="alert alert-danger" role="alert">
          {problem}
        </div>
      )}
      {!readOnly && (
        <>
          <FileButton label="Aggiungi allegato" busyLabel="Caricamento…" busy={busy} onFile={add} />
        </>
      )}
    </div>
  );
}
