"""A strict YAML reader for rule files.

PyYAML follows YAML 1.1, where `yes`, `no`, `on` and `off` are booleans: a rule testing
`stroke_signs: yes` would silently test `True`. This loader accepts only `true`/`false` as
booleans (as YAML 1.2 does) and refuses duplicate keys instead of keeping the last one.

Whatever the text, reading it fails only with `yaml.YAMLError`: a list or mapping used as a
key, a value PyYAML cannot build (an integer of over 4,300 digits, a date like 2024-13-45) and
nesting too deep for Python's recursion limit are each reported as one.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# libyaml's C parser when PyYAML was built with it (about ten times faster); the strict
# resolvers and constructors below apply to either.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 booleans, no duplicate keys and no exceptions but YAMLError."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as error:  # PyYAML's builders raise ValueError, TypeError, ...
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value ({error})", node.start_mark
            ) from None


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                "found a list or mapping used as a key; a key must be a plain value",
                key_node.start_mark,
            )
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def load_yaml(text: str) -> Any:
    """Parse one YAML document strictly; raises `yaml.YAMLError` on any problem."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except RecursionError:  # PyYAML builds nested values recursively
        raise yaml.YAMLError("values are nested too deeply to read") from None
