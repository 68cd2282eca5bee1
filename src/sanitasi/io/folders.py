"""City folders the readers accept: a path, the embedded demo, or files held in memory.

The readers of :mod:`sanitasi.io` read a city folder through
:class:`importlib.resources.abc.Traversable` (``folder / name``, ``is_file()``,
``read_bytes()``), so the embedded demo (a package resource) and a folder on disk are read
the same way. :class:`MemoryFolder` is a third kind: a flat folder whose files are bytes held
in memory (e.g. the instrument files a city stored in the web database), read by the same
readers with the same checks and messages. :func:`city_folder` turns what a caller gives
(``None`` = the demo, a path, or a Traversable) into the folder to read.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any

from sanitasi.io.reference import demo_city_dir

#: What the readers accept as a city folder (``None``: the embedded Kota Solok demo).
CityDir = str | os.PathLike[str] | Traversable | None


def city_folder(city_dir: CityDir) -> Traversable:
    """The folder to read: the demo for ``None``, a :class:`~pathlib.Path` for a path, the
    object itself for a Traversable (e.g. a :class:`MemoryFolder`)."""
    if city_dir is None:
        return demo_city_dir()
    if isinstance(city_dir, str | os.PathLike):
        return Path(city_dir)
    return city_dir


class MemoryFile(Traversable):
    """One file of a :class:`MemoryFolder` (``data`` ``None``: the file does not exist)."""

    def __init__(self, folder: MemoryFolder, name: str, data: bytes | None) -> None:
        self._folder = folder
        self._name = name
        self._data = data

    @property
    def name(self) -> str:
        return self._name

    def is_file(self) -> bool:
        return self._data is not None

    def is_dir(self) -> bool:
        return False

    def iterdir(self) -> Iterator[Traversable]:
        return iter(())

    def joinpath(self, *descendants: Any) -> Traversable:
        raise NotADirectoryError(f"{self}: not a folder")

    def read_bytes(self) -> bytes:
        if self._data is None:
            raise FileNotFoundError(str(self))
        return self._data

    def read_text(self, encoding: str | None = None) -> str:
        return self.read_bytes().decode(encoding or "utf-8")

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        data = self.read_bytes()
        if "b" in mode:
            return io.BytesIO(data)
        encoding = kwargs.get("encoding") or (args[0] if args else None) or "utf-8"
        return io.StringIO(data.decode(encoding))

    def __str__(self) -> str:
        return f"{self._folder}/{self._name}"

    def __repr__(self) -> str:
        return f"MemoryFile({str(self)!r})"


class MemoryFolder(Traversable):
    """A flat city folder held in memory: ``files`` maps a file name to its bytes.

    ``label`` names the folder in messages (e.g. ``database 13.72``): a missing file is
    reported as missing from it, exactly as for a folder on disk.
    """

    def __init__(self, label: str, files: Mapping[str, bytes]) -> None:
        self.label = label
        self._files = {str(k): bytes(v) for k, v in files.items()}

    @property
    def name(self) -> str:
        return self.label

    @property
    def files(self) -> Mapping[str, bytes]:
        return dict(self._files)

    def is_file(self) -> bool:
        return False

    def is_dir(self) -> bool:
        return True

    def iterdir(self) -> Iterator[Traversable]:
        for name in sorted(self._files):
            yield MemoryFile(self, name, self._files[name])

    def joinpath(self, *descendants: Any) -> Traversable:
        parts = [p for d in descendants for p in str(d).split("/") if p]
        if len(parts) != 1:
            raise FileNotFoundError(f"{self}: a memory folder is flat ({'/'.join(parts)!r})")
        return MemoryFile(self, parts[0], self._files.get(parts[0]))

    def read_bytes(self) -> bytes:
        raise IsADirectoryError(str(self))

    def read_text(self, encoding: str | None = None) -> str:
        raise IsADirectoryError(str(self))

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        raise IsADirectoryError(str(self))

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"MemoryFolder({self.label!r}, {sorted(self._files)!r})"


__all__ = ["CityDir", "MemoryFile", "MemoryFolder", "city_folder"]
