// Ricerca: the whole register, accents and case ignored; each hit opens its screen.
import { useState, type FormEvent } from "react";
import { commands, LABELS } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { go, hrefOf } from "../lib/router";
import { Empty, ErrorAlert, ScreenTitle } from "../components/common";
import { count } from "../lib/format";

/** The snippet with the matched words («…») as <mark>. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/«|»/);
  return <>{parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>))}</>;
}

export function SearchScreen({ text }: { text: string }) {
  const [typed, setTyped] = useState(text);
  const { data, error, loading } = useLoad(
    () => (text ? commands.search({ text, limit: 50 }) : Promise.resolve([])),
    [text],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(`/search?q=${encodeURIComponent(typed.trim())}`);
  };
  return (
    <div>
      <ScreenTitle>Ricerca</ScreenTitle>
      <form role="search" className="d-flex gap-2 mb-3 col-lg-8" onSubmit={submit}>
        <label htmlFor="search-text" className="visually-hidden">
          Testo da cercare
        </label>
        <input
          id="search-text"
          type="search"
          className="form-control"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder="Per esempio: fatturazione elettronica, città, Lucca"
        />
        <button type="submit" className="btn btn-primary">
          Cerca
        </button>
      </form>
      <ErrorAlert error={error} />
      {text && !loading && data && (
        <p role="status" aria-live="polite">
          {data.length === 0
            ? `Nessun risultato per «${text}».`
            : `${count(data.length, "risultato", "risultati")} per «${text}».`}
        </p>
      )}
      {!text && <Empty>Scrivi una o più parole: la ricerca ignora accenti e maiuscole.</Empty>}
      <ol className="list-unstyled raccordo-results" id="search-results">
        {data?.map((f) => (
          <li key={`${f.hit.kind}-${f.hit.id}`} className="mb-3">
            <a href={hrefOf(f.open_kind, f.open_id)} className="fw-semibold">
              {f.hit.title}
            </a>{" "}
            <span className="badge bg-light text-dark">{LABELS.Kind[f.hit.kind]}</span>
            <div className="small">
              <Snippet text={f.hit.snippet} />
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
