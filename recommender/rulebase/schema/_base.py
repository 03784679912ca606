"""The value types every rule file shares, and the strict base all its models build on."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=80)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Value = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]
Scalar = str | bool | int


class Strict(BaseModel):
    """Unknown keys, wrong types and changes after loading are all refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
