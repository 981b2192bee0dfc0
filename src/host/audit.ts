/**
 * The audit log: one record per permission-checked host call (files, network, clock, random),
 * allowed or not and why. `pxos boot --audit FILE` writes them as JSON lines.
 *
 * @module
 */

/** One audited decision. */
export interface AuditEntry {
  /** When (ISO 8601, real time: the log is for the user, not the guest). */
  time: string;
  /** The cartridge's manifest name. */
  cartridge: string;
  /** Host-call name, e.g. `fs.readText`. */
  call: string;
  /** What it was about: a path, a URL (each redirect hop gets its own line), or `""`. */
  target: string;
  /** Whether the real resource was used. */
  allowed: boolean;
  /** Why: the grant that allowed it, or the reason for refusing. */
  reason: string;
}

/** Receives audit entries. */
export type AuditSink = (entry: AuditEntry) => void;

/**
 * Serialises entries as JSON lines.
 *
 * @example
 * ```ts
 * import { auditLine } from "@pxos/core";
 * const line = auditLine({
 *   time: "2026-01-01T00:00:00.000Z", cartridge: "demo", call: "fs.readText",
 *   target: "./secret", allowed: false, reason: "read is not granted",
 * });
 * console.log(line.endsWith("\n")); // true
 * ```
 */
export function auditLine(entry: AuditEntry): string {
  return JSON.stringify(entry) + "\n";
}
