"""Grader of exercises/05_backprop.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/05_backprop/."""
from nnlessons.grading.testing import GraderTests


class TestGrader05Backprop(GraderTests):
    exercise = "05_backprop"
