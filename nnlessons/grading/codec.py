"""Plain data across the sandbox wall.

Arguments go to the learner's code and answers come back as JSON. NumPy arrays travel as `.npy`
bytes (base64) read back with `allow_pickle=False`; nothing is ever unpickled or evaluated. Tuples,
non-finite floats and function references are tagged so they survive the trip unchanged.

    {"__ndarray__": "<base64 .npy>"}   {"__tuple__": [...]}   {"__float__": "nan"}
    {"__dict__": {"key": ...}}         {"__ref__": "nnlessons.descent.bowl_gradient"}
"""
import base64
import io
import json
import math
import re
import types

import numpy as np

MAX_DEPTH = 40
MAX_ITEMS = 1_000_000  # a generator is materialised up to this many items
_DOTTED = re.compile(r"^nnlessons(\.[A-Za-z_][A-Za-z0-9_]*)+$")


class EncodeError(TypeError):
    """A value that cannot be sent as plain data (a learner's answer of an unsupported type)."""


class DecodeError(ValueError):
    """Bytes that are not a well-formed message (only a hostile or broken child sends those)."""


class Ref:
    """A function of `nnlessons` passed by name: the receiving side imports it, no code is sent."""

    def __init__(self, name):
        if not isinstance(name, str) or not _DOTTED.match(name):
            raise ValueError(f"ref() takes a dotted name inside nnlessons, like "
                             f"'nnlessons.descent.bowl_gradient'; got {name!r}")
        self.name = name

    def __repr__(self):
        return f"ref({self.name!r})"

    def __eq__(self, other):
        return isinstance(other, Ref) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


def ref(name):
    """Pass the `nnlessons` function `name` (dotted) to the learner's function as an argument."""
    return Ref(name)


def resolve(name):
    """Import `nnlessons.module.attribute` and return the attribute."""
    import importlib
    if not _DOTTED.match(name):
        raise DecodeError(f"not a name inside nnlessons: {name!r}")
    module_name, _, attribute = name.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, attribute)


def to_plain(value, depth=0):
    """Return `value` as JSON-ready data, or raise EncodeError saying what could not be sent."""
    if depth > MAX_DEPTH:
        raise EncodeError("the answer is nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.generic):
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return to_plain(float(value))
        raise EncodeError(f"a NumPy {value.dtype} number cannot be graded; return real numbers")
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise EncodeError(f"an array of dtype {value.dtype} cannot be graded; "
                              f"return an array of numbers")
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(value), allow_pickle=False)
        return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, Ref):
        return {"__ref__": value.name}
    if isinstance(value, tuple):
        return {"__tuple__": [to_plain(item, depth + 1) for item in value]}
    if isinstance(value, list):
        return [to_plain(item, depth + 1) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise EncodeError("a dict in the answer must have string keys")
        return {"__dict__": {key: to_plain(item, depth + 1) for key, item in value.items()}}
    if isinstance(value, (types.GeneratorType, range, map, filter, zip)):
        items = []
        for item in value:
            items.append(item)
            if len(items) > MAX_ITEMS:
                raise EncodeError(f"the generator gave more than {MAX_ITEMS} items")
        return to_plain(items, depth)
    raise EncodeError(f"a {type(value).__name__} cannot be graded; return numbers, lists, "
                      f"tuples, dicts or NumPy arrays")


_TAGS = {"__ndarray__", "__tuple__", "__float__", "__dict__", "__ref__"}


def from_plain(data, resolve_refs=False, depth=0):
    """The inverse of `to_plain`. Refs become functions only where `resolve_refs` is set (the
    side that runs learner code; a callable there maps the dotted name to the function);
    anywhere else a ref is refused."""
    if depth > MAX_DEPTH + 2:
        raise DecodeError("message nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_plain(item, resolve_refs, depth + 1) for item in data]
    if isinstance(data, dict):
        if len(data) != 1 or next(iter(data)) not in _TAGS:
            raise DecodeError("untagged object in message")
        tag, body = next(iter(data.items()))
        if tag == "__ndarray__":
            if not isinstance(body, str):
                raise DecodeError("bad array")
            try:
                array = np.load(io.BytesIO(base64.b64decode(body, validate=True)),
                                allow_pickle=False)
            except Exception as error:
                raise DecodeError(f"bad array: {error}") from None
            if array.dtype.kind not in "biuf":
                raise DecodeError(f"array of dtype {array.dtype}")
            return array
        if tag == "__tuple__" and isinstance(body, list):
            return tuple(from_plain(item, resolve_refs, depth + 1) for item in body)
        if tag == "__float__" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "__dict__" and isinstance(body, dict):
            return {key: from_plain(item, resolve_refs, depth + 1) for key, item in body.items()}
        if tag == "__ref__" and isinstance(body, str):
            if not resolve_refs:
                raise DecodeError("a function reference cannot come back from learner code")
            return resolve_refs(body) if callable(resolve_refs) else resolve(body)
        raise DecodeError(f"malformed {tag}")
    raise DecodeError(f"unexpected {type(data).__name__} in message")


def dumps(message):
    """A protocol message (already plain) as bytes."""
    return json.dumps(message, allow_nan=False, separators=(",", ":")).encode("utf-8")


def loads(data):
    """Parse a protocol message; DecodeError for anything that is not one."""
    try:
        message = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise DecodeError(f"not a message: {str(error)[:200]}") from None
    if not isinstance(message, dict):
        raise DecodeError("not a message")
    return message


def round_trip(value, resolve_refs=False):
    """`value` as the other side of the wall would receive it (used by the self-check, so that
    answers are judged exactly as the grader judges them)."""
    return from_plain(to_plain(value), resolve_refs=resolve_refs)
