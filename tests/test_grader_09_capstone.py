"""Grader of exercises/09_capstone.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/09_capstone/."""
from nnlessons.grading.testing import GraderTests


class TestGrader09Capstone(GraderTests):
    exercise = "09_capstone"
