"""What grading produces: the terminal table, JSON, the CSV gradebook, HTML feedback.

Every string in them may come from a learner (names, exception messages, printed output), so
each goes through `safe` for its medium. Each file is written whole or not at all (a temporary
file in the same folder, then renamed over the report), and never through a symbolic link or
into a FIFO or device that happens to sit where a report should go. One submission whose data
cannot be shown does not stop the others' reports.
"""
import csv
import io
import json
import os
import re
import stat
import tempfile
from collections import Counter
from pathlib import Path

from . import safe

UNISOLATED = "none"   # Submission.isolation when the instructor passed --isolation none


class ReportError(OSError):
    """A report could not be written (the others were). `written` lists what was."""

    def __init__(self, message, written=()):
        super().__init__(message)
        self.written = list(written)


def _points(value):
    return int(value) if float(value).is_integer() else round(float(value), 2)


def isolation(submission):
    """How the submission's code was kept apart: "bubblewrap", or "none" (see UNISOLATED)."""
    return str(getattr(submission, "isolation", "bubblewrap"))


def unisolated(submissions):
    """How many submissions were graded without isolation."""
    return sum(isolation(s) == UNISOLATED for s in submissions)


def isolation_warning(submissions):
    """The line the terminal shows before and after the table when some submissions were graded
    without isolation, else None."""
    count = unisolated(submissions)
    if not count:
        return None
    which = "every submission was" if count == len(submissions) else \
        f"{count} of {len(submissions)} submissions were"
    return (f"WARNING: {which} graded WITHOUT ISOLATION (--isolation none): the learners' code "
            f"ran with your rights and could have changed these grades or your files")


def summary(submission):
    """'2 failed, 1 timeout' (what did not pass), or the reason nothing was graded."""
    if submission.error and not any(t.status == "passed" for t in submission.tests):
        return submission.error
    counts = Counter(t.status for t in submission.tests if t.status != "passed")
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def table(submissions):
    """The score table printed after grading, every learner-given text shown on one line with
    its control characters escaped."""
    rows = [("student", "exercise", "score", "not passed")]
    for s in submissions:
        problems = summary(s)
        problems = problems if len(problems) <= 100 else problems[:97] + "..."
        rows.append((safe.line(s.student, 60), safe.line(s.exercise, 40),
                     f"{_points(s.score)}/{_points(s.max_score)}", safe.line(problems)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
        if number == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 10)
    return "\n".join(line.rstrip() for line in lines)


def _refusal(path):
    """Why a report must not be written at `path` (a link, a FIFO, a device, a folder), or
    None when it does not exist yet or is a regular file."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return ("it is a symbolic link (a report is never written through a link): remove the "
                "link or choose another file")
    kind = ("a folder" if stat.S_ISDIR(mode) else
            "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "a device or special file")
    return f"it is {kind}, not a regular file: choose another file"


def _new_file_mode(path):
    """What the report's permissions should be: those of the file it replaces, else what
    creating it would give (0666 less the umask), not mkstemp's 0600."""
    try:
        return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path, text):
    """Write `text` (UTF-8) to `path` whole or not at all: into a temporary file beside it,
    then renamed over it. A link, FIFO, device or folder at `path` is refused (ReportError)."""
    path = Path(path)
    problem = _refusal(path)
    if problem:
        raise ReportError(f"{safe.path(path)}: refusing to write a report there: {problem}")
    mode = _new_file_mode(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:60]}.",
                                     suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)   # replaces a link put there meanwhile, never follows it
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _json_item(submission):
    try:
        item = submission.as_dict()
        item["score"], item["max_score"] = _points(item["score"]), _points(item["max_score"])
        for test in item["tests"]:
            test["score"], test["max_score"] = _points(test["score"]), _points(test["max_score"])
        item["isolation"] = isolation(submission)
        return safe.plain(item)
    except Exception as error:   # one strange submission must not cost the class its grades
        return safe.plain({
            "student": getattr(submission, "student", "?"),
            "exercise": getattr(submission, "exercise", "?"),
            "notebook": getattr(submission, "notebook", "?"),
            "score": 0, "max_score": 0, "tests": [], "notes": [],
            "error": f"the grader could not write this result ({type(error).__name__}: "
                     f"{error}); please report it",
            "isolation": isolation(submission)})


def json_text(submissions):
    """The JSON report: a list with one object per submission, each with its `isolation`.
    Always valid UTF-8 JSON, whatever the submissions hold."""
    data = [_json_item(s) for s in submissions]
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(submissions, path):
    write_atomic(path, json_text(submissions))


def csv_text(submissions):
    """A gradebook: a row per student, a column per exercise (its score), then the total.
    An exercise a student did not submit is left empty. When some submissions were graded
    without isolation, a last column `isolation` says which students' were."""
    exercises = sorted({s.exercise for s in submissions})
    students = sorted({s.student for s in submissions})
    scores = {(s.student, s.exercise): s.score for s in submissions}
    maxima, isolations = {}, {}
    for s in submissions:
        maxima[s.exercise] = max(maxima.get(s.exercise, 0), s.max_score)
        isolations.setdefault(s.student, set()).add(isolation(s))
    flag = unisolated(submissions) > 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = (["student"] + [f"{e} (/{_points(maxima[e])})" for e in exercises]
              + [f"total (/{_points(sum(maxima.values()))})"] + (["isolation"] if flag else []))
    writer.writerow([safe.cell(h) for h in header])
    for student in students:
        row = [scores.get((student, e), "") for e in exercises]
        total = sum(v for v in row if v != "")
        cells = [student] + [_points(v) if v != "" else "" for v in row] + [_points(total)]
        if flag:
            cells.append(UNISOLATED if UNISOLATED in isolations[student]
                         else ", ".join(sorted(isolations[student])))
        writer.writerow([safe.cell(c) for c in cells])
    return buffer.getvalue()


def write_csv(submissions, path):
    write_atomic(path, csv_text(submissions))


STYLE = """body{font-family:system-ui,sans-serif;max-width:48em;margin:2em auto;line-height:1.45}
h1{font-size:1.4em} .passed{color:#007a4d} .failed,.error,.timeout{color:#b3261e}
.warning{border:2px solid #b3261e;background:#fdecea;padding:.6em}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere}
li{margin:.4em 0}"""


def _hidden_view(test):
    """What a learner may see of a hidden test: its `learner_view()` when tests have one (status,
    points, the kind of case and a hint; never inputs or output), else status and points."""
    view = getattr(test, "learner_view", None)
    view = view() if callable(view) else {}
    get = view.get if isinstance(view, dict) else (lambda key, default=None:
                                                   getattr(view, key, default))
    return {"function": get("function", test.function), "status": get("status", test.status),
            "score": get("score", test.score), "max_score": get("max_score", test.points),
            "case": get("case", ""), "hint": get("hint", "")}


def feedback_html(submission):
    """One learner's report. Hidden tests show only what `_hidden_view` allows."""
    e = safe.html
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{e(submission.exercise, 100)}: {e(submission.student, 100)}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>Exercise {e(submission.exercise)}: {e(submission.student)}</h1>"]
    if isolation(submission) == UNISOLATED:
        parts.append("<p class=\"warning\"><strong>Graded without isolation.</strong> This "
                     "notebook's code ran without the grader's sandbox (the instructor passed "
                     "<code>--isolation none</code>), so nothing kept it from changing its own "
                     "or anyone's grade: this score may be checked again.</p>")
    parts.append(f"<p>Score: <strong>{e(_points(submission.score))} / "
                 f"{e(_points(submission.max_score))}</strong></p>")
    if submission.error:
        parts.append(f"<p class=\"error\">{e(submission.error)}</p>")
    if submission.notes:
        parts.append("<h2>About your notebook</h2><ul>")
        parts += [f"<li>{e(note)}</li>" for note in submission.notes]
        parts.append("</ul>")
    parts.append("<h2>Tests</h2><ol>")
    hidden_number = 0
    for test in submission.tests:
        if test.hidden:
            hidden_number += 1
            view = _hidden_view(test)
            points = f"{e(_points(view['score']))}/{e(_points(view['max_score']))}"
            status = f"<span class=\"{e(view['status'])}\">{e(view['status'])}</span>"
            detail = "".join(f"<br>{label}: {e(view[key])}"
                             for key, label in (("case", "case"), ("hint", "hint"))
                             if view[key])
            parts.append(f"<li>hidden test {hidden_number} ({e(view['function'])}): {status} "
                         f"({points}){detail}</li>")
        else:
            points = f"{e(_points(test.score))}/{e(_points(test.points))}"
            status = f"<span class=\"{e(test.status)}\">{e(test.status)}</span>"
            detail = f"<pre>{e(test.output)}</pre>" if test.output else ""
            parts.append(f"<li>{e(test.name)} ({e(test.function)}): {status} ({points})"
                         f"{detail}</li>")
    parts.append("</ol><p>Hidden tests check edge cases; their inputs are not shown.</p>"
                 "</body></html>\n")
    return "\n".join(parts)


def _fallback_html(submission, error):
    e = safe.html
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>feedback"
            f"</title></head><body><h1>Exercise {e(getattr(submission, 'exercise', '?'))}: "
            f"{e(getattr(submission, 'student', '?'))}</h1><p>The grader could not write this "
            f"report ({e(type(error).__name__)}); your instructor has your score.</p>"
            f"</body></html>\n")


def safe_name(text):
    """A file name made of ASCII letters, digits, '.', '_' and '-' only, at most 100 of them."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", safe.text(text, 200))[:100].strip("._") \
        or "submission"


def write_feedback(submissions, directory):
    """One HTML page per submission in `directory`; returns their paths. Every page that can be
    written is; then ReportError names those that could not be."""
    directory = Path(directory)
    if directory.is_symlink():
        raise ReportError(f"{safe.path(directory)}: refusing to write feedback there: it is a "
                          f"symbolic link (reports are never written through a link): give the "
                          f"folder it points to")
    directory.mkdir(parents=True, exist_ok=True)
    used = set()
    written, failed = [], []
    for s in submissions:
        stem = safe_name(f"{s.student}_{s.exercise}")
        name, n = f"{stem}.html", 1
        while name.lower() in used:   # .lower(): Bob and bob would share a file on macOS
            n += 1
            name = f"{stem}-{n}.html"
        used.add(name.lower())
        try:
            page = feedback_html(s)
        except Exception as error:   # one strange submission must not cost the others theirs
            page = _fallback_html(s, error)
        try:
            write_atomic(directory / name, page)
            written.append(directory / name)
        except OSError as error:
            failed.append(str(error) if isinstance(error, ReportError)
                          else f"{safe.path(directory / name)}: {error.strerror or error}")
    if failed:
        raise ReportError(f"{len(failed)} of {len(submissions)} feedback pages could not be "
                          f"written: " + "; ".join(failed[:5])
                          + (f"; and {len(failed) - 5} more" if len(failed) > 5 else ""),
                          written)
    return written
