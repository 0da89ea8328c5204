// Impostazioni › Promemoria: which reminders the desktop's notifications bring
// (agreements expiring in 90, 30 and 7 days; commitments and actions falling due),
// each once, at start and then daily; and today's list, which `raccordo-cli reminders`
// prints the same.
import { useState } from "react";
import { ErrorAlert, Loading } from "../components/common";
import { commands, asRegisterError, type RegisterError, type RemindersSettings } from "../ipc/api";
import { italianDate } from "../lib/format";
import { hrefOf } from "../lib/router";
import { useLoad } from "../lib/useLoad";

const KINDS: { key: keyof RemindersSettings; label: string }[] = [
  { key: "expiries", label: "Protocolli in scadenza (a 90, 30 e 7 giorni)" },
  { key: "commitments", label: "Impegni in scadenza o scaduti" },
  { key: "actions", label: "Azioni in scadenza o scadute" },
];

export function ReminderSettings() {
  const { data, error, reload } = useLoad(() => commands.remindersState(), []);
  const [problem, setProblem] = useState<RegisterError | null>(null);
  if (!data) return error ? <ErrorAlert error={error} /> : <Loading />;
  const toggle = (key: keyof RemindersSettings) =>
    commands
      .remindersSettings({ ...data.settings, [key]: !data.settings[key] })
      .then(() => {
        setProblem(null);
        reload();
      })
      .catch((e) => setProblem(asRegisterError(e)));
  return (
    <div id="reminders">
      <p className="small">
        Le notifiche del sistema ricordano ciascun promemoria una volta, all'avvio e poi ogni giorno in cui il programma
        è aperto.
      </p>
      <ErrorAlert error={problem} />
      <fieldset className="mb-3">
        <legend className="h6">Ricorda</legend>
        {KINDS.map((k) => (
          <div className="form-check" key={k.key}>
            <input
              id={`reminders-${k.key}`}
              type="checkbox"
              checked={data.settings[k.key]}
              onChange={() => toggle(k.key)}
            />
            <label htmlFor={`reminders-${k.key}`}>{k.label}</label>
          </div>
        ))}
      </fieldset>
      <h3 className="h6">Promemoria di oggi</h3>
      {data.current.length ? (
        <ul className="small" id="reminders-today">
          {data.current.map((r) => {
            const href = r.what === "expiry" ? hrefOf("agreement", r.record_id) : null;
            return (
              <li key={r.key}>
                {italianDate(r.day)}: {href ? <a href={href}>{r.text}</a> : r.text}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="small">Nessun promemoria oggi.</p>
      )}
    </div>
  );
}
