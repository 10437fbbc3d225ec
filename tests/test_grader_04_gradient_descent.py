"""Grader of exercises/04_gradient_descent.ipynb: passes on the solution, fails on the blank
exercise, catches every wrong answer in tests/fixtures/wrong/04_gradient_descent/."""
from nnlessons.grading.testing import GraderTests


class TestGrader04GradientDescent(GraderTests):
    exercise = "04_gradient_descent"
