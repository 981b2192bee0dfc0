/**
 * Load-time instrumentation: fuel, and for `--profile` call hooks.
 *
 * **Fuel** makes `--fuel` and `E_FUEL` mean what they mean for the other engines. Every function
 * entry and every loop header charges, in one subtraction, the instructions of its region (the
 * function body or loop body, not counting nested loops, which charge for themselves); when the
 * counter goes below zero the code traps with `unreachable` and the engine reports `E_FUEL`. Any
 * endless execution passes a loop header or a function entry, so no guest escapes the budget; a
 * region's instructions are charged whether or not a branch skips some of them (an upper bound,
 * counted in bulk rather than per instruction, which is what keeps it cheap). The counter is a
 * new mutable i64 global appended after the module's own (no index changes), exported as
 * {@link FUEL_EXPORT}. Without the profile the count is threaded through calls as a parameter
 * and result (`fuel_threaded.ts`); with it, a function with a loop that calls nothing keeps it in
 * a local between charges (`fuel_code.ts`). Either way a tight loop pays a register subtract and
 * a sign test.
 *
 * **Profile hooks** (`--profile` only): two imported functions, `pxos_profile.enter(i)` and
 * `exit(i)`, called at each defined function's entry and exit, so the engine counts calls and
 * measures time per function. To see every exit the body is wrapped in a block: `return` becomes
 * a branch to it (and branches to the function's label land on it), then `exit` runs; a
 * `return_call` calls `exit` first. Imports come first in the function index space, so the two
 * hooks move every defined function up by two: calls, `ref.func`, exports, the start function,
 * element segments and global initialisers are renumbered (`renumber.ts`).
 *
 * @module
 */
import {
  type ByteParts,
  concatParts,
  u32Bytes,
  WasmReader,
  writeName,
  writeSigned,
  writeU32,
} from "./binary.ts";
import { threadFuel } from "./fuel_threaded.ts";
import {
  entryCharge,
  FUEL_LOCAL_DECL,
  type FuelSlots,
  loopCharge,
  reloadFuel,
  storeFuel,
} from "./fuel_code.ts";
import { SECTION, type WasmOutline } from "./module.ts";
import { OP, skipImmediates } from "./opcodes.ts";
import {
  renumberElements,
  renumberExports,
  renumberGlobals,
  sectionReader,
  type Shift,
} from "./renumber.ts";
import { type SectionEdit, skipCount } from "./rewrite.ts";

/** Export name of the fuel counter global. */
export const FUEL_EXPORT = "__pxos_fuel";
/** Export name of the module's start function (its start section is removed). */
export const START_EXPORT = "__pxos_start";
/** Module name of the profile hooks (`enter`, `exit`, each taking a defined function's number). */
export const PROFILE_MODULE = "pxos_profile";

/** The instrumentation: section edits, imports to add, and the defined functions' names. */
export interface Instrumentation {
  /** Edits for the sections that change (not the import section: see `extraImports`). */
  edits: Map<number, SectionEdit>;
  /** Encoded import entries to append (the profile hooks). */
  extraImports: number[][];
  /** Name of each defined function (name section, else `func[index]`); empty unless profiling. */
  functionNames: string[];
}

/** What to instrument. */
export interface InstrumentOptions {
  /** Charge fuel at function entries and loop headers (off: `--flag fuel=false`). */
  charge: boolean;
  /** Call the profile hooks at function entries and exits (`--profile`). */
  profile: boolean;
}

/** What the body walker adds to one function. */
interface BodyPlan {
  /** The fuel global and the function's parameter count (its new local follows its locals). */
  fuel?: { global: number; params: number };
  /** Index of the first defined function (calls below it are imports). */
  firstDefined: number;
  hooks?: { enter: number; exit: number; index: number; blockType?: number };
  shift?: Shift;
}

/**
 * Plans the instrumentation of `bytes`. The fuel global and its export are always added (so
 * the engine reads one shape); the code changes only for what `options` asks.
 *
 * @param bytes the module
 * @param outline its outline
 * @param path for error messages
 * @param options what to instrument
 */
export function instrument(
  bytes: Uint8Array,
  outline: WasmOutline,
  path: string,
  options: InstrumentOptions,
): Instrumentation {
  const fuelGlobal = outline.importedGlobals + outline.definedGlobals;
  const firstDefined = outline.importedFuncs;
  const shift: Shift | undefined = options.profile
    ? (i) => (i >= firstDefined ? i + 2 : i)
    : undefined;
  // Fuel without the profile: threaded through calls (`fuel_threaded.ts`).
  const thread = options.charge && !options.profile
    ? threadFuel(bytes, outline, path, fuelGlobal)
    : undefined;
  /** Where exports, tables, `ref.func` and globals now find each function. */
  const refs: Shift = shift ?? thread?.refShift ?? ((i) => i);
  const edits = new Map<number, SectionEdit>();
  const reader = (name: string, contents: Uint8Array) => sectionReader(bytes, path, name, contents);
  edits.set(SECTION.global, (contents) => {
    const fuel = [0x7e, 0x01, 0x42, 0x00, 0x0b]; // mut i64 = 0
    if (!contents) return concatParts([[1], fuel]);
    const r = reader("global", contents);
    return concatParts([...renumberGlobals(r, refs, 1), fuel]);
  });
  edits.set(SECTION.export, () =>
    concatParts(
      renumberExports(outline, refs, [
        { name: FUEL_EXPORT, kind: 0x03, index: fuelGlobal },
        ...(outline.start === undefined
          ? []
          : [{ name: START_EXPORT, kind: 0x00, index: refs(outline.start) }]),
      ]),
    ));
  // The start function would run inside instantiation, before the fuel is set: it becomes an
  // export the engine calls first, with the budget in place.
  if (outline.start !== undefined) edits.set(SECTION.start, () => undefined);
  const extraImports: number[][] = [];
  let hookType = -1;
  if (shift) {
    hookType = outline.typeResults.length;
    edits.set(SECTION.type, (contents) => {
      const rest = contents ? contents.subarray(skipCount(contents)) : new Uint8Array();
      return concatParts([u32Bytes(hookType + 1), rest, [0x60, 0x01, 0x7f, 0x00]]);
    });
    for (const name of ["enter", "exit"]) {
      const entry: number[] = [];
      writeName(entry, PROFILE_MODULE);
      writeName(entry, name);
      entry.push(0x00);
      writeU32(entry, hookType);
      extraImports.push(entry);
    }
  }
  if (shift || thread) {
    edits.set(
      SECTION.element,
      (contents) =>
        contents ? concatParts(renumberElements(reader("element", contents), refs)) : undefined,
    );
  }
  if (thread) { for (const [id, edit] of thread.edits) edits.set(id, edit); }
  const code = outline.sections.find((s) => s.id === SECTION.code);
  if (code && shift) {
    edits.set(SECTION.code, () => {
      const r = new WasmReader(bytes, `${path} (code section)`, code.contentStart, code.end);
      const n = r.count(2);
      const out: ByteParts = [u32Bytes(n)];
      for (let i = 0; i < n; i++) {
        const size = r.u32();
        const results = outline.typeResults[outline.funcTypes[i]];
        const body = instrumentBody(
          new WasmReader(bytes, `${path} (code section, function ${i})`, r.pos, r.pos + size),
          {
            fuel: options.charge
              ? { global: fuelGlobal, params: outline.typeParams[outline.funcTypes[i]] ?? 0 }
              : undefined,
            firstDefined,
            shift,
            hooks: {
              enter: firstDefined,
              exit: firstDefined + 1,
              index: i,
              blockType: results === undefined || results.length > 1
                ? undefined
                : results.length === 0
                ? 0x40
                : results[0],
            },
          },
        );
        r.pos += size;
        let length = 0;
        for (const part of body) length += part.length;
        out.push(u32Bytes(length));
        for (const part of body) out.push(part);
      }
      return concatParts(out);
    });
  }
  // Names only matter to a profile: not read otherwise (start-up).
  const names = options.profile ? functionNames(bytes, outline, path) : [];
  return { edits, extraImports, functionNames: names };
}

/** `i32.const index; call hook`. */
function hookCall(hook: number, index: number): number[] {
  const out: number[] = [0x41];
  writeSigned(out, BigInt(index));
  out.push(0x10);
  writeU32(out, hook);
  return out;
}

/**
 * Whether the body (after its locals, from `r.pos`) has a loop whose iterations call nothing:
 * only then does keeping the count in a local pay (around a call it must be written back and
 * reloaded, which costs what charging the global costs). `r.pos` is kept.
 */
function hasCallFreeLoop(r: WasmReader): boolean {
  const at = r.pos;
  const open: boolean[] = []; // per open block: loop (true) or other (false)
  const calls: boolean[] = []; // per open loop: whether a call sits in it
  let found = false;
  while (!r.done && !found) {
    const op = r.u8();
    if (op >= 0x45 && op <= 0xc4) continue; // numeric: no immediates
    skipImmediates(r, op);
    if (op >= 0x20 && op <= 0x3e) continue; // locals, globals, tables, memory
    if (op === OP.loop) {
      open.push(true);
      calls.push(false);
    } else if (op === OP.block || op === OP.if) open.push(false);
    else if (op === OP.end && open.pop()) found = !calls.pop();
    else if (op >= 0x10 && op <= 0x15) calls.fill(true);
  }
  r.pos = at;
  return found;
}

function instrumentBody(r: WasmReader, plan: BodyPlan): ByteParts {
  const { hooks, shift } = plan;
  const start = r.pos;
  let declared = 0;
  const groups = r.count(2);
  const groupsEnd = r.pos;
  for (let g = groups; g > 0; g--) {
    declared += r.u32();
    const t = r.u8();
    if (t === 0x63 || t === 0x64) r.skipSigned(33);
  }
  const fuel: FuelSlots | undefined = plan.fuel && {
    global: plan.fuel.global,
    local: plan.fuel.params + declared,
    cached: hasCallFreeLoop(r),
  };
  // Chunks of output; a charge's slot is filled when its region's end is reached.
  const chunks: ByteParts = fuel
    ? [u32Bytes(groups + 1), r.bytes.subarray(groupsEnd, r.pos), [
      ...FUEL_LOCAL_DECL,
    ]]
    : [r.bytes.subarray(start, r.pos)];
  const wrapped = hooks?.blockType !== undefined;
  if (hooks) chunks.push(hookCall(hooks.enter, hooks.index));
  if (wrapped) chunks.push([OP.block, hooks!.blockType!]);
  const regions: { slot: number; count: number }[] = [{ slot: chunks.length, count: 0 }];
  chunks.push([]);
  const blocks: boolean[] = []; // per open block: whether it is a loop
  // The count must be in the global before anything that leaves the function (a wrapped body's
  // exits all pass its final end).
  const store = fuel?.cached ? storeFuel(fuel) : [];
  const storeOnExit = wrapped ? [] : store;
  let copyFrom = r.pos;
  /** Replaces the instruction that started at `at` (and ends here) with `bytes`. */
  const replace = (at: number, bytes: number[]) => {
    chunks.push(r.bytes.subarray(copyFrom, at), bytes);
    copyFrom = r.pos;
  };
  const original = (at: number) => Array.from(r.bytes.subarray(at, r.pos));
  while (!r.done) {
    const at = r.pos;
    const op = r.u8();
    regions[regions.length - 1].count++;
    // Numeric, local/global and memory instructions (most of any body) change nothing here.
    if (op >= 0x45 && op <= 0xc4) continue;
    if (op >= 0x20 && op <= 0x3e) {
      skipImmediates(r, op);
      continue;
    }
    if (op >= 0x10 && op <= 0x15) {
      // Calls: call, call_indirect, return_call, return_call_indirect, call_ref, return_call_ref.
      const direct = op === 0x10 || op === 0x12;
      const callee = direct ? r.u32() : -1;
      if (!direct) skipImmediates(r, op);
      const tail = op === 0x12 || op === 0x13 || op === 0x15;
      const code = direct ? [op, ...u32Bytes(shift ? shift(callee) : callee)] : original(at);
      // Imported functions never spend fuel: no reload after them.
      const reload = fuel?.cached && !tail && (!direct || callee >= plan.firstDefined)
        ? reloadFuel(fuel)
        : [];
      const exit = tail && hooks ? hookCall(hooks.exit, hooks.index) : [];
      if (shift || store.length > 0) replace(at, [...store, ...exit, ...code, ...reload]);
      continue;
    }
    if (op === 0x0c || op === 0x0d || op === 0x0e) {
      // A branch to the function's own label leaves the function.
      const targets = op === 0x0e ? r.count() + 1 : 1;
      let leaves = false;
      for (let t = 0; t < targets; t++) leaves ||= r.u32() === blocks.length;
      if (leaves && storeOnExit.length > 0) replace(at, [...storeOnExit, ...original(at)]);
      continue;
    }
    if (shift && op === 0xd2) {
      replace(at, [op, ...u32Bytes(shift(r.u32()))]);
      continue;
    }
    skipImmediates(r, op);
    if (op === 0x0f) {
      // return: to the wrapper block (then exit), or call exit first.
      if (wrapped) replace(at, [0x0c, ...u32Bytes(blocks.length)]);
      else if (hooks || store.length > 0) {
        replace(at, [...(hooks ? hookCall(hooks.exit, hooks.index) : []), ...store, 0x0f]);
      }
    } else if (op === OP.loop) {
      chunks.push(r.bytes.subarray(copyFrom, r.pos));
      copyFrom = r.pos;
      regions.push({ slot: chunks.length, count: 0 });
      chunks.push([]);
      blocks.push(true);
    } else if (op === OP.block || op === OP.if) {
      blocks.push(false);
    } else if (op === OP.end) {
      const wasLoop = blocks.pop();
      if (wasLoop || wasLoop === undefined) {
        const region = regions.pop();
        if (region && fuel) {
          chunks[region.slot] = wasLoop
            ? loopCharge(fuel, region.count)
            : entryCharge(fuel, region.count);
        }
      }
      if (wasLoop === undefined && (hooks || store.length > 0)) {
        // The function's own end: close the wrapper, report the exit, store the count.
        replace(at, [
          ...(wrapped ? [OP.end] : []),
          ...(hooks ? hookCall(hooks.exit, hooks.index) : []),
          ...store,
          OP.end,
        ]);
      }
    }
  }
  chunks.push(r.bytes.subarray(copyFrom, r.pos));
  if (regions.length > 0) r.fail("a function body that ends with end");
  return chunks;
}

/** Function names from the `name` custom section (subsection 1), else `func[i]`. */
function functionNames(bytes: Uint8Array, outline: WasmOutline, path: string): string[] {
  const names = outline.funcTypes.map((_, i) => `func[${outline.importedFuncs + i}]`);
  for (const s of outline.sections) {
    if (s.id !== SECTION.custom) continue;
    const r = new WasmReader(bytes, `${path} (name section)`, s.contentStart, s.end);
    try {
      if (r.name() !== "name") continue;
      while (!r.done) {
        const id = r.u8();
        const size = r.u32();
        const end = r.pos + size;
        if (id === 1) {
          for (let n = r.count(2); n > 0; n--) {
            const index = r.u32();
            const name = r.name();
            const local = index - outline.importedFuncs;
            if (local >= 0 && local < names.length) names[local] = name;
          }
        }
        r.pos = end;
      }
    } catch {
      // A broken name section only costs the names: the runtime ignores it too.
    }
  }
  return names;
}
