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
