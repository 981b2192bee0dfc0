/**
 * The manifest's `python` requirements (the seed's `python_min` and `required_packages`),
 * checked at load, before the program starts: a too-old engine or a package that is neither in
 * the bundled standard library nor vendored in the cartridge refuses the boot, listing what is
 * missing.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { ENGINE_PYTHON_VERSION } from "./pyc.ts";

/** The `python` object of `pxos.json`. */
export interface PythonRequirements {
  /** Oldest Python the cartridge runs on, `"3.N"`. */
  python_min?: string;
  /** Modules that must be importable: bundled, or vendored in the cartridge. */
  required_packages?: string[];
}

/** Folders of the cartridge searched for top-level modules, in order. */
export const IMPORT_ROOTS: readonly string[] = ["", "vendor"];

/**
 * Reads the `python` field of the cartridge's `pxos.json`, or the seed's spelling of its two
 * fields at the manifest's top level, if there is either. (The manifest parser has refused a
 * field given both ways before a boot gets here.)
 */
export function readPythonRequirements(
  files: ReadonlyMap<string, Uint8Array>,
): PythonRequirements | undefined {
  const bytes = files.get("pxos.json");
  if (!bytes) return undefined;
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined; // the manifest parser reports bad JSON at boot
  }
  if (typeof manifest !== "object" || manifest === null) return undefined;
  const nested = typeof manifest.python === "object" && manifest.python !== null
    ? manifest.python as PythonRequirements
    : undefined;
  const seed = manifest as PythonRequirements;
  if (
    nested === undefined && seed.python_min === undefined && seed.required_packages === undefined
  ) {
    return undefined;
  }
  return {
    python_min: nested?.python_min ?? seed.python_min,
    required_packages: nested?.required_packages ?? seed.required_packages,
  };
}

/** Whether the cartridge vendors `name`: a module or package under an import root, or a wheel. */
export function vendors(files: ReadonlyMap<string, Uint8Array>, name: string): boolean {
  const stem = name.replaceAll(".", "/");
  const wheel = name.replaceAll("-", "_").toLowerCase();
  for (const root of IMPORT_ROOTS) {
    const base = root === "" ? stem : `${root}/${stem}`;
    for (const suffix of [".py", ".pyc", "/__init__.py", "/__init__.pyc"]) {
      if (files.has(base + suffix)) return true;
    }
  }
  return [...files.keys()].some((p) => {
    const file = p.split("/").pop()!.toLowerCase();
    return p.split("/").length <= 2 && file.endsWith(".whl") && file.startsWith(`${wheel}-`);
  });
}

function versionTuple(text: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)(\.\d+)?$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * Throws `PxosError` `E_RUNTIME` when the requirements are not met. `bundled` says whether the
 * interpreter's standard library has a module.
 *
 * @example
 * ```ts
 * import { checkPythonRequirements } from "@pxos/core";
 * checkPythonRequirements({ python_min: "3.10" }, new Map(), () => true, "demo");
 * ```
 */
export function checkPythonRequirements(
  requirements: PythonRequirements | undefined,
  files: ReadonlyMap<string, Uint8Array>,
  bundled: (name: string) => boolean,
  cartridge: string,
): void {
  if (!requirements) return;
  const wanted = requirements.python_min;
  if (wanted !== undefined) {
    const min = versionTuple(String(wanted));
    const have = versionTuple(ENGINE_PYTHON_VERSION)!;
    if (!min) {
      throw new PxosError(
        "E_MANIFEST",
        `python.python_min: expected a version like "3.10", found ${JSON.stringify(wanted)}`,
        { file: "pxos.json" },
      );
    }
    if (min[0] > have[0] || (min[0] === have[0] && min[1] > have[1])) {
      throw new PxosError(
        "E_RUNTIME",
        `${cartridge} needs Python ${wanted} or newer; this engine runs Python ${ENGINE_PYTHON_VERSION}`,
      );
    }
  }
  const missing = (requirements.required_packages ?? []).filter((name) =>
    !vendors(files, String(name)) && !bundled(String(name))
  );
  if (missing.length > 0) {
    throw new PxosError(
      "E_RUNTIME",
      `${cartridge} needs Python packages that are neither bundled with the engine nor vendored ` +
        `in the cartridge (vendor/<name>/ or vendor/<name>-*.whl): ${missing.join(", ")}`,
    );
  }
}
