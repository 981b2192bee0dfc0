/**
 * Test assertions. `@std/assert` is on JSR, which our machines cannot reach; `node:assert/strict`
 * gives the same checks, and these thin wrappers keep the `@std/assert` names tests are written in.
 */
import assert from "node:assert/strict";
import { PxosError, type PxosErrorCode } from "../src/errors.ts";

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Deep, strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  assert.notDeepStrictEqual(actual, expected, message);
}

/** Truthiness. */
export function assert_(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}
export { assert_ as assert };

/** Regex match on a string. */
export function assertMatch(actual: string, expected: RegExp, message?: string): void {
  assert.match(actual, expected, message);
}

/** Fails with `message`. */
export function fail(message: string): never {
  assert.fail(message);
}

/** Asserts `fn` throws (or rejects with) a `PxosError` with `code`, and returns it. */
export async function assertPxosError(
  fn: () => unknown,
  code: PxosErrorCode,
  messageIncludes?: RegExp,
): Promise<PxosError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof PxosError)) {
    assert.fail(
      `expected PxosError ${code}, got ${thrown === undefined ? "no error" : String(thrown)}`,
    );
  }
  assert.equal(thrown.code, code, `wrong code; message: ${thrown.message}`);
  if (messageIncludes) assert.match(thrown.message, messageIncludes);
  return thrown;
}
