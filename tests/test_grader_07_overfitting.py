"""Grader of exercises/07_overfitting.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/07_overfitting/."""
from nnlessons.grading.testing import GraderTests


class TestGrader07Overfitting(GraderTests):
    exercise = "07_overfitting"
