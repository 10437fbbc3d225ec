"""nnlessons: the reference code of the course *How neural networks learn*.

One module per idea, in the order the lessons teach them:

- `neuron`       a neuron and a layer's forward pass                       (lesson 01)
- `losses`       squared error, MSE, cross-entropy, with gradients         (lesson 02)
- `calculus`     numerical derivatives and the gradient check              (lessons 03, 05)
- `descent`      gradient descent and the landscapes it walks on           (lesson 04)
- `network`      a dense network: forward, backpropagation, save and load  (lesson 05)
- `training`     mini-batches, epochs, the fit loop, L2, early stopping    (lessons 06, 07)
- `activations`  sigmoid, tanh, ReLU and friends, softmax                  (lesson 08)
- `data`         every data set, made from a seed or shipped, offline
- `plots`        the shared look of every figure
"""
import importlib

from . import activations, calculus, data, descent, losses, network, neuron, training
from .network import MLP
from .training import fit


def __getattr__(name):
    # `plots` brings in matplotlib (a quarter of a second): loaded when first used, so code that
    # only computes (the grader's sandbox, a script) does not pay for it
    if name == "plots":
        return importlib.import_module(".plots", __name__)
    raise AttributeError(f"module 'nnlessons' has no attribute {name!r}")


__version__ = "0.1.0"
__all__ = ["activations", "calculus", "data", "descent", "losses", "network", "neuron", "plots",
           "training", "MLP", "fit"]
