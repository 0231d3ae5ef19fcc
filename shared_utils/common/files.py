"""Writing a file so that it is either complete or absent: :func:`atomic_write`.

    from shared_utils.common.files import atomic_write
    atomic_write(path, "text\\n")                 # str, written as UTF-8, newlines untouched
    atomic_write(path, b"\\x00\\x01")              # bytes
    atomic_write(path, lambda tmp: np.save(tmp, a))   # a writer that fills the temporary file

The content goes to ``.<random>.partial.<name>`` in the target's own folder (so the final
rename never crosses file systems, and a library that goes by the file's ending, such as
``np.save`` or ``keras.Model.save``, sees the target's), is flushed to disk with ``fsync``,
and only then takes the target's name with ``os.replace``, which is atomic on POSIX and
Windows.  On any error (an exception of the writer, a full disk, Ctrl-C) the temporary file
is removed and the target is left as it was.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

Content = bytes | str | Callable[[Path], object]


def _new_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """Create ``folder/.<random>.partial.<name>`` exclusively; returns (write descriptor, path).

    Created with mode 0o666 less the umask, as ``open(path, "w")`` would create the target.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{secrets.token_hex(4)}.partial.{name}"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {folder / name}")


def atomic_write(path: str | os.PathLike, content: Content, encoding: str = "utf-8") -> Path:
    """Write ``content`` to ``path`` atomically; returns ``Path(path)``.

    ``content`` is ``bytes``, a ``str`` (encoded with ``encoding``; ``"\\n"`` is written as it
    is on every platform), or a callable ``writer(tmp: Path)`` that writes the whole file at
    ``tmp`` (for libraries that want a file name, such as h5py or ``np.save``) and may raise to
    abandon the write.  The parent folder is created if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temporary(path.parent, path.name)
    try:
        if callable(content):
            os.close(fd)
            fd = -1
            content(tmp)
            fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows fsyncs writable ones only
        else:
            data = content.encode(encoding) if isinstance(content, str) else bytes(content)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return path
