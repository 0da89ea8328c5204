import { parseDate, parseEuro, parseInteger, parseTime, showDate, showEuro } from "./parse";

describe("parsing what people type", () => {
  it("reads Italian dates and refuses impossible ones", () => {
    expect(parseDate("22/12/2007")).toEqual({ ok: true, value: "2007-12-22" });
    expect(parseDate("1.3.2026")).toEqual({ ok: true, value: "2026-03-01" });
    expect(parseDate("")).toEqual({ ok: true, value: null });
    expect(parseDate("31/02/2026").ok).toBe(false);
    expect(parseDate("dicembre").ok).toBe(false);
    expect(showDate("2007-12-22")).toBe("22/12/2007");
  });

  it("reads euro amounts into cents", () => {
    expect(parseEuro("250.000,00")).toEqual({ ok: true, value: 25_000_000 });
    expect(parseEuro("€ 1234,5")).toEqual({ ok: true, value: 123_450 });
    expect(parseEuro("12,345").ok).toBe(false);
    expect(showEuro(25_000_000)).toBe("250.000,00");
  });

  it("reads times and integers", () => {
    expect(parseTime("9.30")).toEqual({ ok: true, value: "09:30:00" });
    expect(parseTime("25:00").ok).toBe(false);
    expect(parseInteger("12")).toEqual({ ok: true, value: 12 });
    expect(parseInteger("1,5").ok).toBe(false);
    expect(parseInteger("0", 1, 5).ok).toBe(false);
  });
});
