/** Shared helpers for the PohLang tests: run a source on one engine and capture what it did. */
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";
import { runPohSource } from "../../../src/engines/poh/mod.ts";
import { PxosError } from "../../../src/errors.ts";

/** What one run produced. */
export interface Outcome {
  out: string;
  error?: { code: string; message: string };
  /** Fuel the run used (when it finished). */
  fuelUsed?: number;
}

/**
 * Runs `src` as `t.poh` on `engine`, feeding `input` lines to `Ask for`. `vm-interpreted` is
 * the VM with its compiling tier off; `vm-eager` enters every loop's compiled form at its first
 * turn (instead of once it is hot), so short test programs run their loops compiled.
 */
export async function runOn(
  engine: "ast" | "vm" | "vm-interpreted" | "vm-eager",
  src: string,
  input: string[] = [],
  limits: Partial<Limits> = {},
  files?: ReadonlyMap<string, Uint8Array>,
): Promise<Outcome> {
  let out = "";
  const lines = input.slice();
  const host = createHost({
    stdout: (t) => (out += t),
    readLine: () => lines.shift() ?? null,
    cartFiles: files,
  });
  try {
    const r = await runPohSource(src, "t.poh", host, { ...DEFAULT_LIMITS, ...limits }, {
      engine: engine === "ast" ? "ast" : "vm",
      files,
      flags: engine === "vm-interpreted"
        ? { jit: "off" }
        : engine === "vm-eager"
        ? { jit: "eager" }
        : {},
    });
    return { out, fuelUsed: r.fuelUsed };
  } catch (e) {
    if (e instanceof PxosError) return { out, error: { code: e.code, message: e.message } };
    throw e;
  }
}

/** A cartridge file map from path → text. */
export function filesOf(texts: Record<string, string>): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  return new Map(Object.entries(texts).map(([p, t]) => [p, enc.encode(t)]));
}

/**
 * PohLang source written as an indented template literal: the first line break, the trailing
 * blank line and the indentation common to the lines are dropped, so a test program reads as it
 * would in its own file.
 */
export function poh(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? values[i] : ""), "");
  const lines = text.split("\n");
  if (lines[0].trim() === "") lines.shift();
  if (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  const indents = lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join("\n");
}
