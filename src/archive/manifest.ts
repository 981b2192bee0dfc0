/**
 * The cartridge manifest, `pxos.json` (schema v1, DESIGN.md §4): parsing and validation. Every
 * error names the field path, what was expected and what was found. `docs/pxos.schema.json` is
 * the same schema for editors; a test keeps the two in step.
 *
 * @module
 */
import { isSemanticVersion, isVersionRange, versionSatisfies } from "./semver_check.ts";
import { PxosError } from "../errors.ts";
import { findUnsafeCharacter } from "../text_safety.ts";
import { archivePathProblem } from "./paths.ts";

/** Permissions a manifest requests. Everything absent is not requested. */
export interface ManifestPermissions {
  /** Host paths (relative to the run's root) the cartridge wants to read. */
  read?: string[];
  /** Host paths (relative to the run's root) the cartridge wants to write. */
  write?: string[];
  /** Network hosts: `host`, `host:port`, `*.domain`. */
  net?: string[];
  /** Real wall clock (otherwise a deterministic virtual clock). */
  clock?: boolean;
  /** Real randomness (otherwise a seeded PRNG). */
  random?: boolean;
  /** The WebGPU renderer. */
  gpu?: boolean;
}

/** Limits a manifest asks for (capped by the command line). */
export interface ManifestLimits {
  /** Instruction budget. */
  fuel?: number;
  /** Wall-clock budget in ms. */
  timeoutMs?: number;
  /** Guest memory cap in bytes. */
  memoryBytes?: number;
  /** Cap on what the guest may print (stdout and stderr together), in bytes. */
  outputBytes?: number;
}

/**
 * The most a manifest may ask for. A larger request is refused at validation (a limit is a
 * request the user is shown, and a timer cannot run past 2^31 - 1 ms anyway); the user's own
 * `--fuel`/`--timeout`/`--memory`/`--output` may go further.
 */
export const MANIFEST_LIMIT_MAXIMA: Readonly<Required<ManifestLimits>> = Object.freeze({
  fuel: 1_000_000_000_000,
  timeoutMs: 600_000,
  memoryBytes: 4 * 1024 * 1024 * 1024,
  outputBytes: 1024 * 1024 * 1024,
});

/** A validated `pxos.json`. */
export interface Manifest {
  /** Package-style name: lower case letters, digits, `.`, `_`, `-`. */
  name: string;
  /** Semantic version of the cartridge. */
  version: string;
  /** Human title (defaults to the name). */
  title: string;
  /** Author. */
  author?: string;
  /** One-paragraph description. */
  description?: string;
  /** Archive path of the program to run. */
  entry: string;
  /** Engine id; inferred from the entry's extension when absent. */
  engine?: string;
  /** Semver range of pxOS runtimes the cartridge runs on. */
  pxos?: string;
  /** Capabilities the cartridge needs from the machine (e.g. `"webgpu"`). */
  requires?: string[];
  /** Requested permissions. */
  permissions: ManifestPermissions;
  /** Requested limits. */
  limits: ManifestLimits;
  /** Canvas size for graphics cartridges. */
  canvas?: { width: number; height: number };
  /**
   * What `pxos pack` takes from the project folder: gitignore-style patterns (`"src/"`,
   * `"*.poh"`, `"data/**"`); absent, every file not skipped by the default rules or `.pxosignore`.
   */
  files?: string[];
  /** Program arguments for engines with an argv (wasm's WASI); after the program name. */
  args?: string[];
  /** Names of environment variables the program asks for (granted with `--allow-env`). */
  env?: string[];
  /** Python engine requirements (the seed's `python_min`, `required_packages`). */
  python?: ManifestPython;
}

/** The `python` object: what a Python cartridge needs of the engine. */
export interface ManifestPython {
  /** Oldest Python version the cartridge runs on, `"3.N"`. */
  python_min?: string;
  /** Modules that must be bundled with the engine or vendored in the cartridge. */
  required_packages?: string[];
}

/** The manifest's file name at the archive root. */
export const MANIFEST_PATH = "pxos.json";

/** Fields `pxos.json` may have (exported so a test can compare them with the JSON Schema). */
export const MANIFEST_FIELDS: readonly string[] = [
  "$schema",
  "name",
  "version",
  "title",
  "author",
  "description",
  "entry",
  "engine",
  "pxos",
  "requires",
  "permissions",
  "limits",
  "canvas",
  "files",
  "args",
  "env",
  "python",
  "python_min",
  "required_packages",
];
/** Fields of `permissions`. */
export const PERMISSION_FIELDS: readonly string[] = [
  "read",
  "write",
  "net",
  "clock",
  "random",
  "gpu",
];
/** Fields of `limits`. */
export const LIMIT_FIELDS: readonly string[] = ["fuel", "timeoutMs", "memoryBytes", "outputBytes"];
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const NET_PATTERN =
  /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

/**
 * Parses and validates manifest text.
 *
 * @param where file name used in error messages
 * @example
 * ```ts
 * import { parseManifest } from "@pxos/core";
 * const m = parseManifest('{"name":"hello","version":"1.0.0","entry":"main.pxi"}');
 * console.log(m.title, m.permissions); // "hello" {}
 * ```
 */
export function parseManifest(text: string, where: string = MANIFEST_PATH): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PxosError(
      "E_MANIFEST",
      `expected JSON, found a syntax error: ${(e as Error).message}`,
      {
        file: where,
      },
    );
  }
  return validateManifest(value, where);
}

/**
 * Validates a parsed manifest value and returns it typed, with defaults filled in.
 *
 * @example
 * ```ts
 * import { validateManifest } from "@pxos/core";
 * try {
 *   validateManifest({ name: "x", version: "1", entry: "main.pxi" });
 * } catch (e) {
 *   console.log((e as Error).message); // …version: expected a semantic version…
 * }
 * ```
 */
export function validateManifest(value: unknown, where: string = MANIFEST_PATH): Manifest {
  const bad = (path: string, expected: string, found: unknown): never => {
    throw new PxosError("E_MANIFEST", `${path}: expected ${expected}, found ${describe(found)}`, {
      file: where,
    });
  };
  const obj = (v: unknown, path: string): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : bad(path, "an object", v);
  const str = (v: unknown, path: string): string =>
    typeof v === "string" ? v : bad(path, "a string", v);
  const optStr = (v: unknown, path: string): string | undefined =>
    v === undefined ? undefined : str(v, path);
  const bool = (v: unknown, path: string): boolean | undefined =>
    v === undefined || typeof v === "boolean" ? v : bad(path, "true or false", v);
  const onlyKeys = (o: Record<string, unknown>, keys: readonly string[], path: string): void => {
    for (const k of Object.keys(o)) {
      if (keys.includes(k)) continue;
      throw new PxosError(
        "E_MANIFEST",
        `${path === "manifest" ? "" : `${path}.`}${k}: unknown field; expected one of ${
          keys.join(", ")
        }`,
        { file: where },
      );
    }
  };

  const root = obj(value, "manifest");
  onlyKeys(root, MANIFEST_FIELDS, "manifest");
  const name = str(root.name, "name");
  if (!NAME_PATTERN.test(name)) {
    bad("name", "lower-case letters, digits, '.', '_' or '-' (1–64)", name);
  }
  const version = str(root.version, "version");
  if (!isSemanticVersion(version)) bad("version", 'a semantic version like "1.0.0"', version);
  /**
   * A path or pattern the user is asked to grant must read on the terminal as what it is: one
   * with a control or bidi character could show "./data" while asking for ".".
   */
  const plain = (text: string, path: string): string => {
    const unsafe = findUnsafeCharacter(text);
    if (unsafe !== null) {
      bad(
        path,
        `text without control or bidi characters (found ${unsafe.name} at ${unsafe.index})`,
        text,
      );
    }
    return text;
  };
  const entry = plain(str(root.entry, "entry"), "entry");
  const entryProblem = archivePathProblem(entry);
  if (entryProblem !== null) {
    bad("entry", `a path inside the cartridge (this one ${entryProblem})`, entry);
  }
  const pxos = optStr(root.pxos, "pxos");
  if (pxos !== undefined && !isVersionRange(pxos)) {
    bad("pxos", 'a semver range like ">=0.1.0"', pxos);
  }

  const requires = root.requires === undefined
    ? undefined
    : strings(root.requires, "requires", bad);

  const permsIn = root.permissions === undefined ? {} : obj(root.permissions, "permissions");
  onlyKeys(permsIn, PERMISSION_FIELDS, "permissions");
  const permissions: ManifestPermissions = {};
  for (const key of ["read", "write"] as const) {
    if (permsIn[key] !== undefined) {
      permissions[key] = strings(permsIn[key], `permissions.${key}`, bad)
        .map((p, i) => plain(p, `permissions.${key}[${i}]`));
    }
  }
  if (permsIn.net !== undefined) {
    permissions.net = strings(permsIn.net, "permissions.net", bad);
    permissions.net.forEach((p, i) => {
      plain(p, `permissions.net[${i}]`);
      if (!NET_PATTERN.test(p)) bad(`permissions.net[${i}]`, "host, host:port or *.domain", p);
    });
  }
  for (const key of ["clock", "random", "gpu"] as const) {
    const v = bool(permsIn[key], `permissions.${key}`);
    if (v !== undefined) permissions[key] = v;
  }

  const limitsIn = root.limits === undefined ? {} : obj(root.limits, "limits");
  onlyKeys(limitsIn, LIMIT_FIELDS, "limits");
  const limits: ManifestLimits = {};
  for (const key of LIMIT_FIELDS as (keyof ManifestLimits)[]) {
    const v = limitsIn[key];
    if (v === undefined) continue;
    const max = MANIFEST_LIMIT_MAXIMA[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0 || v > max) {
      bad(`limits.${key}`, `a positive integer up to ${max}`, v);
    }
    limits[key] = v as number;
  }

  let canvas: Manifest["canvas"];
  if (root.canvas !== undefined) {
    const c = obj(root.canvas, "canvas");
    onlyKeys(c, ["width", "height"], "canvas");
    for (const k of ["width", "height"] as const) {
      const v = c[k];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 4096) {
        bad(`canvas.${k}`, "an integer 1–4096", v);
      }
    }
    canvas = { width: c.width as number, height: c.height as number };
  }

  const files = root.files === undefined ? undefined : strings(root.files, "files", bad);
  files?.forEach((p, i) => {
    if (plain(p, `files[${i}]`).trim() === "") bad(`files[${i}]`, "a non-empty pattern", p);
  });
  if (root.python !== undefined) {
    onlyKeys(obj(root.python, "python"), ["python_min", "required_packages"], "python");
  }
  const python = pythonRequirements(root, obj, str, bad);

  return {
    name,
    version,
    title: optStr(root.title, "title") ?? name,
    author: optStr(root.author, "author"),
    description: optStr(root.description, "description"),
    entry,
    engine: optStr(root.engine, "engine"),
    pxos,
    requires,
    permissions,
    limits,
    canvas,
    files,
    args: root.args === undefined ? undefined : strings(root.args, "args", bad),
    env: root.env === undefined ? undefined : envNames(strings(root.env, "env", bad), bad),
    python,
  };
}

/**
 * The `python` object, or the seed's spelling of the same two fields at the top level of the
 * manifest (`python_min`, `required_packages`); a field given both ways is refused as ambiguous.
 */
function pythonRequirements(
  root: Record<string, unknown>,
  obj: (v: unknown, path: string) => Record<string, unknown>,
  str: (v: unknown, path: string) => string,
  bad: (path: string, expected: string, found: unknown) => never,
): ManifestPython | undefined {
  const nested = root.python === undefined ? undefined : obj(root.python, "python");
  if (
    nested === undefined && root.python_min === undefined && root.required_packages === undefined
  ) {
    return undefined;
  }
  const pick = (key: "python_min" | "required_packages"): [unknown, string] | undefined => {
    if (nested?.[key] !== undefined && root[key] !== undefined) {
      // Two spellings of one field could disagree: say which wins by refusing both.
      bad(`python.${key}`, `no top-level ${key} beside it`, root[key]);
    }
    if (nested?.[key] !== undefined) return [nested[key], `python.${key}`];
    return root[key] === undefined ? undefined : [root[key], key];
  };
  const python: ManifestPython = {};
  const min = pick("python_min");
  if (min) {
    const text = str(min[0], min[1]);
    if (!/^\d+\.\d+$/.test(text)) bad(min[1], 'a version like "3.10"', text);
    python.python_min = text;
  }
  const packages = pick("required_packages");
  if (packages) python.required_packages = strings(packages[0], packages[1], bad);
  return python;
}

/** Environment variable names: letters, digits and `_`, not starting with a digit. */
function envNames(names: string[], bad: (path: string, expected: string, found: unknown) => never) {
  names.forEach((n, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(n)) bad(`env[${i}]`, "a variable name like HOME", n);
  });
  return names;
}

/**
 * True when `version` satisfies the manifest range `range` (no range: always).
 *
 * @example
 * ```ts
 * import { runtimeSatisfies } from "@pxos/core";
 * console.log(runtimeSatisfies(">=0.1.0", "0.2.0")); // true
 * ```
 */
export function runtimeSatisfies(range: string | undefined, version: string): boolean {
  return range === undefined || versionSatisfies(version, range);
}

function strings(
  v: unknown,
  path: string,
  bad: (path: string, expected: string, found: unknown) => never,
): string[] {
  if (!Array.isArray(v)) return bad(path, "an array of strings", v);
  return v.map((
    item,
    i,
  ) => (typeof item === "string" ? item : bad(`${path}[${i}]`, "a string", item)));
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
