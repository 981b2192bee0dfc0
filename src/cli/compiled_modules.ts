/**
 * The modules pxOS imports by a computed URL (`src/lazy_import.ts`), which `deno compile` cannot
 * find by itself. `deno task compile` includes this module (`--include`), so that they are in the
 * binary; it is never imported at run time. `tests/cli/startup_graph_test.ts` checks the list.
 *
 * @module
 */
import "./commands/asm.ts";
import "./commands/boot.ts";
import "./commands/disasm.ts";
import "./commands/inspect.ts";
import "./commands/keygen.ts";
import "./commands/link.ts";
import "./commands/ls.ts";
import "./commands/new.ts";
import "./commands/pack.ts";
import "./commands/pxi.ts";
import "./commands/render.ts";
import "./commands/replay.ts";
import "./commands/run.ts";
import "./commands/serve.ts";
import "./commands/sign.ts";
import "./commands/unpack.ts";
import "./commands/verify.ts";
import "./boot_run.ts";
import "./main.ts";
import "./play_session.ts";
import "./sandbox_child_run.ts";
import "./project.ts";
import "../gfx/frame_output.ts";
import "../boot/python_runtime.ts";
import "../engines/lazy_registry.ts";
import "../engines/pixelvm/engine.ts";
import "../engines/pxvm/engine.ts";
import "../engines/poh/engine.ts";
import "../pxi/engine.ts";
import "../engines/wasm/engine.ts";
import "../engines/python/engine.ts";
