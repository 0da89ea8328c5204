// The window: header with the office and the global search, the sections on the left,
// the screen of the current address on the right. Before a register is open, the
// welcome screen offers the demo register or an empty one.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { commands, asRegisterError, type RegisterError, type SessionState } from "../ipc/api";
import { useRoute, go } from "../lib/router";
import { Session } from "./session";
import { Welcome } from "../screens/Welcome";
import { Dashboard } from "../screens/Dashboard";
import { AgreementList } from "../screens/AgreementList";
import { AgreementDetail } from "../screens/AgreementDetail";
import { AdministrationList, AdministrationDetail } from "../screens/Administrations";
import { PersonList, PersonDetail } from "../screens/People";
import { TableList, TableDetail } from "../screens/Tables";
import { MeetingList, MeetingDetail } from "../screens/Meetings";
import { ProjectList, ProjectDetail } from "../screens/Projects";
import { SearchScreen } from "../screens/Search";
import { SettingsScreen } from "../screens/Settings";
import { ReportsScreen } from "../screens/Reports";
import { SyncScreen } from "../screens/SyncScreen";
import { SyncIndicator } from "../sync/SyncIndicator";
import { Sync, useSyncPolling } from "../sync/state";
import { DataGeneration } from "../lib/dataGeneration";

const SECTIONS: [string, string][] = [
  ["", "Cruscotto"],
  ["agreements", "Protocolli"],
  ["tables", "Tavoli tematici"],
  ["meetings", "Sedute"],
  ["projects", "Progetti"],
  ["administrations", "Enti"],
  ["people", "Persone"],
  ["search", "Ricerca"],
  ["reports", "Report"],
  ["sync", "Sincronizzazione"],
  ["settings", "Impostazioni"],
];

function Screen({ parts, query }: { parts: string[]; query: URLSearchParams }) {
  const [section, id] = parts;
  switch (section ?? "") {
    case "":
      return <Dashboard />;
    case "agreements":
      return id ? <AgreementDetail key={id} id={id} /> : <AgreementList />;
    case "administrations":
      return id ? <AdministrationDetail key={id} id={id} /> : <AdministrationList />;
    case "people":
      return id ? <PersonDetail key={id} id={id} /> : <PersonList />;
    case "tables":
      return id ? <TableDetail key={id} id={id} /> : <TableList />;
    case "meetings":
      return id ? <MeetingDetail key={id} id={id} /> : <MeetingList />;
    case "projects":
      return id ? <ProjectDetail key={id} id={id} /> : <ProjectList />;
    case "search":
      return <SearchScreen key={query.get("q") ?? ""} text={query.get("q") ?? ""} />;
    case "reports":
      return <ReportsScreen />;
    case "sync":
      return <SyncScreen />;
    case "settings":
      return <SettingsScreen />;
    default:
      return <p>Pagina non trovata.</p>;
  }
}

function Header({ state }: { state: SessionState }) {
  const [text, setText] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) go(`/search?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <header className="it-header-wrapper">
      <div className="it-header-slim-wrapper">
        <div className="container-fluid">
          <div className="it-header-slim-wrapper-content">
            <span className="navbar-brand">{state.office_name ?? "Ufficio non impostato"}</span>
            <div className="it-header-slim-right-zone text-white small gap-3">
              <SyncIndicator />
              {state.settings?.user_name && <span>Utente: {state.settings.user_name}</span>}
            </div>
          </div>
        </div>
      </div>
      <div className="it-header-center-wrapper it-small-header">
        <div className="container-fluid">
          <div className="it-header-center-content-wrapper">
            <div className="it-brand-wrapper">
              <a href="#/">
                <div className="it-brand-text">
                  <div className="it-brand-title">Raccordo</div>
                  <div className="it-brand-tagline d-none d-md-block">Registro dei protocolli d'intesa</div>
                </div>
              </a>
            </div>
            <div className="it-right-zone">
              <form role="search" className="raccordo-global-search d-flex" onSubmit={submit}>
                <label htmlFor="global-search" className="visually-hidden">
                  Cerca in tutto il registro
                </label>
                <input
                  id="global-search"
                  type="search"
                  className="form-control"
                  placeholder="Cerca protocolli, verbali, progetti, enti, persone"
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                />
                <button type="submit" className="btn btn-light ms-2">
                  Cerca
                </button>
              </form>
            </div>
          </div>
        </div>
      </div>
    </header>
  );
}

function Nav({ current }: { current: string }) {
  return (
    <nav className="raccordo-nav" aria-label="Sezioni del registro">
      <ul className="link-list">
        {SECTIONS.map(([path, label]) => (
          <li key={path}>
            <a
              className={`list-item${current === path ? " active" : ""}`}
              href={`#/${path}`}
              aria-current={current === path ? "page" : undefined}
            >
              <span>{label}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function App() {
  const [state, setState] = useState<SessionState | null>(null);
  const [failure, setFailure] = useState<RegisterError | null>(null);
  const route = useRoute();
  const sync = useSyncPolling(!!state?.open);
  const refresh = useCallback(() => {
    commands
      .sessionState()
      .then(setState)
      .catch((e) => setFailure(asRegisterError(e)));
  }, []);
  useEffect(refresh, [refresh]);

  if (failure) return <div className="container p-4 alert alert-danger">{failure.message}</div>;
  if (!state)
    return (
      <p className="p-4" role="status">
        Apertura del registro…
      </p>
    );
  if (!state.open) return <Welcome state={state} onOpened={setState} />;

  return (
    <Session.Provider value={{ state, refresh }}>
      <Sync.Provider value={sync}>
        <DataGeneration.Provider value={sync.sync?.data_generation ?? 0}>
          <a
            className="visually-hidden-focusable skiplink-item"
            href="#contenuto"
            onClick={(e) => {
              e.preventDefault();
              document.getElementById("contenuto")?.focus();
            }}
          >
            Vai al contenuto
          </a>
          <Header state={state} />
          {state.demo && (
            <div className="raccordo-demo-banner" role="note">
              Registro dimostrativo: contiene i fatti dei testi di origine e dati inventati per mostrare il programma,
              segnati come tali. Non è un registro ufficiale.
            </div>
          )}
          <div className="raccordo-body">
            <Nav current={route.parts[0] ?? ""} />
            <main id="contenuto" tabIndex={-1} className="raccordo-main">
              <Screen parts={route.parts} query={route.query} />
            </main>
          </div>
        </DataGeneration.Provider>
      </Sync.Provider>
    </Session.Provider>
  );
}
