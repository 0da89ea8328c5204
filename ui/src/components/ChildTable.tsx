// The records that hang from another (the parties of an agreement, the agenda of a
// meeting), as a table with an edit and a delete button on each row.
import { useState, type ReactNode } from "react";
import { LABELS, type Kind } from "../ipc/api";
import { Empty, RowButton } from "./common";
import { Dialog } from "./Dialog";
import { RecordHistory } from "./RecordHistory";
import { useReadOnly } from "./readOnly";

export type Column<T> = { head: string; cell: (row: T) => ReactNode; nowrap?: boolean };

export function ChildTable<T extends { id: string }>(p: {
  rows: T[];
  columns: Column<T>[];
  empty: string;
  caption: string;
  /** How a row is called in the buttons' labels ("Modifica parte Comune di Lucca"). */
  name: (row: T) => string;
  onEdit?: (row: T) => void;
  onDelete?: (row: T) => void;
  /** The rows' kind: each row then shows its own history on request. */
  kind?: Kind;
}) {
  const [history, setHistory] = useState<T | null>(null);
  const readOnly = useReadOnly();
  if (!p.rows.length) return <Empty>{p.empty}</Empty>;
  const onEdit = readOnly ? undefined : p.onEdit;
  const onDelete = readOnly ? undefined : p.onDelete;
  const actions = onEdit || onDelete || p.kind;
  return (
    <div className="table-responsive">
      <table className="table table-sm raccordo-table">
        <caption className="visually-hidden">{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c.head} scope="col">
                {c.head}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Azioni</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.id}>
              {p.columns.map((c) => (
                <td key={c.head} className={c.nowrap ? "text-nowrap" : undefined}>
                  {c.cell(r)}
                </td>
              ))}
              {actions && (
                <td className="text-nowrap text-end">
                  {[
                    p.kind && (
                      <RowButton key="h" label={`Storico ${p.name(r)}`} onClick={() => setHistory(r)}>
                        Storico
                      </RowButton>
                    ),
                    onEdit && (
                      <RowButton key="e" label={`Modifica ${p.name(r)}`} onClick={() => onEdit(r)}>
                        Modifica
                      </RowButton>
                    ),
                    onDelete && (
                      <RowButton key="d" danger label={`Elimina ${p.name(r)}`} onClick={() => onDelete(r)}>
                        Elimina
                      </RowButton>
                    ),
                  ]
                    .filter(Boolean)
                    .flatMap((b, i) => (i ? [" · ", b] : [b]))}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {history && p.kind && (
        <Dialog title={`${LABELS.Kind[p.kind]}: ${p.name(history)}`} onClose={() => setHistory(null)}>
          <RecordHistory kind={p.kind} id={history.id} />
        </Dialog>
      )}
    </div>
  );
}
