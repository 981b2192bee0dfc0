/**
 * Every `pxos` command, in the order `pxos --help` lists them. Each lives in its own module.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { asmCommand, compileCommand } from "./asm.ts";
import { bootCommand } from "./boot.ts";
import { disasmCommand } from "./disasm.ts";
import { inspectCommand } from "./inspect.ts";
import { keygenCommand } from "./keygen.ts";
import { linkCommand } from "./link.ts";
import { lsCommand } from "./ls.ts";
import { newCommand } from "./new.ts";
import { packCommand } from "./pack.ts";
import { pxiCommand } from "./pxi.ts";
import { renderCommand } from "./render.ts";
import { replayCommand } from "./replay.ts";
import { exportCommand, serveCommand } from "./serve.ts";
import { runCommand } from "./run.ts";
import { signCommand } from "./sign.ts";
import { unpackCommand } from "./unpack.ts";
import { verifyCommand } from "./verify.ts";

/** All commands. Add a new command's module here (one line). */
export const COMMANDS: readonly Command[] = [
  bootCommand,
  runCommand,
  replayCommand,
  serveCommand,
  exportCommand,
  packCommand,
  newCommand,
  unpackCommand,
  lsCommand,
  inspectCommand,
  verifyCommand,
  asmCommand,
  compileCommand,
  disasmCommand,
  linkCommand,
  pxiCommand,
  renderCommand,
  keygenCommand,
  signCommand,
];
