/**
 * WASI standard streams as file descriptors of `@bjorn3/browser_wasi_shim`: stdout and stderr go
 * to the host's `console.write`/`console.error`, stdin comes from `console.readLine`. Reading a
 * line may wait for the terminal, so stdin is filled by an asynchronous step before the shim's
 * synchronous `fd_read` runs (see `wasi.ts`).
 *
 * @module
 */
import { Fd, wasi } from "@bjorn3/browser_wasi_shim";
import type { Host } from "../../host/host.ts";

/** stdout/stderr: UTF-8 is decoded across writes, so a character split between two writes survives. */
export class ConsoleFd extends Fd {
  readonly #host: Host;
  readonly #call: "console.write" | "console.error";
  // Made at the first write: most runs' stderr (and some stdouts) never write.
  #decoder: TextDecoder | undefined;

  /**
   * Creates a console stream.
   *
   * @param host where the text goes
   * @param call `console.write` (stdout) or `console.error` (stderr)
   */
  constructor(host: Host, call: "console.write" | "console.error") {
    super();
    this.#host = host;
    this.#call = call;
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    return { ret: wasi.ERRNO_SUCCESS, fdstat: new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0) };
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    const text = (this.#decoder ??= new TextDecoder()).decode(data, { stream: true });
    if (text !== "") this.#host.invoke(this.#call, [text]);
    return { ret: wasi.ERRNO_SUCCESS, nwritten: data.byteLength };
  }

  /** Writes what a trailing partial character left in the decoder. */
  flush(): void {
    const rest = this.#decoder?.decode() ?? "";
    if (rest !== "") this.#host.invoke(this.#call, [rest]);
  }
}

/** stdin: lines from the host, each with its newline, until the host says the input ended. */
export class StdinFd extends Fd {
  #buffer = new Uint8Array(0);
  #ended = false;
  readonly #host: Host;

  /**
   * Creates the input stream.
   *
   * @param host where lines come from
   */
  constructor(host: Host) {
    super();
    this.#host = host;
  }

  /** Whether a read would find nothing buffered (so a line must be fetched first). */
  get needsFill(): boolean {
    return this.#buffer.length === 0 && !this.#ended;
  }

  /** Fetches one line from the host (asynchronously: the terminal may be waited on). */
  async fill(): Promise<void> {
    const line = await this.#host.invoke("console.readLine", []);
    if (line === null || line === undefined) {
      this.#ended = true;
      return;
    }
    this.#buffer = new TextEncoder().encode(`${line}\n`);
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    return { ret: wasi.ERRNO_SUCCESS, fdstat: new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0) };
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const data = this.#buffer.slice(0, size);
    this.#buffer = this.#buffer.subarray(data.length);
    return { ret: wasi.ERRNO_SUCCESS, data };
  }
}
