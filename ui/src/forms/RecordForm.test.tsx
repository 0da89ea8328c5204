// The form through Tauri's IPC mock: what the register refuses shows next to its
// field, what the user typed stays, and nothing is sent while a field is wrong.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { RecordForm } from "./RecordForm";
import { blank } from "./schema";

describe("RecordForm", () => {
  it("shows the register's message next to the field and keeps what was typed", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "record_create") {
        throw {
          code: "validation",
          message: "Ente: 1 campo da correggere.",
          fields: [
            {
              field: "fiscal_code",
              code: "fiscal_code_check_digit",
              message: "Codice fiscale: la cifra di controllo non torna.",
            },
          ],
        };
      }
    });
    const saved = vi.fn();
    render(<RecordForm kind="administration" record={blank("administration")} onSaved={saved} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText(/Denominazione/), "Comune di Prova");
    await userEvent.type(screen.getByLabelText(/Codice fiscale/), "00000000001");
    await userEvent.click(screen.getByRole("button", { name: "Crea" }));

    const field = screen.getByLabelText(/Codice fiscale/) as HTMLInputElement;
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    expect(field.value).toBe("00000000001");
    expect((screen.getByLabelText(/Denominazione/) as HTMLInputElement).value).toBe("Comune di Prova");
    const describedBy = field.getAttribute("aria-describedby")!.split(" ");
    const message = describedBy.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
    expect(message).toContain("la cifra di controllo non torna");
    expect(screen.getByRole("alert").textContent).toContain("Non salvato");
    expect(saved).not.toHaveBeenCalled();
    expect(calls).toEqual(["record_create"]);
  });

  it("sends nothing while a required field is empty or a date is impossible", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
    });
    render(<RecordForm kind="agreement" record={blank("agreement")} onSaved={() => {}} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText(/Data di sottoscrizione/), "31/02/2026");
    await userEvent.click(screen.getByRole("button", { name: "Crea" }));
    expect(
      await screen.findByText(/Numero di repertorio: campo obbligatorio/, { selector: ".invalid-feedback" }),
    ).toBeTruthy();
    expect(screen.getByText(/non esiste nel calendario/, { selector: ".invalid-feedback" })).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it("sends the record with Italian input read back into stored values", async () => {
    let sent: unknown = null;
    mockIPC((cmd, payload) => {
      if (cmd === "record_create") {
        sent = (payload as { args: unknown }).args;
        return sent;
      }
    });
    const saved = vi.fn();
    render(
      <RecordForm
        kind="funding_line"
        record={blank("funding_line", { project_id: "01900000-0000-7000-8000-000000000001" })}
        onSaved={saved}
        onCancel={() => {}}
      />,
    );
    await userEvent.type(screen.getByLabelText(/Importo/), "250.000,00");
    await userEvent.click(screen.getByRole("button", { name: "Crea" }));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(sent).toMatchObject({
      kind: "funding_line",
      record: { amount_cents: 25_000_000, source: "pnrr", project_id: "01900000-0000-7000-8000-000000000001" },
    });
  });
});
