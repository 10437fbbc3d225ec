"""What every demo shares: nothing kept at module level that could change, a memory per
explorer, and an error in a callback shown in the widget itself."""
import importlib
import io

import numpy as np
import pytest
from PIL import Image

from nnlessons import descent, widgets
from nnlessons.widgets import _base, batches, overfitting
from nnlessons.widgets import descent as descent_w
from nnlessons.widgets import loss as loss_w


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)


@pytest.mark.parametrize("name", ["nnlessons.descent", "nnlessons.plots",
                                  *(f"nnlessons.widgets.{m}" for m in widgets.MODULES)])
def test_no_module_keeps_anything_that_could_change(name):
    module = importlib.import_module(name)
    for attribute, value in vars(module).items():
        assert not hasattr(value, "cache_clear"), f"{name}.{attribute} is a module-level cache"
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable, f"{name}.{attribute} is a writable array"


def test_the_bowl_cannot_be_changed_by_a_caller():
    with pytest.raises(ValueError, match="read-only"):
        descent._BOWL_X[0, 0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        descent.BOWL_MINIMUM[0] = 0.0
    with pytest.raises(TypeError):
        descent_w.bumpy_landmarks()["global"] = 0.0


def test_a_memo_keeps_the_most_recently_used_results():
    calls = []

    def square(x):
        calls.append(x)
        return x * x

    memo = _base.Memo(square, size=2)
    assert [memo(2), memo(3), memo(2)] == [4, 9, 4] and calls == [2, 3]
    memo(4)  # 3, the least recently used, goes
    assert memo(2) == 4 and calls == [2, 3, 4]
    memo(3)
    assert calls == [2, 3, 4, 3]
    memo.clear()
    memo(2)
    assert calls[-1] == 2 and len(calls) == 5


def test_each_explorer_remembers_its_own_runs_and_can_forget_them():
    first, second = batches.batch_explorer(), batches.batch_explorer()
    assert first._runs is not second._runs and first._runs.results
    assert not set(map(id, first._runs.results.values())) & set(
        map(id, second._runs.results.values()))
    first.forget()
    assert not first._runs.results and second._runs.results
    one, other = overfitting.overfitting_explorer(), overfitting.overfitting_explorer()
    assert one.state.run is not other.state.run
    with pytest.raises(ValueError, match="read-only"):
        one.state.run.train_loss[0] = 0.0


def test_a_state_is_frozen():
    e = loss_w.loss_explorer()
    with pytest.raises(AttributeError):
        e.state.guess = 10.0


def _failing_at(explorer, name, value, where="compute"):
    """Make `explorer.compute` (or `draw`) raise when the control `name` reads `value`."""
    real = getattr(explorer, where)

    def failing(*args, **settings):
        if explorer.settings()[name] == value:
            if where == "draw":  # half-way: some artists are drawn already
                real(*args, **settings)
            raise ZeroDivisionError("a bug in the demo")
        return real(*args, **settings)
    setattr(explorer, where, failing)


def test_the_readout_and_message_are_sent_before_the_picture():
    """The browser lays out the text while the kernel draws the picture: every change of the
    readout and the message comes before the picture's."""
    e = descent_w.descent_explorer()
    sent = []
    for name, part in (("readout", e.readout), ("message", e.alert), ("picture", e.image)):
        part.observe(lambda change, name=name: sent.append(name), names="value")
    e.controls["learning_rate"].value = 5.0  # the walk diverges: the message changes too
    assert sent and sent[-1] == "picture" and "readout" in sent and "message" in sent
    assert sent.index("picture") == len(sent) - 1


def test_an_error_in_a_callback_shows_in_the_widget_and_the_next_change_recovers():
    e = loss_w.loss_explorer()
    _failing_at(e, "guess", 700)
    before, readout = e.image.value, e.readout.value
    e.controls["guess"].value = 700  # as the browser does it: through the control's observer
    assert "could not redraw" in e.alert.value
    assert "ZeroDivisionError: a bug in the demo" in e.alert.value
    assert "Traceback" in e.alert.value and isinstance(e.error, ZeroDivisionError)
    assert e.image.value == before  # the last picture that worked stays
    assert e.readout.value == readout  # and the numbers of that picture
    e.controls["guess"].value = 600
    assert e.alert.value == "" and e.error is None and "10,000" in e.readout.value
    with pytest.raises(ZeroDivisionError):  # from code, an error is raised as usual
        e.set(guess=700)


def test_a_draw_that_fails_half_way_leaves_no_trace_in_the_next_picture():
    e = descent_w.descent_explorer()
    _failing_at(e, "steps", 7, where="draw")
    readout = e.readout.value
    e.controls["steps"].value = 7
    assert "ZeroDivisionError" in e.alert.value
    assert e.readout.value == readout  # the numbers of the picture still shown, not of 7 steps
    e.controls["steps"].value = 12
    fresh = descent_w.descent_explorer(steps=12)
    assert np.array_equal(pixels(e.image.value), pixels(fresh.image.value))


def test_an_error_in_an_explorers_own_observer_shows_too():
    e = descent_w.descent_explorer()

    def broken(change):
        raise KeyError("no such preset")
    e.controls["preset"].observe(e.guarded(broken), names="value")
    e.controls["preset"].value = "diverging"
    assert "KeyError" in e.alert.value and "no such preset" in e.alert.value
