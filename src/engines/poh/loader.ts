/**
 * Loading a PohLang program: parse the entry file and the files its `Import "file.poh"`
 * statements name, from the cartridge's files ({@link SourceInfo.files}). Files are found at load
 * or compile time (a cartridge's files are all known then, so the bytecode is self-contained and
 * a missing file is reported before anything runs); each module's code runs at run time, the
 * first time an `Import` of it is reached.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { ModuleDef, Program, Stmt } from "./ast.ts";
import { parsePoh } from "./parser.ts";
import { markUndefinedCalls } from "./undefined_calls.ts";
import { syntaxError } from "./syntax_error.ts";

/** The most files one program may import (directly or not): bounds hostile import graphs. */
const MAX_IMPORTS = 256;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes program bytes as UTF-8, refusing invalid text with a clear error. */
export function decodeSource(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new PxosError("E_ASSEMBLE", "expected UTF-8 PohLang source text, found invalid bytes", {
      file,
    });
  }
}

/**
 * Parses `source` and resolves its imports: each imported file is parsed once into
 * {@link Program.modules}, and every `Import` becomes a `module` statement naming it. The engines
 * run a module the first time execution reaches one of its `Import`s (so an `Import` inside a
 * function, a loop or an `If` branch runs when and if that code runs, and only once).
 *
 * @param source the entry file's text
 * @param file the entry file's path (archive path inside a cartridge)
 * @param files the cartridge's files, by normalised path, for `Import`
 * @returns the program with every `import` replaced by a `module` statement
 */
export function loadPohProgram(
  source: string,
  file: string,
  files?: ReadonlyMap<string, Uint8Array>,
): Program {
  const program = parsePoh(source, file);
  const entry = normalizePath(file) ?? file;
  const modules: ModuleDef[] = [];
  const indexOf = new Map<string, number>([[entry, -1]]);
  const resolve = (body: Stmt[], from: string, fromSource: string): void => {
    for (let i = 0; i < body.length; i++) {
      const s = body[i];
      if (s.kind === "if") {
        resolve(s.then, from, fromSource);
        if (s.otherwise) resolve(s.otherwise, from, fromSource);
      } else if (
        s.kind === "while" || s.kind === "repeat" || s.kind === "forEach" || s.kind === "func"
      ) {
        resolve(s.body, from, fromSource);
      } else if (s.kind === "try") {
        resolve(s.body, from, fromSource);
        s.handlers.forEach((h) => resolve(h.body, from, fromSource));
        if (s.finally) resolve(s.finally, from, fromSource);
      } else if (s.kind === "import") {
        const target = normalizePath(joinPath(dirname(from), s.path));
        const fail = (msg: string, hint?: string) =>
          syntaxError(fromSource, from, s.line, s.col, msg, hint);
        if (target === null) {
          throw fail(`import path ${JSON.stringify(s.path)} leaves the cartridge`);
        }
        const known = indexOf.get(target);
        if (known !== undefined) {
          body[i] = { kind: "module", file: target, index: known, line: s.line };
          continue;
        }
        if (modules.length >= MAX_IMPORTS) throw fail(`more than ${MAX_IMPORTS} imported files`);
        const bytes = files?.get(target);
        if (!bytes) {
          throw fail(
            `cannot import ${JSON.stringify(s.path)}: the cartridge has no file ${
              JSON.stringify(target)
            }`,
            "put the file next to the program in the cartridge",
          );
        }
        const text = decodeSource(bytes, target);
        const imported = parsePoh(text, target);
        // Numbered before its own imports are resolved, so an import cycle finds it.
        const index = modules.length;
        modules.push({ file: target, body: imported.body });
        indexOf.set(target, index);
        resolve(imported.body, target, text);
        body[i] = { kind: "module", file: target, index, line: s.line };
      }
    }
  };
  resolve(program.body, file, source);
  program.modules = modules;
  markUndefinedCalls(program);
  return program;
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i + 1);
}

function joinPath(dir: string, rel: string): string {
  return rel.startsWith("/") ? rel : dir + rel;
}

/** Normalises `a/./b/../c` to `a/c`; null when the path climbs above its root. */
export function normalizePath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.replaceAll("\\", "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}
