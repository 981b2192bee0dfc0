/**
 * Python source run once in each interpreter: granted host folders for the whole of `os`, `io`,
 * `pathlib`, `glob` and `shutil`. Every path outside the interpreter's own folders is a host path
 * relative to the run's root, and each operation on one is a host call (`fs.*`), so the host
 * checks and audits every access and nothing of the host folder is copied in.
 *
 * The host's file calls are asynchronous (answered through Pyodide's JSPI `run_sync`), which an
 * Emscripten file-system backend cannot wait for: so the layer sits at the `os` functions that
 * the standard library's file code goes through — `open`/`io.open`, `os.stat`/`lstat`,
 * `os.scandir`/`listdir`/`walk`, `os.mkdir`/`makedirs`, `os.remove`/`unlink`/`rmdir`,
 * `os.rename`/`replace`, `os.open`/`os.close` (a file opened by descriptor is written back at
 * `os.close`), `os.chmod`/`utime`/`access` (accepted, the host keeps no modes or times) and the
 * `os.path` tests. `shutil.rmtree` uses its descriptor-free walk on host paths. Renaming a host
 * folder raises `EXDEV`, so `shutil.move` copies it instead.
 *
 * @module
 */

/** The host-folder prelude (Python source). Defines `_pxos_hostfs(call, internal)`. */
export const PRELUDE_HOSTFS: string = String.raw`
def _pxos_hostfs(call, internal):
    import builtins, errno, io, itertools, os, shutil, stat, types, zlib

    real = types.SimpleNamespace(
        open=builtins.open, os_open=os.open, close=os.close, listdir=os.listdir,
        scandir=os.scandir, stat=os.stat, lstat=os.lstat, remove=os.remove, unlink=os.unlink,
        rmdir=os.rmdir, mkdir=os.mkdir, rename=os.rename, replace=os.replace, chmod=os.chmod,
        utime=os.utime, access=os.access, exists=os.path.exists, isdir=os.path.isdir,
        isfile=os.path.isfile, rmtree=shutil._rmtree_impl)

    def host_path(file):
        """The host path (relative to the root) of a guest path, or None for the interpreter's."""
        if isinstance(file, int):
            return None
        path = os.fsdecode(os.fspath(file))
        full = os.path.normpath(os.path.join(os.getcwd(), path))
        top = full.split("/")[1] if full != "/" else ""
        return None if top in internal else full.lstrip("/")

    def missing(shown):
        return FileNotFoundError(errno.ENOENT, "No such file or directory", shown)

    def kind(rel, shown):
        """'dir' or 'file'; FileNotFoundError when there is nothing."""
        if not call("fs.exists", rel):
            raise missing(shown)
        try:
            call("fs.list", rel)
            return "dir"
        except PermissionError:
            raise
        except OSError:
            return "file"

    def stat_of(rel, shown, known=None):
        what = known or kind(rel, shown)
        size = 4096
        if what == "file":
            try:
                size = len(call("fs.readBytes", rel))
            except PermissionError:
                size = 0  # a write-only grant: the size is not the guest's to know
        mode = (stat.S_IFDIR | 0o755) if what == "dir" else (stat.S_IFREG | 0o644)
        ino = zlib.crc32(rel.encode()) or 1  # distinct per path: shutil's same-file checks
        return os.stat_result((mode, ino, 2, 1, 0, 0, size, 0, 0, 0))

    def listing(rel):
        return [n for n in call("fs.list", rel).split("\n") if n]

    def host_or(function, host):
        """os.function for the interpreter's paths, host(rel, path, ...) for host paths."""
        def operation(path, *args, dir_fd=None, **kwargs):
            rel = host_path(path) if dir_fd is None else None
            if rel is None:
                if dir_fd is not None:
                    kwargs["dir_fd"] = dir_fd
                return function(path, *args, **kwargs)
            return host(rel, path, *args, **kwargs)
        operation.__name__ = function.__name__
        operation.__doc__ = function.__doc__
        return operation

    # --- stat, listing, scandir ---
    def host_stat(rel, path, *, follow_symlinks=True):
        return stat_of(rel, os.fspath(path))

    class HostDirEntry:
        def __init__(self, folder, listed, rel):
            self.name = listed.rstrip("/")
            self.path = os.path.join(folder, self.name)
            self._dir = listed.endswith("/")
            self._rel = f"{rel}/{self.name}" if rel else self.name
        def is_dir(self, *, follow_symlinks=True):
            return self._dir
        def is_file(self, *, follow_symlinks=True):
            return not self._dir
        def is_symlink(self):
            return False
        def is_junction(self):
            return False
        def stat(self, *, follow_symlinks=True):
            return stat_of(self._rel, self.path, "dir" if self._dir else "file")
        def inode(self):
            return zlib.crc32(self._rel.encode()) or 1
        def __fspath__(self):
            return self.path
        def __repr__(self):
            return f"<DirEntry {self.name!r}>"

    class HostScandir:
        def __init__(self, entries):
            self._entries = iter(entries)
        def __iter__(self):
            return self
        def __next__(self):
            return next(self._entries)
        def close(self):
            self._entries = iter(())
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.close()

    def host_scandir(rel, path=".", *rest):
        folder = os.fspath(path)
        return HostScandir([HostDirEntry(folder, n, rel) for n in listing(rel)])

    def host_listdir(rel, path=".", *rest):
        return [n.rstrip("/") for n in listing(rel)]

    def scandir(path="."):
        return host_or(real.scandir, host_scandir)(path)

    def listdir(path="."):
        return host_or(real.listdir, host_listdir)(path)

    def probe(test, real_test):
        def check(path):
            try:
                rel = host_path(path)
            except (TypeError, ValueError):
                return False
            if rel is None:
                return real_test(path)
            try:
                return test(kind(rel, path))
            except OSError:
                return False
        check.__name__ = real_test.__name__
        return check

    # --- files ---
    class HostFile(io.BytesIO):
        """One host file's bytes while it is open; written back (or appended) at close."""
        def __init__(self, rel, data, readable, writable, append_only):
            super().__init__(data)
            self.rel, self.host_readable, self.host_writable = rel, readable, writable
            self.append_only = append_only
        def readable(self):
            return self.host_readable
        def writable(self):
            return self.host_writable
        def read(self, size=-1):
            if not self.host_readable:
                raise io.UnsupportedOperation("not readable")
            return super().read(size)
        def write(self, data):
            if not self.host_writable:
                raise io.UnsupportedOperation("not writable")
            return super().write(data)
        def close(self):
            if self.closed:
                return
            data = self.getvalue()
            super().close()
            if not self.host_writable:
                return
            if not self.append_only:
                call("fs.writeBytes", self.rel, data)
                return
            try:
                call("fs.appendText", self.rel, data.decode("utf-8"))
            except UnicodeDecodeError:  # binary appends need the read grant too
                old = call("fs.readBytes", self.rel) if call("fs.exists", self.rel) else b""
                call("fs.writeBytes", self.rel, old + data)

    def open_host(rel, file, mode):
        plus = "+" in mode
        if "r" in mode:
            data, append = call("fs.readBytes", rel), False
        elif "a" in mode:
            # "a" appends without reading (a write grant suffices); "a+" reads the file first.
            data = (call("fs.readBytes", rel) if call("fs.exists", rel) else b"") if plus else b""
            append = not plus
        else:
            if "x" in mode and call("fs.exists", rel):
                raise FileExistsError(errno.EEXIST, "File exists", os.fspath(file))
            data, append = b"", False
        raw = HostFile(rel, data, "r" in mode or plus, plus or "r" not in mode, append)
        if "a" in mode:
            raw.seek(0, 2)
        return raw

    def sandbox_open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None,
                     closefd=True, opener=None):
        rel = host_path(file)
        if rel is None:
            return real.open(file, mode, buffering, encoding, errors, newline, closefd, opener)
        raw = open_host(rel, file, mode)
        if "b" in mode:
            return raw
        return io.TextIOWrapper(raw, encoding=encoding or "utf-8", errors=errors,
                                newline=newline, write_through=True)

    # os.open: the file's bytes in a temporary file of the interpreter's, written back at os.close.
    by_descriptor = {}
    counter = itertools.count()

    def host_os_open(rel, path, flags, mode=0o777):
        access = flags & 3  # O_RDONLY 0, O_WRONLY 1, O_RDWR 2
        try:
            exists = call("fs.exists", rel)
        except PermissionError:
            exists = access != os.O_RDONLY  # a write-only grant: assume it may be there
        if exists and flags & os.O_CREAT and flags & os.O_EXCL:
            raise FileExistsError(errno.EEXIST, "File exists", os.fspath(path))
        if not exists and not flags & os.O_CREAT:
            raise missing(os.fspath(path))
        data = b""
        if exists and not flags & os.O_TRUNC and (access != os.O_WRONLY or flags & os.O_APPEND):
            if kind(rel, path) == "dir":
                raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
            data = call("fs.readBytes", rel)
        temporary = f"/tmp/.pxos-host-{next(counter)}"
        with real.open(temporary, "wb") as f:
            f.write(data)
        # Read-write underneath, so the bytes can be read back at close.
        kept = flags & ~(3 | os.O_CREAT | os.O_EXCL | os.O_TRUNC)
        fd = real.os_open(temporary, kept | (os.O_RDWR if access else os.O_RDONLY), mode)
        by_descriptor[fd] = (rel, temporary, access != os.O_RDONLY)
        return fd

    def sandbox_close(fd):
        entry = by_descriptor.pop(fd, None)
        if entry is None:
            return real.close(fd)
        rel, temporary, written = entry
        try:
            if written:
                os.lseek(fd, 0, os.SEEK_SET)
                chunks = iter(lambda: os.read(fd, 1 << 16), b"")
                call("fs.writeBytes", rel, b"".join(chunks))
        finally:
            real.close(fd)
            real.remove(temporary)

    # --- changes ---
    def host_mkdir(rel, path, mode=0o777):
        try:
            there = call("fs.exists", rel)
        except PermissionError:
            there = False
        if there:
            raise FileExistsError(errno.EEXIST, "File exists", os.fspath(path))
        call("fs.mkdir", rel)

    def host_remove(rel, path):
        call("fs.remove", rel)

    def move(real_move):
        def rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
            a, b = host_path(src), host_path(dst)
            if a is None and b is None:
                return real_move(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
            if a is None or b is None or kind(a, src) == "dir":
                raise OSError(errno.EXDEV, "renaming across the host boundary or of a host "
                              "folder is a copy (shutil.move does it)", os.fspath(src))
            call("fs.writeBytes", b, call("fs.readBytes", a))
            call("fs.remove", a)
        rename.__name__ = real_move.__name__
        return rename

    def accepted(rel, path, *args, **kwargs):
        kind(rel, path)  # it must exist; modes and times are not kept on the host

    def host_access(rel, path, mode, **kwargs):
        try:
            kind(rel, path)
            return True
        except OSError:
            return False

    def rmtree_impl(path, dir_fd, onexc):
        if dir_fd is None and host_path(path) is not None:
            return shutil._rmtree_unsafe(path, dir_fd, onexc)
        return real.rmtree(path, dir_fd, onexc)

    builtins.open = io.open = sandbox_open
    os.stat = host_or(real.stat, host_stat)
    os.lstat = host_or(real.lstat, host_stat)
    os.scandir, os.listdir = scandir, listdir
    os.open = host_or(real.os_open, host_os_open)
    os.close = sandbox_close
    os.mkdir = host_or(real.mkdir, host_mkdir)
    os.remove = host_or(real.remove, host_remove)
    os.unlink = host_or(real.unlink, host_remove)
    os.rmdir = host_or(real.rmdir, host_remove)
    os.rename, os.replace = move(real.rename), move(real.replace)
    os.chmod = host_or(real.chmod, accepted)
    os.utime = host_or(real.utime, accepted)
    os.access = host_or(real.access, host_access)
    os.path.exists = os.path.lexists = probe(lambda k: True, real.exists)
    os.path.isdir = probe(lambda k: k == "dir", real.isdir)
    os.path.isfile = probe(lambda k: k == "file", real.isfile)
    shutil._rmtree_impl = rmtree_impl
    return host_path
`;
