/// <reference types="node" />
// Italian as a person writes it, kept so: every stored code has a label and the screens
// show the label; every count agrees with its noun ("1 risultato", never "1 risultati");
// one dash joins the parts of a title; no file-format jargon in a message. Read from
// the sources of the window and of the Rust crates whose messages reach the screen.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LABELS } from "../ipc/bindings";

// Vitest runs in ui/ (its config's folder).
const root = join(process.cwd(), "..");

function sources(dir: string, ext: RegExp): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path, ext));
    else if (ext.test(name) && !/\.test\.tsx?$/.test(name) && name !== "bindings.ts")
      out.push({ path: relative(root, path), text: readFileSync(path, "utf8") });
  }
  return out;
}

const window = sources(join(root, "ui/src"), /\.tsx?$/);
const crates = ["raccordo-register", "raccordo-ipc", "raccordo-documents", "raccordo-cli"].flatMap((c) =>
  sources(join(root, "src-tauri/crates", c, "src"), /\.rs$/),
);

/** The lines of `files` that match `pattern`, outside comments, as "file:line: text". */
function linesMatching(files: { path: string; text: string }[], pattern: RegExp, unless?: RegExp): string[] {
  const found: string[] = [];
  for (const f of files) {
    f.text.split("\n").forEach((line, i) => {
      const code = line.trim();
      if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) return;
      if (pattern.test(line) && !(unless && unless.test(line))) found.push(`${f.path}:${i + 1}: ${code}`);
    });
  }
  return found;
}

// The nouns the screens and messages count.
const PLURALS =
  "risultati|protocolli|sedute|presenti|giorni|mesi|righe|modifiche|enti|persone|progetti|firme|allegati|voci|" +
  "impegni|azioni|punti|componenti|firmatari|voti|conflitti|pagine|caratteri|file allegati";

describe("Italian on screen", () => {
  it("gives every stored code an Italian label that is not the code", () => {
    const bad: string[] = [];
    for (const [type, labels] of Object.entries(LABELS)) {
      for (const [code, label] of Object.entries(labels as Record<string, string>)) {
        if (!label.trim() || label.includes("_") || (label === code && /[a-z]/.test(code[0])))
          bad.push(`${type}.${code} → «${label}»`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("shows labels, not stored codes, for the enums of a record", () => {
    // `{x.status}` straight into the page would show "in_corso"; LABELS.WorkStatus[x.status] reads "In corso".
    const raw = linesMatching(
      window.filter((f) => f.path.endsWith(".tsx")),
      // A value in braces not given to a prop (`=`), an index (`[`) or a call (`(`), nor
      // part of an element's id (`filter-${p.kind}`).
      /(^|[^[\w=($]|[^\w-]\$)\{\s*[a-z]\w*\.(status|kind|role|method|presence|source|renewal|capacity|vote|minutes_status|origin)\s*\}/,
    );
    expect(raw).toEqual([]);
  });

  it("makes every count agree with its noun", () => {
    // A number straight before a plural noun reads "1 risultati" when it is 1: such
    // counts go through count() (the window) or words::count (Rust). A line that
    // handles 1 itself (`== 1`, `=== 1`) is fine.
    const inWindow = linesMatching(window, new RegExp(`\\$\\{[^}]+\\}\\s+(${PLURALS})\\b`), /===? 1\b/);
    const inRust = linesMatching(crates, new RegExp(`\\{[a-z_.]*\\}\\s+(${PLURALS})\\b`), /== 1\b/);
    expect([...inWindow, ...inRust]).toEqual([]);
  });

  it("joins the parts of a title with one dash, the long one", () => {
    // "2007/12 — Oggetto": the register's titles use " — "; a second style ("–") in a
    // few screens read as two kinds of title.
    const strings = /["'`][^"'`]*\s–\s[^"'`]*["'`]/;
    expect([...linesMatching(window, strings), ...linesMatching(crates, strings)]).toEqual([]);
  });

  it("keeps file-format jargon out of the messages", () => {
    // What a person reads says what is wrong with the file, not which PDF key is missing.
    const jargon =
      /(Error::new|bad_request|failed|unreadable|format!)\(.*(\/ByteRange|\/Contents|\/Sig\b|SignerInfo|SignedData|\bOID\b|\bDER\b|ASN\.1)/;
    expect(linesMatching(crates, jargon)).toEqual([]);
  });
});
