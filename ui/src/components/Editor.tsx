// Creating or changing a record in a dialog, and confirming a delete.
import { useState } from "react";
import { Button } from "./Button";
import { commands, asRegisterError, LABELS, type Choice, type Kind } from "../ipc/api";
import { RecordForm } from "../forms/RecordForm";
import type { RecordOf } from "../forms/schema";
import { Dialog } from "./Dialog";

export type Edit = {
  kind: Kind;
  record: RecordOf<Kind>;
  title: string;
  names?: Record<string, string>;
  options?: Partial<Record<string, Choice[]>>;
};

export function Editor({
  edit,
  onClose,
  onSaved,
}: {
  edit: Edit | null;
  onClose: () => void;
  onSaved: (r: RecordOf<Kind>) => void;
}) {
  if (!edit) return null;
  return (
    <Dialog title={edit.title} onClose={onClose} wide>
      <RecordForm
        kind={edit.kind}
        record={edit.record}
        names={edit.names}
        options={edit.options}
        onCancel={onClose}
        onSaved={(r) => {
          onClose();
          onSaved(r);
        }}
      />
    </Dialog>
  );
}

export type Removal = { kind: Kind; id: string; what: string };

export function ConfirmDelete({
  removal,
  onClose,
  onDeleted,
}: {
  removal: Removal | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!removal) return null;
  const remove = async () => {
    setBusy(true);
    try {
      await commands.recordDelete({ kind: removal.kind, id: removal.id });
      setProblem(null);
      onClose();
      onDeleted();
    } catch (e) {
      setProblem(asRegisterError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Eliminare ${LABELS.Kind[removal.kind].toLowerCase()}?`} onClose={onClose}>
      <p>
        «{removal.what}» sarà eliminato, con quanto gli appartiene. L'operazione resta nel registro delle modifiche.
      </p>
      {problem && (
        <div className="alert alert-danger" role="alert">
          {problem}
        </div>
      )}
      <div className="d-flex gap-2 justify-content-end">
        <Button type="button" color="secondary" outline onClick={onClose} disabled={busy}>
          Annulla
        </Button>
        <Button type="button" color="danger" onClick={remove} disabled={busy}>
          Elimina
        </Button>
      </div>
    </Dialog>
  );
}
