"""Read the files of a rule base directory: only inside it, each YAML file into its model,
and a fingerprint of every byte read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..contract._preview import preview
from ..contract.errors import RuleBaseError
from .fingerprint import fingerprint_of

M = TypeVar("M", bound=BaseModel)

_MAX_NAME = 255


def _label(part: object) -> str:
    """A key or rule id from a rule file, as text short enough for a message."""
    if isinstance(part, str) and len(part) <= 80:
        return part
    return preview(part, 80)


def _pydantic_message(error: ValidationError, data: Any) -> tuple[str, str | None]:
    """A readable message, and the rule id when the error sits inside `rules[i]`."""
    lines, rule_id = [], None
    for item in error.errors()[:8]:
        loc = list(item["loc"])
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and rule_id is None:
            rules = data.get("rules") if isinstance(data, dict) else None
            raw = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
            found = raw.get("id") if isinstance(raw, dict) else None
            rule_id = _label(found) if found else f"rules[{loc[1]}]"
            loc = loc[2:]
        shown = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
        where = ".".join(_label(part) for part in shown)
        message = item["msg"].removeprefix("Value error, ")  # our own validators' messages
        lines.append(
            f"{where}: {message}" if where else message if rule_id else f"(top): {message}"
        )
    return "; ".join(lines), rule_id


class RuleFileReader:
    """Reads files relative to the rule base directory and remembers what it read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.contents: dict[str, bytes] = {}

    def model(self, name: str, model: type[M]) -> tuple[M, Any]:
        # Here, not at the top: a rule base from the cache reads bytes only, no YAML.
        import yaml

        from .yamlio import load_yaml

        raw = self.raw(name)
        try:
            data = load_yaml(raw.decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            raise RuleBaseError(name, f"invalid YAML: {error}") from None
        try:
            return model.model_validate(data), data
        except ValidationError as error:
            message, rule_id = _pydantic_message(error, data)
            raise RuleBaseError(name, message, rule_id) from None

    def raw(self, name: str) -> bytes:
        """A file's bytes, fingerprinted with the rest of the rule base."""
        path = self._inside(name)
        if not path.is_file():
            raise RuleBaseError(name, "file not found")
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise RuleBaseError(name, f"cannot be read ({error.strerror})") from None
        self.contents[name] = raw
        return raw

    def _inside(self, name: str) -> Path:
        """The path of a file the rule base names; only files in its own directory are read
        (no absolute path, no `..`, no link leading out), so a rule base cannot read or
        fingerprint any other file on the machine."""
        shown = name if name and name.isprintable() and len(name) <= _MAX_NAME else preview(name)
        if len(name) > _MAX_NAME:
            raise RuleBaseError(shown, f"is not a usable file name (over {_MAX_NAME} long)")
        relative = Path(name)
        if not name or relative.is_absolute() or ".." in relative.parts:
            raise RuleBaseError(
                shown, "a rule base reads only files in its own directory (no absolute path or ..)"
            )
        path = self.root / relative
        try:
            # strict, so that a link loop is refused on every Python (3.13's lenient resolve()
            # returns it as it is); a missing file is refused later, as "file not found".
            try:
                resolved = path.resolve(strict=True)
            except FileNotFoundError:
                resolved = path.resolve()
            inside = resolved.is_relative_to(self.root.resolve())
        except (OSError, ValueError, RuntimeError) as error:  # NUL byte, link loop, ...
            reason = error.strerror if isinstance(error, OSError) else str(error)
            raise RuleBaseError(shown, f"is not a usable file name ({reason})") from None
        if not inside:
            raise RuleBaseError(shown, "is a link to a file outside the rule base directory")
        return path

    def fingerprint(self, names: Iterable[str]) -> str:
        """The digest of the named files, each already read (`manifest_files` names them)."""
        return fingerprint_of({name: self.contents[name] for name in names})
