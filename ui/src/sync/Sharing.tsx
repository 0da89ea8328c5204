// Condivisione: who receives an agreement (or a project outside any agreement) through
// sync, who decides it, who changed it last and from which office; changing it asks
// for a confirmation that says who will gain it or lose it. A copy the hub no longer
// shares with this office is marked so (`RecordSync.tsx`), and its screen offers no edits.
import { useState } from "react";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { commands, asRegisterError, LABELS, type RegisterError, type Scope, type Sharing } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { LastChangeLine } from "./describe";

export type SharedKind = "agreement" | "project";

/** Who receives the record; `wanted` false (a project inside an agreement, which
 *  follows its agreement's sharing) asks nothing. */
export function useSharing(kind: SharedKind, id: string, wanted = true) {
  return useLoad(() => (wanted ? commands.sharing({ kind, id }) : Promise.resolve(null)), [kind, id, wanted]);
}

/** Each scope with its label (the register's own) and what it means. */
const SCOPES: { value: Scope; label: string }[] = [
  { value: "privato", label: `${LABELS.Scope.privato}: resta su questo PC` },
  { value: "parti", label: `${LABELS.Scope.parti}: l'ufficio che l'ha registrato e gli enti che ne sono parte` },
  { value: "rete", label: `${LABELS.Scope.rete}: tutti gli uffici collegati al hub` },
];

function list(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} e ${names[names.length - 1]}`;
}

/** Who receives it under `scope`, in words. */
function receivers(s: Sharing, scope: Scope): string {
  const registrar = s.registrar ?? (s.registered_here ? "questo ufficio" : "l'ufficio");
  if (scope === "privato") return "nessun altro ufficio: resta su questo PC";
  if (scope === "rete") return "tutti gli uffici collegati al hub";
  const others = s.parties.filter((p) => p !== s.registrar);
  return others.length ? `${registrar} (che l'ha registrato) e ${list(others)}` : `${registrar} (che l'ha registrato)`;
}

/** What changing from `from` to `to` means for the other offices. */
function consequence(s: Sharing, from: Scope, to: Scope): string {
  const parties = s.parties.filter((p) => p !== s.registrar);
  const theirs = parties.length ? list(parties) : "gli enti che ne sono parte";
  const rank: Record<Scope, number> = { privato: 0, parti: 1, rete: 2 };
  if (rank[to] > rank[from]) {
    const gain =
      from === "privato" && to === "parti"
        ? theirs
        : to === "rete" && from === "parti"
          ? "tutti gli altri uffici del hub"
          : "tutti gli uffici del hub";
    return `Lo riceveranno ${gain}, con tutta la sua storia, alla prossima sincronizzazione.`;
  }
  const lose =
    to === "privato" && from === "parti"
      ? theirs
      : to === "parti"
        ? "gli uffici che non ne sono parte"
        : "tutti gli altri uffici";
  return `Non lo riceveranno più ${lose}: le copie che hanno già restano, in sola lettura, ma non ricevono altre modifiche.`;
}

export function SharingSection({
  kind,
  id,
  sharing,
  reload,
}: {
  kind: SharedKind;
  id: string;
  sharing: Sharing;
  reload: () => void;
}) {
  const [choice, setChoice] = useState<Scope>(sharing.scope);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<RegisterError | null>(null);
  const change = () =>
    commands
      .share({ kind, id, scope: choice })
      .then(() => {
        setAsking(false);
        setError(null);
        reload();
      })
      .catch((e) => setError(asRegisterError(e)));
  const last = sharing.last_change;
  return (
    <div id="sharing">
      <p className="mb-1">
        Condivisione: <strong id="sharing-scope">{SCOPES.find((x) => x.value === sharing.scope)?.label}</strong>
      </p>
      <p className="small mb-1" id="sharing-receivers">
        Lo ricevono: {receivers(sharing, sharing.scope)}.
        {!sharing.joined && sharing.scope !== "privato" && " Il registro non è ancora collegato a un hub."}
      </p>
      {last && <LastChangeLine last={last} id="sharing-last-change" />}
      {sharing.registered_here ? (
        <div className="d-flex flex-wrap gap-2 align-items-end">
          <div>
            <label htmlFor="sharing-choice" className="small d-block">
              Chi lo riceve
            </label>
            <select
              id="sharing-choice"
              className="form-select form-select-sm"
              value={choice}
              onChange={(e) => setChoice(e.target.value as Scope)}
            >
              {SCOPES.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
          </div>
          <Button
            size="sm"
            outline
            disabled={choice === sharing.scope}
            onClick={() => setAsking(true)}
            id="sharing-change"
          >
            Cambia la condivisione
          </Button>
        </div>
      ) : (
        <p className="small mb-0">
          Solo l'ufficio che l'ha registrato ({sharing.registrar ?? "un'altra installazione, senza ufficio impostato"})
          può cambiarla.
        </p>
      )}
      {asking && (
        <ConfirmDialog
          title="Cambiare la condivisione?"
          action="Cambia"
          actionId="sharing-confirm"
          error={error}
          onConfirm={change}
          onClose={() => setAsking(false)}
        >
          <p id="sharing-consequence">{consequence(sharing, sharing.scope, choice)}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
