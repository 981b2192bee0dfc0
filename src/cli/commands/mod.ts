/**
 * Every `pxos` command, in the order `pxos --help` lists them. Each lives in its own module,
 * loaded only when that command runs (or when the full help is printed): a command's module
 * graph (engines, the WebAssembly toolchain, the image codecs) costs nothing to the others.
 *
 * @module
 */
import type { Command } from "../command.ts";

/** A command's name and how to load it. */
export interface CommandEntry {
  /** The word after `pxos`. */
  readonly name: string;
  /** Imports the command's module and returns the command. */
  load(): Promise<Command>;
}

/** All commands. Add a new command's module here (one line). */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "boot", load: async () => (await import("./boot.ts")).bootCommand },
  { name: "run", load: async () => (await import("./run.ts")).runCommand },
  { name: "replay", load: async () => (await import("./replay.ts")).replayCommand },
  { name: "serve", load: async () => (await import("./serve.ts")).serveCommand },
  { name: "export", load: async () => (await import("./serve.ts")).exportCommand },
  { name: "pack", load: async () => (await import("./pack.ts")).packCommand },
  { name: "new", load: async () => (await import("./new.ts")).newCommand },
  { name: "unpack", load: async () => (await import("./unpack.ts")).unpackCommand },
  { name: "ls", load: async () => (await import("./ls.ts")).lsCommand },
  { name: "inspect", load: async () => (await import("./inspect.ts")).inspectCommand },
  { name: "verify", load: async () => (await import("./verify.ts")).verifyCommand },
  { name: "asm", load: async () => (await import("./asm.ts")).asmCommand },
  { name: "compile", load: async () => (await import("./asm.ts")).compileCommand },
  { name: "disasm", load: async () => (await import("./disasm.ts")).disasmCommand },
  { name: "link", load: async () => (await import("./link.ts")).linkCommand },
  { name: "pxi", load: async () => (await import("./pxi.ts")).pxiCommand },
  { name: "render", load: async () => (await import("./render.ts")).renderCommand },
  { name: "keygen", load: async () => (await import("./keygen.ts")).keygenCommand },
  { name: "sign", load: async () => (await import("./sign.ts")).signCommand },
];
