import { count, euro, italianDate, relativeDays, shortTime } from "./format";

describe("Italian formats", () => {
  it("writes a count with its noun in number", () => {
    expect(count(1, "risultato", "risultati")).toBe("1 risultato");
    expect(count(0, "risultato", "risultati")).toBe("0 risultati");
    expect(count(12500, "protocollo", "protocolli")).toBe("12.500 protocolli");
    // Four digits too, as offices write them (Intl leaves "1200" ungrouped in it-IT).
    expect(count(1200, "modifica", "modifiche")).toBe("1.200 modifiche");
  });

  it("writes dates as offices do", () => {
    expect(italianDate("2007-12-22")).toBe("22 dicembre 2007");
    expect(italianDate("2026-03-01")).toBe("1º marzo 2026");
    expect(italianDate(null)).toBe("");
  });

  it("writes amounts in euro with grouping and two decimals", () => {
    expect(euro(25_000_000)).toBe("€ 250.000,00");
    expect(euro(100_000)).toBe("€ 1.000,00");
    expect(euro(5)).toBe("€ 0,05");
    expect(euro(123_456_789_01)).toBe("€ 123.456.789,01");
  });

  it("says how far a date is", () => {
    expect(relativeDays("2026-11-24", "2026-12-06")).toBe("tra 12 giorni");
    expect(relativeDays("2026-11-24", "2026-11-21")).toBe("3 giorni fa");
    expect(relativeDays("2026-11-24", "2026-11-24")).toBe("oggi");
  });

  it("shortens times", () => {
    expect(shortTime("09:30:00")).toBe("09:30");
  });
});
