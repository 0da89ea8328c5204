// Impostazioni: the office this installation belongs to and the user's name, which
// the history records with every change; sync; the copies of the register; the
// reminders; the trusted list the signers are checked on.
import { useState, type FormEvent } from "react";
import { Button } from "../components/Button";
import { commands, asRegisterError } from "../ipc/api";
import { useSession } from "../app/session";
import { ScreenTitle, Section } from "../components/common";
import { Picker } from "../forms/Picker";
import { TrustedListSettings } from "../components/TrustedListSettings";
import { SyncSettings } from "../sync/SyncSettings";
import { BackupSettings } from "../backups/BackupSettings";
import { ReminderSettings } from "../reminders/ReminderSettings";

export function SettingsScreen() {
  const { state, refresh } = useSession();
  const [office, setOffice] = useState<{ id: string; title: string } | null>(
    state.settings?.office_id ? { id: state.settings.office_id, title: state.office_name ?? "" } : null,
  );
  const [user, setUser] = useState(state.settings?.user_name ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await commands.settingsSave({ office_id: office?.id ?? null, user_name: user });
      setErrors({});
      setMessage({ ok: true, text: "Impostazioni salvate." });
      refresh();
    } catch (err) {
      const re = asRegisterError(err);
      setErrors(Object.fromEntries(re.fields.map((f) => [f.field, f.message])));
      setMessage({ ok: false, text: re.code === "validation" ? "Non salvato: correggi i campi segnati." : re.message });
    }
  };
  return (
    <div>
      <ScreenTitle>Impostazioni</ScreenTitle>
      <form onSubmit={submit} noValidate className="col-lg-8">
        {message && (
          <div
            className={`alert ${message.ok ? "alert-success" : "alert-danger"}`}
            role={message.ok ? "status" : "alert"}
          >
            {message.text}
          </div>
        )}
        <div className="form-group">
          <label htmlFor="settings-office" className="active">
            Ufficio di questa installazione
          </label>
          <Picker
            id="settings-office"
            kind="administration"
            value={office?.id ?? null}
            title={office?.title}
            invalid={!!errors.office_id}
            describedBy={errors.office_id ? "settings-office-error" : "settings-office-help"}
            onChange={(id, title) => setOffice(id ? { id, title } : null)}
          />
          <small id="settings-office-help" className="form-text">
            L'ente per cui lavora l'ufficio, dall'elenco ISTAT o tra quelli inseriti a mano.
          </small>
          {errors.office_id && (
            <div id="settings-office-error" className="invalid-feedback d-block">
              {errors.office_id}
            </div>
          )}
        </div>
        <div className="form-group">
          <label htmlFor="settings-user" className="active">
            Nome dell'utente *
          </label>
          <input
            id="settings-user"
            type="text"
            className={`form-control${errors.user_name ? " is-invalid" : ""}`}
            value={user}
            onChange={(e) => setUser(e.target.value)}
            aria-invalid={!!errors.user_name || undefined}
            aria-describedby={errors.user_name ? "settings-user-error" : "settings-user-help"}
            aria-required
          />
          <small id="settings-user-help" className="form-text">
            Il registro delle modifiche lo annota accanto a ogni modifica.
          </small>
          {errors.user_name && (
            <div id="settings-user-error" className="invalid-feedback d-block">
              {errors.user_name}
            </div>
          )}
        </div>
        <Button type="submit" color="primary">
          Salva
        </Button>
      </form>
      <Section title="Sincronizzazione" id="sync">
        <SyncSettings />
      </Section>
      <Section title="Copia di sicurezza" id="backup">
        <BackupSettings />
      </Section>
      <Section title="Promemoria" id="reminders-section">
        <ReminderSettings />
      </Section>
      <Section title="Elenco di fiducia" id="trusted-list">
        <TrustedListSettings />
      </Section>
      <Section title="Registro" id="register-file">
        <p className="small mb-1">
          File: <code>{state.path}</code>
        </p>
        <p className="small">
          Installazione: <code>{state.settings?.site_id}</code>
        </p>
      </Section>
    </div>
  );
}
