/**
 * What Deno reads when each `pxos boot` context starts (`docs/ARCHITECTURE.md`, "Start-up: what
 * loads when"). Deno reads and parses the module graph behind every literal `import("…")` of a
 * module it loads, so these graphs count dynamic imports too: the CLI's entry must not reach the
 * commands, and the deciding side and the sandbox process must not reach any engine, the project
 * packer or Python's runtime. The sandbox Worker, which may not read pxOS's files, must reach
 * every engine that way (it could not import one by a computed URL).
 */
import { ENGINE_IDS } from "../../src/engines/engine_ids.ts";
import { assertEquals } from "../assert.ts";

const repo = new URL("../../", import.meta.url);

/**
 * Every module Deno loads with `entry`: static imports and literal dynamic ones, transitively
 * (only static ones with `staticOnly`: what is evaluated before the entry's code runs).
 */
async function codeGraph(entry: string, staticOnly = false): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, repo).pathname],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dep.code && !(staticOnly && dep.isDynamic)) stack.push(dep.code.specifier);
    }
  }
  return new Set([...seen].map((s) => s.startsWith(repo.href) ? s.slice(repo.href.length) : s));
}

const ENGINE_MODULES = ENGINE_IDS.map((e) =>
  new URL(e.module.path, new URL("src/engines/", repo)).href.slice(repo.href.length)
);

function reached(graph: Set<string>, modules: string[]): string[] {
  return modules.filter((m) => graph.has(m));
}

Deno.test("the CLI's entry reaches no command module", async () => {
  const graph = await codeGraph("cli.ts");
  assertEquals(
    [...graph].filter((m) => m.startsWith("src/cli/commands/") && m !== "src/cli/commands/mod.ts"),
    [],
  );
});

Deno.test("boot's deciding side and its sandbox process reach no engine, packer or Python", async () => {
  const heavy = [...ENGINE_MODULES, "src/cli/project.ts", "src/boot/python_runtime.ts"];
  for (const entry of ["src/cli/commands/boot.ts", "src/cli/sandbox_child.ts"]) {
    assertEquals(reached(await codeGraph(entry), heavy), [], entry);
  }
});

Deno.test("no context of run or boot starts Deno's Node layer before it needs it", async () => {
  // The first `node:` module costs every start-up (+35 % of a bare `deno run` for node:path);
  // native modules load on first need (`src/native_modules.ts`, `Host.prepareSync`).
  const contexts = [
    "cli.ts",
    "src/cli/commands/boot.ts",
    "src/cli/commands/run.ts",
    "src/cli/sandbox_child.ts",
    "src/boot/sandbox_worker.ts",
    ...["pixelvm", "poh", "pxi", "pxvm", "wasm"].map((id) => `src/boot/workers/${id}.ts`),
  ];
  for (const entry of contexts) {
    const graph = await codeGraph(entry, true);
    assertEquals([...graph].filter((m) => m.startsWith("node:")), [], entry);
  }
});

Deno.test("run reaches no engine until it picks one", async () => {
  assertEquals(reached(await codeGraph("src/cli/commands/run.ts"), ENGINE_MODULES), []);
});

Deno.test("the sandbox Worker reaches every engine by literal imports (it may not read files)", async () => {
  assertEquals(
    reached(await codeGraph("src/boot/sandbox_worker.ts"), ENGINE_MODULES),
    ENGINE_MODULES,
  );
});

Deno.test("a sandbox Worker made for one engine reaches no other engine", async () => {
  const entries = [...Deno.readDirSync(new URL("src/boot/workers/", repo))]
    .map((e) => e.name.replace(/\.ts$/, "")).filter((n) => n !== "one_engine").sort();
  assertEquals(entries, ["pixelvm", "poh", "pxi", "pxvm", "wasm"]);
  for (const id of entries) {
    const own = ENGINE_MODULES[ENGINE_IDS.findIndex((e) => e.id === id)];
    // Its engine, and what that engine itself imports (PXI runs on pxVM).
    const expected = reached(await codeGraph(own), ENGINE_MODULES);
    const graph = await codeGraph(`src/boot/workers/${id}.ts`);
    assertEquals(reached(graph, ENGINE_MODULES), expected);
    // The manifest's checks ran before the cartridge reached the Worker.
    assertEquals(graph.has("src/archive/manifest.ts"), false, id);
    assertEquals(expected.includes(own), true);
  }
});

Deno.test("a sandbox Worker loads the host's file and network calls on first use", async () => {
  const lazy = ["fs_access", "fs_sync", "net_fetch", "net_serve"].map((m) => `src/host/${m}.ts`);
  for (const entry of ["src/boot/sandbox_worker.ts", "src/boot/workers/pixelvm.ts"]) {
    const graph = await codeGraph(entry, true);
    assertEquals(lazy.filter((m) => graph.has(m)), [], entry);
  }
});

Deno.test("deno compile gets every module pxOS imports by a computed URL", async () => {
  const graph = await codeGraph("src/cli/compiled_modules.ts");
  const commands = [...Deno.readDirSync(new URL("src/cli/commands/", repo))]
    .map((e) => `src/cli/commands/${e.name}`).filter((m) => m !== "src/cli/commands/mod.ts");
  const needed = [
    ...commands,
    "src/cli/project.ts",
    "src/boot/python_runtime.ts",
    ...ENGINE_MODULES,
  ];
  assertEquals(needed.filter((m) => !graph.has(m)), []);
});

Deno.test("deno compile gets every module imported by importLazily", async () => {
  // Each `importLazily(new URL("…", import.meta.url))` in src/, resolved against its file.
  const lazy = /importLazily(?:<[^>]*>)?\(\s*new URL\("([^"]+)", import\.meta\.url\)/g;
  const needed = new Set<string>();
  const walk = (dir: URL) => {
    for (const e of Deno.readDirSync(dir)) {
      const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
      if (e.isDirectory) walk(url);
      else if (e.name.endsWith(".ts")) {
        for (const m of Deno.readTextFileSync(url).matchAll(lazy)) {
          needed.add(new URL(m[1], url).href.slice(repo.href.length));
        }
      }
    }
  };
  walk(new URL("src/", repo));
  // The check must see the imports this page is about, or it checks nothing.
  for (const m of ["src/cli/boot_run.ts", "src/cli/play_session.ts", "src/gfx/frame_output.ts"]) {
    assertEquals(needed.has(m), true, `${m} is imported lazily`);
  }
  const graph = await codeGraph("src/cli/compiled_modules.ts");
  assertEquals([...needed].filter((m) => !graph.has(m)), []);
});

Deno.test("the sandbox process loads only what starting its Worker needs before it starts it", async () => {
  // Its entry starts the Worker from the plan; the options, the cartridge and what runs a plan
  // (frames, sound, the relay) load after.
  const graph = await codeGraph("src/cli/sandbox_child.ts", true);
  const late = (m: string) =>
    ["src/gfx/", "src/audio/", "src/archive/", "src/pixel/"].some((p) => m.startsWith(p)) || [
      "src/cli/boot_options.ts",
      "src/cli/boot_run.ts",
      "src/cli/main.ts",
      "src/cli/play_session.ts",
      "src/cli/sandbox_process.ts",
      "src/boot/sandbox.ts",
    ].includes(m);
  assertEquals([...graph].filter(late), []);
  assertEquals(graph.has("src/boot/sandbox_prestart.ts"), true);
  // The rest of the sandbox process loads nothing of the sort before the cartridge is open.
  const rest = await codeGraph("src/cli/sandbox_child_run.ts", true);
  assertEquals(
    [...rest].filter((m) =>
      late(m) && !m.startsWith("src/archive/") &&
      !m.startsWith("src/pixel/") && m !== "src/cli/boot_options.ts"
    ),
    [],
  );
});

Deno.test("no module pxos boot loads at start calls setTimeout (it loads Node's timers)", async () => {
  const entries = [
    "cli.ts",
    "src/cli/commands/boot.ts",
    "src/cli/sandbox_child.ts",
    "src/cli/sandbox_child_run.ts",
    "src/cli/boot_run.ts",
    "src/gfx/frame_output.ts",
    "src/boot/sandbox_worker.ts",
    "src/boot/workers/pixelvm.ts",
  ];
  const modules = new Set<string>();
  for (const entry of entries) {
    for (const m of await codeGraph(entry, true)) {
      if (m.startsWith("src/") || m === "cli.ts") modules.add(m);
    }
  }
  assertEquals(modules.has("src/boot/sandbox.ts") && modules.has("src/timers.ts"), true);
  const calling = [...modules].filter((m) =>
    /\bsetTimeout\(/.test(Deno.readTextFileSync(new URL(m, repo)))
  );
  assertEquals(calling, []);
});

Deno.test("a boot loads the frame output only when its guest draws", async () => {
  // `boot_frames.ts` stands in for it until the first draw; what runs a plan imports neither the
  // output nor any renderer before then.
  for (const entry of ["src/cli/boot_frames.ts", "src/cli/boot_run.ts"]) {
    const graph = await codeGraph(entry, true);
    assertEquals(
      [...graph].filter((m) =>
        m === "src/gfx/frame_output.ts" || m.startsWith("src/gfx/render") ||
        m === "src/gfx/session.ts"
      ),
      [],
      entry,
    );
  }
});
