/**
 * Fuzz: seeded mutations of valid manifests, both as bytes (most become broken JSON) and as
 * JSON values (a field replaced by a hostile value, removed, or a key added — `__proto__`,
 * control characters, paths out of the root, huge numbers). Each is a valid manifest whose
 * request the grant layer also accepts, or a PxosError — never another exception.
 */
import { parseManifest } from "../../src/archive/manifest.ts";
import { requestedGrant } from "../../src/host/grant.ts";
import { assert, assertEquals } from "../assert.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed, mutateBytes } from "../fuzz.ts";

const SEED = fuzzSeed(20261206);

const BASES: readonly unknown[] = [
  { name: "hello", version: "1.0.0", entry: "main.pxi" },
  {
    $schema: "https://pxos.dev/schema/v1.json",
    name: "full.cart-1",
    version: "2.3.4-beta.1",
    title: "Full",
    author: "someone",
    description: "Everything a manifest may say.",
    entry: "src/main.poh",
    engine: "poh",
    pxos: ">=0.1.0 <2",
    requires: ["webgpu"],
    permissions: {
      read: ["./data", "assets/maps"],
      write: ["./saves"],
      net: ["api.example.com:443", "*.example.org"],
      clock: true,
      random: false,
      gpu: true,
    },
    limits: { fuel: 1_000_000, timeoutMs: 5000, memoryBytes: 1 << 24 },
    canvas: { width: 320, height: 200 },
  },
];

/** Values a hostile manifest might put anywhere. */
const HOSTILE: readonly unknown[] = [
  "",
  ".",
  "..",
  "../etc",
  "/etc/passwd",
  "C:\\x",
  "a\u0000b",
  "./data\u001b[2K",
  "\u009b2J",
  "\u202eevil",
  "x".repeat(2000),
  "__proto__",
  "*.",
  "host:99999",
  0,
  -1,
  0.5,
  2 ** 53,
  1e308,
  -0,
  null,
  true,
  [],
  {},
  [[["deep"]]],
  { __proto__: null, polluted: true },
  ["./data", 1, null],
];

const KEYS = ["__proto__", "constructor", "prototype", "name", "read", "fuel", "extra", "$schema"];

/** Replaces, removes or adds one value somewhere in a copy of `value`. */
function mutateValue(value: unknown, rand: (n: number) => number): unknown {
  const copy = structuredClone(value);
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== "object") return;
    containers.push(v as Record<string, unknown>);
    for (const child of Object.values(v)) walk(child);
  };
  walk(copy);
  for (let edits = 1 + rand(3); edits > 0; edits--) {
    const target = containers[rand(containers.length)];
    const keys = Object.keys(target);
    const hostile = structuredClone(HOSTILE[rand(HOSTILE.length)]);
    const op = rand(4);
    if (op === 0 && keys.length > 0) {
      delete (target as Record<string, unknown>)[keys[rand(keys.length)]];
    } else if (op === 1) {
      // defineProperty: a "__proto__" key becomes an own property, as JSON.parse makes it.
      const key = Array.isArray(target) ? String(rand(4)) : KEYS[rand(KEYS.length)];
      Object.defineProperty(target, key, {
        value: hostile,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (keys.length > 0) {
      (target as Record<string, unknown>)[keys[rand(keys.length)]] = hostile;
    }
  }
  return copy;
}

Deno.test(`fuzz: ${FUZZ_MUTATIONS} mutated manifests are valid or refused with PxosError (seed ${SEED})`, async () => {
  const texts = BASES.map((b) => JSON.stringify(b));
  for (const text of texts) requestedGrant(parseManifest(text).permissions); // the bases are valid
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const tally = await fuzz({
    name: "manifest",
    seed: SEED,
    input: (rand) => {
      const base = rand(BASES.length);
      if (rand(3) === 0) return decoder.decode(mutateBytes(encoder.encode(texts[base]), rand));
      return JSON.stringify(mutateValue(BASES[base], rand));
    },
    attempt: (text) => {
      const manifest = parseManifest(text);
      assertEquals(typeof manifest.name, "string");
      assertEquals(Object.getPrototypeOf(manifest.permissions), Object.prototype);
      requestedGrant(manifest.permissions);
    },
  });
  assert(tally.accepted > 100 && tally.refused > FUZZ_MUTATIONS / 2, JSON.stringify(tally));
  assertEquals([...tally.codes.keys()], ["E_MANIFEST"], "manifests are refused with E_MANIFEST");
  assertEquals(({} as Record<string, unknown>).polluted, undefined, "no prototype pollution");
});
