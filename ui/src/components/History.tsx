// The history of a record (Registro modifiche): who changed which fields, from what to what.
import { LABELS, type Entry, type Kind } from "../ipc/api";
import { FIELDS } from "../forms/schema";
import { italianDateTime } from "../lib/format";
import { Empty } from "./common";

const OPS: Record<string, string> = {
  create: "Creazione",
  update: "Modifica",
  delete: "Eliminazione",
  snapshot: "Caricamento elenco",
};

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.join("; ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function History({ entries }: { entries: Entry[] }) {
  if (!entries.length) return <Empty>Nessuna modifica registrata.</Empty>;
  return (
    <ol className="raccordo-history list-unstyled">
      {[...entries].reverse().map((e) => {
        const kind = e.kind as Kind;
        const fields = (FIELDS[kind] ?? []) as { name: string; label: string }[];
        const after = (e.after ?? {}) as Record<string, unknown>;
        const before = (e.before ?? {}) as Record<string, unknown>;
        const names = Object.keys(e.op === "delete" ? before : after).filter((n) => n !== "id");
        return (
          <li key={e.seq} className="mb-2">
            <div>
              <strong>{OPS[e.op] ?? e.op}</strong> · {LABELS.Kind[kind] ?? e.kind} · {italianDateTime(e.at)} · {e.actor}
            </div>
            {e.op === "update" && (
              <ul className="small mb-0">
                {names.map((n) => (
                  <li key={n}>
                    {fields.find((f) => f.name === n)?.label ?? n}: {show(before[n])} → {show(after[n])}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
