/**
 * Every `pxos` command, in the order `pxos --help` lists them. Each lives in its own module.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { renderCommand } from "./render.ts";

/** All commands. Add a new command's module here (one line). */
export const COMMANDS: readonly Command[] = [
  renderCommand,
];
