// The history of any record, loaded on its own, with what sync adds to it: who
// changed it last from which office, and its conflicts with other offices.
import { commands, type Kind } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { RecordSyncInfo, useRecordSync } from "../sync/RecordSync";
import { ErrorAlert, Loading, Section } from "./common";
import { History } from "./History";

export function RecordHistory({ kind, id, version }: { kind: Kind; id: string; version?: unknown }) {
  const { data, error } = useLoad(() => commands.history({ kind, id }), [kind, id, version]);
  const sync = useRecordSync(kind, id, version);
  return (
    <Section title="Registro delle modifiche" id="history">
      <ErrorAlert error={error ?? sync.error} />
      {sync.data && <RecordSyncInfo kind={kind} data={sync.data} />}
      {data ? <History entries={data} /> : !error && <Loading />}
    </Section>
  );
}
