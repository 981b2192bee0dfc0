/**
 * The baseline the archive and pixel benchmarks compare against: the bytes go straight from
 * memory into the native `CompressionStream` / `DecompressionStream` and the output is collected
 * into one buffer.
 *
 * Not through `new Blob([data]).stream()`: that copies the input into a blob and reads it back
 * through asynchronous reads, work the code being measured never does, which made inflating
 * 16 MiB of stored (random) data about 3× slower than the inflate itself and flattered the ratios.
 *
 * @module
 */

/** Runs `data` through one native (de)compression stream and returns the whole output. */
export async function throughNative(
  data: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(data as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(transform)).arrayBuffer());
}
