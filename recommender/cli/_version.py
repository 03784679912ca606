"""`facesym --version`: the package version and which rule base files are installed.

The rule base's name, version and fingerprint are read from its files without loading it:
the manifest names the files, exercises.yaml names the drawings, and the fingerprint hashes
the files `manifest_files` lists with the loader's own digest (both in rulebase/fingerprint.py).
Loading would also validate and compile every rule, which takes most of a second and is
`facesym rules check`'s job; `--version` only says what is there.
tests/test_cli_commands.py checks this fingerprint is the one a loaded rule base reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..installed import package_version
from ..rulebase.fingerprint import MANIFEST, fingerprint_of, manifest_files


def _read(root: Path, name: str) -> bytes:
    path = root / name
    if not path.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"{name} is outside the rule base directory")
    return path.read_bytes()


def _mapping(raw: bytes, name: str) -> dict[str, Any]:
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{name} is not a mapping")
    return data


def rulebase_identity(directory: Path) -> tuple[str, str, str]:
    """(name, version, fingerprint) of the rule base in `directory`, from its files alone.

    Raises OSError, ValueError, KeyError, TypeError or yaml.YAMLError when the files are not
    there or not shaped like a rule base.
    """
    manifest = _mapping(_read(directory, MANIFEST), MANIFEST)
    exercises_file = manifest["catalogue"]["exercises"]
    exercises = _mapping(_read(directory, exercises_file), exercises_file)
    names = manifest_files(manifest, exercises)
    contents = {name: _read(directory, name) for name in names}
    return str(manifest["name"]), str(manifest["version"]), fingerprint_of(contents)


def version_text(rules_dir: Path) -> str:
    """What `facesym --version` prints."""
    try:
        name, rules_version, fingerprint = rulebase_identity(rules_dir)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as error:
        return f"facesym {package_version()} (the default rule base could not be read: {error})"
    return (
        f"facesym {package_version()}\nrule base {name} {rules_version}\nfingerprint {fingerprint}"
    )
