/**
 * A small cartridge's archive payload, sent with the sandbox plan. `pxos boot` has just read the
 * cartridge's image, decoded its pixels and checked the archive; the sandbox process, handed the
 * payload, opens the archive from it instead of reading and decoding the image again, and so never
 * loads the pixel layer (measured: 18 ms off a boot of the hello cartridge, see PERFORMANCE.md,
 * "Start-up, fourth round: the sandbox process's thread"). The plan's digest stays the binding
 * check: the sandbox process compares it with the digest of the archive it opened, whichever way
 * it came. A larger cartridge keeps being read from its file (a plan is sent as JSON).
 *
 * The payload comes with the manifest `pxos boot` parsed and checked from it, which the sandbox
 * process uses instead of reading and checking it a second time (≈ 7 ms of code run for the
 * first time in that process, on its thread just before the guest starts). It trusts its parent
 * for it as it does for the grant and the limits; the manifest member's bytes are still
 * hash-checked with every other member before the guest gets them.
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import type { Manifest } from "../archive/manifest.ts";
import { readArchive } from "../archive/reader.ts";
import type { SandboxPlan } from "./sandbox_process.ts";

/** Payloads up to this size go with the plan; larger ones are read from the file again. */
export const PLAN_PAYLOAD_MAX_BYTES = 64 * 1024;

/** What a plan carries of a small cartridge: its payload (base64) and its image's facts. */
export interface PlanPayload {
  /** The archive payload, base64. */
  bytes: string;
  /** The image's facts (`Cartridge.image`). */
  image: Cartridge["image"];
  /** The manifest, as `pxos boot` parsed and checked it from this payload. */
  manifest: Manifest;
}

/** The payload to send with the plan for `cart`, or `undefined` when it is too large or unknown. */
export function planPayload(cart: Cartridge): PlanPayload | undefined {
  const payload = cart.payload;
  if (payload === undefined || payload.length > PLAN_PAYLOAD_MAX_BYTES) return undefined;
  return { bytes: payload.toBase64(), image: cart.image, manifest: cart.manifest };
}

/**
 * Opens the cartridge from the payload `plan` carries (`name`: for error messages), or returns
 * `undefined` when it carries none.
 */
export function openPlanPayload(
  plan: SandboxPlan | undefined,
  name: string,
): Promise<Cartridge> | undefined {
  const sent = plan?.payload;
  if (sent === undefined) return undefined;
  // Inside the promise: a bad encoding is reported where the opening's errors are.
  return Promise.resolve().then(async () => {
    const payload = Uint8Array.fromBase64(sent.bytes);
    const archive = await readArchive(payload, { name });
    return { archive, manifest: sent.manifest, image: sent.image, payload };
  });
}
