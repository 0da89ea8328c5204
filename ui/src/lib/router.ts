// Screens are addressed by the URL hash (#/agreements/<id>): back and forward work,
// and every screen can be opened directly (tests, bookmarks in a future web view).
import { useEffect, useState } from "react";

export type Route = { parts: string[]; query: URLSearchParams };

export function parseHash(hash: string): Route {
  const [path, q] = hash.replace(/^#\/?/, "").split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q ?? "") };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function go(path: string) {
  window.location.hash = path;
}

/** The screen that shows a record of a kind (an agreement's party opens the agreement). */
export function hrefOf(kind: string, id: string): string {
  const screens: Record<string, string> = {
    agreement: "agreements",
    administration: "administrations",
    person: "people",
    thematic_table: "tables",
    meeting: "meetings",
    project: "projects",
  };
  return screens[kind] ? `#/${screens[kind]}/${id}` : "#/";
}
