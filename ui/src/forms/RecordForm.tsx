// The form of any record, from its field list (schema.ts). It checks what it can
// before sending (required fields, dates, amounts), then lets the register check the
// rest; every message appears next to its field, and nothing typed is lost on failure.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { Button } from "../components/Button";
import { commands, asRegisterError, LABELS, NEW_ID, type AnyRecord, type Choice, type Kind } from "../ipc/api";
import { FIELDS, type FieldSpec, type RecordOf } from "./schema";
import { Picker } from "./Picker";
import { parseDate, parseEuro, parseInteger, parseTime, showDate, showEuro, type Parsed } from "../lib/parse";

type Values = Record<string, unknown>;

type Props<K extends Kind> = {
  kind: K;
  record: RecordOf<K>;
  /** Titles of the linked records, by id. */
  names?: Record<string, string>;
  /** Options of a link field that the screen knows (the parties of this agreement). */
  options?: Partial<Record<string, Choice[]>>;
  onSaved: (rec: RecordOf<K>) => void;
  onCancel: () => void;
  submitLabel?: string;
};

/** The text a field shows for a stored value. */
function toText(f: FieldSpec<Values>, v: unknown): string {
  if (v === null || v === undefined) return "";
  switch (f.control.type) {
    case "date":
      return showDate(v as string);
    case "time":
      return (v as string).slice(0, 5);
    case "money":
      return showEuro(v as number);
    case "lines":
      return (v as string[]).join("\n");
    default:
      return String(v);
  }
}

/** The stored value of a field's text, or what is wrong with it. */
function fromText(f: FieldSpec<Values>, text: string): Parsed<unknown> {
  const c = f.control;
  if (f.required && !text.trim() && c.type !== "lines") return { ok: false, message: "campo obbligatorio." };
  switch (c.type) {
    case "date":
      return parseDate(text);
    case "time":
      return parseTime(text);
    case "integer":
      return parseInteger(text, c.min, c.max);
    case "money":
      return parseEuro(text);
    case "lines":
      return {
        ok: true,
        value: text
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean),
      };
    case "link":
    case "enum":
      return { ok: true, value: text || null };
    default:
      return { ok: true, value: text.trim() === "" && !f.required ? null : text };
  }
}

export function RecordForm<K extends Kind>(p: Props<K>) {
  const specs = FIELDS[p.kind] as FieldSpec<Values>[];
  const formId = useId();
  const initial = p.record as unknown as Values;
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(specs.map((f) => [f.name, toText(f, initial[f.name])])),
  );
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const [failures, setFailures] = useState(0);
  // After a refused save the summary takes the focus: it is read out, and in view.
  useEffect(() => {
    if (failures) summary.current?.focus();
  }, [failures]);
  const isNew = initial.id === NEW_ID;
  const shown = useMemo(() => specs.filter((f) => !f.fixed), [specs]);
  const label = (name: string) => specs.find((f) => f.name === name)?.label ?? name;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const rec: Values = { ...initial };
    const found: Record<string, string> = {};
    for (const f of shown) {
      const r = fromText(f, texts[f.name] ?? "");
      if (r.ok) rec[f.name] = r.value;
      else found[f.name] = `${f.label}: ${r.message}`;
    }
    setErrors(found);
    if (Object.keys(found).length) {
      setProblem("Non salvato: correggi i campi segnati.");
      setFailures((n) => n + 1);
      return;
    }
    setSaving(true);
    try {
      const any = { kind: p.kind, record: rec } as AnyRecord;
      const saved = isNew ? await commands.recordCreate(any) : await commands.recordUpdate(any);
      setProblem(null);
      p.onSaved(saved.record as RecordOf<K>);
    } catch (err) {
      const re = asRegisterError(err);
      const byField: Record<string, string> = {};
      const elsewhere: string[] = [];
      for (const fe of re.fields) {
        if (shown.some((f) => f.name === fe.field)) byField[fe.field] = fe.message;
        else elsewhere.push(fe.message);
      }
      setErrors(byField);
      setProblem(
        re.code === "validation"
          ? ["Non salvato: correggi i campi segnati.", ...elsewhere].join(" ")
          : `Non salvato: ${re.message}`,
      );
      setFailures((n) => n + 1);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby={problem ? `${formId}-problem` : undefined}>
      {problem && (
        <div className="alert alert-danger" role="alert" id={`${formId}-problem`} tabIndex={-1} ref={summary}>
          <p className="mb-1">{problem}</p>
          {Object.keys(errors).length > 0 && (
            <ul className="mb-0">
              {Object.entries(errors).map(([field, msg]) => (
                <li key={field}>
                  <a
                    href={`#${formId}-${field}`}
                    onClick={(ev) => {
                      ev.preventDefault();
                      document.getElementById(`${formId}-${field}`)?.focus();
                    }}
                  >
                    {msg.startsWith(label(field)) ? msg : `${label(field)}: ${msg}`}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="row raccordo-form">
        {shown.map((f) => {
          const id = `${formId}-${f.name}`;
          const err = errors[f.name];
          const help = f.help ? `${id}-help` : "";
          const described = [err ? `${id}-error` : "", help].filter(Boolean).join(" ") || undefined;
          const set = (v: string) => setTexts((t) => ({ ...t, [f.name]: v }));
          const cls = `form-control${err ? " is-invalid" : ""}`;
          const common = {
            id,
            "aria-invalid": err ? true : undefined,
            "aria-describedby": described,
            "aria-required": f.required || undefined,
          };
          const c = f.control;
          let input;
          if (c.type === "enum") {
            input = (
              <select
                {...common}
                className={`form-select${err ? " is-invalid" : ""}`}
                value={texts[f.name]}
                onChange={(e) => set(e.target.value)}
              >
                {!f.required && <option value="">—</option>}
                {Object.entries(LABELS[c.of]).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            );
          } else if (c.type === "link") {
            const value = texts[f.name] || null;
            input = (
              <Picker
                id={id}
                kind={c.to}
                value={value}
                title={titles[f.name] ?? (value ? (p.names?.[value] ?? "") : "")}
                options={p.options?.[f.name]}
                invalid={!!err}
                describedBy={described}
                required={f.required}
                onChange={(v, t) => {
                  set(v ?? "");
                  setTitles((all) => ({ ...all, [f.name]: t }));
                }}
              />
            );
          } else if (c.type === "textarea" || c.type === "lines") {
            input = (
              <textarea
                {...common}
                className={cls}
                rows={c.type === "textarea" ? (c.rows ?? 3) : 4}
                value={texts[f.name]}
                onChange={(e) => set(e.target.value)}
              />
            );
          } else {
            const placeholder =
              c.type === "date" ? "gg/mm/aaaa" : c.type === "time" ? "hh:mm" : c.type === "money" ? "0,00" : undefined;
            const mode = c.type === "integer" ? "numeric" : c.type === "money" ? "decimal" : undefined;
            input = (
              <input
                {...common}
                type="text"
                className={cls}
                inputMode={mode}
                placeholder={placeholder}
                value={texts[f.name]}
                onChange={(e) => set(e.target.value)}
              />
            );
          }
          return (
            <div key={f.name} className={`form-group raccordo-field ${f.half ? "col-md-6" : "col-12"}`}>
              <label htmlFor={id} className="active">
                {f.label}
                {f.required && <span aria-hidden="true"> *</span>}
              </label>
              {input}
              {f.help && (
                <small id={help} className="form-text">
                  {f.help}
                </small>
              )}
              {err && (
                <div id={`${id}-error`} className="invalid-feedback d-block">
                  {err}
                </div>
              )}
            </div>
          );
        })}
      </div>
      <p className="small text-muted">I campi con * sono obbligatori.</p>
      <div className="d-flex gap-2 justify-content-end">
        <Button type="button" color="secondary" outline onClick={p.onCancel} disabled={saving}>
          Annulla
        </Button>
        <Button type="submit" color="primary" disabled={saving}>
          {saving ? "Salvataggio…" : (p.submitLabel ?? (isNew ? "Crea" : "Salva"))}
        </Button>
      </div>
    </form>
  );
}
