"""What became of one call of a learner's function: made on one side, read on the other.

`invoke` runs on the side that runs learner code (the sandboxed worker when grading, the
learner's own kernel for the self-check) and describes the outcome as a plain-data reply:

    {"status": "ok", "value": ..., "after": ...}      the answer (and the arguments afterwards)
    {"status": "error", "error_type": ..., "message"}  the learner's exception
    {"status": "not_written", "raised_in": ...}        NotImplementedError: a stub still stands
    {"status": "forbidden", "names": [...]}            it reached reference code it may not use
    {"status": "timeout"} / {"status": "missing"}

`decode` runs where the tests run and turns a reply into the answer or the StudentProblem a test
is marked with. It is the only reader of replies, so the grader and the self-check say the same
thing about the same outcome. A reply from the sandbox is untrusted: every field is checked and
every text is made printable before it reaches feedback.
"""
from . import safe
from .codec import DecodeError, EncodeError, from_plain, to_plain
from .expect import Crashed, NotWritten, StudentError, TimedOut
from .forbidden import ForbiddenCallError
from .runner import forbidden_problem, missing_problem

MESSAGE_LIMIT = 500


def printable(value, limit=MESSAGE_LIMIT):
    """`value` as text that can be written anywhere (safe.text: valid Unicode, control
    characters shown escaped), cut to `limit` characters."""
    text = safe.text(value, limit * 4)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def raised_in(error):
    """The name of the function whose code raised `error` (the innermost frame)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name if tb is not None else None


def describe(error):
    try:
        text = str(error)
    except BaseException:
        text = "(its message could not be read)"
    return type(error).__name__, text[:MESSAGE_LIMIT]


def invoke(target, args, kwargs, return_args, timeout_error=(), refused=None):
    """Call `target(*args, **kwargs)` and describe the outcome as a reply (see the module
    docstring). `timeout_error`: the exception class(es) an alarm raises. `refused()` returns the
    reference names refused during the call (a learner who catches the refusal still used it)."""
    refused = refused or (lambda: [])
    try:
        result = target(*args, **kwargs)
        value = to_plain(result)
        # a function handed in (a ref) is not data to compare afterwards: it goes back as None
        after = to_plain([[None if callable(a) else a for a in args],
                          {k: None if callable(v) else v for k, v in kwargs.items()}]) \
            if return_args else None
    except timeout_error:
        return {"status": "timeout"}
    except NotImplementedError as error:
        return {"status": "not_written", "raised_in": raised_in(error)}
    except EncodeError as error:
        return {"status": "error", "error_type": "UnsupportedAnswer", "message": str(error)}
    except BaseException as error:
        names = refused()
        if names or isinstance(error, ForbiddenCallError):
            return {"status": "forbidden", "names": sorted(set(names)) or [str(error)]}
        kind, text = describe(error)
        return {"status": "error", "error_type": kind, "message": text}
    if refused():
        return {"status": "forbidden", "names": sorted(set(refused()))}
    return {"status": "ok", "value": value, "after": after}


def decode(reply, function, functions, timeout):
    """The answer `(value, after)` a reply carries, or raise the StudentProblem it describes.
    `functions`: the exercise's function names (to say which unwritten one was called)."""
    output = printable(reply.get("output") or "", 5000)
    suffix = f"\nyour function printed:\n{output}" if output else ""
    status = reply.get("status")
    if status == "ok":
        try:
            value = from_plain(reply.get("value"))
            after = from_plain(reply.get("after")) if reply.get("after") is not None else None
        except (DecodeError, TypeError, RecursionError):
            raise Crashed(f"{function} sent back an answer the grader cannot read") from None
        if after is not None and not (isinstance(after, list) and len(after) == 2
                                      and isinstance(after[0], list)
                                      and isinstance(after[1], dict)):
            raise Crashed(f"{function} sent back an answer the grader cannot read")
        return value, (tuple(after) if after is not None else None), output
    if status == "timeout":
        raise TimedOut(f"{function} ran for more than {timeout:g} s and was stopped "
                       f"(an endless loop?){suffix}")
    if status == "not_written":
        other = reply.get("raised_in")
        if isinstance(other, str) and other != function and other in functions:
            raise NotWritten(f"{function} calls {other}, which is not written yet; write "
                             f"{other} first")
        raise NotWritten(f"{function} is not written yet (it raises NotImplementedError)")
    if status == "missing":
        raise missing_problem(function)
    if status == "forbidden":
        names = reply.get("names")
        names = [printable(n, 80) for n in names][:5] if isinstance(names, list) else []
        raise forbidden_problem(function, names or ["the reference code"])
    if status == "error":
        kind = printable(reply.get("error_type", "Exception"), 80)
        message = printable(reply.get("message", ""))
        raise StudentError(f"{function} raised {kind}: {message}{suffix}" if message
                           else f"{function} raised {kind}{suffix}")
    raise Crashed(f"{function} broke the grader's connection")
