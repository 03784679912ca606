"""The package's layers import only downwards, and only the engine knows durable-rules.

The layout (README, "Layout") is the architecture: each subpackage of `recommender` is one
layer, and a layer may use only the layers below it. This test reads every module's imports
(without running them) so that an upward import fails here, naming the module and the line,
instead of quietly blurring the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from .package_modules import PACKAGE, PackageModule, package_modules

BELOW_ENGINE = {"contract", "rulebase"}
# Each layer and the layers it may import. Anything not listed may not be imported.
ALLOWED: dict[str, set[str]] = {
    "contract": set(),
    "rulebase": {"contract"},
    "intake": BELOW_ENGINE,
    "engine": BELOW_ENGINE,
    "safety": BELOW_ENGINE,
    "views": BELOW_ENGINE,
    "programme": BELOW_ENGINE | {"views"},
    "pipeline": BELOW_ENGINE | {"intake", "engine", "programme", "safety"},
}
CORE = set(ALLOWED) | {"(facade)"}
ALLOWED["(facade)"] = set(ALLOWED)  # recommender/__init__.py and api.py
ALLOWED["interop"] = CORE
ALLOWED["proof"] = CORE
ALLOWED["records"] = CORE | {"interop"}
ALLOWED["web"] = CORE | {"interop", "records", "proof"}
ALLOWED["cli"] = CORE | {"interop", "records", "proof", "web"}

# Upward imports kept on purpose, each imported lazily inside a function.
EXCEPTIONS = {
    # `Recommendation.for_client(rulebase)`, documented in the README: the contract's model
    # hands itself to the client view, imported when called, so the contract loads no view.
    ("recommender/contract/recommendation.py", "views"),
    ("recommender/contract/recommendation.py", "rulebase"),  # for the type of for_client only
}

TOP_LEVEL_LAYER = {
    "__init__": "(facade)",
    "api": "(facade)",
    "__main__": "cli",
}


def layer_of(module: tuple[str, ...]) -> str:
    """The layer of a module named by its parts below `recommender` (() is the package)."""
    if not module:
        return "(facade)"
    if (PACKAGE / module[0]).is_dir():
        return module[0]
    return TOP_LEVEL_LAYER.get(module[0], "(facade)")


def imports(module: PackageModule) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Each `recommender` module the module imports: (line, parts below `recommender`);
    relative imports resolve from the module's own name."""
    package = module.parts[:-1]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = (*base, *(node.module.split(".") if node.module else ()))
            elif node.module and node.module.split(".")[0] == "recommender":
                target = tuple(node.module.split(".")[1:])
            else:
                continue
            if node.module:
                yield node.lineno, target
            else:  # `from . import x`: each name is a module (or the package's own name)
                for alias in node.names:
                    yield node.lineno, (*target, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "recommender":
                    yield node.lineno, tuple(alias.name.split(".")[1:])


def upward_imports(modules: Iterable[PackageModule]) -> list[str]:
    """Each import of a layer the importing module's layer may not use, as file:line."""
    wrong = []
    for module in modules:
        own = layer_of(module.parts)
        where = f"recommender/{module.file}"
        for line, target in imports(module):
            used = layer_of(target)
            if used == own or used in ALLOWED[own] or (where, used) in EXCEPTIONS:
                continue
            wrong.append(f"{where}:{line} ({own}) imports recommender.{'.'.join(target)} ({used})")
    return wrong


def test_every_layer_imports_only_the_layers_below_it() -> None:
    wrong = upward_imports(package_modules())
    assert not wrong, "\n".join(wrong)


def test_every_subpackage_is_a_known_layer() -> None:
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages <= set(ALLOWED), sorted(subpackages - set(ALLOWED))


def test_only_the_engine_imports_durable_rules() -> None:
    """durable-rules' format and its C engine are known to recommender/engine/ alone."""
    wrong = []
    for module in package_modules():
        if layer_of(module.parts) == "engine":
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in {"durable", "durable_rules_engine"}:
                    wrong.append(f"recommender/{module.file}:{node.lineno} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_checker_names_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: a made-up engine module importing the pipeline, relatively and
    absolutely, is named with both lines; a downward import is not."""
    fake = tmp_path / "fake.py"
    fake.write_text(
        "from ..rulebase.model import RuleBase\n"
        "from ..pipeline.stages import run\n"
        "from recommender.pipeline import compose\n",
        encoding="utf-8",
    )
    wrong = upward_imports([PackageModule.read(fake, ("engine", "fake"))])
    assert [entry.split(" ")[0] for entry in wrong] == [
        "recommender/engine/fake.py:2",
        "recommender/engine/fake.py:3",
    ]
