/**
 * Every `pxos` command, in the order `pxos --help` lists them. Each lives in its own module.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { asmCommand, compileCommand } from "./asm.ts";
import { disasmCommand } from "./disasm.ts";
import { linkCommand } from "./link.ts";
import { runCommand } from "./run.ts";

/** All commands. Add a new command's module here (one line). */
export const COMMANDS: readonly Command[] = [
  runCommand,
  asmCommand,
  compileCommand,
  disasmCommand,
  linkCommand,
];
