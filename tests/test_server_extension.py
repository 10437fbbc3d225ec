"""The course's Jupyter server extension: kernel websockets with Nagle's algorithm off.

What it saves is time (about 40 ms per kernel round trip through the server on this machine:
`benchmarks/server_round_trip.py`); these tests check what makes it happen: the handler sets
TCP_NODELAY before it opens, the install enables the extension, and a real server loads it.
"""
import asyncio
import importlib.util
import json
from pathlib import Path

import pytest

from nnlessons import server_extension

ROOT = Path(__file__).resolve().parents[1]


class FakeHandler:
    """Stands for tornado's WebSocketHandler: records what is done to it, in order."""

    def __init__(self):
        self.calls = []

    def set_nodelay(self, value):
        self.calls.append(("set_nodelay", value))

    async def open(self, kernel_id):
        """Open a kernel websocket."""
        self.calls.append(("open", kernel_id))
        return "opened"


def test_the_handler_turns_nagle_off_before_it_opens_and_is_wrapped_once():
    class Handler(FakeHandler):
        pass

    assert server_extension.sends_at_once(Handler) is Handler
    wrapped = Handler.open
    server_extension.sends_at_once(Handler)  # a second load of the extension
    assert Handler.open is wrapped and wrapped.__wrapped__ is FakeHandler.open
    assert wrapped.__doc__ == FakeHandler.open.__doc__
    handler = Handler()
    assert asyncio.run(handler.open("k1")) == "opened"
    assert handler.calls == [("set_nodelay", True), ("open", "k1")]


def test_a_handler_whose_open_is_a_plain_function_still_opens():
    class Plain(FakeHandler):
        def open(self, kernel_id):
            self.calls.append(("open", kernel_id))
            return None

    server_extension.sends_at_once(Plain)
    handler = Plain()
    assert asyncio.run(handler.open("k2")) is None
    assert handler.calls == [("set_nodelay", True), ("open", "k2")]


@pytest.mark.skipif(importlib.util.find_spec("jupyter_server") is None,
                    reason="needs jupyter_server (the lab extra)")
def test_loading_the_extension_wraps_the_servers_kernel_websocket_handler(monkeypatch):
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    monkeypatch.setattr(KernelWebsocketHandler, "open", KernelWebsocketHandler.open)
    logged = []

    class Log:
        def info(self, text, *args):
            logged.append(text % args if args else text)

    class App:
        log = Log()

    assert server_extension._jupyter_server_extension_points() == [
        {"module": "nnlessons.server_extension"}]
    server_extension._load_jupyter_server_extension(App())
    assert getattr(KernelWebsocketHandler.open, server_extension.MARK, False)
    assert any("TCP_NODELAY" in line for line in logged)


def test_the_install_enables_the_extension():
    """pyproject.toml installs jupyter-config/nnlessons.json into the environment's Jupyter
    configuration (`etc/jupyter/jupyter_server_config.d`), editable installs included: the
    environment running these tests was installed so."""
    from jupyter_core.paths import jupyter_config_path

    shipped = json.loads((ROOT / "jupyter-config" / "nnlessons.json").read_text())
    assert shipped == {"ServerApp": {"jpserver_extensions": {"nnlessons.server_extension": True}}}
    found = [Path(d) / "jupyter_server_config.d" / "nnlessons.json" for d in jupyter_config_path()]
    installed = [path for path in found if path.exists()]
    assert installed, (f"no jupyter_server_config.d/nnlessons.json in {jupyter_config_path()}: "
                       f"reinstall the course (pip install -e .)")
    assert json.loads(installed[0].read_text()) == shipped


@pytest.mark.skipif(importlib.util.find_spec("jupyterlab") is None,
                    reason="needs JupyterLab (the lab extra)")
def test_a_real_server_loads_the_extension(tmp_path):
    import browser_support as bs

    root = tmp_path / "root"
    root.mkdir()
    with bs.LabServer(root, tmp_path / "state") as lab:
        log = lab.log_path.read_text(errors="replace")
    assert "nnlessons: kernel websockets send each message at once" in log, log[-3000:]
