/**
 * Python source run once in each interpreter: the seed's import chain. A meta-path finder placed
 * before the standard library's finders resolves modules from the cartridge (mounted read-only at
 * `/cart`): for each place it looks, a package (`__init__.pyc`, then `__init__.py`) and then a
 * module (`.pyc`, then `.py`). `.pyc` files are loaded with `marshal` after their header and code
 * objects are checked; `.py` files are compiled at import time. Names the cartridge does not have
 * fall through to the bundled standard library; a last finder turns "nowhere" into an
 * `ImportError` that lists every path tried.
 *
 * @module
 */

/** The import-chain prelude (Python source). Defines `_pxos_imports`. */
export const PRELUDE_IMPORT: string = String.raw`
def _pxos_imports():
    import dis, importlib.util, marshal, sys, types

    CART = "/cart"
    MAGIC = importlib.util.MAGIC_NUMBER
    BLOCKED = frozenset({"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "micropip"})

    class PxosLoadError(ImportError):
        """A cartridge module that must not run: pxos_code is the PxosError code."""

        def __init__(self, code, message, file, line=None):
            super().__init__(message)
            self.pxos_code, self.pxos_file, self.pxos_line = code, file, line

    def check_code(co, path):
        size = len(co.co_code)
        for ins in dis.get_instructions(co):  # resolving each argument checks its index
            if ins.opname.startswith("<"):
                raise ValueError(f"unknown opcode {ins.opcode} at offset {ins.offset}")
            target = ins.jump_target
            if target is not None and not 0 <= target < size:
                raise ValueError(f"jump to {target} outside the code at offset {ins.offset}")
        for const in co.co_consts:
            if isinstance(const, types.CodeType):
                check_code(const, path)

    def load_pyc(data, path):
        if len(data) < 16:
            raise PxosLoadError("E_VERIFY", f"expected a 16-byte .pyc header, found {len(data)} bytes", path)
        if data[:4] != MAGIC:
            raise PxosLoadError("E_VERIFY", "compiled by another Python; recompile with pxos compile", path)
        try:
            code = marshal.loads(data[16:])
        except Exception as e:
            raise PxosLoadError("E_VERIFY", f"corrupt marshalled code ({type(e).__name__}: {e})", path) from None
        if not isinstance(code, types.CodeType):
            raise PxosLoadError("E_VERIFY", f"expected a code object, found {type(code).__name__}", path)
        try:
            check_code(code, path)
        except Exception as e:
            raise PxosLoadError("E_VERIFY", f"bytecode fails verification: {e}", path) from None
        return code

    def compile_source(data, path):
        try:
            return compile(data, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            line = getattr(e, "lineno", None)
            raise PxosLoadError("E_ASSEMBLE", f"{type(e).__name__}: {getattr(e, 'msg', e)}", path, line) from None

    def read_cart(rel):
        with open(f"{CART}/{rel}", "rb") as f:
            return f.read()

    class CartLoader:
        def __init__(self, rel):
            self.rel = rel
            self.path = f"{CART}/{rel}"

        def get_resource_reader(self, fullname=None):
            if not self.is_package(fullname):
                return None
            from importlib.resources.readers import FileReader
            return FileReader(self)

        def create_module(self, spec):
            return None

        def get_code(self, fullname=None):
            code = verified.pop(self.rel, None)  # checked at load: not read and checked again
            if code is not None:
                return code
            data = read_cart(self.rel)
            path = f"{CART}/{self.rel}"
            return load_pyc(data, path) if self.rel.endswith(".pyc") else compile_source(data, path)

        def exec_module(self, module):
            exec(self.get_code(module.__name__), module.__dict__)

        def get_data(self, path):
            with open(path, "rb") as f:
                return f.read()

        def get_filename(self, fullname=None):
            return f"{CART}/{self.rel}"

        def is_package(self, fullname):
            return self.rel.rsplit("/", 1)[-1].startswith("__init__.")

    class CartFinder:
        def __init__(self):
            self.files = frozenset()
            self.roots = ("",)
            self.blocked = frozenset()  # until seal(): Pyodide's own start-up imports them

        def bases(self, path):
            if path is None:
                return self.roots
            return [p[len(CART) + 1:] if p != CART else "" for p in path
                    if p == CART or p.startswith(CART + "/")]

        def candidates(self, fullname, path):
            tail = fullname.rpartition(".")[2]
            for base in self.bases(path):
                stem = f"{base}/{tail}" if base else tail
                yield f"{stem}/__init__.pyc", stem
                yield f"{stem}/__init__.py", stem
                yield f"{stem}.pyc", None
                yield f"{stem}.py", None

        def find_spec(self, fullname, path=None, target=None):
            if fullname.partition(".")[0] in self.blocked:
                raise ModuleNotFoundError(
                    f"No module named {fullname!r}: Python cartridges have no route to JavaScript",
                    name=fullname)
            for rel, package in self.candidates(fullname, path):
                if rel in self.files:
                    locations = None if package is None else [f"{CART}/{package}"]
                    return importlib.util.spec_from_file_location(
                        fullname, f"{CART}/{rel}", loader=CartLoader(rel),
                        submodule_search_locations=locations)
            return None

    class Refuse:
        def find_spec(self, fullname, path=None, target=None):
            looked = [f"{CART}/{rel}" for rel, _ in finder.candidates(fullname, path)]
            where = ", ".join(looked) if looked else "no cartridge folder"
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: looked in the cartridge ({where}) "
                "and in the bundled standard library", name=fullname)

    finder = CartFinder()
    refuse = Refuse()
    sys.meta_path[:] = [finder] + [f for f in sys.meta_path if type(f).__name__ != "JsFinder"] + [refuse]
    sys.path[:] = [p for p in sys.path if p.startswith("/lib/")]
    sys.path_importer_cache.clear()

    def run_entry(rel):
        parts = rel.split("/")
        package = ".".join(parts[:-1]) if parts[-1].startswith("__main__.") else ""
        # As python -m package does: __name__ is __main__, __spec__ names package.__main__.
        name = f"{package}.__main__" if package else "__main__"
        spec = importlib.util.spec_from_file_location(name, f"{CART}/{rel}", loader=CartLoader(rel))
        module = importlib.util.module_from_spec(spec)
        module.__name__ = "__main__"
        sys.modules["__main__"] = module
        spec.loader.exec_module(module)

    def use_verified(token):
        """Keeps the codes verify_all made only when this run is of that load."""
        if verified_for[0] != token:
            verified.clear()

    def seal():
        """Removes the routes to JavaScript from what the guest can import (after start-up)."""
        finder.blocked = BLOCKED
        for name in list(sys.modules):
            if name.partition(".")[0] in BLOCKED:
                del sys.modules[name]

    def checked(function, *args):
        """[result, None], or [None, error JSON] for a refusal: JavaScript gets no exception."""
        import json
        try:
            return [function(*args), None]
        except PxosLoadError as e:
            error = {"error": e.pxos_code, "message": str(e), "file": e.pxos_file, "line": e.pxos_line}
        except Exception as e:
            error = {"error": "E_VERIFY", "message": f"{type(e).__name__}: {e}", "file": None, "line": None}
        return [None, json.dumps(error)]

    verified = {}
    verified_for = [None]

    def verify_all(files, token=None):
        """Loads every .pyc and compiles every .py of the cartridge, without running any; the
        code objects are kept for a run of the same load (token), each used once."""
        verified.clear()
        verified_for[0] = token
        for rel in files:
            if rel.endswith(".pyc") or rel.endswith(".py"):
                try:
                    verified[rel] = CartLoader(rel).get_code()
                except PxosLoadError:
                    raise
                except Exception as e:
                    raise PxosLoadError("E_VERIFY", f"{type(e).__name__}: {e}", f"{CART}/{rel}") from None

    def has_module(name):
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    def disassemble(data, path):
        """A readable listing of a .pyc (checked first): CPython's dis, nested code included."""
        import io
        code = load_pyc(data, path)
        out = io.StringIO()
        flags = int.from_bytes(data[4:8], "little")
        out.write(f"# {path}: CPython {sys.version_info.major}.{sys.version_info.minor} bytecode, "
                  f"magic {int.from_bytes(data[:2], 'little')}, flags {flags}\n")
        out.write(f"# source: {code.co_filename}\n\n")
        dis.dis(code, file=out)
        return out.getvalue()

    def compile_pyc(source, path):
        """A .pyc of this interpreter's version: unchecked header (flags 0, no mtime), marshal."""
        code = compile_source(source, path)
        header = MAGIC + bytes(8) + (len(source) & 0xFFFFFFFF).to_bytes(4, "little")
        return header + marshal.dumps(code)

    return types.SimpleNamespace(finder=finder, run_entry=run_entry, verify_all=verify_all,
                                 has_module=has_module, checked=checked, seal=seal,
                                 use_verified=use_verified, verified=verified,
                                 compile_pyc=compile_pyc, disassemble=disassemble,
                                 PxosLoadError=PxosLoadError, load_pyc=load_pyc,
                                 compile_source=compile_source)
`;
