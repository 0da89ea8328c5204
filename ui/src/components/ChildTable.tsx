// The records that hang from another (the parties of an agreement, the agenda of a
// meeting), as a table with an edit and a delete button on each row.
import type { ReactNode } from "react";
import { Empty, RowButton } from "./common";

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
}) {
  if (!p.rows.length) return <Empty>{p.empty}</Empty>;
  return (
    <div className="table-responsive">
      <table className="table table-sm raccordo-table">
        <caption className="visually-hidden">{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c.head} scope="col">{c.head}</th>
            ))}
            {(p.onEdit || p.onDelete) && <th scope="col"><span className="visually-hidden">Azioni</span></th>}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.id}>
              {p.columns.map((c) => (
                <td key={c.head} className={c.nowrap ? "text-nowrap" : undefined}>{c.cell(r)}</td>
              ))}
              {(p.onEdit || p.onDelete) && (
                <td className="text-nowrap text-end">
                  {p.onEdit && <RowButton label={`Modifica ${p.name(r)}`} onClick={() => p.onEdit!(r)}>Modifica</RowButton>}
                  {p.onEdit && p.onDelete && " · "}
                  {p.onDelete && <RowButton danger label={`Elimina ${p.name(r)}`} onClick={() => p.onDelete!(r)}>Elimina</RowButton>}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
