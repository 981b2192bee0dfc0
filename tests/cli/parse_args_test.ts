/** `parseStrictArgs` against `node:util` `parseArgs` (strict, positionals allowed), case by case. */
import { parseArgs } from "node:util";
import { type OptionDefinitions, parseStrictArgs } from "../../src/cli/parse_args.ts";
import { assertEquals } from "../assert.ts";

const OPTIONS: OptionDefinitions = {
  help: { type: "boolean", short: "h" },
  quiet: { type: "boolean", short: "q" },
  yes: { type: "boolean" },
  output: { type: "string", short: "o" },
  trust: { type: "string", multiple: true },
  flag: { type: "boolean", multiple: true, short: "f" },
};

const CASES: string[][] = [
  [],
  ["a"],
  ["a", "b"],
  ["-h"],
  ["--help"],
  ["-qh"],
  ["-hq", "x"],
  ["--yes", "cart.pxa"],
  ["-o", "out"],
  ["-oout"],
  ["--output", "out"],
  ["--output=out"],
  ["--output="],
  ["-o"],
  ["--output"],
  ["-o", "-x"],
  ["--output", "--yes"],
  ["--output", "-"],
  ["-qo", "x"],
  ["-qox"],
  ["-", "a"],
  ["--", "-h", "--yes"],
  ["a", "--", "b"],
  ["--trust", "k1", "--trust=k2"],
  ["-f", "-ff"],
  ["--flag", "--flag"],
  ["--nope"],
  ["-z"],
  ["--yes=1"],
  ["--help=x"],
  ["-qz"],
  ["--toString"],
  ["--__proto__"],
  ["--output", "a", "--output", "b"],
  ["--Yes"],
  ["---x"],
  ["-o", "--"],
  ["x", "-o", "y", "z"],
  ["--trust"],
  ["-o="],
  ["-h=x"],
  ["--=x"],
  ["--", "--"],
];

function nodeParse(args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    return { values: { ...values }, positionals };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function ownParse(args: string[]) {
  try {
    const { values, positionals } = parseStrictArgs(args, OPTIONS);
    return { values: { ...values }, positionals };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

Deno.test("parseStrictArgs gives node:util parseArgs's values, positionals and errors", () => {
  const differences = CASES.filter((args) =>
    JSON.stringify(ownParse(args)) !== JSON.stringify(nodeParse(args))
  ).map((args) => ({ args, own: ownParse(args), node: nodeParse(args) }));
  assertEquals(differences, []);
});
