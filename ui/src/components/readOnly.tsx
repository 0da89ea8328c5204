// A screen showing a copy the hub no longer shares with this office: every edit
// button under it (Modifica, Elimina, Aggiungi, allegati) is left out. The register
// refuses such edits anyway (`unshared`); this keeps the window from offering them.
import { createContext, useContext } from "react";

export const ReadOnly = createContext(false);

export function useReadOnly(): boolean {
  return useContext(ReadOnly);
}
