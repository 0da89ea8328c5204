// A question before an action that other offices will feel (leaving a hub, changing
// who receives an agreement, combining two records): what will happen, then the
// action or "Annulla", and the register's refusal if it gives one.
import type { ReactNode } from "react";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { ErrorAlert } from "./common";
import type { RegisterError } from "../ipc/api";

export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  action: string;
  actionId: string;
  danger?: boolean;
  error?: RegisterError | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {props.children}
      <ErrorAlert error={props.error ?? null} />
      <div className="d-flex gap-2">
        <Button color={props.danger ? "danger" : "primary"} onClick={props.onConfirm} id={props.actionId}>
          {props.action}
        </Button>
        <Button outline color="secondary" onClick={props.onClose}>
          Annulla
        </Button>
      </div>
    </Dialog>
  );
}
