// Protocolli: the whole register in one scrolling list. Only the rows in view are in
// the page; they are fetched 100 at a time as the list scrolls, so 100,000 agreements
// scroll and filter like 100.
import { useContext, useEffect, useMemo, useRef, useState } from "react";
import { DataGeneration } from "../lib/dataGeneration";
import { Button } from "../components/Button";
import {
  commands,
  asRegisterError,
  LABELS,
  type AgreementFilter,
  type AgreementRow,
  type AgreementSort,
  type RegisterError,
} from "../ipc/api";
import { italianDate, count } from "../lib/format";
import { hrefOf } from "../lib/router";
import { ErrorAlert, ScreenTitle, StatusBadge } from "../components/common";
import { AgreementFilterFields, useAgreementFilters } from "../components/Filters";
import { useEditing } from "../components/useEditing";
import { blank } from "../forms/schema";
import { ExportButtons } from "../components/SaveButton";
import { AgreementImport } from "../imports/AgreementImport";

const ROW = 49;
const PAGE = 100;
const AHEAD = 10;

export function AgreementList() {
  const initialDays = new URLSearchParams(window.location.hash.split("?")[1] ?? "").get("expiring") ?? "";
  const f = useAgreementFilters(initialDays);
  const [text, setText] = useState("");
  const [typed, setTyped] = useState("");
  const [sort, setSort] = useState<AgreementSort>("expiry");
  const editing = useEditing({ opens: "agreement" });
  const [imported, setImported] = useState(0);

  useEffect(() => {
    const t = setTimeout(() => setText(typed), 250);
    return () => clearTimeout(t);
  }, [typed]);

  const filter: AgreementFilter = useMemo(() => ({ ...f.value, text: text.trim() || null }), [f.value, text]);

  return (
    <div>
      <ScreenTitle
        actions={
          <Button
            color="primary"
            onClick={() => editing.edit({ kind: "agreement", record: blank("agreement"), title: "Nuovo protocollo" })}
          >
            Nuovo protocollo
          </Button>
        }
      >
        Protocolli
      </ScreenTitle>
      <form
        className="row g-3 raccordo-filters"
        role="search"
        aria-label="Filtri dei protocolli"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="col-lg-4 form-group">
          <label htmlFor="f-text" className="active">
            Cerca nel testo
          </label>
          <input
            id="f-text"
            type="search"
            className="form-control"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="Oggetto, obiettivi, temi…"
          />
        </div>
        <AgreementFilterFields f={f}>
          <div className="col-lg-2 col-md-4 form-group">
            <label htmlFor="f-sort" className="active">
              Ordina per
            </label>
            <select
              id="f-sort"
              className="form-select"
              value={sort}
              onChange={(e) => setSort(e.target.value as AgreementSort)}
            >
              <option value="expiry">Scadenza</option>
              <option value="number">Numero</option>
            </select>
          </div>
        </AgreementFilterFields>
      </form>
      <div className="d-flex flex-wrap align-items-start gap-2">
        <ExportButtons list="agreements" filter={filter} />
        <AgreementImport onImported={() => setImported((n) => n + 1)} />
      </div>
      <AgreementRows key={imported} filter={filter} sort={sort} />
      {editing.dialogs}
    </div>
  );
}

function AgreementRows({ filter, sort }: { filter: AgreementFilter; sort: AgreementSort }) {
  const key = JSON.stringify([filter, sort]);
  const pages = useRef(new Map<number, AgreementRow[]>());
  const asked = useRef(new Set<number>());
  const [total, setTotal] = useState<number | null>(null);
  const [, setVersion] = useState(0);
  const [error, setError] = useState<RegisterError | null>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const box = useRef<HTMLDivElement>(null);
  const keyRef = useRef(key);

  const fetchPage = (n: number) => {
    if (asked.current.has(n)) return;
    asked.current.add(n);
    const k = key;
    commands
      .agreementsPage({ filter, sort, offset: n * PAGE, limit: PAGE })
      .then((p) => {
        if (keyRef.current !== k) return;
        pages.current.set(n, p.rows);
        setTotal(p.total);
        setError(null);
        setVersion((v) => v + 1);
      })
      .catch((e) => {
        asked.current.delete(n);
        if (keyRef.current === k) setError(asRegisterError(e));
      });
  };

  useEffect(() => {
    keyRef.current = key;
    pages.current = new Map();
    asked.current = new Set();
    setTotal(null);
    setTop(0);
    if (box.current) box.current.scrollTop = 0;
    fetchPage(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 600);
    measure();
    const ro = typeof ResizeObserver !== "undefined" ? new ResizeObserver(measure) : null;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  // A sync changed the register: every page is asked again as it comes into view
  // (those in view at once), showing the rows held until the new ones arrive, and the
  // list stays where the person had scrolled it.
  const generation = useContext(DataGeneration);
  const seenGeneration = useRef(generation);
  useEffect(() => {
    if (seenGeneration.current === generation) return;
    seenGeneration.current = generation;
    asked.current = new Set();
    setVersion((v) => v + 1);
  }, [generation]);

  const rowCount = total ?? 0;
  const first = Math.max(0, Math.floor(top / ROW) - AHEAD);
  const last = Math.min(rowCount, Math.ceil((top + height) / ROW) + AHEAD);
  useEffect(() => {
    if (total === null) return;
    for (let n = Math.floor(first / PAGE); n <= Math.floor(Math.max(last - 1, 0) / PAGE); n++) fetchPage(n);
  });

  const rows: (AgreementRow | null)[] = [];
  for (let i = first; i < last; i++) rows.push(pages.current.get(Math.floor(i / PAGE))?.[i % PAGE] ?? null);

  return (
    <div>
      <ErrorAlert error={error} />
      <p className="mb-1" role="status" aria-live="polite" id="agreements-count">
        {total === null ? "Caricamento…" : count(total, "protocollo", "protocolli")}
      </p>
      <div
        className="raccordo-scroll"
        ref={box}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
        tabIndex={0}
        aria-label="Elenco dei protocolli, scorrevole"
      >
        <table className="table table-hover raccordo-table" aria-rowcount={rowCount + 1} id="agreements-table">
          <caption className="visually-hidden">Protocolli del registro</caption>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Numero</th>
              <th scope="col">Oggetto</th>
              <th scope="col">Tipo</th>
              <th scope="col">Stato</th>
              <th scope="col">Sottoscrizione</th>
              <th scope="col">Scadenza</th>
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW }} />}
            {rows.map((a, i) =>
              a ? (
                <tr key={a.id} aria-rowindex={first + i + 2}>
                  <td className="text-nowrap">
                    <a href={hrefOf("agreement", a.id)}>{a.number}</a>
                  </td>
                  <td className="raccordo-ellipsis" title={a.subject}>
                    {a.subject}
                  </td>
                  <td className="text-nowrap">{LABELS.AgreementKind[a.kind]}</td>
                  <td>
                    <StatusBadge status={a.status} />
                  </td>
                  <td className="text-nowrap">{italianDate(a.signed_on)}</td>
                  <td className="text-nowrap">{italianDate(a.expires_on)}</td>
                </tr>
              ) : (
                <tr key={`wait-${first + i}`} aria-rowindex={first + i + 2}>
                  <td colSpan={6} className="text-muted">
                    …
                  </td>
                </tr>
              ),
            )}
            {last < rowCount && <tr aria-hidden="true" style={{ height: (rowCount - last) * ROW }} />}
          </tbody>
        </table>
      </div>
    </div>
  );
}
