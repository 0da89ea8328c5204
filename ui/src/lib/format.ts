// How dates, times and amounts read in Italian: "22 dicembre 2007", "€ 250.000,00".

const MONTHS = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
];

/** "2007-12-22" → "22 dicembre 2007" (the first of the month is "1º"). */
export function italianDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const day = Number(m[3]);
  return `${day === 1 ? "1º" : day} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** "2026-11-24T09:30:12.123Z" → "24 novembre 2026, 10:30" in the local time zone. */
export function italianDateTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number) => String(n).padStart(2, "0");
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${italianDate(iso)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "09:30:00" → "09:30". */
export function shortTime(t: string | null | undefined): string {
  return t ? t.slice(0, 5) : "";
}

const EURO = new Intl.NumberFormat("it-IT", { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true });

/** Thousands grouped with a dot, as offices write them: "1.200", "100.000". Intl
 *  leaves 4-digit numbers ungrouped in it-IT ("1200"). */
function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/** 1200 → "1.200". */
export function thousands(n: number): string {
  return n < 0 ? `-${grouped(String(Math.round(-n)))}` : grouped(String(Math.round(n)));
}

/** 25000000 cents → "€ 250.000,00". */
export function euro(cents: number): string {
  const text = EURO.format(cents / 100);
  const [int, dec] = text.replace(/\./g, "").split(",");
  return `€ ${grouped(int)},${dec}`;
}

/** Days from `today` to `iso` (negative when past). */
export function daysBetween(today: string, iso: string): number {
  return Math.round((Date.parse(iso) - Date.parse(today)) / 86_400_000);
}

/** "tra 12 giorni", "oggi", "3 giorni fa". */
export function relativeDays(today: string, iso: string): string {
  const d = daysBetween(today, iso);
  if (d === 0) return "oggi";
  if (d === 1) return "domani";
  if (d === -1) return "ieri";
  return d > 0 ? `tra ${count(d, "giorno", "giorni")}` : `${count(-d, "giorno", "giorni")} fa`;
}

/** "1 risultato", "2 risultati", "12.500 protocolli": a count with its noun in number. */
export function count(n: number, one: string, many: string): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}
