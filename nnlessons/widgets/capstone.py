r"""Lesson 09: train the digits network, watch it learn, and look at what it remembers.

`train_digits` is the whole recipe in one pure function: split the 8x8 digits into training,
validation and test sets, train a 64-H-10 network (ReLU, softmax, cross-entropy) with mini-batch
gradient descent, and score it on the validation set. The trainer is for trying settings, and
settings are chosen by validation data, so it never touches the test set: that is kept for one
measurement at the very end (lesson 09 makes it). It shows the loss curves while training runs
(a progress bar, and the curve redrawn after every epoch), then what the first layer learned,
its weights' change since the random start, as 8x8 images, the validation set's confusion
matrix and some of its mistakes.

Where widgets do not render, `capstone_trainer(text_progress=True)` also prints one line per
epoch, and the trainer's plain-text form is a summary of the last run.
"""
import html
from dataclasses import dataclass

import ipywidgets as w
import matplotlib
import numpy as np
from matplotlib.legend import Legend
from matplotlib.ticker import MaxNLocator

from .. import data, plots
from ..network import MLP
from ..training import History, accuracy, fit
from ._base import Explorer, Memo, choice, readonly
from ._layout import freeze_layout

__all__ = ["capstone_trainer", "CapstoneTrainer", "CapstoneState", "DigitsRun", "train_digits",
           "digits_split", "confusion_matrix", "weight_mosaic"]

SHOWN_UNITS = 16
SHOWN_MISTAKES = 8


def digits_split(seed=0):
    """Train / validation / test: 60% / 15% / 25% of the 1,797 digits, fixed by `seed`. The
    test set is never used for choosing anything, so its score is honest."""
    X, y = data.digits()
    X_rest, X_test, y_rest, y_test = data.train_test_split(X, y, 0.25, seed=seed)
    X_train, X_val, y_train, y_val = data.train_test_split(X_rest, y_rest, 0.2, seed=seed)
    return X_train, X_val, X_test, y_train, y_val, y_test


def confusion_matrix(labels, predicted, k=10):
    """Row = true digit, column = predicted digit, entry = how many test images."""
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (np.asarray(labels), np.asarray(predicted)), 1)
    return matrix


def weight_mosaic(W, columns=4, gap=1):
    """Tile the columns of a (64, H) weight matrix as 8x8 images, NaN between the tiles."""
    units = W.shape[1]
    rows = -(-units // columns)
    size = 8 + gap
    mosaic = np.full((rows * size - gap, columns * size - gap), np.nan)
    for u in range(units):
        r, c = divmod(u, columns)
        mosaic[r * size:r * size + 8, c * size:c * size + 8] = W[:, u].reshape(8, 8)
    return mosaic


@dataclass(frozen=True, eq=False)
class DigitsRun:
    """A trained digits network (`net`) with its `history`, its first layer's weights at the
    random start (`start`), its `val_accuracy`, the validation set's `confusion` matrix, the
    `predicted` digits and the indices of the `mistakes` there."""
    net: MLP
    history: History
    start: np.ndarray
    val_accuracy: float
    confusion: np.ndarray
    predicted: np.ndarray
    mistakes: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray

    @property
    def change(self):
        """What the first layer learned: its weights' change since the random start."""
        return self.net.weights[0] - self.start


def train_digits(hidden=64, epochs=20, learning_rate=0.1, batch_size=32, seed=0,
                 on_epoch_end=None):
    """Train a 64-`hidden`-10 network on the digits with `fit`; return a `DigitsRun`, scored on
    the validation set (the test set is not touched)."""
    X_train, X_val, _, y_train, y_val, _ = digits_split(seed)
    net = MLP([64, hidden, 10], ["relu", "softmax"], seed=seed)
    start = readonly(net.weights[0].copy())
    history = fit(net, X_train, y_train, epochs=epochs, batch_size=batch_size,
                  learning_rate=learning_rate, validation=(X_val, y_val), seed=seed,
                  on_epoch_end=on_epoch_end)
    predicted = net.predict_classes(X_val)
    return DigitsRun(net, history, start, accuracy(net, X_val, y_val),
                     readonly(confusion_matrix(y_val, predicted)), readonly(predicted),
                     readonly(np.flatnonzero(predicted != y_val)), readonly(X_val),
                     readonly(y_val))


@dataclass(frozen=True, eq=False)
class CapstoneState:
    """The latest run (the `number`-th this trainer made) and the settings it shows."""
    run: DigitsRun
    number: int
    hidden: int
    epochs: int
    first_neuron: int
    message: str = ""


class CapstoneTrainer(Explorer):
    title = "Train the digits network"
    figsize = (11.0, 4.6)  # as shown, 355 px high: controls, figure and readout fit a screen
    nrows, ncols = 2, 2

    def __init__(self, hidden=32, epochs=20, learning_rate=0.1, text_progress=False):
        self.text_progress = text_progress
        # only the latest run: a network per setting would be wasteful
        self._runs = Memo(self._train_afresh, 1)
        self._trained = 0
        self.progress = w.IntProgress(0, 0, epochs, description="trained epochs",
                                      style={"description_width": "initial"},
                                      layout=w.Layout(width="260px"))
        self.status = w.HTML()
        style = {"description_width": "initial"}
        controls = {
            "hidden": choice([16, 32, 64], hidden, "hidden neurons",
                             "neurons in the hidden layer (retrains)", button_width="44px"),
            # a new value trains the network again (seconds): once the slider is let go
            "epochs": w.IntSlider(epochs, 1, 40, description="epochs", style=style,
                                  tooltip="training epochs (retrains when let go)",
                                  continuous_update=False, layout=w.Layout(width="290px")),
            "learning_rate": w.FloatLogSlider(learning_rate, base=10, min=-2, max=1, step=0.1,
                                              description="learning rate η", style=style,
                                              tooltip="learning rate (retrains when let go)",
                                              continuous_update=False,
                                              layout=w.Layout(width="330px")),
            # pages of SHOWN_UNITS neurons, counted from 1 as the panel's title counts them;
            # its range follows the hidden layer's size (see `_hidden_chosen`)
            "first_neuron": w.IntSlider(1, 1, 1 + max(0, hidden - SHOWN_UNITS), step=SHOWN_UNITS,
                                        description="weights of neurons from", style=style,
                                        tooltip=f"which {SHOWN_UNITS} hidden neurons' weights "
                                                f"the top right panel shows",
                                        layout=w.Layout(width="330px")),
        }
        # Registered before the base class's observers: the range is right before the redraw.
        controls["hidden"].observe(self.guarded(self._hidden_chosen), names="value")
        self._fit_pages(hidden, controls["first_neuron"])
        super().__init__(controls)
        freeze_layout(self)

    def control_widgets(self):
        return [*self.controls.values(), self.progress, self.status]

    @staticmethod
    def _fit_pages(hidden, slider):
        """The "weights of neurons from" slider runs over the pages that `hidden` neurons have:
        1, 17, ... up to `hidden` - 15; with one page there is nothing to move."""
        slider.max = 1 + max(0, int(hidden) - SHOWN_UNITS)  # lowers the value with it
        slider.disabled = slider.max == slider.min

    def _hidden_chosen(self, change):
        holding, self._holding = self._holding, True
        try:
            self._fit_pages(change["new"], self.controls["first_neuron"])
        finally:
            self._holding = holding

    # training, with live progress -----------------------------------------------------------
    def _train_afresh(self, hidden, epochs, learning_rate):
        """Train at these settings, showing the progress; returns `(run, its number)`."""
        self.progress.max, self.progress.value = epochs, 0

        def live(epoch, history):
            self.progress.value = epoch
            line = (f"epoch {epoch}/{epochs}: training loss {history.train_loss[-1]:.4f}, "
                    f"validation accuracy {history.val_accuracy[-1]:.3f}")
            self.status.value = html.escape(line)
            if self.text_progress:
                print(line)
            self._show_progress(history, epochs)

        run = train_digits(hidden, epochs, learning_rate, on_epoch_end=live)
        self._trained += 1
        return run, self._trained

    def _show_progress(self, history, epochs):
        """Redraw the loss curve of the run in progress, the whole figure the simple way: the
        other panels keep showing the previous run until this one ends."""
        ax = self.axes[0, 0]
        # the last two-layer update left its moving parts animated, which a full draw skips
        for axes in self.fig.axes:
            for artist in axes.get_children():
                artist.set_animated(False)
        # training runs inside `compute`, before `update` applies the course's style
        with matplotlib.rc_context(plots.STYLE):
            ax.clear()
            self._draw_losses(ax, history, epochs)
            self.image.value = plots.to_png(self.fig)

    def compute(self, hidden=32, epochs=20, learning_rate=0.1, first_neuron=1):
        run, number = self._runs(int(hidden), int(epochs), float(np.round(learning_rate, 6)))
        history = run.history
        self.progress.max = int(epochs)
        self.progress.value = history.epochs
        first_neuron = int(np.clip(first_neuron, 1, 1 + max(0, int(hidden) - SHOWN_UNITS)))
        message = history.message if history.diverged else ""
        if not message and run.val_accuracy < 0.5:
            message = (f"The network has hardly learned (validation accuracy "
                       f"{run.val_accuracy:.2f}; guessing gives 0.10): the learning rate "
                       f"{learning_rate:.3g} is too large to settle or too small to get anywhere "
                       f"in {int(epochs)} epoch(s).")
        self.status.value = html.escape(
            f"trained {history.epochs} epochs: validation accuracy {run.val_accuracy:.3f}")
        return CapstoneState(run, number, int(hidden), int(epochs), first_neuron, message)

    # drawing ------------------------------------------------------------------------------------
    @staticmethod
    def _draw_losses(ax, history, epochs, legend=True):
        done = np.arange(1, history.epochs + 1)
        ax.plot(done, history.train_loss, "o-", ms=3, label="training loss")
        if history.val_loss:
            ax.plot(done, history.val_loss, "s--", ms=3, label="validation loss")
        ax.set_xlim(0.5, max(epochs, 1) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        plots.label(ax, "Loss while training", "epoch", "cross-entropy", legend=legend)

    def background_key(self, state):
        return (state.number,)  # only the weights panel follows `first_neuron`

    def draw_background(self, state):
        losses, weights, confusion, mistakes = self.axes.flat
        run = state.run
        self._draw_losses(losses, run.history, state.epochs, legend=False)
        # `ax.legend` would be redrawn by every update: this one stays with its run
        losses.add_artist(Legend(losses, *losses.get_legend_handles_labels(), loc="best",
                                 framealpha=0.9))
        rows, columns = weight_mosaic(np.zeros((64, SHOWN_UNITS))).shape
        weights.set_xlim(-0.5, columns - 0.5)
        weights.set_ylim(rows - 0.5, -0.5)
        weights.set_aspect("equal")
        weights.set_xticks([])
        weights.set_yticks([])
        weights.grid(False)
        # the image is drawn over the background: a spine under it would show only in the gaps
        weights.spines[:].set_visible(False)
        plots.label(weights, "", "8x8 pixels per neuron", "", legend=False)
        matrix = run.confusion
        confusion.imshow(np.log1p(matrix), cmap="Blues")
        for (i, j), count in np.ndenumerate(matrix):
            if count:
                confusion.text(j, i, str(count), ha="center", va="center", fontsize=11,
                               color="white" if i == j else "black")
        confusion.set_xticks(range(10))
        confusion.set_yticks(range(10))
        confusion.grid(False)
        plots.label(confusion, f"Validation set: accuracy {run.val_accuracy:.3f}",
                    "predicted digit", "true digit")
        shown = run.mistakes[:SHOWN_MISTAKES]
        if len(shown):
            tiles = np.full((8, len(shown) * 9 - 1), np.nan)
            for k, index in enumerate(shown):
                tiles[:, k * 9:k * 9 + 8] = run.X_val[index].reshape(8, 8)
                mistakes.text(k * 9 + 3.5, 9.5, f"{run.y_val[index]}→{run.predicted[index]}",
                              ha="center", va="top", fontsize=11)
            mistakes.imshow(tiles, cmap="gray_r", vmin=0, vmax=1)
            mistakes.set_ylim(11, -0.5)
        mistakes.set_xticks([])
        mistakes.set_yticks([])
        mistakes.grid(False)
        mistakes.spines[:].set_visible(False)  # the bottom one would underline the labels
        plots.label(mistakes, f"Some of the {len(run.mistakes)} mistakes (true→predicted)",
                    "", "")

    def draw(self, state):
        weights = self.axes[0, 1]
        first = state.first_neuron - 1
        W = state.run.change[:, first:first + SHOWN_UNITS]
        limit = float(np.max(np.abs(W))) or 1.0
        weights.imshow(weight_mosaic(W), cmap=plots.DIVERGING, vmin=-limit, vmax=limit)
        weights.set_title(f"Learned: weight change, neurons {first + 1}-{first + W.shape[1]}")

    def describe(self, state):
        run, h = state.run, state.run.history
        last = min(state.hidden, state.first_neuron + SHOWN_UNITS - 1)
        return (f"{h.epochs} epochs, final training loss {h.train_loss[-1]:.4f}, "
                f"validation accuracy {run.val_accuracy:.3f} ({len(run.mistakes)} of "
                f"{len(run.y_val)} validation digits wrong; the test set is not used here). "
                f"The pictures: the loss curves (top left), the first layer's weight change of "
                f"hidden neurons {state.first_neuron}-{last} of {state.hidden} as 8x8 images "
                f"(top right), the validation confusion matrix (bottom left) and some "
                f"mistakes (bottom right).")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.state is not None:
            bundle["text/plain"] = (f"{self.title}: {self.describe(self.state)} "
                                    f"(interactive: run the notebook to use it)")
        return bundle


def capstone_trainer(hidden=32, epochs=20, learning_rate=0.1, text_progress=False):
    """Train a 64-H-10 network on the digits with live progress; show its loss curves, its
    first layer's change since the start, the validation confusion matrix and some mistakes."""
    return CapstoneTrainer(hidden, epochs, learning_rate, text_progress)


def benchmark_cases():
    # Training is exempt from the latency target; these time a redraw of a trained network.
    redraws = [{"first_neuron": u} for u in (1, 17)]
    return [("capstone_trainer: redraw", lambda: capstone_trainer(hidden=32), redraws)]
