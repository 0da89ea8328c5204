// The header's word on sync: an icon and the state, then the conflicts waiting; a
// click opens the sync screen. A register with no hub says it lives on this PC only.
import { useSync, describe, type Tone } from "./state";
import { count } from "../lib/format";

const ICON: Record<Tone, string> = { ok: "✓", busy: "⟳", waiting: "↑", offline: "⦸", error: "!" };

export function SyncIndicator() {
  const { sync } = useSync();
  if (!sync) return null;
  if (!sync.joined)
    return (
      <a className="raccordo-sync-indicator text-white" href="#/settings" id="sync-indicator">
        Solo su questo PC
      </a>
    );
  const { tone, text } = describe(sync);
  return (
    <a
      className={`raccordo-sync-indicator raccordo-sync-${tone}`}
      href="#/sync"
      id="sync-indicator"
      data-tone={tone}
      title={text}
    >
      <span className="raccordo-sync-icon" aria-hidden="true">
        {ICON[tone]}
      </span>
      <span className="raccordo-sync-text">{text}</span>
      {sync.conflicts > 0 && (
        <span className="badge bg-warning text-dark ms-2" id="sync-conflicts-badge">
          {count(sync.conflicts, "conflitto", "conflitti")}
        </span>
      )}
    </a>
  );
}
