/**
 * The Python engine's public API: the {@link pythonEngine} object for the engine registry, the
 * provider hook the boot layer (or an embedder) uses to supply Pyodide, and the `.pyc` header
 * and requirement checks.
 *
 * @module
 */
export { pythonEngine, type PythonProgram } from "./engine.ts";
export {
  type PyodideInstance,
  type PythonRuntimeProvider,
  setPythonRuntimeProvider,
} from "./interpreter.ts";
export {
  checkPycHeader,
  ENGINE_PYC_MAGIC,
  ENGINE_PYTHON_VERSION,
  pythonVersionOfMagic,
} from "./pyc.ts";
export { checkPythonRequirements, type PythonRequirements } from "./requirements.ts";
