/**
 * Every `pxos` command, in the order `pxos --help` lists them. Each lives in its own module,
 * loaded only when that command runs (or when the full help is printed): a command's module
 * graph (engines, the WebAssembly toolchain, the image codecs) costs nothing to the others —
 * not even reading it, which a literal `import("./x.ts")` would cost (`lazy_import.ts`).
 *
 * @module
 */
import type { Command } from "../command.ts";
import { importLazily } from "../../lazy_import.ts";

/** A command's module, imported without Deno reading every command's graph at start-up. */
function command<T>(file: string): Promise<T> {
  return importLazily<T>(new URL(file, import.meta.url));
}

/** A command's name and how to load it. */
export interface CommandEntry {
  /** The word after `pxos`. */
  readonly name: string;
  /** Imports the command's module and returns the command. */
  load(): Promise<Command>;
}

/** All commands. Add a new command's module here (one line). */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "boot",
    load: async () => (await command<typeof import("./boot.ts")>("./boot.ts")).bootCommand,
  },
  {
    name: "run",
    load: async () => (await command<typeof import("./run.ts")>("./run.ts")).runCommand,
  },
  {
    name: "replay",
    load: async () => (await command<typeof import("./replay.ts")>("./replay.ts")).replayCommand,
  },
  {
    name: "serve",
    load: async () => (await command<typeof import("./serve.ts")>("./serve.ts")).serveCommand,
  },
  {
    name: "export",
    load: async () => (await command<typeof import("./serve.ts")>("./serve.ts")).exportCommand,
  },
  {
    name: "pack",
    load: async () => (await command<typeof import("./pack.ts")>("./pack.ts")).packCommand,
  },
  {
    name: "new",
    load: async () => (await command<typeof import("./new.ts")>("./new.ts")).newCommand,
  },
  {
    name: "unpack",
    load: async () => (await command<typeof import("./unpack.ts")>("./unpack.ts")).unpackCommand,
  },
  { name: "ls", load: async () => (await command<typeof import("./ls.ts")>("./ls.ts")).lsCommand },
  {
    name: "inspect",
    load: async () => (await command<typeof import("./inspect.ts")>("./inspect.ts")).inspectCommand,
  },
  {
    name: "verify",
    load: async () => (await command<typeof import("./verify.ts")>("./verify.ts")).verifyCommand,
  },
  {
    name: "asm",
    load: async () => (await command<typeof import("./asm.ts")>("./asm.ts")).asmCommand,
  },
  {
    name: "compile",
    load: async () => (await command<typeof import("./asm.ts")>("./asm.ts")).compileCommand,
  },
  {
    name: "disasm",
    load: async () => (await command<typeof import("./disasm.ts")>("./disasm.ts")).disasmCommand,
  },
  {
    name: "link",
    load: async () => (await command<typeof import("./link.ts")>("./link.ts")).linkCommand,
  },
  {
    name: "pxi",
    load: async () => (await command<typeof import("./pxi.ts")>("./pxi.ts")).pxiCommand,
  },
  {
    name: "render",
    load: async () => (await command<typeof import("./render.ts")>("./render.ts")).renderCommand,
  },
  {
    name: "keygen",
    load: async () => (await command<typeof import("./keygen.ts")>("./keygen.ts")).keygenCommand,
  },
  {
    name: "sign",
    load: async () => (await command<typeof import("./sign.ts")>("./sign.ts")).signCommand,
  },
];
