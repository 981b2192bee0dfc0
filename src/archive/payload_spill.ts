/**
 * An archive payload kept in a temporary file while its cartridge image is written, so that
 * packing holds one member at a time instead of the whole payload. It cannot go straight into the
 * image: the image's first row carries the payload's length and SHA-256, known only once the last
 * member is packed. The file is created beside the output (same file system, no size limit of a
 * tmpfs), exclusively and readable by its owner only, and removed by {@link PayloadSpill.remove}
 * or, on Ctrl-C, by `temp_cleanup.ts`.
 *
 * @module
 */
import { dirname, join } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { loadNativeCrypto, NATIVE_WORTHWHILE_BYTES } from "../native_modules.ts";
import type { PayloadSource } from "../pixel/cartridge_image.ts";
import { describeFsError } from "./fs_checks.ts";
import { sha256 } from "./hash.ts";
import { removeOnInterrupt } from "./temp_cleanup.ts";
import type { ArchiveDataSink } from "./writer.ts";

/** Appends are gathered into writes of this size: a tree of small files would be one write each. */
const WRITE_BYTES = 256 * 1024;
/** Pieces read back to hash the payload: the size the image encoder reads, so one buffer serves. */
const HASH_READ_BYTES = 256 * 1024;

/** The payload in a temporary file: written by the archive packer, read back by the encoder. */
export class PayloadSpill implements ArchiveDataSink, PayloadSource {
  #pending = new Uint8Array(WRITE_BYTES);
  #pendingBytes = 0;
  #readBuffer = new Uint8Array(0);
  #length = 0;
  #unregister: () => void;

  private constructor(readonly path: string, private readonly file: Deno.FsFile) {
    this.#unregister = removeOnInterrupt(path);
  }

  /** Creates the temporary file in `besidePath`'s folder. */
  static async create(besidePath: string): Promise<PayloadSpill> {
    const path = join(dirname(besidePath), `.${crypto.randomUUID().slice(0, 8)}.pxos-spill`);
    try {
      const file = await Deno.open(path, {
        read: true,
        write: true,
        createNew: true,
        mode: 0o600,
      });
      return new PayloadSpill(path, file);
    } catch (e) {
      throw new PxosError(
        "E_IO",
        `could not create a temporary file beside the output: ${describeFsError(e)}`,
        { file: besidePath, cause: e },
      );
    }
  }

  /** The payload's length, once {@link finish} has run. */
  get length(): number {
    return this.#length;
  }

  /** {@link ArchiveDataSink.start}: the data starts after room for the head. */
  start(headBytes: number): void {
    this.file.seekSync(headBytes, Deno.SeekMode.Start);
  }

  /** {@link ArchiveDataSink.append}. */
  append(bytes: Uint8Array): void {
    if (this.#pendingBytes + bytes.length > WRITE_BYTES) this.#flush();
    if (bytes.length >= WRITE_BYTES) {
      this.#writeAll(bytes);
      return;
    }
    this.#pending.set(bytes, this.#pendingBytes);
    this.#pendingBytes += bytes.length;
  }

  /**
   * Writes the head in front of the data and returns the whole payload's SHA-256 (read back from
   * the file, which the system still has cached: SHA-256 cannot take the head after the data).
   */
  async finish(head: Uint8Array, length: number): Promise<Uint8Array> {
    this.#flush();
    // Nothing more is appended: the gathering buffer, its pages touched already, serves the
    // reads from here on (fresh memory costs about 5 ms per MiB on first touch on the VM measured).
    this.#readBuffer = this.#pending;
    this.#pending = new Uint8Array(0);
    this.file.seekSync(0, Deno.SeekMode.Start);
    this.#writeAll(head);
    this.#length = length;
    if (length < NATIVE_WORTHWHILE_BYTES) return await sha256(this.read(0, length).slice());
    const hash = (await loadNativeCrypto()).createHash("sha256");
    for (let at = 0; at < length; at += HASH_READ_BYTES) {
      hash.update(this.read(at, Math.min(HASH_READ_BYTES, length - at)));
    }
    return new Uint8Array(hash.digest());
  }

  /** {@link PayloadSource.read}: into one buffer, reused from call to call. */
  read(at: number, length: number): Uint8Array {
    const want = Math.max(0, Math.min(length, this.#length - at));
    if (this.#readBuffer.length < want) this.#readBuffer = new Uint8Array(want);
    const into = this.#readBuffer.subarray(0, want);
    this.file.seekSync(at, Deno.SeekMode.Start);
    for (let filled = 0; filled < want;) {
      const n = this.file.readSync(into.subarray(filled));
      if (n === null) {
        throw new PxosError("E_IO", "the temporary payload file ended early", { file: this.path });
      }
      filled += n;
    }
    return into;
  }

  /** Closes and removes the file (whatever happened before). */
  remove(): void {
    try {
      this.file.close();
    } catch {
      // closed already
    }
    try {
      Deno.removeSync(this.path);
    } catch {
      // never fully created, or gone
    }
    this.#unregister();
  }

  #flush(): void {
    this.#writeAll(this.#pending.subarray(0, this.#pendingBytes));
    this.#pendingBytes = 0;
  }

  #writeAll(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length;) at += this.file.writeSync(bytes.subarray(at));
  }
}
