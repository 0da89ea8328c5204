// Choosing a linked record (an administration among 8,000, a person): a combobox
// that asks the register as the user types, usable by keyboard (arrows, Enter, Escape).
import { useEffect, useId, useRef, useState } from "react";
import { commands, type Choice, type Kind } from "../ipc/api";

type Props = {
  id: string;
  kind: Kind;
  value: string | null;
  /** The title of the current value, when known. */
  title?: string;
  onChange: (id: string | null, title: string) => void;
  /** Options fixed by the screen (the parties of this agreement): filtered here, not asked. */
  options?: Choice[];
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
};

const SHOWN = 12;

export function Picker(p: Props) {
  const [text, setText] = useState(p.title ?? "");
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<Choice[]>([]);
  const [active, setActive] = useState(0);
  const listId = useId();
  const asked = useRef(0);

  useEffect(() => setText(p.title ?? ""), [p.title]);

  useEffect(() => {
    if (!open) return;
    const typed = text.trim().toLowerCase();
    if (p.options) {
      setFound(p.options.filter((o) => !typed || o.title.toLowerCase().includes(typed)).slice(0, SHOWN));
      return;
    }
    const n = ++asked.current;
    const t = setTimeout(() => {
      commands
        .choices({ kind: p.kind, text: typed || null, limit: SHOWN })
        .then((c) => n === asked.current && setFound(c))
        .catch(() => n === asked.current && setFound([]));
    }, 120);
    return () => clearTimeout(t);
  }, [text, open, p.kind, p.options]);

  const pick = (c: Choice | null) => {
    setOpen(false);
    setText(c?.title ?? "");
    p.onChange(c?.id ?? null, c?.title ?? "");
  };

  return (
    <div className="raccordo-picker">
      <input
        id={p.id}
        type="text"
        className={`form-control${p.invalid ? " is-invalid" : ""}`}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open && found.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && found[active] ? `${listId}-${active}` : undefined}
        aria-invalid={p.invalid || undefined}
        aria-describedby={p.describedBy}
        aria-required={p.required || undefined}
        autoComplete="off"
        placeholder="Scrivi per cercare…"
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
          if (!e.target.value.trim()) p.onChange(null, "");
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, found.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter" && open && found[active]) {
            e.preventDefault();
            pick(found[active]);
          } else if (e.key === "Escape" && open) {
            e.stopPropagation();
            e.preventDefault();
            setOpen(false);
          }
        }}
      />
      <ul id={listId} role="listbox" className={`raccordo-options${open && found.length ? "" : " d-none"}`}>
        {found.map((c, i) => (
          <li
            key={c.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(c);
            }}
          >
            {c.title}
            {c.detail && <span className="raccordo-option-detail"> · {c.detail}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
