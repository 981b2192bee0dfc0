/**
 * The PohLang engine's public API: the {@link pohEngine} object for the engine registry, and
 * helpers to parse, compile, disassemble and run PohLang programs.
 *
 * @module
 */
export { compilePoh, disassemblePoh, pohEngine, runPohSource } from "./engine.ts";
export type { PohProgram, RunPohSourceOptions } from "./engine.ts";
export { parsePoh } from "./parser.ts";
export { generatePohIsaDoc } from "./isa.ts";
export { isPbc, PBC_MAGIC, PBC_VERSION } from "./pbc.ts";
export type {
  BinaryOp,
  CatchClause,
  Expr,
  FuncDef,
  HigherOp,
  ModuleDef,
  Param,
  Program,
  Stmt,
} from "./ast.ts";
