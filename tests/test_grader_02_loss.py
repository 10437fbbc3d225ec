"""Grader of exercises/02_loss.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/02_loss/."""
from nnlessons.grading.testing import GraderTests


class TestGrader02Loss(GraderTests):
    exercise = "02_loss"
