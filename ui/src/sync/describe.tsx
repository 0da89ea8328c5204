// How a conflict is told to a person, on the Sincronizzazione screen and in a record's
// history alike: the field's Italian label, a value as text, who wrote it, from which
// office and when, "questo computer" for what this PC wrote.
import { FIELDS } from "../forms/schema";
import type { Conflict, Kind, LastChange } from "../ipc/api";
import { italianDateTime } from "../lib/format";

/** One side of a conflict, as the register's `conflicts::side` writes it. */
export type Side = { value: unknown; site: string; actor: string; office_id: string | null; at: string };

/** Names of offices (by id) and this PC's site, to say who wrote a side. */
export type Writers = { names: Record<string, string>; own_site: string };

export const WHAT: Record<Conflict["what"], string> = {
  field: "Due uffici hanno cambiato lo stesso campo",
  changed_after_delete: "Modificato mentre un altro ufficio lo eliminava",
  under_deleted: "Aggiunto o modificato sotto un record che un altro ufficio ha eliminato",
  key: "Due record con lo stesso valore, che deve essere unico",
  rule: "Le modifiche dei due uffici, insieme, violano una regola",
};

export function fieldLabel(kind: Kind, field: string | null): string {
  if (!field) return "";
  const specs = FIELDS[kind] as { name: string; label: string }[];
  return field
    .split("+")
    .map((f) => specs.find((s) => s.name === f)?.label ?? f)
    .join(" e ");
}

export function shown(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(vuoto)";
  if (typeof v === "string") return `«${v}»`;
  if (Array.isArray(v))
    return v.length ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join("; ") : "(vuoto)";
  return JSON.stringify(v);
}

/** "Mario Rossi · Prefettura di Lucca · 3 dicembre 2026, 10:12 · questo computer". */
export function Who({ side, writers }: { side: Side; writers: Writers }) {
  const office = side.office_id ? writers.names[side.office_id] : null;
  return (
    <span className="small text-muted">
      {side.actor || "autore non indicato"}
      {office && ` · ${office}`} · {italianDateTime(side.at)}
      {side.site === writers.own_site && <strong className="text-dark"> · questo computer</strong>}
    </span>
  );
}

/** Who changed a record last, and whether on this computer or at another office. */
export function LastChangeLine({ last, id }: { last: LastChange; id?: string }) {
  return (
    <p className="small text-muted mb-2" id={id}>
      Ultima modifica: {last.actor || "autore non indicato"}
      {last.office && `, ${last.office}`}, {italianDateTime(last.at)}
      {last.here ? " (su questo computer)" : " (da un altro ufficio)"}
    </p>
  );
}
