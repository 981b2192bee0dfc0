/**
 * Cartridge signatures: Ed25519 (WebCrypto) over the archive digest, which covers the header, the
 * manifest and every file's hash. The signature block travels as the archive's trailer, inside the
 * pixels, so it survives the same re-encodes as the data. Keys are standard PEM files (PKCS#8
 * private, SPKI public), readable by OpenSSL.
 *
 * Signature block v1 (little-endian), 104 bytes:
 *
 *     0  "PXSG"   4  u16 version (1)   6  u16 algorithm (1 = Ed25519)
 *     8  public key (32)   40  signature (64) over SIGNING_CONTEXT ‖ archive digest
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { bytesEqual, sha256, toHex } from "./hash.ts";

/** Bytes of a v1 signature block. */
export const SIGNATURE_BLOCK_BYTES = 104;
const SIGNATURE_MAGIC = new Uint8Array([0x50, 0x58, 0x53, 0x47]); // "PXSG"
/** Domain separation: a pxOS signature can never be replayed as a signature of anything else. */
const SIGNING_CONTEXT = new TextEncoder().encode("pxOS archive signature v1\0");

/** A decoded signature block. */
export interface SignatureBlock {
  /** Raw 32-byte Ed25519 public key of the signer. */
  publicKey: Uint8Array;
  /** 64-byte Ed25519 signature. */
  signature: Uint8Array;
}

/** A signing key pair as PEM text. */
export interface KeyPairPem {
  /** PKCS#8 private key, PEM. Keep it secret. */
  privateKeyPem: string;
  /** SPKI public key, PEM. Give it to people who should trust your cartridges. */
  publicKeyPem: string;
  /** Short fingerprint of the public key. */
  fingerprint: string;
}

/**
 * Generates an Ed25519 key pair.
 *
 * @example
 * ```ts
 * import { generateSigningKeys } from "@pxos/core";
 * const keys = await generateSigningKeys();
 * console.log(keys.publicKeyPem.startsWith("-----BEGIN PUBLIC KEY-----"));
 * ```
 */
export async function generateSigningKeys(): Promise<KeyPairPem> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return {
    privateKeyPem: toPem("PRIVATE KEY", pkcs8),
    publicKeyPem: toPem("PUBLIC KEY", spki),
    fingerprint: await keyFingerprint(raw),
  };
}

/**
 * The fingerprint shown for a public key: `ed25519:` and the first 16 bytes of its SHA-256 in hex.
 *
 * @example
 * ```ts
 * import { keyFingerprint } from "@pxos/core";
 * console.log(await keyFingerprint(new Uint8Array(32))); // "ed25519:66687aadf862bd776c8fc18b8e9f8e20"
 * ```
 */
export async function keyFingerprint(rawPublicKey: Uint8Array): Promise<string> {
  return `ed25519:${toHex((await sha256(rawPublicKey)).subarray(0, 16))}`;
}

/** Signs an archive digest with a PEM private key and returns the signature block. */
export async function signDigest(digest: Uint8Array, privateKeyPem: string): Promise<Uint8Array> {
  const key = await importPrivateKey(privateKeyPem);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const publicKey = base64UrlDecode(jwk.x ?? "");
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", key, signedBytes(digest)));
  const block = new Uint8Array(SIGNATURE_BLOCK_BYTES);
  const view = new DataView(block.buffer);
  block.set(SIGNATURE_MAGIC, 0);
  view.setUint16(4, 1, true);
  view.setUint16(6, 1, true);
  block.set(publicKey, 8);
  block.set(signature, 40);
  return block;
}

/** Parses a trailer as a signature block; `null` for an empty trailer, `E_SIGNATURE` if malformed. */
export function parseSignatureBlock(trailer: Uint8Array): SignatureBlock | null {
  if (trailer.length === 0) return null;
  const fail = (what: string): never => {
    throw new PxosError("E_SIGNATURE", `signature block: ${what}`);
  };
  if (trailer.length !== SIGNATURE_BLOCK_BYTES) {
    fail(`expected ${SIGNATURE_BLOCK_BYTES} bytes, found ${trailer.length}`);
  }
  if (!bytesEqual(trailer.subarray(0, 4), SIGNATURE_MAGIC)) fail('expected magic "PXSG"');
  const view = new DataView(trailer.buffer, trailer.byteOffset, trailer.byteLength);
  if (view.getUint16(4, true) !== 1) fail(`expected version 1, found ${view.getUint16(4, true)}`);
  if (view.getUint16(6, true) !== 1) {
    fail(`expected algorithm 1 (Ed25519), found ${view.getUint16(6, true)}`);
  }
  return { publicKey: trailer.slice(8, 40), signature: trailer.slice(40, 104) };
}

/** What {@link checkSignature} found. */
export interface SignatureCheck {
  /** Whether the archive carries a signature block. */
  signed: boolean;
  /** Fingerprint of the signer's key (when signed). */
  fingerprint?: string;
  /** Whether the signature is valid for the archive digest (when signed). */
  valid?: boolean;
  /** Whether the signer is one of the trusted keys (when trusted keys were given). */
  trusted?: boolean;
}

/**
 * Checks an archive's signature, and with `trustedPublicKeyPems` whether the signer is trusted.
 * Never throws for a bad signature; see {@link requireTrustedSignature}.
 */
export async function checkSignature(
  digest: Uint8Array,
  trailer: Uint8Array,
  trustedPublicKeyPems: readonly string[] = [],
): Promise<SignatureCheck> {
  let block: SignatureBlock | null;
  try {
    block = parseSignatureBlock(trailer);
  } catch {
    return { signed: true, valid: false, trusted: false };
  }
  if (block === null) return { signed: false };
  const fingerprint = await keyFingerprint(block.publicKey);
  const key = await crypto.subtle.importKey(
    "raw",
    block.publicKey as Uint8Array<ArrayBuffer>,
    "Ed25519",
    true,
    ["verify"],
  )
    .catch(() => null);
  const valid = key !== null &&
    await crypto.subtle.verify(
      "Ed25519",
      key,
      block.signature as Uint8Array<ArrayBuffer>,
      signedBytes(digest),
    );
  if (trustedPublicKeyPems.length === 0) return { signed: true, fingerprint, valid };
  const trustedRaw = await Promise.all(trustedPublicKeyPems.map(rawPublicKeyFromPem));
  return {
    signed: true,
    fingerprint,
    valid,
    trusted: valid && trustedRaw.some((k) => bytesEqual(k, block.publicKey)),
  };
}

/**
 * Throws `E_SIGNATURE` unless the archive is signed, the signature is valid and the signer is one
 * of `trustedPublicKeyPems`.
 *
 * @example
 * ```ts ignore
 * import { openCartridge, requireTrustedSignature } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("game.pxa"));
 * await requireTrustedSignature(cart.archive.digest, cart.archive.trailer, [await Deno.readTextFile("me.pub")]);
 * ```
 */
export async function requireTrustedSignature(
  digest: Uint8Array,
  trailer: Uint8Array,
  trustedPublicKeyPems: readonly string[],
): Promise<SignatureCheck> {
  const check = await checkSignature(digest, trailer, trustedPublicKeyPems);
  if (!check.signed) {
    throw new PxosError("E_SIGNATURE", "expected a signed cartridge, found no signature");
  }
  if (!check.valid) {
    throw new PxosError(
      "E_SIGNATURE",
      `signature by ${
        check.fingerprint ?? "an unreadable key"
      } does not verify: the cartridge was changed after signing`,
    );
  }
  if (!check.trusted) {
    throw new PxosError(
      "E_SIGNATURE",
      `signed by ${check.fingerprint}, which is not a trusted key`,
    );
  }
  return check;
}

/** The raw 32-byte public key in an SPKI PEM (or a PKCS#8 private key PEM). */
export async function rawPublicKeyFromPem(pem: string): Promise<Uint8Array> {
  if (pem.includes("PRIVATE KEY")) {
    const jwk = await crypto.subtle.exportKey("jwk", await importPrivateKey(pem));
    return base64UrlDecode(jwk.x ?? "");
  }
  try {
    const key = await crypto.subtle.importKey(
      "spki",
      fromPem(pem, "PUBLIC KEY") as Uint8Array<ArrayBuffer>,
      "Ed25519",
      true,
      ["verify"],
    );
    return new Uint8Array(await crypto.subtle.exportKey("raw", key));
  } catch (e) {
    if (e instanceof PxosError) throw e;
    throw new PxosError(
      "E_SIGNATURE",
      "expected an Ed25519 public key (SPKI PEM), found another kind of key",
    );
  }
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      "pkcs8",
      fromPem(pem, "PRIVATE KEY") as Uint8Array<ArrayBuffer>,
      "Ed25519",
      true,
      ["sign"],
    );
  } catch (e) {
    if (e instanceof PxosError) throw e;
    throw new PxosError(
      "E_SIGNATURE",
      "expected an Ed25519 private key (PKCS#8 PEM), found another kind of key",
    );
  }
}

function signedBytes(digest: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(SIGNING_CONTEXT.length + digest.length);
  out.set(SIGNING_CONTEXT, 0);
  out.set(digest, SIGNING_CONTEXT.length);
  return out;
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
}

function fromPem(pem: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`)
    .exec(pem);
  if (!match) throw new PxosError("E_SIGNATURE", `expected a PEM "${label}" block, found none`);
  return Uint8Array.from(atob(match[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

function base64UrlDecode(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(s.length / 4) * 4, "=");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
