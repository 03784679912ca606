"""A cache of the loaded rule base, so that a command run again skips YAML and validation.

`facesym recommend FILE` spends about 100 ms reading, validating and cross-checking the rule
files; unpickling the same `RuleBase` takes about 4 ms. (A JSON dump of each rule file read
back with pydantic's `model_validate_json` was measured too: 8 ms for the files alone, and the
cross-checks and drawings, some 40 ms more, would still run; so pickle.)

It never changes what is loaded:
- an entry is used only when the digest of every byte of every rule file (`manifest_files`:
  manifest, catalogue, stages, drawings; re-read each time) is the one it was written for, and
  when facesym, the Python and pydantic versions and the code that builds a rule base are too;
  anything else loads from the files, so a broken rule file fails exactly as without a cache;
- only a rule base that loaded whole is written; `signoff.yaml` (not a rule file) is always
  read afresh, and the path is the directory's own.

Why pickle is sound here: the cache file lives in the user's own cache directory (`0700`, the
file `0600`, written atomically), so only that user (or root) can write it, and that user can
already run code as themselves. Even so, nothing is unpickled before an HMAC-SHA256 over the
whole entry, keyed with a random key kept in the same directory, checks out: a corrupt,
truncated or foreign file (copied from elsewhere, written by another version) is ignored and
rewritten, never trusted. It holds the rule base only: no answers, no health data.

Where: `$FACESYM_RULES_CACHE` if set (`off` turns the cache off), else
`$XDG_CACHE_HOME/facesym`, else `~/.cache/facesym`. A directory that others can write to, or
that is not the user's own, is not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..contract.errors import RuleBaseError
from ._reader import RuleFileReader
from .fingerprint import fingerprint_of
from .model import RuleBase
from .signoff_record import read_signoffs

ENV = "FACESYM_RULES_CACHE"
OFF = "off"
MAGIC = b"facesym-rulebase-cache 1\n"
KEY_FILE = "key"
_KEY_BYTES = 32
_CODE = Path(__file__).resolve().parent.parent
_CODE_PACKAGES = ("rulebase", "contract")
"""The code that decides what a loaded rule base is: a change to it misses every entry."""


def cache_dir() -> Path | None:
    """The cache directory the environment names, or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in (OFF, "") else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "facesym"


def load_cached(
    directory: str | Path,
    facesym_version: str,
    load: Callable[[Path], RuleBase] | None = None,
) -> RuleBase:
    """The rule base in `directory` from the cache when its entry is sound and current, else
    `load(directory)` (the loader by default; its errors pass through unchanged), which is
    then cached. `facesym_version` is the installed facesym's (the facade knows it)."""
    root = Path(directory)
    load = load or _load_from_files
    where = _usable_dir(cache_dir())
    if where is None:
        return load(root)
    try:
        entry = where / f"rulebase-{_digest(str(root.resolve()).encode())[:32]}.pickle"
        key = _key(where)
        stamp = _stamp(facesym_version)
    except (OSError, RuntimeError):
        return load(root)
    found = _read_entry(entry, key, stamp, root)
    if found is not None:
        return replace(found, path=root.resolve(), signoffs=read_signoffs(root))
    rulebase = load(root)
    with contextlib.suppress(OSError, pickle.PicklingError):  # an unwritten cache costs time only
        _write_entry(entry, key, stamp, rulebase)
    return rulebase


def _load_from_files(root: Path) -> RuleBase:
    from .loader import load_rulebase  # here: only a miss needs YAML and the load checks

    return load_rulebase(root)


def _usable_dir(where: Path | None) -> Path | None:
    """The directory, made `0700` if new; None if it cannot be, or others could write to it."""
    if where is None:
        return None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return where


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key(where: Path) -> bytes:
    """This cache's HMAC key, made (random, `0600`) on first use or when not a proper key."""
    path = where / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == _KEY_BYTES and path.stat().st_mode & 0o077 == 0:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(_KEY_BYTES)
    _write_atomically(path, key)
    return key


def _stamp(facesym_version: str) -> str:
    """What else an entry was written for: facesym, Python, pydantic and the rule-base code."""
    import pydantic

    code = hashlib.sha256()
    for package in _CODE_PACKAGES:
        for source in sorted((_CODE / package).rglob("*.py")):
            code.update(source.relative_to(_CODE).as_posix().encode() + b"\0")
            code.update(source.read_bytes() + b"\0")
    parts = (facesym_version, sys.version, pydantic.VERSION, code.hexdigest())
    return _digest("\0".join(parts).encode())


def _read_entry(entry: Path, key: bytes, stamp: str, root: Path) -> RuleBase | None:
    """The entry's rule base if its HMAC, stamp and every rule file's bytes check out."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    size = len(MAGIC) + _KEY_BYTES + 4
    if len(blob) < size or not blob.startswith(MAGIC):
        return None
    mac, rest = blob[len(MAGIC) : len(MAGIC) + _KEY_BYTES], blob[len(MAGIC) + _KEY_BYTES :]
    if not hmac.compare_digest(mac, hmac.new(key, rest, hashlib.sha256).digest()):
        return None
    header_size = int.from_bytes(rest[:4], "big")
    try:
        header = json.loads(rest[4 : 4 + header_size])
        if header["stamp"] != stamp:
            return None
        reader = RuleFileReader(root)
        contents = {name: reader.raw(name) for name in header["files"]}
        if fingerprint_of(contents) != header["fingerprint"]:
            return None
        found = pickle.loads(rest[4 + header_size :])
    except (ValueError, KeyError, TypeError, RuleBaseError, pickle.UnpicklingError, EOFError):
        return None  # json.JSONDecodeError is a ValueError
    except (AttributeError, ImportError):  # a class the entry names is no longer there
        return None
    if not isinstance(found, RuleBase) or found.fingerprint != header["fingerprint"]:
        return None
    return found


def _write_entry(entry: Path, key: bytes, stamp: str, rulebase: RuleBase) -> None:
    """Write the entry: magic, HMAC, header (stamp, files, fingerprint), the pickled base."""
    if not rulebase.files:
        return  # not built by the loader: nothing to check an entry against
    header = json.dumps(
        {"stamp": stamp, "files": list(rulebase.files), "fingerprint": rulebase.fingerprint}
    ).encode()
    body = pickle.dumps(replace(rulebase, signoffs=()), protocol=pickle.HIGHEST_PROTOCOL)
    rest = len(header).to_bytes(4, "big") + header + body
    _write_atomically(entry, MAGIC + hmac.new(key, rest, hashlib.sha256).digest() + rest)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a `0600` temporary file beside `path`, then rename it over `path`."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).chmod(0o600)  # mkstemp's own mode, said out loud
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
