/**
 * CPU time of the calling thread, for benches on a shared machine: time spent waiting for a
 * core does not count (Linux `/proc/thread-self/stat`, 10 ms ticks; reading it needs `-A`).
 *
 * @module
 */

/** This thread's CPU time in ms (user + system), at the kernel's 10 ms tick. */
export function threadCpuMs(): number {
  const stat = Deno.readTextFileSync("/proc/thread-self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14, 15)
}

/** The median (upper middle) of `xs`. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The CPU model name from `/proc/cpuinfo`, recorded with every figure. */
export const cpuModel = (): string | undefined =>
  Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.*)/)?.[1];
