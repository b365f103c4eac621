"""Reading a blueprint file the one way every command does, and writing output
files so that nothing already saved is lost."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

from stageline.formats.errors import FormatError, FormatProblem

STDIN = "-"


def unreadable(
    path: Path, error: OSError, source: str | None = None, hint: str = "", wanted: str = "a .yaml blueprint file"
) -> FormatProblem:
    """The one problem for a file that cannot be read (missing, a folder, no permission);
    `hint` follows the advice for a missing file, `wanted` says what file to give instead of a folder."""
    if path.is_dir():
        message = f"it is a folder; give the path of {wanted}"
    elif isinstance(error, FileNotFoundError):
        message = f"no such file; check the path{hint}"
    else:
        message = f"cannot read it: {error.strerror or error}"
    return FormatProblem(source or str(path), 0, 0, "", message)


def read_blueprint_bytes(
    name: str | os.PathLike[str], stdin: IO[str] | IO[bytes] | None = None, *, hint: str = ""
) -> bytes:
    """The bytes of a blueprint file, or of `stdin` when `name` is '-'; FormatError with
    one problem when the file cannot be read or is over the size limit (refused before
    it is read into memory); `hint` follows the advice for a missing file. Every
    command reads blueprint files through here."""
    from stageline.formats.parse import MAX_BYTES, too_big

    if str(name) == STDIN and stdin is not None:
        buffer = getattr(stdin, "buffer", None)
        raw = buffer.read(MAX_BYTES + 1) if buffer is not None else stdin.read(MAX_BYTES + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        if len(data) > MAX_BYTES:
            raise too_big(len(data), "<stdin>")
        return data
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise too_big(size, str(name))
        return path.read_bytes()
    except OSError as error:
        raise FormatError([unreadable(path, error, str(name), hint)]) from None


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` (text is written as UTF-8) through a temporary
    file in the same folder, so that a crash leaves either the old file or the new
    one, never a mix. The file keeps its mode, or gets the one any new file gets."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)  # the only way to read the umask is to set it
        os.umask(umask)
        mode = 0o666 & ~umask
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)  # mkstemp makes 0600 files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
