// 100,000 agreements: the list asks for pages as it scrolls and keeps only the rows in view.
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { AgreementList } from "./AgreementList";

const TOTAL = 100_000;

describe("AgreementList", () => {
  it("shows the count of the whole register and renders only a window of rows", async () => {
    const offsets: number[] = [];
    mockIPC((cmd, payload) => {
      if (cmd === "agreements_page") {
        const { offset, limit } = (payload as { args: { offset: number; limit: number } }).args;
        offsets.push(offset);
        const rows = Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) => ({
          id: `id-${offset + i}`,
          number: `2026/${offset + i + 1}`,
          kind: "protocollo_intesa",
          subject: `Protocollo ${offset + i + 1}`,
          status: "vigente",
          signed_on: "2026-01-10",
          expires_on: "2027-01-10",
        }));
        return { rows, total: TOTAL, offset };
      }
      return [];
    });
    render(<AgreementList />);
    await waitFor(() => expect(screen.getByText("100.000 protocolli")).toBeTruthy());
    const rendered = document.querySelectorAll("#agreements-table tbody tr[aria-rowindex]");
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(100);
    expect(screen.getByText("2026/1")).toBeTruthy();
    expect(offsets).toEqual([0]);
    expect(document.getElementById("agreements-table")!.getAttribute("aria-rowcount")).toBe(String(TOTAL + 1));
  });
});
