// What both import dialogs share: the button that opens one, and the file read once
// and sent to the register, first to see what would happen (nothing written), then
// as the person decides; its report, or the register's refusal, kept for the screen.
import { useState, type ReactNode } from "react";
import { asRegisterError, type RegisterError } from "../ipc/api";
import { base64 } from "../components/Attachments";
import { Button } from "../components/Button";

export type Chosen = { name: string; content: string };

/** A button beside a list's exports that opens an import dialog. */
export function ImportOpener(p: { id: string; label: string; dialog: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button outline size="sm" onClick={() => setOpen(true)} id={p.id}>
        {p.label}
      </Button>
      {open && p.dialog(() => setOpen(false))}
    </>
  );
}

/** `call` sends the file with how to import it (`A`); `first` is the look before any
 *  write; `onImported` is told whenever the register was written. */
export function useImport<A, R extends { written: boolean }>(
  call: (file: Chosen, how: A) => Promise<R>,
  first: A,
  onImported: () => void,
) {
  const [file, setFile] = useState<Chosen | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const [error, setError] = useState<RegisterError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (f: Chosen, how: A) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call(f, how);
      setReport(r);
      if (r.written) onImported();
    } catch (e) {
      setReport(null);
      setError(asRegisterError(e));
    } finally {
      setBusy(false);
    }
  };
  const choose = async (picked: File) => {
    const f = { name: picked.name, content: base64(await picked.arrayBuffer()) };
    setFile(f);
    await run(f, first);
  };
  return { file, report, error, busy, run, choose };
}
