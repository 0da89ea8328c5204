// Bootstrap Italia's button, in its markup (see ARCHITECTURE.md on design-react-kit).
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { useReadOnly } from "./readOnly";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  color?: "primary" | "secondary" | "danger";
  outline?: boolean;
  size?: "xs" | "sm" | "lg";
};

export function Button({ color = "primary", outline, size, className, type = "button", ...rest }: Props) {
  const cls = ["btn", `btn-${outline ? "outline-" : ""}${color}`, size && `btn-${size}`, className]
    .filter(Boolean)
    .join(" ");
  return <button type={type} className={cls} {...rest} />;
}

/** "Modifica" and "Elimina" for the record a screen shows, beside its title; none on a
 *  read-only copy. */
export function OwnActions({ onEdit, onDelete }: { onEdit: () => void; onDelete: () => void }) {
  if (useReadOnly()) return null;
  return (
    <>
      <Button color="primary" outline size="sm" onClick={onEdit}>
        Modifica
      </Button>
      <Button color="danger" outline size="sm" onClick={onDelete}>
        Elimina
      </Button>
    </>
  );
}

/** "Aggiungi …" beside a section's title: a new record that belongs to the one shown. */
export function AddButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  if (useReadOnly()) return null;
  return (
    <Button size="xs" color="primary" outline onClick={onClick}>
      {children}
    </Button>
  );
}
