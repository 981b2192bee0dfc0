import { openCartridge, packCartridge } from "../../src/archive/cartridge.ts";
import { toHex } from "../../src/archive/hash.ts";
import {
  openPlanPayload,
  PLAN_PAYLOAD_MAX_BYTES,
  planPayload,
} from "../../src/cli/sandbox_plan_payload.ts";
import type { SandboxPlan } from "../../src/cli/sandbox_process.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";

const encoder = new TextEncoder();

async function cartridge(extra: Uint8Array = new Uint8Array(0)) {
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode('{"name":"s","version":"1.0.0","entry":"m.pxasm"}') },
    { path: "m.pxasm", data: encoder.encode("PUSH 42\nPRINT\nHALT\n") },
    { path: "extra.bin", data: extra },
  ], { compress: false });
  return await openCartridge(png, { name: "s.pxa" });
}

function planWith(payload: SandboxPlan["payload"]): SandboxPlan {
  return { grant: NO_GRANT, limits: { ...DEFAULT_LIMITS }, root: "/", digest: "", payload };
}

Deno.test("a small cartridge's payload goes with the plan and opens to the same archive", async () => {
  const cart = await cartridge();
  const sent = planPayload(cart);
  assert(sent !== undefined, "a small cartridge's payload is sent");
  assertEquals(sent.image, cart.image);
  // The manifest goes along, as JSON: the sandbox process does not parse it again.
  assertEquals(
    JSON.parse(JSON.stringify(sent)).manifest,
    JSON.parse(JSON.stringify(cart.manifest)),
  );
  const opened = await openPlanPayload(planWith(sent), "s.pxa");
  assert(opened !== undefined);
  assertEquals(toHex(opened.archive.digest), toHex(cart.archive.digest));
  assertEquals(opened.manifest, cart.manifest);
  assertEquals(await opened.archive.readText("m.pxasm"), "PUSH 42\nPRINT\nHALT\n");
});

Deno.test("a large cartridge's payload stays out of the plan; a plan without one opens nothing", async () => {
  const random = new Uint8Array(PLAN_PAYLOAD_MAX_BYTES + 1);
  for (let i = 0; i < random.length; i += 65536) {
    crypto.getRandomValues(random.subarray(i, i + 65536));
  }
  assertEquals(planPayload(await cartridge(random)), undefined);
  assertEquals(openPlanPayload(planWith(undefined), "s.pxa"), undefined);
  assertEquals(openPlanPayload(undefined, "s.pxa"), undefined);
});

Deno.test("a damaged payload in the plan is refused, not run", async () => {
  const sent = planPayload(await cartridge());
  assert(sent !== undefined);
  const bytes = Uint8Array.fromBase64(sent.bytes);
  bytes[70] ^= 0xff; // inside the index, which the archive digest covers
  await assertPxosError(
    () => openPlanPayload(planWith({ ...sent, bytes: bytes.toBase64() }), "s.pxa")!,
    "E_ARCHIVE_HASH",
  );
});
