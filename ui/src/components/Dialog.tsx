// A modal dialog on the native <dialog>: focus moves inside and Escape closes it,
// and focus goes back where it was when it closes.
import { useEffect, useId, useRef, type ReactNode } from "react";

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement as HTMLElement | null;
    // jsdom has no showModal: tests see the dialog open all the same.
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
    return () => before?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`raccordo-dialog${props.wide ? " raccordo-dialog-wide" : ""}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div className="modal-content">
        <div className="modal-header">
          <h2 className="modal-title h4" id={titleId}>
            {props.title}
          </h2>
          <button type="button" className="btn-close" aria-label="Chiudi" onClick={props.onClose} />
        </div>
        <div className="modal-body">{props.children}</div>
      </div>
    </dialog>
  );
}
