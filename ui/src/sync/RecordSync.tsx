// What sync means for one record, beside its history: who changed it last and from
// which office, the notice of a copy no longer shared (read-only), and its conflicts:
// those waiting (resolved on the Sincronizzazione screen) and those a person resolved,
// with both values, who wrote each and how it ended.
import { commands, type Conflict, type Kind, type RecordSync, type Settled } from "../ipc/api";
import { hrefOf } from "../lib/router";
import { useLoad } from "../lib/useLoad";
import { fieldLabel, LastChangeLine, shown, WHAT, Who, type Side, type Writers } from "./describe";

export function useRecordSync(kind: Kind, id: string, version?: unknown) {
  return useLoad(() => commands.recordSync({ kind, id }), [kind, id, version]);
}

export function UnsharedNotice({ unshared }: { unshared: boolean | undefined }) {
  if (!unshared) return null;
  return (
    <div className="alert alert-warning" role="note" id="unshared-notice">
      Non più condiviso con questo ufficio: è una copia in sola lettura, che non riceve altre modifiche.
    </div>
  );
}

function OpenConflict({ c, kind }: { c: Conflict; kind: Kind }) {
  return (
    <li className="mb-2">
      <strong>In attesa</strong> · {WHAT[c.what]}
      {c.field && c.what !== "key" && `: ${fieldLabel(kind, c.field)}`} ·{" "}
      <a href="#/sync">risolvilo in Sincronizzazione</a>
    </li>
  );
}

const ENDED: Record<Settled["outcome"], string> = {
  kept: "tenuto",
  typed: "scritto un altro valore",
  let_go: "lasciate andare: il record resta eliminato",
  restored: "ripristinato come nuovo record",
  changed: "cambiato il valore di uno dei due",
  removed: "uno dei due eliminato, o unito all'altro",
};

/** A side of a key collision names its record. */
type KeySide = Side & { record_id?: string };

function SettledConflict({ s, kind, writers }: { s: Settled; kind: Kind; writers: Writers }) {
  const sides = s.sides as Side[];
  const resolution = s.resolution as Side;
  const copy = s.restored_as;
  return (
    <li className="mb-2 raccordo-settled-conflict">
      <div>
        <strong>Risolto</strong> · {WHAT[s.what]}
        {s.field && `: ${fieldLabel(kind, s.field)}`}
      </div>
      {sides.length > 0 && (
        <ul className="small mb-1">
          {sides.map((side, i) => (
            <li key={i}>
              {s.what === "field" || s.what === "key"
                ? shown(side.value)
                : Object.keys((side.value ?? {}) as object)
                    .filter((f) => f !== "id")
                    .map((f) => fieldLabel(kind, f))
                    .join(", ") || "modifica"}
              {s.what === "key" && (side as KeySide).record_id && (
                <> ({writers.names[(side as KeySide).record_id!] ?? "record non più presente"})</>
              )}{" "}
              <Who side={side} writers={writers} />
            </li>
          ))}
        </ul>
      )}
      <div className="small">
        Esito: {ENDED[s.outcome]}
        {(s.what === "field" || s.outcome === "changed") && ` ${shown(resolution.value)}`}
        {copy && (
          <>
            {" "}
            (<a href={hrefOf(kind, copy)}>{writers.names[copy] ?? "la copia"}</a>)
          </>
        )}{" "}
        — <Who side={resolution} writers={writers} />
      </div>
    </li>
  );
}

/** The record's last change (unless the screen shows it elsewhere), and its conflicts
 *  when it has any. */
export function RecordSyncInfo({
  kind,
  data,
  lastChange = true,
}: {
  kind: Kind;
  data: RecordSync;
  lastChange?: boolean;
}) {
  const any = data.open.length + data.settled.length > 0;
  return (
    <div id="record-sync">
      {lastChange && data.last_change && (data.joined || !data.last_change.here) && (
        <LastChangeLine last={data.last_change} id="record-last-change" />
      )}
      {any && (
        <>
          <h3 className="h6">Conflitti con altri uffici</h3>
          <ul className="list-unstyled" id="record-conflicts">
            {data.open.map((c) => (
              <OpenConflict key={c.id} c={c} kind={kind} />
            ))}
            {data.settled.map((s, i) => (
              <SettledConflict key={i} s={s} kind={kind} writers={data} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
