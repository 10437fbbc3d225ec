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
from . import activations, calculus, data, descent, losses, network, neuron, plots, training
from .network import MLP
from .training import fit

__version__ = "0.1.0"
__all__ = ["activations", "calculus", "data", "descent", "losses", "network", "neuron", "plots",
           "training", "MLP", "fit"]
