// The history of any record, loaded on its own.
import { commands, type Kind } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { ErrorAlert, Loading, Section } from "./common";
import { History } from "./History";

export function RecordHistory({ kind, id, version }: { kind: Kind; id: string; version?: unknown }) {
  const { data, error } = useLoad(() => commands.history({ kind, id }), [kind, id, version]);
  return (
    <Section title="Registro delle modifiche" id="history">
      <ErrorAlert error={error} />
      {data ? <History entries={data} /> : !error && <Loading />}
    </Section>
  );
}
