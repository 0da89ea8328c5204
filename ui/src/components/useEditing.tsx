// The edit and delete dialogs of a screen that changes records in place, and what
// follows them: one state for every such screen.
import { useState, type ReactNode } from "react";
import type { Kind } from "../ipc/api";
import type { RecordOf } from "../forms/schema";
import { go, hrefOf } from "../lib/router";
import { ConfirmDelete, Editor, type Edit, type Removal } from "./Editor";

export type Editing = {
  /** Opens the editor on a record, new or existing. */
  edit: (e: Edit) => void;
  /** Asks to confirm the delete of a record. */
  remove: (r: Removal) => void;
  /** Reloads the screen and the record's history: after a save, a delete, a new attachment. */
  saved: () => void;
  /** Grows at each save, so that a record's history reloads with it. */
  version: number;
  /** The editor and the delete confirmation, placed once in the screen. */
  dialogs: ReactNode;
};

export function useEditing(p: {
  /** Loads the screen's data again. */
  reload?: () => void;
  /** The screen's own record: deleting it leaves for `leaveTo`. */
  own?: { kind: Kind; leaveTo: () => string };
  /** Records of this kind, once saved, are opened on their own screen instead. */
  opens?: Kind;
}): Editing {
  const [edit, setEdit] = useState<Edit | null>(null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  const [version, setVersion] = useState(0);
  const saved = () => {
    p.reload?.();
    setVersion((v) => v + 1);
  };
  const afterSave = (r: RecordOf<Kind>) => (edit && edit.kind === p.opens ? go(hrefOf(edit.kind, r.id)) : saved());
  const afterDelete = () => (p.own && removal?.kind === p.own.kind ? go(p.own.leaveTo()) : saved());
  const dialogs = (
    <>
      <Editor edit={edit} onClose={() => setEdit(null)} onSaved={afterSave} />
      <ConfirmDelete removal={removal} onClose={() => setRemoval(null)} onDeleted={afterDelete} />
    </>
  );
  return { edit: setEdit, remove: setRemoval, saved, version, dialogs };
}
