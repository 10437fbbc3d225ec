"""`nnlessons doctor`: passes on this machine, and names the problem and its fix when something
a workshop depends on is broken (each failure simulated, one check at a time)."""
import json
import os
import subprocess
import sys

import pytest

from nnlessons import __version__, cli, doctor

REGISTER = doctor.kernel_install_command()


def run_doctor(capsys, *options):
    status = cli.main(["doctor", *options])
    return status, capsys.readouterr().out


def by_name(results):
    return {r.name: r for r in results}


@pytest.fixture(autouse=True)
def no_forced_backend(monkeypatch):
    # conftest.py sets MPLBACKEND=Agg for headless test runs; a learner's shell does not, and the
    # doctor rightly calls a forced backend a problem
    monkeypatch.delenv("MPLBACKEND", raising=False)


def test_the_real_doctor_passes_here_kernel_included():
    """The whole doctor, as a learner runs it. The kernel is the one the notebooks ask for,
    `python3`: ipykernel's spec starts "python", which Jupyter replaces by the Python running it,
    so from this environment (the venv under CI) it is this interpreter, as in JupyterLab
    started from here."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run([sys.executable, "-m", "nnlessons.cli", "doctor"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PROBLEM" not in done.stdout and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    runtime = [name for name, _ in doctor.requirements()]
    for name in ("Python", *runtime, "widget extension", "matplotlib PNG", "inline backend"):
        assert any(line.startswith(f"ok       {name}: ") for line in lines), name
    # the front ends of the lab extra: checked where installed, a note where not (CI runs this
    # test both with them and, in the lowest-versions environment, without them)
    for name, _ in doctor.requirements("lab"):
        status = "ok" if doctor.installed_version(name) else "note"
        assert any(line.startswith(f"{status:<8} {name}: ") for line in lines), name
    assert (f"ok       kernel python3: started, runs this environment's Python, imports "
            f"nnlessons {__version__}") in lines
    assert lines[-1] == "All is well: the course is ready to run here."


def test_json_without_the_kernel(capsys):
    status, out = run_doctor(capsys, "--json", "--no-kernel")
    report = json.loads(out)
    assert status == 0 and report["ok"] is True
    names = [c["name"] for c in report["checks"]]
    assert "widget extension" in names and not any(n.startswith("kernel") for n in names)
    assert {c["status"] for c in report["checks"]} <= {"ok", "note"}


def test_bounds_come_from_the_installed_metadata():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(os.path.dirname(__file__), "..", "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    for extra, declared in (("", project["dependencies"]),
                            ("lab", project["optional-dependencies"]["lab"])):
        # by canonical name: the build backend writes names normalized (jupyter-core)
        wanted = {doctor.canonical(name): bound for name, bound in doctor.requirements(extra)}
        assert len(wanted) == len(declared), extra
        for line in declared:
            name, _, bound = line.partition(">=")
            assert wanted[doctor.canonical(name)] == f">={bound}", line
    # the front ends are bounded in the lab extra, not at run time
    assert {"jupyterlab", "notebook"} == set(dict(doctor.requirements("lab")))
    assert not {"jupyterlab", "notebook", "jupyter"} & set(dict(doctor.requirements()))


def fake_versions(monkeypatch, **versions):
    real = doctor.installed_version
    monkeypatch.setattr(doctor, "installed_version",
                        lambda name: versions[name] if name in versions else real(name))


def test_an_old_numpy_is_named_with_the_upgrade_command(monkeypatch, capsys):
    fake_versions(monkeypatch, numpy="1.21.0")
    bound = dict(doctor.requirements())["numpy"]
    numpy = by_name(doctor.check_packages())["numpy"]
    assert numpy.status == "PROBLEM"
    assert numpy.detail == f"1.21.0 installed, the course needs {bound}"
    assert numpy.fix == f'{doctor.python_command()} -m pip install --upgrade "numpy{bound}"'
    status, out = run_doctor(capsys, "--no-kernel")
    assert status == 1
    assert f"PROBLEM  numpy: 1.21.0 installed, the course needs {bound}" in out
    assert f"         fix: {numpy.fix}" in out
    assert "1 problem found" in out


def test_a_missing_package_and_an_old_classic_notebook(monkeypatch):
    fake_versions(monkeypatch, ipywidgets=None, notebook="6.5.4")
    bound = dict(doctor.requirements())["ipywidgets"]
    results = by_name(doctor.check_packages())
    assert results["ipywidgets"].status == "PROBLEM"
    assert results["ipywidgets"].detail.startswith("not installed")
    assert results["ipywidgets"].fix.endswith(f'-m pip install "ipywidgets{bound}"')
    assert results["notebook"].status == "PROBLEM"
    assert results["notebook"].fix.endswith('-m pip install --upgrade "notebook>=7.0"')


def test_no_jupyterlab_is_a_note_that_names_the_lab_extra(monkeypatch, capsys):
    fake_versions(monkeypatch, jupyterlab=None, notebook=None)
    results = by_name(doctor.check_packages())
    for name in ("jupyterlab", "notebook"):
        assert results[name].status == "note" and results[name].ok
        assert results[name].detail.startswith("not installed: the course is taught in "
                                               "JupyterLab or Notebook 7, which come with "
                                               "nnlessons's lab extra")
        assert results[name].fix == doctor.lab_install_command()
    assert "[lab]" in doctor.lab_install_command()
    status, out = run_doctor(capsys, "--no-kernel")
    assert status == 0 and "note     jupyterlab: not installed" in out


class Installed:
    """A stand-in for nnlessons's installed distribution, with the direct_url.json pip wrote."""

    def __init__(self, record):
        self.record = record

    def read_text(self, name):
        return None if self.record is None else json.dumps(self.record)


@pytest.mark.parametrize("record, command", [
    ({"url": "file:///home/ada/nn%20course", "dir_info": {"editable": True}},
     ' -m pip install -e "/home/ada/nn course[lab]"'),
    ({"url": "file:///home/ada/course", "dir_info": {}},
     ' -m pip install "/home/ada/course[lab]"'),
    ({"url": "https://github.com/example-org/nn-course",
      "vcs_info": {"vcs": "git", "commit_id": "abc"}},
     ' -m pip install "nnlessons[lab] @ git+https://github.com/example-org/nn-course"'),
    (None, ' -m pip install -e ".[lab]"   (from the course folder, the one that holds '
           'pyproject.toml)'),
])
def test_the_lab_extra_is_installed_from_where_the_course_came_from(monkeypatch, record,
                                                                     command):
    if os.name == "nt" and record and record["url"].startswith("file:"):
        pytest.skip("POSIX paths")
    monkeypatch.setattr(doctor.metadata, "distribution", lambda name: Installed(record))
    assert doctor.lab_install_command() == doctor.python_command() + command


def test_python_too_old(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 9, 18, "final", 0))
    [result] = doctor.check_python()
    assert result.status == "PROBLEM" and "3.9.18" in result.detail and ">=3.10" in result.detail


def test_missing_widget_extension(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "labextension_paths", lambda: [tmp_path / "a", tmp_path / "b"])
    [result] = doctor.check_widget_extension()
    assert result.status == "PROBLEM"
    assert "@jupyter-widgets/jupyterlab-manager is in none of Jupyter's extension" in result.detail
    assert result.fix == (f'{doctor.python_command()} -m pip install --force-reinstall '
                          f'"jupyterlab_widgets"')


def test_jupyterlab_widgets_not_installed(monkeypatch):
    fake_versions(monkeypatch, jupyterlab_widgets=None)
    [result] = doctor.check_widget_extension()
    assert result.status == "PROBLEM" and "jupyterlab_widgets is not installed" in result.detail
    bound = dict(doctor.requirements())["ipywidgets"]
    assert result.fix.endswith(f'-m pip install "ipywidgets{bound}"')


def test_jupyterlab_widgets_that_does_not_match_ipywidgets(monkeypatch):
    fake_versions(monkeypatch, jupyterlab_widgets="1.1.7")  # the ipywidgets 7 generation
    [result] = doctor.check_widget_extension()
    assert result.status == "PROBLEM"
    assert result.detail.startswith("jupyterlab_widgets 1.1.7 does not match ipywidgets ")
    assert '--upgrade "ipywidgets>=' in result.fix and result.fix.endswith('"jupyterlab_widgets"')


def test_an_old_extension_copy_that_hides_the_installed_one(monkeypatch, tmp_path):
    stale = tmp_path / "@jupyter-widgets" / "jupyterlab-manager"
    stale.mkdir(parents=True)
    (stale / "package.json").write_text(json.dumps(
        {"name": "@jupyter-widgets/jupyterlab-manager", "version": "3.1.1"}))
    real = doctor.labextension_paths()
    monkeypatch.setattr(doctor, "labextension_paths", lambda: [tmp_path, *real])
    [result] = doctor.check_widget_extension()
    assert result.status == "PROBLEM"
    assert "old copy of the extension (version 3.1.1)" in result.detail
    assert str(stale) in result.detail
    if os.name != "nt":
        assert result.fix == f"rm -r {stale}"


def test_a_kernel_that_dies_at_start(monkeypatch, tmp_path):
    """A real kernel spec whose program exits at once, as with a spec left behind by a deleted
    environment."""
    spec = tmp_path / "kernels" / "broken"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c",
                 "import sys; print('simulated start-up failure', file=sys.stderr); sys.exit(3)",
                 "{connection_file}"],
        "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    [result] = doctor.check_kernel("broken", timeout=20)
    assert result.status == "PROBLEM"
    assert result.detail.startswith("the kernel did not start or did not answer")
    assert "the kernel said: simulated start-up failure" in result.detail
    assert result.fix.startswith(REGISTER)


def test_no_such_kernel(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    [result] = doctor.check_kernel("no-such-kernel-here", timeout=5)
    assert result.status == "PROBLEM" and "no kernel named 'no-such-kernel-here'" in result.detail
    assert result.fix.startswith(REGISTER)


def test_a_kernel_that_never_answers(monkeypatch):
    def hangs(kernel_name, code, timeout):
        raise TimeoutError("Timeout waiting for output")
    monkeypatch.setattr(doctor, "run_in_kernel", hangs)
    [result] = doctor.check_kernel(timeout=5)
    assert result.status == "PROBLEM" and "no answer within 5 s" in result.detail
    assert result.fix.startswith(REGISTER)


def test_a_kernel_whose_python_lacks_nnlessons(monkeypatch, capsys):
    """The classic workshop failure: Jupyter from one environment, nnlessons in another."""
    def other_python(kernel_name, code, timeout):
        return doctor.KernelReply("/opt/other/bin/python\n/opt/other\n",
                                  "ModuleNotFoundError: No module named 'nnlessons'")
    monkeypatch.setattr(doctor, "run_in_kernel", other_python)
    [result] = doctor.check_kernel()
    assert result.status == "PROBLEM"
    assert result.detail.startswith("the kernel runs /opt/other/bin/python, where `import "
                                    "nnlessons` fails (ModuleNotFoundError: No module named")
    assert f"nnlessons is installed for {sys.executable}" in result.detail
    assert result.fix.startswith(REGISTER)
    assert "-m ipykernel install --user --name nnlessons" in REGISTER
    status, out = run_doctor(capsys)
    assert status == 1 and "PROBLEM  kernel python3: the kernel runs /opt/other/bin/python" in out


def test_a_kernel_with_another_nnlessons_version(monkeypatch):
    monkeypatch.setattr(doctor, "run_in_kernel", lambda *a: doctor.KernelReply(
        f"/opt/other/bin/python\n/opt/other\n0.0.1\n"))
    [result] = doctor.check_kernel()
    assert result.status == "PROBLEM" and f"nnlessons 0.0.1, not {__version__}" in result.detail


def test_a_kernel_from_another_environment_that_has_nnlessons_is_fine(monkeypatch):
    monkeypatch.setattr(doctor, "run_in_kernel", lambda *a: doctor.KernelReply(
        f"/opt/other/bin/python\n/opt/other\n{__version__}\n"))
    [result] = doctor.check_kernel()
    assert result.status == "ok" and "/opt/other/bin/python (another environment)" in result.detail


def test_a_forced_matplotlib_backend(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "TkAgg")
    [result] = doctor.check_inline_backend()
    assert result.status == "PROBLEM" and "MPLBACKEND=TkAgg" in result.detail
    assert result.fix.startswith("set MPLBACKEND=" if os.name == "nt" else "unset MPLBACKEND")


def test_no_jupyter_on_path_is_a_note_not_a_failure(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    [result] = doctor.check_jupyter_command()
    assert result.status == "note" and result.ok
    assert result.fix == doctor.lab_command()
    # from a course folder, as the README's command: at its root, lesson 01 open
    assert result.fix.endswith(f"{doctor.python_command()} -m jupyter lab --notebook-dir=. "
                               f"lessons/01_neuron.ipynb")


def test_the_lab_command_without_a_course_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "__file__", str(tmp_path / "site-packages" / "nnlessons" / "x.py"))
    assert doctor.lab_command() == f"{doctor.python_command()} -m jupyter lab"


def test_a_check_that_crashes_is_a_problem_not_a_traceback(monkeypatch, capsys):
    def broken():
        raise OSError("simulated: the disk went away")
    monkeypatch.setattr(doctor, "labextension_paths", broken)
    [result] = doctor.safely(doctor.check_widget_extension)
    assert result.status == "PROBLEM"
    assert result.detail == "the check itself failed: OSError: simulated: the disk went away"
    status, out = run_doctor(capsys, "--no-kernel")
    assert status == 1
    assert "PROBLEM  widget extension: the check itself failed: OSError" in out


def test_a_reader_that_stops_early_gets_no_traceback():
    import subprocess
    import sys
    process = subprocess.Popen([sys.executable, "-m", "nnlessons.cli", "doctor", "--no-kernel"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()


def test_grading_sandbox_is_checked_and_its_absence_is_only_a_note(monkeypatch):
    from nnlessons.grading import isolation
    here = doctor.check_grading_sandbox()[0]
    assert here.status == doctor.OK and "bubblewrap works" in here.detail  # CI installs it
    isolation.problem.cache_clear()
    monkeypatch.setattr(isolation, "bwrap_path", lambda: None)
    try:
        missing = doctor.check_grading_sandbox()[0]
    finally:
        isolation.problem.cache_clear()
    assert missing.status == doctor.NOTE and missing.ok
    assert "apt-get install bubblewrap" in missing.fix
    assert "needed only to grade" in missing.detail
