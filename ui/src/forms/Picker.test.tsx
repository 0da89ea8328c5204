import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { Picker } from "./Picker";

describe("Picker", () => {
  it("asks the register as the user types and picks by keyboard", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, payload) => {
      if (cmd === "choices") {
        asked.push((payload as { args: unknown }).args);
        return [
          { id: "a", title: "Comune di Lucca", detail: "LU" },
          { id: "b", title: "Provincia di Lucca", detail: "LU" },
        ];
      }
    });
    const changed = vi.fn();
    render(<Picker id="p" kind="administration" value={null} onChange={changed} />);
    const box = screen.getByRole("combobox");
    await userEvent.type(box, "lucca");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));
    expect(asked.at(-1)).toMatchObject({ kind: "administration", text: "lucca" });
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect(changed).toHaveBeenCalledWith("b", "Provincia di Lucca");
    expect((box as HTMLInputElement).value).toBe("Provincia di Lucca");
  });

  it("filters options the screen gives without asking", async () => {
    mockIPC(() => {
      throw new Error("no IPC expected");
    });
    const changed = vi.fn();
    const options = [
      { id: "p1", title: "Comune di Lucca", detail: null },
      { id: "p2", title: "Comune di Capannori", detail: null },
    ];
    render(<Picker id="p" kind="party" value={null} options={options} onChange={changed} />);
    await userEvent.type(screen.getByRole("combobox"), "capa");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    await userEvent.keyboard("{Enter}");
    expect(changed).toHaveBeenCalledWith("p2", "Comune di Capannori");
  });
});
