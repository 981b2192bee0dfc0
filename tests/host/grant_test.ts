/**
 * Grants: the manifest's request narrowed by the user's choice, never widened; denials win.
 */
import { parseManifest } from "../../src/archive/manifest.ts";
import {
  decideGrant,
  describeGrant,
  type Grant,
  grantOf,
  NO_GRANT,
  requestedGrant,
} from "../../src/host/grant.ts";
import { assertEquals, assertPxosError } from "../assert.ts";

const REQUEST: Grant = requestedGrant({
  read: ["./data", "assets/"],
  write: ["saves"],
  net: ["api.example.com:443", "*.cdn.example.org"],
  clock: true,
  random: true,
  gpu: true,
});

Deno.test("requestedGrant normalises paths and patterns and removes duplicates", () => {
  assertEquals(REQUEST, {
    read: ["data", "assets"],
    write: ["saves"],
    net: ["api.example.com:443", "*.cdn.example.org"],
    denyRead: [],
    denyWrite: [],
    denyNet: [],
    clock: true,
    random: true,
    gpu: true,
  });
  const dup = requestedGrant({ read: ["data", "./data/", "data/x/.."], net: ["A.com", "a.com"] });
  assertEquals([dup.read, dup.net], [["data"], ["a.com"]]);
  assertEquals(requestedGrant({}), NO_GRANT);
  assertEquals(requestedGrant({ read: ["."] }).read, [""]);
});

Deno.test("requestedGrant: manifest paths and patterns that could never be granted are E_MANIFEST", async () => {
  for (const read of [["../x"], ["data/../../x"], ["/etc"], ["a\\b"], ["C:/x"]]) {
    await assertPxosError(() => requestedGrant({ read }), "E_MANIFEST", /permissions\.read\[0\]/);
  }
  await assertPxosError(
    () => requestedGrant({ write: ["saves", "../up"] }),
    "E_MANIFEST",
    /permissions\.write\[1\]: path "\.\.\/up" escapes the root/,
  );
  // The manifest schema accepts these shapes; the grant still refuses them with the same code.
  const manifest = parseManifest(JSON.stringify({
    name: "x",
    version: "1.0.0",
    entry: "main.pxi",
    permissions: { net: ["ok.com", "example.com:0"] },
  }));
  await assertPxosError(
    () => requestedGrant(manifest.permissions),
    "E_MANIFEST",
    /permissions\.net\[1\]/,
  );
  await assertPxosError(() => requestedGrant({ net: ["h:65536"] }), "E_MANIFEST");
});

Deno.test("decideGrant: nothing chosen grants nothing", () => {
  assertEquals(decideGrant(REQUEST, {}), NO_GRANT);
});

Deno.test("decideGrant: --yes grants exactly the request", () => {
  assertEquals(decideGrant(REQUEST, { yes: true }), REQUEST);
  const small = requestedGrant({ read: ["data"] });
  assertEquals(decideGrant(small, { yes: true }), { ...NO_GRANT, read: ["data"] });
});

Deno.test("decideGrant: --allow-x (all) grants that kind only, as requested", () => {
  const g = decideGrant(REQUEST, { allowRead: true });
  assertEquals(g, { ...NO_GRANT, read: ["data", "assets"] });
  assertEquals(decideGrant(REQUEST, { allowWrite: true }), { ...NO_GRANT, write: ["saves"] });
  assertEquals(decideGrant(REQUEST, { allowNet: true }).net, REQUEST.net);
  assertEquals(decideGrant(REQUEST, { allowClock: true }), { ...NO_GRANT, clock: true });
  assertEquals(decideGrant(REQUEST, { allowRandom: true }), { ...NO_GRANT, random: true });
  assertEquals(decideGrant(REQUEST, { allowGpu: true }), { ...NO_GRANT, gpu: true });
});

Deno.test("decideGrant: allow lists never add what the manifest did not ask for", () => {
  // --allow-read=. covers the request; it does not grant the whole root.
  assertEquals(decideGrant(REQUEST, { allowRead: ["."] }).read, ["data", "assets"]);
  assertEquals(decideGrant(REQUEST, { allowRead: ["data", "other", "database"] }).read, ["data"]);
  assertEquals(decideGrant(REQUEST, { allowWrite: ["."] }).write, ["saves"]);
  // Read granted says nothing about write, and the other way round.
  assertEquals(decideGrant(REQUEST, { allowRead: ["saves"] }).read, []);
  assertEquals(decideGrant(REQUEST, { allowRead: ["saves"] }).write, []);
  assertEquals(decideGrant(REQUEST, { allowWrite: ["data"] }).write, []);
  // Switches not requested are not granted by flags either.
  const bare = requestedGrant({ read: ["data"] });
  assertEquals(
    decideGrant(bare, { allowClock: true, allowRandom: true, allowGpu: true, allowNet: true }),
    NO_GRANT,
  );
  assertEquals(decideGrant(bare, { allowNet: ["*.com", "127.0.0.1"] }).net, []);
  assertEquals(decideGrant(bare, { allowWrite: true, allowRead: ["data/x", "y"] }).read, [
    "data/x",
  ]);
});

Deno.test("decideGrant: narrower allowed paths are granted as themselves", () => {
  const g = decideGrant(REQUEST, { allowRead: ["data/maps", "./assets/img/", "other/x"] });
  assertEquals(g.read, ["data/maps", "assets/img"]);
  const wider = requestedGrant({ read: ["data/maps"] });
  assertEquals(decideGrant(wider, { allowRead: ["data"] }).read, ["data/maps"]);
});

Deno.test("decideGrant: net allow patterns narrow the request, never widen it", () => {
  const net = (request: string[], allowNet: string[]) =>
    decideGrant(requestedGrant({ net: request }), { allowNet }).net;
  assertEquals(net(["api.example.com:443"], ["*.com"]), ["api.example.com:443"]);
  assertEquals(net(["api.example.com:443"], ["*.example.com"]), ["api.example.com:443"]);
  assertEquals(net(["api.example.com:443"], ["api.example.com"]), ["api.example.com:443"]);
  assertEquals(net(["api.example.com:443"], ["api.example.com:80"]), []);
  assertEquals(net(["api.example.com:443"], ["example.com"]), []);
  assertEquals(net(["api.example.com:443"], ["evil.net", "*.org"]), []);
  // A wildcard request narrowed to what the user names inside it.
  assertEquals(net(["*.example.com"], ["api.example.com", "example.com", "x.org"]), [
    "api.example.com",
  ]);
  assertEquals(net(["*.example.com"], ["*.example.com"]), ["*.example.com"]);
  assertEquals(net(["*.example.com"], ["*.com"]), ["*.example.com"]);
  assertEquals(net(["*.example.com"], ["*.example.com:443"]), ["*.example.com:443"]);
  assertEquals(net(["example.com"], ["example.com:443"]), ["example.com:443"]);
  assertEquals(net(["example.com:443"], ["example.com"]), ["example.com:443"]);
  assertEquals(net(["example.com"], ["*.example.com"]), []);
  assertEquals(net(["example.com.evil.net"], ["example.com"]), []);
  assertEquals(net(["evil-example.com"], ["*.example.com"]), []);
});

Deno.test("decideGrant: denials win over --yes and --allow", () => {
  const all = { yes: true, allowRead: true, allowWrite: true, allowNet: true } as const;
  const g = decideGrant(REQUEST, {
    ...all,
    allowClock: true,
    denyRead: true,
    denyWrite: true,
    denyNet: true,
    denyClock: true,
    denyRandom: true,
    denyGpu: true,
  });
  assertEquals(g, NO_GRANT);
  const partial = decideGrant(REQUEST, {
    ...all,
    denyRead: ["data/secret"],
    denyWrite: ["./saves/locked"],
    denyNet: ["API.example.com:443"],
  });
  // The grant keeps the request; the deny lists travel with it and win at access time.
  assertEquals(partial.read, ["data", "assets"]);
  assertEquals(partial.denyRead, ["data/secret"]);
  assertEquals(partial.denyWrite, ["saves/locked"]);
  assertEquals(partial.denyNet, ["api.example.com:443"]);
  assertEquals([partial.clock, partial.random, partial.gpu], [true, true, true]);
});

Deno.test("decideGrant: malformed allow and deny entries are refused", async () => {
  await assertPxosError(() => decideGrant(REQUEST, { allowRead: ["../x"] }), "E_PERMISSION");
  await assertPxosError(() => decideGrant(REQUEST, { denyRead: ["/etc"] }), "E_PERMISSION");
  await assertPxosError(() => decideGrant(REQUEST, { allowNet: ["http://x"] }), "E_PERMISSION");
  await assertPxosError(() => decideGrant(REQUEST, { denyNet: ["x:0"] }), "E_PERMISSION");
});

Deno.test("describeGrant lists each permission on its own line", () => {
  assertEquals(describeGrant(REQUEST), [
    "read ./data",
    "read ./assets",
    "write ./saves",
    "net api.example.com:443",
    "net *.cdn.example.org",
    "clock",
    "random",
    "gpu",
  ]);
  assertEquals(describeGrant({ ...NO_GRANT, read: [""] }), ["read ."]);
  assertEquals(describeGrant(NO_GRANT), []);
});

Deno.test("grantOf sets only the switches named", () => {
  assertEquals(grantOf([]), NO_GRANT);
  assertEquals(grantOf(["clock"]), { ...NO_GRANT, clock: true });
  assertEquals(grantOf(["random", "gpu"]), { ...NO_GRANT, random: true, gpu: true });
});
