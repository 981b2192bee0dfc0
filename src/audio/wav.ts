/**
 * WAV encoding: 16-bit little-endian PCM in a RIFF container, the one sound file format every
 * player reads. Only the bytes are built here; writing them is the CLI's business.
 *
 * @module
 */

/**
 * Encodes mono 16-bit samples as a WAV file.
 *
 * @example
 * ```ts
 * import { encodeWav } from "@pxos/core";
 * const wav = encodeWav(new Int16Array(4), 44100);
 * console.log(wav.length, new TextDecoder().decode(wav.subarray(0, 4))); // 52 RIFF
 * ```
 */
export function encodeWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i], true);
  return out;
}
