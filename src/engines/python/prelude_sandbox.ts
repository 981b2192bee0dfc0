/**
 * Python source run once in each interpreter: the sandbox around the guest. Everything outside
 * the interpreter goes through one bridge function, `hostcall(name, *args)`, that answers with a
 * tagged string (or a promise of one, awaited with Pyodide's JSPI `run_sync`), so no JavaScript
 * object ever reaches guest code through the bridge:
 *
 * - `print`/`input` → `console.write`/`console.readLine`; `sys.exit` → the run's exit code;
 * - `random` seeded from `random.bytes` (the clocks and the system's random bytes are taken over
 *   below Python, at the interpreter's imports: see `system_imports.ts`);
 * - files: nothing here — host folders are an Emscripten mount below CPython
 *   (`host_mount.ts`), so every file function reaches the host's checked `fs.*` calls;
 * - `urllib.request.urlopen` → `net.fetch`;
 * - a `pxos` module with one function per row of the host-call table (`pxos.gfx_rect(...)`).
 *
 * @module
 */

/** The sandbox prelude (Python source). Defines `_pxos_sandbox(imports, table_json)`. */
export const PRELUDE_SANDBOX: string = String.raw`
def _pxos_sandbox(imports, table_json):
    import errno, io, json, os, random, sys, time, types, traceback
    import urllib.request, urllib.error, email.message
    from pyodide.ffi import run_sync

    state = types.SimpleNamespace(hostcall=None, sleep=None)
    table = json.loads(table_json)

    class FuelExhausted(BaseException):
        pass

    def call(name, *args, kinds=None):
        if kinds is None:
            kinds = specs[name]
        if len(args) != len(kinds):
            raise TypeError(f"pxos.{name.replace('.', '_')}() takes {len(kinds)} arguments, got {len(args)}")
        sent = []
        for value, kind in zip(args, kinds):
            if kind == "bytes":
                if isinstance(value, str):
                    value = value.encode()
                if not isinstance(value, (bytes, bytearray, memoryview)):
                    raise TypeError(f"{name}: expected bytes, found {type(value).__name__}")
                value = bytes(value).decode("latin-1")
            elif kind == "string":
                value = str(value)
            elif kind == "bool":
                value = bool(value)
            elif kind in ("i32", "f64"):
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise TypeError(f"{name}: expected a number, found {type(value).__name__}")
                value = float(value) if kind == "f64" else int(value)
            sent.append(value)
        answer = state.hostcall(name, *sent)
        if not isinstance(answer, str):
            answer = run_sync(answer)
        tag, body = answer[0], answer[1:]
        if tag == "v":
            return json.loads(body)
        if tag == "b":
            return body.encode("latin-1")
        if tag == "x":
            raise SystemExit(int(body))
        code, _, message = body.partition("\n")
        if code == "E_PERMISSION":
            raise PermissionError(errno.EACCES, f"{code}: {message}")
        if code == "E_IO" and "does not exist" in message:
            raise FileNotFoundError(errno.ENOENT, f"{code}: {message}")
        if code == "E_MEMORY":
            raise MemoryError(f"{code}: {message}")
        raise OSError(f"{code}: {message}")

    specs = {row["name"]: [a["type"] for a in row["args"]] for row in table}

    # --- the pxos module: the host-call table, one function per row ---
    pxos = types.ModuleType("pxos", "The pxOS host-call table (see docs/engines/python.md).")
    def bind(name):
        def host_function(*args):
            return call(name, *args)
        host_function.__name__ = name.replace(".", "_")
        host_function.__doc__ = next(r["doc"] for r in table if r["name"] == name)
        return host_function
    for row in table:
        setattr(pxos, row["name"].replace(".", "_"), bind(row["name"]))
    pxos.call = lambda name, *args: call(name, *args)
    pxos.rgba = lambda r, g, b, a=255: ((r & 255) << 24) | ((g & 255) << 16) | ((b & 255) << 8) | (a & 255)
    pxos.cart_files = lambda: sorted(imports.finder.files)
    sys.modules["pxos"] = pxos

    # --- console ---
    class HostOut(io.TextIOBase):
        def __init__(self, name):
            self.call_name = name
        def writable(self):
            return True
        def write(self, text):
            if not isinstance(text, str):
                raise TypeError(f"write() argument must be str, not {type(text).__name__}")
            if text:
                call(self.call_name, text)
            return len(text)
        def isatty(self):
            return False

    class HostIn(io.TextIOBase):
        def readable(self):
            return True
        def readline(self, size=-1):
            line = call("console.readLine")
            return "" if line is None else line + "\n"
        def read(self, size=-1):
            return "".join(iter(self.readline, ""))

    # --- time and randomness come from the host: the clocks and the system's random bytes at
    # the interpreter's WebAssembly imports (system_imports.ts); sleeping waits for real ---
    def sleep(seconds):
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        run_sync(state.sleep(seconds * 1000))
    time.sleep = sleep

    def refuse_exit(code=0):
        raise SystemExit(code)
    os._exit = refuse_exit
    os.abort = lambda: refuse_exit(134)

    # --- urllib through net.fetch ---
    def urlopen(url, data=None, timeout=None, **_):
        request = url if isinstance(url, urllib.request.Request) else urllib.request.Request(url, data)
        body = request.data or b""
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        headers = "\n".join(f"{k}: {v}" for k, v in request.header_items())
        answer = call("net.fetch", request.get_method(), request.full_url, headers, body)
        head, _, text = answer.partition("\n\n")
        lines = head.split("\n")
        status = int(lines[0].split()[0])
        message = email.message.Message()
        for line in lines[1:]:
            name, _, value = line.partition(":")
            message[name.strip()] = value.strip()
        response = io.BytesIO(text.encode("utf-8"))
        response.status = response.code = status
        response.headers = message
        response.url = request.full_url
        response.getheader = lambda name, default=None: message.get(name, default)
        response.getcode = lambda: status
        if status >= 400:
            raise urllib.error.HTTPError(request.full_url, status, lines[0], message, response)
        return response
    urllib.request.urlopen = urlopen

    # --- asyncio.run: Pyodide's loop runs on JavaScript's event loop (out of reach); this one
    # waits by sleeping. Pyodide's own loop stays current around each sleep (run_sync needs it).
    import asyncio, asyncio.events, asyncio.runners
    get_running, set_running = asyncio.events._get_running_loop, asyncio.events._set_running_loop
    class NoSelector:
        """No sockets or pipes to watch: waiting is sleeping until the next timer is due."""
        def __init__(self, outer):
            self.outer = outer
        def select(self, timeout=None):
            if timeout is None:
                raise RuntimeError("the event loop has nothing left to wait for (no timers, no I/O)")
            if timeout > 0:
                inner = get_running()
                set_running(self.outer)
                try:
                    time.sleep(timeout)
                finally:
                    set_running(inner)
            return []
        def close(self):
            pass
    def asyncio_run(main, *, debug=None, loop_factory=None):
        outer = get_running()
        class PxosEventLoop(asyncio.BaseEventLoop):
            def __init__(self):
                super().__init__()
                self._selector = NoSelector(outer)
            def _process_events(self, event_list):
                pass
            def _write_to_self(self):
                pass
        set_running(None)
        try:
            with asyncio.runners.Runner(debug=debug, loop_factory=loop_factory or PxosEventLoop) as runner:
                return runner.run(main)
        finally:
            set_running(outer)
    asyncio.run = asyncio_run

    def begin(hostcall, sleeper, files, roots, fuel):
        state.hostcall, state.sleep = hostcall, sleeper
        imports.finder.files = frozenset(files)
        imports.finder.roots = tuple(roots)
        wheels = [f"/cart/{f}" for f in sorted(files) if f.endswith(".whl") and f.count("/") <= 1]
        sys.path[:] = wheels + [p for p in sys.path if p.startswith("/lib/")]
        sys.path_importer_cache.clear()
        sys.stdout, sys.stderr, sys.stdin = HostOut("console.write"), HostOut("console.error"), HostIn()
        sys.argv = ["/cart/" + files[0]] if files else [""]
        random.seed(int.from_bytes(call("random.bytes", 32), "little"))
        os.chdir("/")
        counter.used, counter.out = 0, False
        if fuel > 0:
            count_fuel(fuel)

    # --- --trace (one line per cartridge line executed) and --profile (calls and time per
    # cartridge function, timed by a real clock the host passes: the guest's clocks are virtual) ---
    observe = types.SimpleNamespace(trace=None, clock=None, calls={}, stack=[])

    def watch(trace, clock):
        trace, clock = (f if callable(f) else None for f in (trace, clock))
        observe.trace, observe.clock, observe.calls, observe.stack = trace, clock, {}, []
        def tracer(frame, event, arg):
            if not frame.f_code.co_filename.startswith("/cart/"):
                return None
            if event == "line" and observe.trace is not None:
                code = frame.f_code
                observe.trace(f"{code.co_filename[6:]}:{frame.f_lineno} {code.co_qualname}")
            return tracer
        def profiler(frame, event, arg):
            code = frame.f_code
            if not code.co_filename.startswith("/cart/") or event not in ("call", "return"):
                return
            name = f"{code.co_qualname} ({code.co_filename[6:]}:{code.co_firstlineno})"
            if event == "call":
                observe.stack.append((name, observe.clock()))
            elif observe.stack:
                called, began = observe.stack.pop()
                count, spent = observe.calls.get(called, (0, 0.0))
                observe.calls[called] = (count + 1, spent + observe.clock() - began)
        if trace is not None:
            sys.settrace(tracer)
        if clock is not None:
            sys.setprofile(profiler)

    def profile_rows():
        """[[name, calls, ms], ...], most time first (functions still running count too)."""
        sys.setprofile(None)
        sys.settrace(None)
        now = observe.clock() if observe.clock is not None else 0
        for name, began in observe.stack:
            count, spent = observe.calls.get(name, (0, 0.0))
            observe.calls[name] = (count + 1, spent + now - began)
        rows = [[n, c, round(t, 3)] for n, (c, t) in observe.calls.items()]
        observe.trace = observe.clock = None
        observe.calls, observe.stack = {}, []
        return json.dumps(sorted(rows, key=lambda r: (-r[2], -r[1], r[0])))

    counter = types.SimpleNamespace(used=0, tool=None, out=False)
    def count_fuel(fuel):
        """Counts the cartridge's own bytecode instructions; other code is not counted."""
        mon = sys.monitoring
        counter.used, counter.tool, counter.out = 0, mon.PROFILER_ID, False
        mon.use_tool_id(counter.tool, "pxos fuel")
        mon.restart_events()
        def step(code, offset):
            if not code.co_filename.startswith("/cart/"):
                return mon.DISABLE
            counter.used += 1
            if counter.used > fuel:
                counter.out = True
                raise FuelExhausted(f"ran out of fuel after {fuel} instructions")
        mon.register_callback(counter.tool, mon.events.INSTRUCTION, step)
        mon.set_events(counter.tool, mon.events.INSTRUCTION)

    def where(exc):
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("/cart/")]
        return (frames[-1].filename, frames[-1].lineno) if frames else (None, None)

    def guarded(step):
        """Runs step(); answers {} when it returned, {"exit": n, "ended": True} for an exit, or
        {"error", "message", "file", "line"}."""
        outcome = {}
        try:
            step()
        except SystemExit as e:
            if e.code is None or isinstance(e.code, int):
                outcome = {"exit": (e.code or 0) & 255, "ended": True}
            else:
                sys.stderr.write(f"{e.code}\n")
                outcome = {"exit": 1, "ended": True}
        except imports.PxosLoadError as e:
            outcome = {"error": e.pxos_code, "message": str(e), "file": e.pxos_file, "line": e.pxos_line}
        except FuelExhausted as e:
            outcome = {"error": "E_FUEL", "message": str(e)}
        except KeyboardInterrupt:
            outcome = {"error": "E_TIMEOUT", "message": "interrupted (KeyboardInterrupt) at the deadline"}
        except MemoryError as e:
            outcome = {"error": "E_MEMORY", "message": f"MemoryError {e}".strip()}
        except BaseException as e:
            file, line = where(e)
            try:  # the guest's part of the traceback: from its first cartridge frame on
                tb = e.__traceback__
                while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("/cart/"):
                    tb = tb.tb_next
                traceback.print_exception(type(e), e, tb or e.__traceback__, file=sys.stderr)
            except BaseException:
                pass
            outcome = {"error": "E_TRAP", "message": f"uncaught {type(e).__name__}: {e}",
                       "file": file, "line": line}
        if counter.out:
            outcome = {"error": "E_FUEL", "message": f"ran out of fuel after {counter.used - 1} instructions"}
        return outcome

    def run(entry):
        """Runs the entry's main part; answers JSON: guarded's outcome, plus "update": true when
        the program defines a top-level update() to be called once per frame."""
        outcome = guarded(lambda: imports.run_entry(entry))
        main = sys.modules.get("__main__")
        if not outcome and callable(getattr(main, "update", None)):
            outcome["update"] = True
        return json.dumps(outcome)

    def frame():
        """Calls the program's update() once: one frame. Answers JSON like run."""
        return json.dumps(guarded(lambda: sys.modules["__main__"].update()))

    def finish():
        """Ends the run (also after a failure): answers the fuel used."""
        if counter.tool is not None:
            sys.monitoring.set_events(counter.tool, 0)
            sys.monitoring.free_tool_id(counter.tool)
            counter.tool = None
        imports.verified.clear()
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", "") or "").startswith("/cart/") or name == "__main__":
                del sys.modules[name]
        sys.stdout, sys.stderr, sys.stdin = sys.__stdout__, sys.__stderr__, sys.__stdin__
        os.chdir("/")  # out of a host folder before it is unmounted
        return counter.used

    return types.SimpleNamespace(begin=begin, run=run, frame=frame, finish=finish, watch=watch,
                                 profile_rows=profile_rows)
`;
