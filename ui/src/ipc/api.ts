// The one door to the shell: the generated commands, and how a failure is read.
import { commands, LABELS, type RegisterError } from "./bindings";

export { commands, LABELS };
export type * from "./bindings";

/** A failure as the register reports it; anything else (a broken IPC) becomes one. */
export function asRegisterError(e: unknown): RegisterError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const r = e as RegisterError;
    return {
      code: r.code,
      message: r.message,
      fields: Array.isArray(r.fields) ? r.fields : [],
      ...(r.sync_code ? { sync_code: r.sync_code } : {}),
    };
  }
  return { code: "storage", message: `Errore imprevisto: ${String(e)}`, fields: [] };
}

/** The nil id: a record not stored yet (storage assigns its id). */
export const NEW_ID = "00000000-0000-0000-0000-000000000000";
