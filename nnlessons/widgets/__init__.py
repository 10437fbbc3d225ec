"""The interactive demos of the course, one module per lesson.

    from nnlessons import widgets
    widgets.neuron_explorer()          # lesson 01

Each demo is a function returning an `Explorer` (see `_base`): display it in a notebook cell, or
call its `set(...)` and read its `state` from code and tests. Modules are imported on first use,
so `import nnlessons` does not pay for ipywidgets.
"""
import importlib

# lesson order
MODULES = ("neuron", "loss", "derivative", "descent", "backprop", "batches", "overfitting",
           "activations", "capstone")


def benchmark_cases():
    """Every demo's `(module name, case name, make, settings)` in lesson order: what
    `benchmarks/widgets.py` times and what the looks and layer tests draw."""
    for module_name in MODULES:
        module = importlib.import_module(f".{module_name}", __name__)
        for name, make, settings in module.benchmark_cases():
            yield module_name, name, make, settings


def __getattr__(name):
    if name in MODULES:
        return importlib.import_module(f".{name}", __name__)
    for module_name in MODULES:
        try:
            module = importlib.import_module(f".{module_name}", __name__)
        except ModuleNotFoundError as error:
            if error.name == f"{__name__}.{module_name}":
                continue
            raise
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(f"nnlessons.widgets has no demo {name!r}")
