/**
 * A small cartridge's archive payload, sent with the sandbox plan. `pxos boot` has just read the
 * cartridge's image, decoded its pixels and checked the archive; the sandbox process, handed the
 * payload, opens the archive from it instead of reading and decoding the image again, and so never
 * loads the pixel layer (measured: 18 ms off a boot of the hello cartridge, see PERFORMANCE.md,
 * "Start-up, fourth round: the sandbox process's thread"). The plan's digest stays the binding
 * check: the sandbox process compares it with the digest of the archive it opened, whichever way
 * it came. A larger cartridge keeps being read from its file (a plan is sent as JSON).
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import { openCartridgePayload } from "../archive/cartridge_payload.ts";
import type { SandboxPlan } from "./sandbox_process.ts";

/** Payloads up to this size go with the plan; larger ones are read from the file again. */
export const PLAN_PAYLOAD_MAX_BYTES = 64 * 1024;

/** What a plan carries of a small cartridge: its payload (base64) and its image's facts. */
export interface PlanPayload {
  /** The archive payload, base64. */
  bytes: string;
  /** The image's facts (`Cartridge.image`). */
  image: Cartridge["image"];
}

/** The payload to send with the plan for `cart`, or `undefined` when it is too large or unknown. */
export function planPayload(cart: Cartridge): PlanPayload | undefined {
  const payload = cart.payload;
  if (payload === undefined || payload.length > PLAN_PAYLOAD_MAX_BYTES) return undefined;
  return { bytes: payload.toBase64(), image: cart.image };
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
  return Promise.resolve().then(() =>
    openCartridgePayload(Uint8Array.fromBase64(sent.bytes), sent.image, { name })
  );
}
