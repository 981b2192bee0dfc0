/**
 * SHA-256 on whichever native implementation costs least for the input's size.
 *
 * @module
 */
import { loadNativeCrypto, NATIVE_WORTHWHILE_BYTES, type NativeCrypto } from "./native_modules.ts";

let nativeCrypto: NativeCrypto | undefined;

/**
 * SHA-256 of `data`. Large data goes through `node:crypto` (native, SHA-NI where the CPU has it:
 * measured 8.6 ms for 16 MiB against 14.4 ms for WebCrypto's `digest`, and hashing is a large part
 * of unpacking); small data through WebCrypto unless `node:crypto` is loaded already, so a small
 * cartridge never starts Node's compatibility layer (see `src/native_modules.ts`).
 */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  if (!nativeCrypto && data.length >= NATIVE_WORTHWHILE_BYTES) {
    nativeCrypto = await loadNativeCrypto();
  }
  if (nativeCrypto) return new Uint8Array(nativeCrypto.createHash("sha256").update(data).digest());
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
}

/** Loads `node:crypto` for {@link sha256} now: for callers about to hash many pieces. */
export async function preferNativeSha256(): Promise<void> {
  nativeCrypto ??= await loadNativeCrypto();
}
