// A list screen over one kind (administrations, people, tables, meetings, projects):
// a text filter that ignores accents and case, and pages of 50.
import { useEffect, useState, type ReactNode } from "react";
import { commands, type Kind, type List } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { blank, type RecordOf } from "../forms/schema";
import { Button } from "./Button";
import { ErrorAlert, ScreenTitle } from "./common";
import { useEditing } from "./useEditing";
import { count } from "../lib/format";
import { ExportButtons } from "./SaveButton";

const PAGE = 50;

/** The list each screen exports as a spreadsheet (tables have none of their own). */
const EXPORTED: Partial<Record<ListKind, List>> = {
  administration: "administrations",
  person: "people",
  meeting: "meetings",
  project: "projects",
};

/** The kinds with a list screen (the register's `lists::page`). */
export type ListKind = "administration" | "person" | "thematic_table" | "meeting" | "project";

export type ListColumn<R> = {
  head: string;
  cell: (rec: R, names: Record<string, string>) => ReactNode;
};

type Row = { kind: Kind; record: unknown };

/** Whether a row of the page is a record of `kind`: every row is, and this lets the
 *  columns take the record's own type. */
function isOf<K extends ListKind>(kind: K) {
  return (row: Row): row is { kind: K; record: RecordOf<K> } => row.kind === kind;
}

function BrowseList<K extends ListKind>(p: {
  kind: K;
  columns: ListColumn<RecordOf<K>>[];
  caption: string;
  filterLabel: string;
}) {
  const [typed, setTyped] = useState("");
  const [text, setText] = useState("");
  const [page, setPage] = useState(0);
  useEffect(() => {
    const t = setTimeout(() => {
      setText(typed.trim());
      setPage(0);
    }, 250);
    return () => clearTimeout(t);
  }, [typed]);
  const { data, error } = useLoad(
    () => commands.browse({ kind: p.kind, text: text || null, offset: page * PAGE, limit: PAGE }),
    [p.kind, text, page],
  );
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  const rows: Row[] = data?.rows ?? [];
  return (
    <div>
      <div className="form-group col-lg-6 mt-4">
        <label htmlFor={`filter-${p.kind}`} className="active">
          {p.filterLabel}
        </label>
        <input
          id={`filter-${p.kind}`}
          type="search"
          className="form-control"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </div>
      <ErrorAlert error={error} />
      <p role="status" aria-live="polite" className="mb-1">
        {data
          ? `${count(data.total, "risultato", "risultati")}${pages > 1 ? ` · pagina ${page + 1} di ${pages}` : ""}`
          : "Caricamento…"}
      </p>
      {data && (
        <div className="table-responsive">
          <table className="table table-hover raccordo-table">
            <caption className="visually-hidden">{p.caption}</caption>
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th key={c.head} scope="col">
                    {c.head}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.filter(isOf(p.kind)).map((r) => (
                <tr key={r.record.id}>
                  {p.columns.map((c) => (
                    <td key={c.head}>{c.cell(r.record, data.names)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pagination-wrapper" aria-label="Pagine">
          <ul className="pagination">
            <li className={`page-item${page === 0 ? " disabled" : ""}`}>
              <button type="button" className="page-link" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Precedente
              </button>
            </li>
            <li className="page-item">
              <span className="page-link" aria-current="page">
                {page + 1}
              </span>
            </li>
            <li className={`page-item${page + 1 >= pages ? " disabled" : ""}`}>
              <button
                type="button"
                className="page-link"
                disabled={page + 1 >= pages}
                onClick={() => setPage(page + 1)}
              >
                Successiva
              </button>
            </li>
          </ul>
        </nav>
      )}
    </div>
  );
}

/** A whole list screen: its title, an optional note, the list, and, with `newLabel`,
 *  a button that creates a record in a dialog and then opens it. */
export function ListScreen<K extends ListKind>(p: {
  title: string;
  kind: K;
  caption: string;
  filterLabel: string;
  columns: ListColumn<RecordOf<K>>[];
  newLabel?: string;
  note?: string;
  /** More buttons beside the export ones (an import); `reload` reads the list again. */
  tools?: (reload: () => void) => ReactNode;
}) {
  const editing = useEditing({ opens: p.kind });
  const [version, setVersion] = useState(0);
  const newLabel = p.newLabel;
  const create = newLabel && (
    <Button color="primary" onClick={() => editing.edit({ kind: p.kind, record: blank(p.kind), title: newLabel })}>
      {newLabel}
    </Button>
  );
  return (
    <div>
      <ScreenTitle actions={create || undefined}>{p.title}</ScreenTitle>
      {p.note && <p className="small text-muted">{p.note}</p>}
      {(EXPORTED[p.kind] || p.tools) && (
        <div className="d-flex flex-wrap align-items-start gap-2">
          {EXPORTED[p.kind] && <ExportButtons list={EXPORTED[p.kind]!} />}
          {p.tools?.(() => setVersion((v) => v + 1))}
        </div>
      )}
      <BrowseList key={version} kind={p.kind} caption={p.caption} filterLabel={p.filterLabel} columns={p.columns} />
      {editing.dialogs}
    </div>
  );
}
