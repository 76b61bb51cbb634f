"""A stored answer's body as JSON text that reads back equal to what was written.

Plain JSON loses what reports are made of: `Decimal` amounts, `date` months, tuples, dicts keyed
by months or by (currency, vendor), and the frozen dataclasses the rules return. Every value is
written with a one-letter tag, and a dataclass only when its class was registered
(`register_type`), so reading a body never builds an object of a class named by the data.
Anything else is refused when writing (`TypeError`), never turned into something else.
"""

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal

_TYPES: dict[str, type] = {}


def register_type(cls: type) -> type:
    """Allow instances of the dataclass `cls` in stored bodies (usable as a decorator)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    _TYPES[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return cls


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _tagged(value):  # noqa: PLR0911 - one branch per supported type
    if value is None or type(value) in (bool, int, float):
        return value
    if isinstance(value, str):
        return {"s": str(value)}  # a str enum is written as its text
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"a": value.isoformat()}
    if isinstance(value, list):
        return {"l": [_tagged(v) for v in value]}
    if isinstance(value, tuple):
        return {"u": [_tagged(v) for v in value]}
    if isinstance(value, dict):
        return {"m": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and _TYPES.get(_name(type(value))) is type(value):
        fields = {f.name: _tagged(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"c": _name(type(value)), "f": fields}
    raise TypeError(f"cannot store a {type(value).__name__} in an answer")


def _untagged(item):  # noqa: PLR0911 - one branch per tag
    if not isinstance(item, dict):
        return item
    if "c" in item:
        return _instance(item["c"], item["f"])
    ((tag, body),) = item.items()
    if tag == "s":
        return body
    if tag == "d":
        return Decimal(body)
    if tag == "t":
        return datetime.fromisoformat(body)
    if tag == "a":
        return date.fromisoformat(body)
    if tag == "l":
        return [_untagged(v) for v in body]
    if tag == "u":
        return tuple(_untagged(v) for v in body)
    if tag == "m":
        return {_untagged(k): _untagged(v) for k, v in body}
    raise ValueError(f"unknown tag {tag!r} in a stored answer")


def _instance(name: str, fields: dict):
    cls = _TYPES.get(name)
    if cls is None:
        raise ValueError(f"{name} is not a registered answer type")
    values = {k: _untagged(v) for k, v in fields.items()}
    init = {f.name for f in dataclasses.fields(cls) if f.init}
    obj = cls(**{k: v for k, v in values.items() if k in init})
    for key in values.keys() - init:  # fields set after construction
        object.__setattr__(obj, key, values[key])
    return obj


def encode(value) -> str:
    """`value` as compact JSON text (`TypeError` for a type that cannot be stored)."""
    return json.dumps(_tagged(value), separators=(",", ":"), allow_nan=False)


def decode(text: str):
    """The value `encode` wrote."""
    return _untagged(json.loads(text))
