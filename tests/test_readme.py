"""The README's package example runs, and prints what its comments say it prints."""
import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_readme_example_prints_what_it_claims(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "README.md has no ```python example"
    example = blocks[0]
    claimed = [m.group(1).strip() for m in re.finditer(r"print\(.*\)\s*#\s*(.+)", example)]
    assert claimed, "the README example has no print(...)  # output comment to check"
    monkeypatch.chdir(tmp_path)  # the example saves a weights file
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "README.md", "exec"), {})
    assert out.getvalue().split() == claimed
    assert any(p.suffix == ".npz" for p in tmp_path.iterdir())


def test_readme_self_check_output_is_the_solutions_own():
    """The self-check lines the README shows are what solutions/01's check cell printed."""
    import json
    shown = re.search(r"```text\n(weighted_sum: .*?)```", README.read_text(), flags=re.S)
    assert shown, "README.md no longer shows the self-check's output"
    notebook = json.loads((README.parent / "solutions" / "01_neuron.ipynb").read_text())
    printed = next("".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
                   for cell in notebook["cells"] if cell["cell_type"] == "code"
                   and "".join(cell["source"]).startswith('check("01_neuron", "weighted_sum")'))
    assert shown.group(1).strip() == printed.strip()
