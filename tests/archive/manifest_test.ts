import { assertEquals, assertPxosError } from "../assert.ts";
import {
  LIMIT_FIELDS,
  MANIFEST_FIELDS,
  parseManifest,
  PERMISSION_FIELDS,
  runtimeSatisfies,
  validateManifest,
} from "../../src/archive/manifest.ts";

const minimal = { name: "hello", version: "1.0.0", entry: "main.pxi" };

Deno.test("a minimal manifest gets its defaults", () => {
  const m = validateManifest(minimal);
  assertEquals(m.title, "hello");
  assertEquals(m.permissions, {});
  assertEquals(m.limits, {});
});

Deno.test("the full DESIGN.md example validates", () => {
  const m = parseManifest(JSON.stringify({
    name: "hello",
    version: "1.0.0",
    title: "Hello",
    author: "someone",
    entry: "main.pxi",
    pxos: ">=0.1.0",
    permissions: {
      read: ["./data"],
      write: ["./saves"],
      net: ["api.example.com:443", "*.example.org"],
      clock: true,
      random: true,
      gpu: true,
    },
    limits: { fuel: 100000000, timeoutMs: 10000, memoryBytes: 67108864 },
  }));
  assertEquals(m.permissions.net, ["api.example.com:443", "*.example.org"]);
  assertEquals(m.limits.fuel, 100000000);
});

Deno.test("manifest errors name the field, what was expected and what was found", async () => {
  const cases: [unknown, RegExp][] = [
    [{ ...minimal, name: undefined }, /name: expected a string, found nothing/],
    [{ ...minimal, name: "Bad Name" }, /name: expected lower-case .* found "Bad Name"/],
    [{ ...minimal, version: "1" }, /version: expected a semantic version/],
    [{ ...minimal, entry: "../x" }, /entry: expected a path inside the cartridge/],
    [{ ...minimal, pxos: "not a range!" }, /pxos: expected a semver range/],
    [
      { ...minimal, permissions: { read: "./data" } },
      /permissions\.read: expected an array of strings/,
    ],
    [
      { ...minimal, permissions: { net: ["evil.com/path"] } },
      /permissions\.net\[0\]: expected host/,
    ],
    [{ ...minimal, permissions: { clock: "yes" } }, /permissions\.clock: expected true or false/],
    [{ ...minimal, permissions: { admin: true } }, /permissions\.admin: unknown field/],
    [{ ...minimal, permisions: {} }, /permisions: unknown field/],
    [
      { ...minimal, limits: { fuel: -1 } },
      /limits\.fuel: expected a positive integer up to \d+, found -1/,
    ],
    [{ ...minimal, limits: { fuel: 1.5 } }, /limits\.fuel: expected a positive integer/],
    [[1, 2], /manifest: expected an object/],
  ];
  for (const [value, message] of cases) {
    await assertPxosError(() => validateManifest(value), "E_MANIFEST", message);
  }
});

Deno.test("text that is not JSON is E_MANIFEST with the parser's reason", async () => {
  await assertPxosError(
    () => parseManifest("{name: 1", "x/pxos.json"),
    "E_MANIFEST",
    /x\/pxos\.json: expected JSON/,
  );
});

Deno.test("runtime ranges are checked with semver", () => {
  assertEquals(runtimeSatisfies(">=0.1.0", "0.1.0"), true);
  assertEquals(runtimeSatisfies("^2.0.0", "0.1.0"), false);
  assertEquals(runtimeSatisfies(undefined, "0.1.0"), true);
});

Deno.test("docs/pxos.schema.json lists exactly the fields the validator knows", async () => {
  const schema = JSON.parse(
    await Deno.readTextFile(new URL("../../docs/pxos.schema.json", import.meta.url)),
  );
  const keys = (o: Record<string, unknown>) => Object.keys(o).sort();
  assertEquals(keys(schema.properties), [...MANIFEST_FIELDS].sort());
  assertEquals(keys(schema.properties.permissions.properties), [...PERMISSION_FIELDS].sort());
  assertEquals(keys(schema.properties.limits.properties), [...LIMIT_FIELDS].sort());
  assertEquals(schema.required, ["name", "version", "entry"]);
});

Deno.test("python requirements: nested, or the seed's top-level spelling, but not both", async () => {
  const base = { name: "p", version: "1.0.0", entry: "main.py" };
  const nested = validateManifest({ ...base, python: { python_min: "3.10" } });
  assertEquals(nested.python, { python_min: "3.10" });
  const seed = validateManifest({ ...base, python_min: "3.11", required_packages: ["json"] });
  assertEquals(seed.python, { python_min: "3.11", required_packages: ["json"] });
  assertEquals(validateManifest(base).python, undefined);
  await assertPxosError(
    () => validateManifest({ ...base, python_min: "3", python: {} }),
    "E_MANIFEST",
    /python_min: expected a version like "3\.10", found "3"/,
  );
  await assertPxosError(
    () => validateManifest({ ...base, python_min: "3.10", python: { python_min: "3.11" } }),
    "E_MANIFEST",
    / python\.python_min: expected no top-level python_min beside it, found "3\.10"/,
  );
});
