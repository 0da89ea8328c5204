// What a person types, read back into the values records hold. Each parser answers
// the value, or an Italian message saying what is wrong with the text.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** "22/12/2007" (or "22-12-2007", "22.12.2007", or ISO) → "2007-12-22". */
export function parseDate(text: string): Parsed<string | null> {
  const t = text.trim();
  if (!t) return ok(null);
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  let [d, mo, y] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m) {
    m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    if (!m) return bad("scrivi la data come gg/mm/aaaa, per esempio 22/12/2007.");
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return bad(`il ${d}/${mo}/${y} non esiste nel calendario.`);
  }
  return ok(`${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
}

/** "2007-12-22" → "22/12/2007", as the field shows it. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** "9:30" → "09:30:00". */
export function parseTime(text: string): Parsed<string | null> {
  const t = text.trim();
  if (!t) return ok(null);
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(t);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return bad("scrivi l'ora come hh:mm, per esempio 09:30.");
  return ok(`${m[1].padStart(2, "0")}:${m[2]}:00`);
}

/** A whole number within bounds; empty is `null`. */
export function parseInteger(text: string, min = 0, max = Number.MAX_SAFE_INTEGER): Parsed<number | null> {
  const t = text.trim().replace(/\./g, "");
  if (!t) return ok(null);
  if (!/^\d+$/.test(t)) return bad("scrivi un numero intero, senza decimali.");
  const n = Number(t);
  if (n < min || n > max) return bad(`deve essere tra ${min} e ${max}.`);
  return ok(n);
}

/** "250.000,00", "250000", "1.234,5" → cents. */
export function parseEuro(text: string): Parsed<number | null> {
  const t = text.trim().replace(/^€\s*/, "").replace(/\s/g, "");
  if (!t) return ok(null);
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t);
  if (!m) return bad("scrivi l'importo in euro come 250.000,00.");
  const euros = Number(m[1].replace(/\./g, ""));
  const cents = Number((m[2] ?? "0").padEnd(2, "0"));
  const total = euros * 100 + cents;
  if (!Number.isSafeInteger(total)) return bad("importo troppo grande.");
  return ok(total);
}

/** Cents → "250.000,00" for the field. */
export function showEuro(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "";
  const int = Math.trunc(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${int},${String(Math.abs(cents % 100)).padStart(2, "0")}`;
}
