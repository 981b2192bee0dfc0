/**
 * Line input for guests (`console.readLine`), read lazily from the process's standard input.
 *
 * @module
 */

/** Returns a reader that yields one line of stdin per call, `null` at end of input. */
export function stdinLines(): () => Promise<string | null> {
  let lines: AsyncIterator<string> | undefined;
  return async () => {
    lines ??= Deno.stdin.readable.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines())[
      Symbol.asyncIterator
    ]();
    const next = await lines.next();
    return next.done ? null : next.value;
  };
}

function splitLines(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        controller.enqueue(buffer.slice(0, nl).replace(/\r$/, ""));
        buffer = buffer.slice(nl + 1);
      }
    },
    flush(controller) {
      if (buffer !== "") controller.enqueue(buffer);
    },
  });
}

/**
 * A reader for answers at a prompt: it reads standard input only while a line is asked for, so
 * no read is left pending afterwards to swallow what the user types next — a program started
 * after the prompt (the sandbox process, which inherits the terminal) gets every line. On a
 * terminal each read returns one line.
 */
export function promptLines(): () => Promise<string | null> {
  const decoder = new TextDecoder();
  return async () => {
    let line = "";
    const buffer = new Uint8Array(1024);
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) return line === "" ? null : line;
      line += decoder.decode(buffer.subarray(0, n), { stream: true });
      const nl = line.indexOf("\n");
      if (nl >= 0) return line.slice(0, nl).replace(/\r$/, "");
    }
  };
}
