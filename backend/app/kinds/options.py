"""Deriving models from a kind's options model, so that no option is written twice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model


def partial_model(model: type[BaseModel], name: str, fields: Iterable[str], doc: str) -> type[BaseModel]:
    """A model of `fields` of `model`, each optional (left out: unchanged), with the same types, constraints
    and descriptions (so null only where `model` takes it); unknown keys are refused.

    Example:
        >>> Update = partial_model(HeatmapOptions, "RenderUpdate", ["opacity"], "Any subset.")
        >>> Update(opacity=0.5).model_dump(exclude_unset=True)
        {'opacity': 0.5}
    """
    definitions: dict[str, Any] = {}
    for field in fields:
        info = model.model_fields[field]
        annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        definitions[field] = (annotation, Field(default=None, description=info.description))  # not validated
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=doc, **definitions)
