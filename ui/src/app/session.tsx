// The open register and the settings, for every screen.
import { createContext, useContext } from "react";
import type { SessionState } from "../ipc/api";

export type SessionContext = { state: SessionState; refresh: () => void };

export const Session = createContext<SessionContext | null>(null);

export function useSession(): SessionContext {
  const s = useContext(Session);
  if (!s) throw new Error("useSession outside <Session.Provider>");
  return s;
}
