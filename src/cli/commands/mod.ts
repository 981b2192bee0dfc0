/**
 * Every `pxos` command, in the order `pxos --help` lists them. Each lives in its own module.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { bootCommand } from "./boot.ts";
import { inspectCommand } from "./inspect.ts";
import { keygenCommand } from "./keygen.ts";
import { lsCommand } from "./ls.ts";
import { packCommand } from "./pack.ts";
import { renderCommand } from "./render.ts";
import { signCommand } from "./sign.ts";
import { unpackCommand } from "./unpack.ts";
import { verifyCommand } from "./verify.ts";

/** All commands. Add a new command's module here (one line). */
export const COMMANDS: readonly Command[] = [
  packCommand,
  unpackCommand,
  lsCommand,
  inspectCommand,
  verifyCommand,
  bootCommand,
  keygenCommand,
  signCommand,
  renderCommand,
];
