// Sincronizzazione: the state of sync, then every conflict waiting for a person, with
// the record, the field, both values, who wrote each and when, and the ways out: keep
// one value or type another; restore or let go what a delete cut off; for two records
// sharing a key, renumber one or combine the two. Each resolution is a change that
// reaches the partner offices at the next sync.
import { useState } from "react";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Empty, ErrorAlert, Loading, ScreenTitle, Section } from "../components/common";
import {
  commands,
  asRegisterError,
  LABELS,
  type Conflict,
  type ConflictList,
  type HeldChange,
  type RegisterError,
  type ResolveArgs,
} from "../ipc/api";
import { italianDateTime } from "../lib/format";
import { hrefOf } from "../lib/router";
import { useLoad } from "../lib/useLoad";
import { fieldLabel, shown, WHAT, Who, type Side } from "../sync/describe";
import { SyncPanel } from "../sync/SyncPanel";
import { useSync } from "../sync/state";

function ValueBox({ title, side, list, lost }: { title: string; side: Side; list: ConflictList; lost?: boolean }) {
  return (
    <div className="col-md-6">
      <div className={`border rounded p-2 h-100${lost ? " border-warning" : ""}`}>
        <div className="small">{title}</div>
        <div className="raccordo-conflict-value">{shown(side.value)}</div>
        <div>
          <Who side={side} writers={list} />
        </div>
      </div>
    </div>
  );
}

function FieldConflict({ c, list, resolve }: { c: Conflict; list: ConflictList; resolve: (a: ResolveArgs) => void }) {
  const detail = c.detail as { kept: Side; lost: Side };
  const [typed, setTyped] = useState("");
  const inputId = `conflict-${c.id}-value`;
  return (
    <>
      <div className="row g-3 mb-2">
        <ValueBox title="Valore in uso" side={detail.kept} list={list} />
        <ValueBox title="Valore non applicato" side={detail.lost} list={list} lost />
      </div>
      <div className="d-flex flex-wrap gap-2 align-items-end">
        <Button size="sm" onClick={() => resolve({ id: c.id, how: "keep_stored", value: null })}>
          Tieni il valore in uso
        </Button>
        <Button size="sm" outline onClick={() => resolve({ id: c.id, how: "keep_lost", value: null })}>
          Tieni il valore non applicato
        </Button>
        <form
          className="d-flex gap-2 align-items-end"
          onSubmit={(e) => {
            e.preventDefault();
            resolve({ id: c.id, how: "value", value: typed });
          }}
        >
          <div>
            <label htmlFor={inputId} className="small d-block">
              Oppure un altro valore
            </label>
            <input
              id={inputId}
              className="form-control form-control-sm"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
          <Button size="sm" outline type="submit" disabled={!typed.trim()}>
            Usa questo valore
          </Button>
        </form>
      </div>
    </>
  );
}

function DeleteConflict({ c, resolve }: { c: Conflict; resolve: (a: ResolveArgs) => void }) {
  return (
    <div className="d-flex flex-wrap gap-2">
      <Button size="sm" onClick={() => resolve({ id: c.id, how: "restore", value: null })}>
        Ripristina come nuovo
      </Button>
      <Button size="sm" outline onClick={() => resolve({ id: c.id, how: "let_go", value: null })}>
        Lascia eliminato
      </Button>
    </div>
  );
}

function KeyConflict({ c, list, done }: { c: Conflict; list: ConflictList; done: () => void }) {
  const records = ((c.detail as { records?: string[] }).records ?? []).filter(Boolean);
  const [combining, setCombining] = useState<{ kept: string; absorbed: string } | null>(null);
  const [error, setError] = useState<RegisterError | null>(null);
  const combinable = c.kind === "administration" || c.kind === "person";
  const name = (id: string) => list.names[id] ?? id;
  const combine = () =>
    combining &&
    commands
      .syncCombine({ kind: c.kind, ...combining })
      .then(() => {
        setCombining(null);
        done();
      })
      .catch((e) => setError(asRegisterError(e)));
  return (
    <>
      <ul>
        {records.map((id) => (
          <li key={id}>
            <a href={hrefOf(c.kind, id)}>{name(id)}</a>
          </li>
        ))}
      </ul>
      {combinable ? (
        <div className="d-flex flex-wrap gap-2">
          {records.length === 2 &&
            [0, 1].map((k) => (
              <Button
                key={k}
                size="sm"
                outline={k === 1}
                onClick={() => setCombining({ kept: records[k], absorbed: records[1 - k] })}
              >
                Unisci in «{name(records[k])}»
              </Button>
            ))}
        </div>
      ) : (
        <p className="small mb-0">
          Per risolverlo, apri uno dei due e cambia il valore (per un protocollo, rinumeralo): il conflitto si chiude da
          solo.
        </p>
      )}
      {combining && (
        <ConfirmDialog
          title="Unire i due record?"
          action="Unisci"
          actionId="combine-confirm"
          error={error}
          onConfirm={combine}
          onClose={() => setCombining(null)}
        >
          <p>
            Resta <strong>{name(combining.kept)}</strong>; <strong>{name(combining.absorbed)}</strong> viene eliminato e
            tutto ciò che lo richiamava (parti di protocolli, incarichi, firme, partecipazioni) passa al primo. I campi
            vuoti del primo prendono i valori del secondo. L'unione raggiunge gli uffici partner alla prossima
            sincronizzazione.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ConflictCard({
  c,
  list,
  resolve,
  reload,
}: {
  c: Conflict;
  list: ConflictList;
  resolve: (a: ResolveArgs) => void;
  reload: () => void;
}) {
  const title = list.names[c.record_id];
  const lostChange = (c.detail as { lost?: Side }).lost;
  return (
    <li className="card card-bg mb-3 raccordo-conflict" data-conflict={c.id}>
      <div className="card-body">
        <h3 className="h6 mb-1">
          {WHAT[c.what]}
          {c.field && c.what !== "key" && `: ${fieldLabel(c.kind, c.field)}`}
          {c.what === "key" && `: ${fieldLabel(c.kind, c.field)} ${shown((c.detail as { value?: unknown }).value)}`}
        </h3>
        <p className="small mb-2">
          {LABELS.Kind[c.kind]}{" "}
          {title && hrefOf(c.kind, c.record_id) !== "#/" ? (
            <a href={hrefOf(c.kind, c.record_id)}>{title}</a>
          ) : (
            (title ?? "(non più presente)")
          )}
        </p>
        {c.what === "field" && <FieldConflict c={c} list={list} resolve={resolve} />}
        {(c.what === "changed_after_delete" || c.what === "under_deleted") && (
          <>
            {lostChange?.at && (
              <div>
                <Who side={lostChange} writers={list} />
              </div>
            )}
            <DeleteConflict c={c} resolve={resolve} />
          </>
        )}
        {c.what === "key" && <KeyConflict c={c} list={list} done={reload} />}
        {c.what === "rule" && (
          <ul className="small mb-0">
            {((c.detail as { messages?: string[] }).messages ?? []).map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

/** Changes stamped too far ahead of this PC's clock: they wait for it, or a person
 *  applies them now, or refuses them: a refused change is applied and undone by a
 *  change of this office, which every other office applies after it, so that all end
 *  the same. */
function HeldChanges({
  list,
  accept,
  reject,
}: {
  list: ConflictList;
  accept: (h: HeldChange) => void;
  reject: (h: HeldChange) => Promise<void>;
}) {
  const [refusing, setRefusing] = useState<HeldChange | null>(null);
  const [error, setError] = useState<RegisterError | null>(null);
  if (!list.held.length) return null;
  return (
    <Section title={`Modifiche datate nel futuro (${list.held.length})`} id="held">
      <p className="small">
        Un altro ufficio ha inviato modifiche con l'orologio avanti rispetto a questo PC: non sono state applicate. Si
        applicano da sole quando l'orologio le raggiunge; se l'ufficio che le ha scritte conferma che sono giuste,
        applicale ora; se non lo sono, respingile. Se l'orologio sbagliato è quello dell'altro PC, chiedi a
        quell'ufficio di correggerlo.
      </p>
      <ul className="list-unstyled" id="held-list">
        {list.held.map((h) => (
          <li key={`${h.site}-${h.hlc}`} className="card card-bg mb-3">
            <div className="card-body">
              <p className="mb-1">
                {LABELS.Kind[h.kind]}{" "}
                {h.title && hrefOf(h.kind, h.record_id) !== "#/" ? (
                  <a href={hrefOf(h.kind, h.record_id)}>{h.title}</a>
                ) : (
                  (h.title ?? "(nuovo)")
                )}
                {h.fields.length > 0 && `: ${h.fields.map((f) => fieldLabel(h.kind, f)).join(", ")}`}
              </p>
              <p className="small text-muted">
                {h.actor || "autore non indicato"}
                {h.office && ` · ${h.office}`} · datata {italianDateTime(h.stamped_at)}
              </p>
              <div className="d-flex flex-wrap gap-2">
                <Button size="sm" outline onClick={() => accept(h)}>
                  Applica ora
                </Button>
                <Button size="sm" outline color="danger" onClick={() => setRefusing(h)}>
                  Respingi
                </Button>
              </div>
            </div>
          </li>
        ))}
      </ul>
      {refusing && (
        <ConfirmDialog
          title="Respingere questa modifica?"
          action="Respingi"
          actionId="held-reject-confirm"
          error={error}
          onConfirm={() =>
            reject(refusing)
              .then(() => {
                setRefusing(null);
                setError(null);
              })
              .catch((e) => setError(asRegisterError(e)))
          }
          onClose={() => setRefusing(null)}
        >
          <p id="held-reject-consequence">
            La modifica viene annullata da una modifica di questo ufficio, che raggiunge gli altri uffici alla prossima
            sincronizzazione: ovunque il record torna com'era (un record nuovo viene eliminato, uno eliminato torna come
            nuovo record). L'orologio di questo PC viene portato avanti fino alla data della modifica.
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}

export function SyncScreen() {
  const { data, error, reload } = useLoad(() => commands.syncConflicts(), []);
  const { sync } = useSync();
  const [failure, setFailure] = useState<RegisterError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const resolve = (args: ResolveArgs) =>
    commands
      .syncResolve(args)
      .then(() => {
        setFailure(null);
        setDone("Conflitto risolto: la soluzione raggiunge gli uffici partner alla prossima sincronizzazione.");
        reload();
      })
      .catch((e) => setFailure(asRegisterError(e)));
  const reject = (h: HeldChange) =>
    commands.syncRejectHeld({ site: h.site, hlc: h.hlc }).then(() => {
      setFailure(null);
      setDone("Modifica respinta: l'annullamento raggiunge gli uffici partner alla prossima sincronizzazione.");
      reload();
    });
  const accept = (h: HeldChange) =>
    commands
      .syncAcceptHeld({ site: h.site, hlc: h.hlc })
      .then(() => {
        setFailure(null);
        setDone("Modifica applicata: l'orologio di questo PC è stato portato avanti fino alla sua data.");
        reload();
      })
      .catch((e) => setFailure(asRegisterError(e)));
  return (
    <div data-ready={data ? "sync" : undefined}>
      <ScreenTitle>Sincronizzazione</ScreenTitle>
      <Section title="Stato" id="sync-state">
        <SyncPanel />
      </Section>
      <Section title={`Conflitti${data ? ` (${data.conflicts.length})` : ""}`} id="conflicts">
        {done && (
          <div className="alert alert-success" role="status">
            {done}
          </div>
        )}
        <ErrorAlert error={failure ?? error} />
        {!data ? (
          <Loading />
        ) : data.conflicts.length ? (
          <ul className="list-unstyled" id="conflict-list">
            {data.conflicts.map((c) => (
              <ConflictCard key={c.id} c={c} list={data} resolve={resolve} reload={reload} />
            ))}
          </ul>
        ) : (
          <Empty>
            {sync?.joined ? "Nessun conflitto in attesa." : "Nessun conflitto: il registro non è collegato a un hub."}
          </Empty>
        )}
      </Section>
      {data && <HeldChanges list={data} accept={accept} reject={reject} />}
    </div>
  );
}
