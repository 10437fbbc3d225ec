"""Grader of exercises/08_activations.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/08_activations/."""
from nnlessons.grading.testing import GraderTests


class TestGrader08Activations(GraderTests):
    exercise = "08_activations"
