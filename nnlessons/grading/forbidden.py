"""Keeping an exercise from being solved by calling the course's own reference code.

Two guards, because each misses what the other sees:
- `static_uses(source, function, names)` reads the learner's code (never runs it): inside the
  body of `function`, which of the forbidden dotted names does it reach, through `import nnlessons
  as nn`, `from nnlessons.neuron import weighted_sum as ws`, or a module-level alias `ws = ...`?
- `Traps` replaces the forbidden functions inside the loaded nnlessons modules by traps that refuse
  to run while the learner's function is the one being graded (run time: catches helpers too).
  Traps serve the self-check in the learner's own kernel, where they give a friendly message.
  When grading, the wall is elsewhere: the sandbox's copy of the package has no forbidden code in
  it at all (package_view.py), and `refusal` is what stands in its place.
"""
import ast
import sys


def _dotted(node, aliases):
    """The dotted name an expression like `nn.neuron.weighted_sum` stands for, or None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id]] + parts[::-1])


def _collect_aliases(nodes, aliases):
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                else:
                    aliases[f"*{node.module}"] = node.module
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            target = _dotted(node.value, aliases)
            if target is not None:
                aliases[node.targets[0].id] = target


def static_uses(sources, function, names):
    """The forbidden `names` that the body of `function` (its last definition in `sources`, the
    code cells in order) uses. A cell that does not parse is passed over (it is reported as a
    cell error anyway)."""
    if not names:
        return []
    if isinstance(sources, str):
        sources = [sources]
    aliases = {}
    definition = None
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            _collect_aliases([node], aliases)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and node.name == function:
                definition = node
    if definition is None:
        return []
    local = dict(aliases)
    _collect_aliases(list(ast.walk(definition)), local)
    for key, module in list(local.items()):
        if key.startswith("*"):  # from nnlessons.neuron import *: bare names may be forbidden
            for name in names:
                if name.rpartition(".")[0] == module:
                    local.setdefault(name.rpartition(".")[2], name)
    found = []
    for node in ast.walk(definition):
        if isinstance(node, (ast.Name, ast.Attribute)):
            dotted = _dotted(node, local)
            if dotted:
                for name in names:
                    if (dotted == name or dotted.startswith(name + ".")) and name not in found:
                        found.append(name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                full = f"{module}.{alias.name}" if module else alias.name
                for name in names:
                    if (full == name or full.startswith(name + ".")) and name not in found:
                        found.append(name)
    return found


class ForbiddenCallError(Exception):
    """Raised inside the learner's code when it calls a forbidden reference function."""


# Names refused in this process so far: a learner who catches the refusal and carries on still
# used the reference code, and the worker reports it. (Only a friendly message rests on this:
# the refused function's code is not in the sandbox at all, see package_view.py.)
REFUSED = []


def refusal(name):
    """The error a stubbed-out reference function raises in the grading sandbox."""
    REFUSED.append(name)
    return ForbiddenCallError(f"{name} is not available while grading: this exercise asks you "
                              f"to write it yourself")


class Traps:
    """Replace forbidden functions in every loaded nnlessons module by traps.

    `forbidden` is {learner function: [dotted names]}. A trap refuses only while `current` (set
    by the caller around each graded call) is a function that may not use it; otherwise it calls
    the original, so the rest of the notebook and the reference code keep working.
    `install()` returns self; `remove()` puts the originals back; `used` remembers refusals.
    """

    def __init__(self, forbidden, namespace=None):
        self.forbidden = {f: set(names) for f, names in forbidden.items()}
        self.namespace = namespace
        self.current = None
        self.used = []
        self.originals = {}
        self._patched = []

    def _trap(self, name, original):
        traps = self

        def trap(*args, **kwargs):
            if traps.current is not None and name in traps.forbidden.get(traps.current, ()):
                traps.used.append(name)
                raise ForbiddenCallError(f"not allowed: calls {name}")
            return original(*args, **kwargs)

        trap.__name__ = getattr(original, "__name__", "trap")
        trap.__doc__ = getattr(original, "__doc__", None)
        return trap

    def install(self):
        import importlib
        names = sorted({n for names in self.forbidden.values() for n in names})
        for name in names:
            module_name, _, attribute = name.rpartition(".")
            try:
                module = importlib.import_module(module_name)
                original = getattr(module, attribute)
            except (ImportError, AttributeError):
                continue
            self.originals[name] = original
            trap = self._trap(name, original)
            places = [m for key, m in list(sys.modules.items())
                      if key == "nnlessons" or key.startswith("nnlessons.")]
            for place in places:
                for key, value in list(vars(place).items()):
                    if value is original:
                        self._patched.append((place, key, original))
                        setattr(place, key, trap)
                    elif isinstance(value, dict):
                        self._patch_table(value, original, trap)
            if self.namespace is not None:
                for key, value in list(self.namespace.items()):
                    if value is original:
                        self._patched.append((self.namespace, key, original))
                        self.namespace[key] = trap
        return self

    def _patch_table(self, table, original, trap):
        """A lookup table such as `activations.ELEMENTWISE` holds the originals too, as values or
        inside tuples of values: without this, `ELEMENTWISE["relu"][0]` would slip past."""
        for key, value in list(table.items()):
            if value is original:
                replacement = trap
            elif isinstance(value, tuple) and any(item is original for item in value):
                replacement = tuple(trap if item is original else item for item in value)
            else:
                continue
            self._patched.append((table, key, value))
            table[key] = replacement

    def resolve(self, name):
        """The function a ref() names: the original, even while a trap stands in for it."""
        from .codec import resolve
        return self.originals.get(name) or resolve(name)

    def remove(self):
        for place, key, original in reversed(self._patched):
            if isinstance(place, dict):
                place[key] = original
            else:
                setattr(place, key, original)
        self._patched = []
