"""Grader of exercises/01_neuron.ipynb: passes on the solution, fails on the blank exercise,
catches every wrong answer in tests/fixtures/wrong/01_neuron/."""
from nnlessons.grading.testing import GraderTests


class TestGrader01Neuron(GraderTests):
    exercise = "01_neuron"
