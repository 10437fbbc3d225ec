"""Grader of exercises/06_batches.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/06_batches/."""
from nnlessons.grading.testing import GraderTests


class TestGrader06Batches(GraderTests):
    exercise = "06_batches"
