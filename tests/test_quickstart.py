"""The README's quickstart does what it says, and the guide quotes what the commands print.

- The first command starts JupyterLab at the course folder (so the file browser reaches
  exercises/) with lesson 01 open: run here as written, with --no-browser and a port of its own.
- The virtual environment is made with `python3` (stock Debian and Ubuntu have no `python`).
- The instructor's guide gives a room the same command, and its sample `nnlessons doctor` output
  has the checks, in the order and with the version bounds, that the doctor prints here.
"""
import importlib.util
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnlessons import doctor

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
GUIDE = (ROOT / "docs" / "instructor.md").read_text()


def bash_blocks(text):
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def lab_command():
    """The README's first command, `pip install ... && jupyter lab ...`: its second half."""
    first = next(b for b in bash_blocks(README) if "jupyter lab" in b).strip()
    install, _, lab = first.partition(" && ")
    assert install.startswith("pip install -e") and lab.startswith("jupyter lab"), first
    return lab


def test_the_virtual_environment_is_made_with_python3():
    venv = next(b for b in bash_blocks(README) if "venv" in b).strip()
    assert venv.startswith("python3 -m venv .venv"), venv
    assert "python -m venv" not in README.replace("python3 -m venv", "")
    assert "python3-venv" in README  # what Debian and Ubuntu need for it


def test_the_guide_gives_the_room_the_readmes_command():
    lab = lab_command()
    assert f'pip install -e ".[lab]" && {lab}' in GUIDE.replace("\n", " ")


def test_the_readme_does_not_send_doctor_to_the_busy_terminal():
    assert "in the same terminal" not in README
    assert "second terminal" in README and "second terminal" in GUIDE


@pytest.mark.skipif(importlib.util.find_spec("jupyterlab") is None,
                    reason="JupyterLab is not installed (the lab extra)")
def test_the_first_command_opens_lesson_01_at_the_course_root(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    words = shlex.split(lab_command())
    assert words[:2] == ["jupyter", "lab"]
    command = [sys.executable, "-m", "jupyterlab", *words[2:], "--no-browser",
               "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "d"))
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        try:
            opened = None
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and server.poll() is None:
                # what the browser is sent to: jupyter_server writes it for the file to run
                pages = list((tmp_path / "runtime").glob("jpserver-file-to-run-*-open.html"))
                if pages and "Serving notebooks from local directory" in log.read_text():
                    opened = pages[0].read_text()
                    break
                time.sleep(0.25)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    text = log.read_text(errors="replace")
    assert opened, f"JupyterLab did not start with a file to open; its log:\n{text[-3000:]}"
    served = re.search(r"Serving notebooks from local directory: (.+)", text).group(1).strip()
    assert Path(served).resolve() == ROOT, f"JupyterLab's root is {served}, not the course folder"
    assert re.search(rf'href="http://[^"]*:{port}/lab/tree/lessons/01_neuron\.ipynb\?', opened), \
        opened


# ---- the guide's sample doctor output ---------------------------------------------------------

LINE = re.compile(r"^(ok|note|PROBLEM)\s+(.+?): (.*)$")


def checks(text):
    """(status, name, bound) of each check line: bound is the "(needs ...)" part, if any."""
    found = []
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            needs = re.search(r"\(needs ([^)]*)\)$", match.group(3))
            found.append((match.group(1), match.group(2), needs and needs.group(1)))
    return found


def guide_sample():
    return next(b for b in re.findall(r"```text\n(.*?)```", GUIDE, flags=re.S)
                if b.startswith("nnlessons doctor: checking this machine"))


def test_the_guides_sample_doctor_output_is_what_the_doctor_prints():
    sample = guide_sample()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run([sys.executable, "-m", "nnlessons.cli", "doctor", "--no-kernel"],
                          env=env, capture_output=True, text=True, timeout=120)
    printed = checks(done.stdout)
    shown = [c for c in checks(sample) if not c[1].startswith("kernel")]
    # the same checks in the same order with the same bounds (statuses may differ by machine:
    # the sample's jupyter command is a note, and the lab extra may be missing here)
    assert [(n, b) for _, n, b in shown] == [(n, b) for _, n, b in printed], done.stdout
    kernel = [line for line in sample.splitlines() if line.startswith("ok       kernel python3")]
    assert kernel == ["ok       kernel python3: started, runs this environment's Python, imports "
                      f"nnlessons {__import__('nnlessons').__version__}"]
    # the tip under the jupyter command note is the doctor's own command, for that run's paths
    tip = re.search(r"note     jupyter command: .*\n\s+tip: (.+)", sample).group(1)
    python = re.search(r"\(Python (\S+)\)", sample).group(1)
    course = re.search(r"^cd (\S+) && ", tip)
    expected = doctor.lab_command().replace(doctor.python_command(), python)
    if course:
        expected = expected.replace(doctor._quote(str(ROOT)), course.group(1))
    assert tip == expected
