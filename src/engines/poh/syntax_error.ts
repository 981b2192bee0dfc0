/**
 * Poh's syntax errors: the shared source-pointing form (`src/engines/source_error.ts`), which the
 * assemblers use too, so every engine quotes the line and puts a caret under the spot the same way.
 *
 * @module
 */
export { syntaxError } from "../source_error.ts";
