// Cruscotto: what needs attention today.
import { commands, LABELS } from "../ipc/api";
import { useLoad } from "../lib/useLoad";
import { italianDate, italianDateTime, relativeDays, shortTime } from "../lib/format";
import { hrefOf } from "../lib/router";
import { Empty, ErrorAlert, Loading, ScreenTitle, Section, StatusBadge } from "../components/common";
import { SyncPanel } from "../sync/SyncPanel";
import { CalendarButton } from "../components/SaveButton";

export function Dashboard() {
  const { data, error } = useLoad(() => commands.dashboard(), []);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Loading />;
  const name = (id: string | null) => (id ? (data.names[id] ?? "") : "");
  return (
    <div className="raccordo-dashboard" data-ready="dashboard">
      <ScreenTitle>Cruscotto</ScreenTitle>
      <p className="text-muted">Situazione al {italianDate(data.today)}.</p>
      <div className="row">
        <div className="col-xl-6">
          <Section title={`In scadenza nei prossimi 90 giorni (${data.expiring_total})`} id="expiring">
            {data.expiring.length ? (
              <ul className="list-unstyled" id="dashboard-expiring">
                {data.expiring.map((a) => (
                  <li key={a.id} className="mb-2">
                    <a href={hrefOf("agreement", a.id)}>
                      {a.number} — {a.subject}
                    </a>{" "}
                    <StatusBadge status={a.status} />
                    <div className="small text-muted">
                      scade il {italianDate(a.expires_on)} ({relativeDays(data.today, a.expires_on!)})
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>Nessun protocollo in scadenza.</Empty>
            )}
            {data.expiring_total > data.expiring.length && (
              <a href="#/agreements?expiring=90">Tutti i protocolli in scadenza</a>
            )}
          </Section>
          <Section title="Prossime sedute" id="next-meetings">
            {data.next_meetings.length ? (
              <ul className="list-unstyled" id="dashboard-meetings">
                {data.next_meetings.map((m) => (
                  <li key={m.id} className="mb-2">
                    <a href={hrefOf("meeting", m.id)}>
                      Seduta n. {m.number} del {italianDate(m.date)}
                      {m.starts_at && `, ore ${shortTime(m.starts_at)}`}
                    </a>
                    <div className="small text-muted">
                      {m.table_id ? name(m.table_id) : name(m.agreement_id)}
                      {m.place && ` · ${m.place}`}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>Nessuna seduta in programma.</Empty>
            )}
            <CalendarButton
              meetingId={null}
              label="Calendario da oggi in poi (.ics): sedute, scadenze, impegni, milestone"
              id="dashboard-calendar"
            />
          </Section>
        </div>
        <div className="col-xl-6">
          <Section title="Sincronizzazione con gli uffici partner" id="dashboard-sync">
            <SyncPanel compact />
          </Section>
          <Section title={`Azioni scadute (${data.overdue_actions_total})`} id="overdue-actions">
            {data.overdue_actions.length ? (
              <ul className="list-unstyled">
                {data.overdue_actions.map((a) => (
                  <li key={a.id} className="mb-2">
                    <a href={a.meeting_id ? hrefOf("meeting", a.meeting_id) : hrefOf("agreement", a.agreement_id)}>
                      {a.description}
                    </a>
                    <div className="small text-danger">
                      scaduta il {italianDate(a.due_on)} · {LABELS.WorkStatus[a.status]}
                      {a.owner_id && ` · ${name(a.owner_id)}`}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>Nessuna azione scaduta.</Empty>
            )}
          </Section>
          <Section title={`Impegni scaduti (${data.overdue_commitments_total})`} id="overdue-commitments">
            {data.overdue_commitments.length ? (
              <ul className="list-unstyled">
                {data.overdue_commitments.map((c) => (
                  <li key={c.id} className="mb-2">
                    <a href={hrefOf("agreement", c.agreement_id)}>{c.description}</a>
                    <div className="small text-danger">
                      scaduto il {italianDate(c.due_on)}
                      {c.party_id && ` · ${name(c.party_id)}`}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>Nessun impegno scaduto.</Empty>
            )}
          </Section>
          <Section title="Ultime modifiche" id="recent">
            <ul className="list-unstyled small" id="dashboard-recent">
              {data.recent.map((c) => (
                <li key={c.entry.seq} className="mb-1">
                  {italianDateTime(c.entry.at)} · {c.entry.actor} · {c.kind ? LABELS.Kind[c.kind] : "Elenco ISTAT"}
                  {c.title ? ": " : " "}
                  {c.title && c.kind && hrefOf(c.kind, c.entry.record_id) !== "#/" ? (
                    <a href={hrefOf(c.kind, c.entry.record_id)}>{c.title}</a>
                  ) : (
                    (c.title ?? (c.entry.op === "delete" ? "(eliminato)" : ""))
                  )}
                </li>
              ))}
            </ul>
          </Section>
        </div>
      </div>
    </div>
  );
}
