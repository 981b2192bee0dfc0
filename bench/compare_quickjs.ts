/**
 * Runs one JavaScript file in QuickJS (`quickjs-emscripten`, QuickJS compiled to WebAssembly), for
 * `bench/compare.ts`: `deno run -A bench/compare_quickjs.ts program.js`. Prints what the program
 * returns (its last expression).
 *
 * @module
 */
import { getQuickJS } from "quickjs-emscripten";

const quickjs = await getQuickJS();
const context = quickjs.newContext();
const result = context.evalCode(await Deno.readTextFile(Deno.args[0]));
const value = context.dump(context.unwrapResult(result));
console.log(value);
context.dispose();
