"""Grader of exercises/03_derivative.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/03_derivative/."""
from nnlessons.grading.testing import GraderTests


class TestGrader03Derivative(GraderTests):
    exercise = "03_derivative"
