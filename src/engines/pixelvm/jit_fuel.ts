/**
 * Fuel in the compiled tier's source (see `jit_emit.ts`) is written as placeholders while a
 * `case` is emitted, and resolved once it is known whether the code runs as checked code or as
 * one of the unrolled laps of a small self-loop that *prepaid* their common cost.
 *
 * A prepaid lap: the laps of a self-loop run in groups, each under one check that the fuel
 * covers it, and every lap runs at least the cheapest lap's instructions, so that much is charged
 * for all the laps of all the groups the fuel covers at once, before the first (the generated
 * code counts the groups down in `g`); each lap then charges only what its path ran past it, and
 * wherever control leaves the laps (a bail, a return, an edge to another case) the prepaid fuel
 * not used — the rest of this lap's share, the later laps' and the later groups' — is given back.
 * The fuel seen outside the laps is therefore exactly the per-instruction count, while a tight
 * loop's common path does no fuel arithmetic but counting `g` down once per group.
 *
 * @module
 */
import { num } from "./jit_source.ts";

/** Charges `count` instructions when control leaves for another case. */
export const leaveCharge = (count: number): string => `@c${count}@`;
/** Charges `count` instructions at a self-loop's back edge. */
export const lapCharge = (count: number): string => `@s${count}@`;
/** Sets the fuel slot `F[0]` to the fuel left after `count` more instructions (bail, return). */
export const fuelAfter = (count: number): string => `@F${count}@`;

/**
 * The fuel statements of emitted code. Checked code (`prepaid` 0) charges each count as it is;
 * a lap that prepaid `prepaid` instructions for itself and the laps after it (`lapsLeft`, this
 * one included) charges a back edge only past its share and gives the prepaid rest back on
 * leaving, and with `group` > 0 also the `group` prepaid for each group of laps still to come
 * (the generated code counts those groups down in `g`, this one included).
 */
export function resolveFuel(source: string, prepaid = 0, lapsLeft = 0, group = 0): string {
  // What the later groups prepaid: given back wherever control leaves.
  const later = group > 0 ? ` ${num(group)} * (g - 1)` : "";
  return source.replace(/@([csF])(\d+)@/g, (_, kind: string, digits: string) => {
    const count = Number(digits);
    if (kind === "s") return count === prepaid ? "" : `f -= ${num(count - prepaid)};`;
    const owed = count - lapsLeft * prepaid;
    if (kind === "F") return `F[0] = f - ${num(owed)}${later && ` +${later}`};`;
    if (owed === 0 && later === "") return "";
    return `f -= ${num(owed)}${later && ` -${later}`};`;
  });
}
