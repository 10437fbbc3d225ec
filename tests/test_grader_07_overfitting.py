"""Grader of exercises/07_overfitting.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/07_overfitting/."""
from nnlessons.grading.testing import GraderTests


class TestGrader07Overfitting(GraderTests):
    exercise = "07_overfitting"


def test_the_grader_trains_its_curves_once_for_threads_that_ask_at_once():
    """`grade --jobs N` grades on threads sharing the grader module: every thread gets all four
    curves (a thread that found the cache half-filled once judged a choice on the wrong run)."""
    import importlib.util
    import threading
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "instructor" / "graders" / "ex07_overfitting.py"
    spec = importlib.util.spec_from_file_location("grader07_threads", path)
    grader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(grader)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(sorted(grader.choice_curves())))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [sorted(grader.CHOICE_RATES)] * 3
