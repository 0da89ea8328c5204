// Small pieces every screen uses.
import { useEffect, useRef, type ReactNode } from "react";
import { LABELS, type AgreementStatus, type RegisterError } from "../ipc/api";

export function Loading() {
  return (
    <p className="text-muted" role="status">
      Caricamento…
    </p>
  );
}

export function ErrorAlert({ error }: { error: RegisterError | null }) {
  if (!error) return null;
  return (
    <div className="alert alert-danger" role="alert">
      {error.message}
      {error.fields.length > 0 && (
        <ul className="mb-0">
          {error.fields.map((f, i) => (
            <li key={i}>{f.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The screen's title: focused when the screen opens, so keyboard and screen-reader users land on it. */
export function ScreenTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return (
    <div className="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-3">
      <h1 className="h2 mb-0" tabIndex={-1} ref={ref}>
        {children}
      </h1>
      {actions && <div className="d-flex gap-2">{actions}</div>}
    </div>
  );
}

/** The path to a record: its parents as links, then the record itself. Bootstrap Italia
 *  draws the "/" between items as a span of its own (its CSS hides Bootstrap's ::before). */
export function Breadcrumb({
  parents,
  current,
}: {
  parents: { href: string; label: ReactNode }[];
  current: ReactNode;
}) {
  return (
    <nav aria-label="Percorso" className="breadcrumb-container">
      <ol className="breadcrumb">
        {parents.map((p) => (
          <li className="breadcrumb-item" key={p.href}>
            <a href={p.href}>{p.label}</a>
            <span className="separator" aria-hidden="true">
              /
            </span>
          </li>
        ))}
        <li className="breadcrumb-item active" aria-current="page">
          {current}
        </li>
      </ol>
    </nav>
  );
}

export function Section(props: { title: string; actions?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className="raccordo-section mb-4" aria-labelledby={props.id ? `${props.id}-title` : undefined}>
      <div className="d-flex align-items-center justify-content-between gap-2 border-bottom mb-2">
        <h2 className="h5 mb-1" id={props.id ? `${props.id}-title` : undefined}>
          {props.title}
        </h2>
        {props.actions && <div className="d-flex gap-2 mb-1">{props.actions}</div>}
      </div>
      {props.children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="text-muted fst-italic">{children}</p>;
}

const STATUS_COLOR: Record<AgreementStatus, string> = {
  bozza: "secondary",
  in_firma: "warning",
  vigente: "success",
  scaduto: "danger",
  rinnovato: "primary",
  risolto: "dark",
};

export function StatusBadge({ status }: { status: AgreementStatus }) {
  return <span className={`badge bg-${STATUS_COLOR[status]} raccordo-badge`}>{LABELS.AgreementStatus[status]}</span>;
}

/** A small button that looks like a link, for row actions. */
export function RowButton(props: { onClick: () => void; children: ReactNode; label?: string; danger?: boolean }) {
  return (
    <button
      type="button"
      className={`btn btn-link btn-sm p-0 ${props.danger ? "text-danger" : ""}`}
      aria-label={props.label}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}

/** One line of a record's data: a label and its value, or a dash when there is none. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="col-sm-4 col-lg-3">{label}</dt>
      <dd className="col-sm-8 col-lg-9">{children || "—"}</dd>
    </>
  );
}
