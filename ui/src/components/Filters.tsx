// The filters of the agreements (status, kind, party, expiring within N days), shared
// by the list and the agreements report, and a select over an enum's Italian labels.
import { useMemo, useState, type ReactNode } from "react";
import { LABELS, type AgreementKind, type AgreementStatus } from "../ipc/api";
import { parseInteger } from "../lib/parse";
import { Picker } from "../forms/Picker";

export function LabelSelect<T extends string>(p: {
  id: string;
  label: string;
  labels: Record<T, string>;
  value: T | "";
  onChange: (v: T | "") => void;
  className?: string;
}) {
  return (
    <div className={`form-group ${p.className ?? "col-lg-2 col-md-4"}`}>
      <label htmlFor={p.id} className="active">
        {p.label}
      </label>
      <select id={p.id} className="form-select" value={p.value} onChange={(e) => p.onChange(e.target.value as T | "")}>
        <option value="">Tutti</option>
        {(Object.entries(p.labels) as [T, string][]).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function useAgreementFilters(initialDays = "") {
  const [status, setStatus] = useState<AgreementStatus | "">("");
  const [kind, setKind] = useState<AgreementKind | "">("");
  const [party, setParty] = useState<{ id: string; title: string } | null>(null);
  const [days, setDays] = useState(initialDays);
  const daysParsed = parseInteger(days, 0, 36500);
  const expiring = daysParsed.ok ? daysParsed.value : null;
  const partyId = party?.id ?? null;
  // The same object while the choices stay the same, so that lists query again only on a change.
  const value = useMemo(
    () => ({ status: status || null, kind: kind || null, administration_id: partyId, expiring_within_days: expiring }),
    [status, kind, partyId, expiring],
  );
  return {
    status,
    setStatus,
    kind,
    setKind,
    party,
    setParty,
    days,
    setDays,
    daysParsed,
    /** The filter without the text, for the register. */
    value,
  };
}

export type AgreementFilters = ReturnType<typeof useAgreementFilters>;

/** The fields themselves; `prefix` keeps ids unique when two forms share a screen. */
export function AgreementFilterFields({
  f,
  prefix = "f",
  children,
}: {
  f: AgreementFilters;
  prefix?: string;
  children?: ReactNode;
}) {
  return (
    <>
      <LabelSelect
        id={`${prefix}-status`}
        label="Stato"
        labels={LABELS.AgreementStatus}
        value={f.status}
        onChange={f.setStatus}
      />
      <LabelSelect
        id={`${prefix}-kind`}
        label="Tipo"
        labels={LABELS.AgreementKind}
        value={f.kind}
        onChange={f.setKind}
      />
      <div className="col-lg-2 col-md-4 form-group">
        <label htmlFor={`${prefix}-days`} className="active">
          Scade entro (giorni)
        </label>
        <input
          id={`${prefix}-days`}
          type="text"
          inputMode="numeric"
          className={`form-control${f.daysParsed.ok ? "" : " is-invalid"}`}
          value={f.days}
          onChange={(e) => f.setDays(e.target.value)}
          aria-invalid={!f.daysParsed.ok || undefined}
          aria-describedby={f.daysParsed.ok ? undefined : `${prefix}-days-error`}
        />
        {!f.daysParsed.ok && (
          <div id={`${prefix}-days-error`} className="invalid-feedback d-block">
            Giorni: {f.daysParsed.message}
          </div>
        )}
      </div>
      {children}
      <div className="col-lg-6 form-group">
        <label htmlFor={`${prefix}-party`} className="active">
          Ente tra le parti
        </label>
        <Picker
          id={`${prefix}-party`}
          kind="administration"
          value={f.party?.id ?? null}
          title={f.party?.title}
          onChange={(id, title) => f.setParty(id ? { id, title } : null)}
        />
      </div>
    </>
  );
}
