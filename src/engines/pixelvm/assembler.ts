/**
 * The Pixel Assembly assembler (`.pxasm` → `.pxi`), driven by the ISA table. Two passes: the
 * first sizes every line and places labels, the second encodes operands.
 *
 * A source without `.module`, `.memory`, `.export`, `.import`, `.callstack` or `.data` assembles to a plain,
 * headerless program (`PUSH 42` / `PRINT` / `HALT` → `01 2A 00 00 00 10 FF`); with any of them it
 * gets a `PXIR` header. Syntax summary (full page in `docs/engines/pixelvm.md`):
 *
 * ```text
 * label:  MNEMONIC operand   ; comment
 * .module name   .memory bytes   .export label   .import module.name   .equ NAME value
 * .callstack single|separate   .file "name"   .loc line   (where the code came from)
 * .data   .code   .byte v, …   .word v, …   .string "text"   .zero count
 * ```
 *
 * @module
 */
import { opByName, operandSize, pixelHostCall, type PixelOpSpec } from "./isa.ts";
import {
  type AsmSymbol,
  constArg,
  type DataItem,
  dataItemSize,
  encodeData,
  evaluate,
  i32,
  isPunct,
  type Line,
  writeI32,
} from "./asm_values.ts";
import { asmError, type LineInfo, type Token, tokenizeLine } from "./lexer.ts";
import { sourceDirective } from "./asm_source_map.ts";
import { SourceMapRecorder } from "../source_map.ts";
import {
  type CallConvention,
  DEFAULT_MEMORY_BYTES,
  encodeModule,
  isValidName,
  MAX_MEMORY_BYTES,
  type PixelImport,
  type PixelModule,
} from "./module.ts";

/** Options for {@link assemble}. */
export interface AssembleOptions {
  /** Source file name, for messages and the default module name. */
  file?: string;
  /**
   * Write the source map into a debug section, so errors point at source lines wherever the
   * bytecode goes. A plain program gets a `PXIR` header to carry it (same code, memory and call
   * convention). Default `false` (a plain program stays the seed's bare bytes); `pxos asm`,
   * `pxos run` and `pack --compile` set it.
   */
  debug?: boolean;
}

type CodeItem = {
  spec: PixelOpSpec;
  args: Token[];
  line: Line;
  offset: number;
  pushFirst: boolean;
};

/** Memory opcodes that also accept the seed reference VM's immediate form (`LOAD 5`). */
const IMMEDIATE_MEMORY_OPS = new Set(["LOAD", "STORE", "LOADB", "STOREB"]);

/**
 * Assembles Pixel Assembly source to a `.pxi` module's bytes.
 *
 * @example
 * ```ts
 * import { assemblePxasm } from "@pxos/core";
 * const bytes = assemblePxasm("PUSH 42\nPRINT\nHALT\n");
 * console.log(Array.from(bytes)); // [1, 42, 0, 0, 0, 16, 255]
 * ```
 */
export function assemblePxasm(source: string, options: AssembleOptions = {}): Uint8Array {
  const m = assembleModule(source, options);
  if (!options.debug) delete m.debug;
  else if (m.headerless) {
    Object.assign(m, { headerless: false, name: defaultModuleName(options.file) });
  }
  return encodeModule(m);
}

/** Assembles source to a {@link PixelModule} (before encoding), its source map in `debug`. */
export function assembleModule(source: string, options: AssembleOptions = {}): PixelModule {
  const file = options.file;
  const symbols = new Map<string, AsmSymbol>();
  const code: CodeItem[] = [];
  const data: DataItem[] = [];
  const exports: { name: string; line: Line }[] = [];
  const imports = new Map<string, PixelImport>();
  let moduleName: string | undefined;
  let memory: number | undefined;
  let header = false;
  let callStack: CallConvention | undefined;
  let section: "code" | "data" = "code";
  let codeSize = 0;
  let dataSize = 0;
  const sourceMap = new SourceMapRecorder(file);

  const define = (name: string, sym: AsmSymbol, line: Line, col: number) => {
    if (!isValidName(name)) asmError(line.at, col, `expected a label name, found "${name}"`);
    if (symbols.has(name)) asmError(line.at, col, `label "${name}" is already defined`);
    symbols.set(name, sym);
  };

  source.split("\n").forEach((text, i) => {
    const at: LineInfo = { file, line: i + 1, text };
    let tokens = tokenizeLine(text, at);
    // Labels: `name:` at the start, any number of them.
    while (tokens.length >= 2 && tokens[0].kind === "name" && isPunct(tokens[1], ":")) {
      const line: Line = { at, tokens, col: tokens[0].col };
      define(
        tokens[0].text,
        section === "code" ? { kind: "code", value: codeSize } : { kind: "data", value: dataSize },
        line,
        tokens[0].col,
      );
      if (section === "code") sourceMap.label(codeSize, tokens[0].text);
      tokens = tokens.slice(2);
    }
    if (tokens.length === 0) return;
    const head = tokens[0];
    const args = tokens.slice(1);
    const line: Line = { at, tokens, col: head.col };
    if (head.kind !== "name") {
      asmError(at, head.col, `expected an instruction, found "${head.text}"`);
    }
    const word = head.text;
    if (word.startsWith(".")) {
      const directive = word.toLowerCase();
      switch (directive) {
        case ".module":
          moduleName = nameArg(line, args, "a module name");
          header = true;
          return;
        case ".memory": {
          memory = constArg(line, args, symbols);
          if (memory < 0 || memory % 4 !== 0 || memory > MAX_MEMORY_BYTES) {
            asmError(
              at,
              args[0].col,
              `expected a memory size that is a multiple of 4 ≤ ${MAX_MEMORY_BYTES}, found ${memory}`,
            );
          }
          header = true;
          return;
        }
        case ".export":
          exports.push({ name: nameArg(line, args, "a label to export"), line });
          header = true;
          return;
        case ".import": {
          const full = nameArg(line, args, "module.name", true);
          const [mod, name] = full.split(".");
          if (imports.has(full)) asmError(at, args[0].col, `"${full}" is already imported`);
          imports.set(full, { module: mod, name, sites: [] });
          header = true;
          return;
        }
        case ".callstack": {
          const kind = nameArg(line, args, "single or separate");
          if (kind !== "single" && kind !== "separate") {
            asmError(at, args[0].col, `expected .callstack single or separate, found "${kind}"`);
          }
          callStack = kind;
          header = true;
          return;
        }
        case ".file":
        case ".loc":
          sourceDirective(sourceMap, directive, args, line);
          return;
        case ".equ":
        case ".const": {
          if (args.length < 2 || args[0].kind !== "name") {
            asmError(at, head.col, `expected ${directive} NAME value, found "${text.trim()}"`);
          }
          define(
            args[0].text,
            { kind: "const", value: constArg(line, args.slice(1), symbols) },
            line,
            args[0].col,
          );
          return;
        }
        case ".data":
        case ".code":
        case ".text":
          if (args.length > 0) {
            asmError(at, args[0].col, `unexpected "${args[0].text}" after ${directive}`);
          }
          section = directive === ".data" ? "data" : "code";
          if (section === "data") header = true;
          return;
        case ".byte":
        case ".word":
        case ".string":
        case ".ascii":
        case ".zero": {
          if (section !== "data") {
            asmError(at, head.col, `${directive} belongs in the .data section`);
          }
          const size = dataItemSize(line, directive, args, symbols);
          data.push({ directive, args, line, offset: dataSize });
          dataSize += size;
          return;
        }
        default:
          asmError(at, head.col, `unknown directive "${word}"`);
      }
    }
    const spec = opByName(word);
    if (!spec) asmError(at, head.col, `unknown instruction "${word}"`);
    if (section !== "code") {
      asmError(at, head.col, `instruction "${word}" in the .data section (write .code first)`);
    }
    const pushFirst = IMMEDIATE_MEMORY_OPS.has(spec.name) && args.length > 0;
    if (!pushFirst && spec.operands.length === 0 && args.length > 0) {
      asmError(at, args[0].col, `${spec.name} takes no operand, found "${args[0].text}"`);
    }
    if (spec.operands.length > 0 && args.length === 0) {
      asmError(at, head.col, `${spec.name} needs a ${spec.operands[0]} operand`);
    }
    code.push({ spec, args, line, offset: codeSize, pushFirst });
    sourceMap.code(codeSize, i + 1);
    codeSize += instructionSize(spec, args, line) + (pushFirst ? 5 : 0);
  });

  const bytes = new Uint8Array(codeSize);
  const relocs: number[] = [];
  for (const item of code) encodeInstruction(item, bytes, symbols, imports, relocs);
  const dataBytes = new Uint8Array(dataSize);
  for (const item of data) encodeData(item, dataBytes, symbols);

  const exported = exports.map(({ name, line }) => {
    const sym = symbols.get(name);
    if (sym?.kind !== "code") {
      asmError(line.at, line.col, `.export ${name}: no code label "${name}"`);
    }
    return { name, offset: sym.value };
  });
  const name = moduleName ?? defaultModuleName(file);
  const mem = memory ?? DEFAULT_MEMORY_BYTES;
  if (dataSize > mem) {
    asmError(
      { file, line: 1 },
      1,
      `data (${dataSize} bytes) does not fit the memory (${mem} bytes)`,
    );
  }
  const m: PixelModule = {
    headerless: !header,
    name: header ? name : "",
    memoryBytes: mem,
    code: bytes,
    data: dataBytes,
    exports: exported,
    imports: [...imports.values()],
    relocs,
  };
  if (callStack) m.callStack = callStack;
  m.debug = sourceMap.build();
  return m;
}

/** The module name a file gets without `.module`: its base name, made an identifier. */
export function defaultModuleName(file?: string): string {
  const base = (file ?? "main").split(/[\\/]/).pop()!.replace(/\.[^.]*$/, "");
  const clean = base.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 255);
  return /^[A-Za-z_]/.test(clean) ? clean : `_${clean}`;
}

function nameArg(line: Line, args: Token[], what: string, dotted = false): string {
  const t = args[0];
  const text = t?.kind === "name" ? t.text : "";
  const ok = dotted
    ? text.split(".").length === 2 && text.split(".").every(isValidName)
    : isValidName(text);
  if (!t || !ok || args.length > 1) {
    asmError(
      line.at,
      t?.col ?? line.col,
      `expected ${what}, found "${args.map((a) => a.text).join(" ")}"`,
    );
  }
  return text;
}

function instructionSize(spec: PixelOpSpec, args: Token[], line: Line): number {
  let size = 1;
  for (const kind of spec.operands) {
    if (kind === "str") {
      if (args.length !== 1 || args[0].kind !== "string") {
        asmError(
          line.at,
          args[0]?.col ?? line.col,
          `${spec.name} expects one "string", found "${args.map((a) => a.text).join(" ")}"`,
        );
      }
      size += 4 + args[0].bytes.length;
    } else size += operandSize(kind);
  }
  return size;
}

function encodeInstruction(
  item: CodeItem,
  out: Uint8Array,
  symbols: Map<string, AsmSymbol>,
  imports: Map<string, PixelImport>,
  relocs: number[],
): void {
  const { spec, args, line } = item;
  let at = item.offset;
  const col = args[0]?.col ?? line.col;
  if (item.pushFirst) {
    // Seed reference VM form `LOAD addr`: the same as `PUSH addr` then `LOAD`.
    out[at] = 0x01;
    writeI32(out, at + 1, pushValue(item, symbols, relocs, at));
    at += 5;
    out[at] = spec.code;
    return;
  }
  out[at] = spec.code;
  const kind = spec.operands[0];
  if (kind === undefined) return;
  const text = args.map((a) => a.text).join(" ");
  if (kind === "i32") {
    writeI32(out, at + 1, pushValue(item, symbols, relocs, at));
  } else if (kind === "addr") {
    const imp = args.length === 1 && args[0].kind === "name"
      ? imports.get(args[0].text)
      : undefined;
    if (imp) {
      imp.sites.push(at);
      writeI32(out, at + 1, 0);
      return;
    }
    if (args.length === 1 && args[0].kind === "name" && args[0].text.includes(".")) {
      asmError(line.at, col, `"${text}" is not imported (add .import ${text})`);
    }
    const v = evaluate(line, args, symbols);
    if (v.data !== 0 || (v.code !== 0 && v.code !== 1)) {
      asmError(line.at, col, `${spec.name} expects a code label or offset, found "${text}"`);
    }
    writeI32(out, at + 1, i32(line, col, v.value));
  } else if (kind === "u8") {
    const v = constArg(line, args, symbols);
    if (v < 0 || v > 255) asmError(line.at, col, `${spec.name} expects 0–255, found "${text}"`);
    out[at + 1] = v;
  } else if (kind === "host") {
    const byName = args.length === 1 && args[0].kind === "name"
      ? pixelHostCall(args[0].text)
      : undefined;
    const id = byName ? byName.id : constArg(line, args, symbols);
    if (!pixelHostCall(id)) asmError(line.at, col, `unknown host call "${text}"`);
    out[at + 1] = id;
  } else if (kind === "str" && args[0].kind === "string") {
    writeI32(out, at + 1, args[0].bytes.length);
    out.set(args[0].bytes, at + 5);
  }
}

/** The i32 a `PUSH` carries; a data label makes it a relocated data address. */
function pushValue(
  item: CodeItem,
  symbols: Map<string, AsmSymbol>,
  relocs: number[],
  at: number,
): number {
  const { line, args } = item;
  const col = args[0]?.col ?? line.col;
  const v = evaluate(line, args, symbols);
  const text = args.map((a) => a.text).join(" ");
  if (v.code !== 0) {
    asmError(line.at, col, `code labels are jump/call targets, not values: "${text}"`);
  }
  if (v.data !== 0 && v.data !== 1) {
    asmError(line.at, col, `cannot use "${text}" as a data address`);
  }
  if (v.data === 1) relocs.push(at);
  return i32(line, col, v.value);
}
