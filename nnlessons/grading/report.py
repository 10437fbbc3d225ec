"""What grading produces: the terminal table, JSON, the CSV gradebook, HTML feedback."""
import csv
import html
import json
import re
from collections import Counter
from pathlib import Path


def _points(value):
    return int(value) if float(value).is_integer() else round(float(value), 2)


def summary(submission):
    """'2 failed, 1 timeout' (what did not pass), or the reason nothing was graded."""
    if submission.error and not any(t.status == "passed" for t in submission.tests):
        return submission.error
    counts = Counter(t.status for t in submission.tests if t.status != "passed")
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def table(submissions):
    """The score table printed after grading."""
    rows = [("student", "exercise", "score", "not passed")]
    for s in submissions:
        rows.append((s.student, s.exercise, f"{_points(s.score)}/{_points(s.max_score)}",
                     summary(s)[:100]))
    widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(str(row[i]).ljust(widths[i]) for i in range(3)) + "  " + row[3])
        if number == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 10)
    return "\n".join(line.rstrip() for line in lines)


def write_json(submissions, path):
    data = [s.as_dict() for s in submissions]
    for item in data:
        item["score"], item["max_score"] = _points(item["score"]), _points(item["max_score"])
        for test in item["tests"]:
            test["score"], test["max_score"] = _points(test["score"]), _points(test["max_score"])
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")


def write_csv(submissions, path):
    """A gradebook: a row per student, a column per exercise (its score), then the total.
    An exercise a student did not submit is left empty."""
    exercises = sorted({s.exercise for s in submissions})
    students = sorted({s.student for s in submissions})
    scores = {(s.student, s.exercise): s.score for s in submissions}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        maxima = {}
        for s in submissions:
            maxima[s.exercise] = max(maxima.get(s.exercise, 0), s.max_score)
        writer.writerow(["student"] + [f"{e} (/{_points(maxima[e])})" for e in exercises]
                        + [f"total (/{_points(sum(maxima.values()))})"])
        for student in students:
            row = [scores.get((student, e), "") for e in exercises]
            total = sum(v for v in row if v != "")
            writer.writerow([student] + [_points(v) if v != "" else "" for v in row]
                            + [_points(total)])


STYLE = """body{font-family:system-ui,sans-serif;max-width:48em;margin:2em auto;line-height:1.45}
h1{font-size:1.4em} .passed{color:#007a4d} .failed,.error,.timeout{color:#b3261e}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere}
li{margin:.4em 0}"""


def feedback_html(submission):
    """One learner's report. Hidden tests show only their number and status."""
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{e(submission.exercise)}: {e(submission.student)}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>Exercise {e(submission.exercise)}: {e(submission.student)}</h1>",
             f"<p>Score: <strong>{_points(submission.score)} / "
             f"{_points(submission.max_score)}</strong></p>"]
    if submission.error:
        parts.append(f"<p class=\"error\">{e(submission.error)}</p>")
    if submission.notes:
        parts.append("<h2>About your notebook</h2><ul>")
        parts += [f"<li>{e(note)}</li>" for note in submission.notes]
        parts.append("</ul>")
    parts.append("<h2>Tests</h2><ol>")
    hidden_number = 0
    for test in submission.tests:
        points = f"{_points(test.score)}/{_points(test.points)}"
        status = f"<span class=\"{e(test.status)}\">{e(test.status)}</span>"
        if test.hidden:
            hidden_number += 1
            parts.append(f"<li>hidden test {hidden_number} ({e(test.function)}): {status} "
                         f"({points})</li>")
        else:
            detail = f"<pre>{e(test.output)}</pre>" if test.output else ""
            parts.append(f"<li>{e(test.name)} ({e(test.function)}): {status} ({points})"
                         f"{detail}</li>")
    parts.append("</ol><p>Hidden tests check edge cases; their inputs are not shown.</p>"
                 "</body></html>\n")
    return "\n".join(parts)


def safe_name(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "submission"


def write_feedback(submissions, directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    used = set()
    written = []
    for s in submissions:
        stem = safe_name(f"{s.student}_{s.exercise}")
        name, n = f"{stem}.html", 1
        while name in used:
            n += 1
            name = f"{stem}-{n}.html"
        used.add(name)
        (directory / name).write_text(feedback_html(s), encoding="utf-8")
        written.append(directory / name)
    return written
