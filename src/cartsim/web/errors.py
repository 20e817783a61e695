"""Request errors in the library's words: the field, the value given and what is allowed.

pydantic reports *what went wrong*; a visitor needs *what would be right*. Each error becomes
a :class:`cartsim.errors.InputError` (``situation.age: got 12; allowed: a whole number from 18
to 90``), with ``allowed`` read from the field's own definition in :mod:`cartsim.web.request`.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cartsim.errors import InputError
from cartsim.web.request import Question

__all__ = ["field_errors", "json_error"]


def _field(loc: Sequence[Any]) -> tuple[str, FieldInfo | None, type[BaseModel] | None]:
    """The dotted field name of ``loc`` (without the leading 'body'), its FieldInfo, and the model holding it."""
    parts = [str(p) for p in loc if p != "body" and not isinstance(p, int)]
    model: Any = Question
    info = None
    for part in parts:
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return ".".join(parts) or "body", None, model if isinstance(model, type) and issubclass(model, BaseModel) else None
        info = model.model_fields[part]
        holder = model
        model = info.annotation
    return ".".join(parts) or "body", info, holder if parts else Question


def _bounds(info: FieldInfo) -> tuple[Any, Any]:
    low = high = None
    for item in info.metadata:
        low = getattr(item, "ge", low) if getattr(item, "ge", None) is not None else low
        high = getattr(item, "le", high) if getattr(item, "le", None) is not None else high
    return low, high


def _allowed(info: FieldInfo | None, holder: type[BaseModel] | None, error: dict[str, Any]) -> str:
    if error["type"] in ("json_invalid", "model_attributes_type", "dict_type") and info is None:
        return "a JSON object like " + Question().model_dump_json()
    if error["type"] == "extra_forbidden" and holder is not None:
        return "only the fields " + ", ".join(holder.model_fields)
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if info is None:
        if error["type"] == "missing":
            return "a JSON object like " + Question().model_dump_json()
        return error["msg"]
    annotation = info.annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    optional = type(None) in typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    base = args[0] if optional and args else annotation
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "an object with the fields " + ", ".join(base.model_fields)
    if base is bool:
        return "true or false"
    low, high = _bounds(info)
    kind = "a whole number" if base is int else "a number"
    text = f"{kind} from {low:g} to {high:g}" if low is not None and high is not None else kind
    return text + (", or null (empty)" if optional else "") + (f" ({info.description})" if info.description else "")


def json_error(error: InputError) -> dict[str, Any]:
    """``{field, value, allowed, message}`` of ``error``, the value as JSON can hold it (no NaN or infinity)."""
    value = error.value
    plain = isinstance(value, (int, str, bool)) or value is None or (isinstance(value, float) and math.isfinite(value))
    return {"field": error.field, "value": value if plain else repr(value)[:80], "allowed": error.allowed, "message": str(error)}


def field_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic's request errors as ``{field, value, allowed, message}`` (message: the InputError's text)."""
    out = []
    for error in errors:
        field, info, holder = _field(error.get("loc", ()))
        out.append(json_error(InputError(field, error.get("input"), _allowed(info, holder, error))))
    return out
