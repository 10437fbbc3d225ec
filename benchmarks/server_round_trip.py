"""A kernel's round trip through the Jupyter server, with the course's server extension and without.

    python benchmarks/server_round_trip.py [--requests 40]

Every widget update is a message from the browser to the kernel and a few answers back, relayed
by the Jupyter server over a websocket. This starts the same throwaway JupyterLab server as the
browser test (tests/browser_support.py) twice: as installed, with `nnlessons.server_extension`
(which turns Nagle's algorithm off on kernel websockets), and with the extension disabled in the
server's own configuration. Against each, a websocket client sends `--requests` kernel_info and
`--requests` execute requests (code `pass`), one at a time, and prints the median and the 90th
percentile, in ms, from sending a request to its reply; and, for comparison, the same requests
sent to a kernel directly over ZeroMQ, as no browser can. Not a test: it prints figures.
"""
import argparse
import asyncio
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import browser_support as bs  # noqa: E402

REQUESTS = {"kernel_info": ("kernel_info_request", {}),
            "execute pass": ("execute_request", {"code": "pass", "silent": True,
                                                 "store_history": False,
                                                 "user_expressions": {}, "allow_stdin": False})}
DISABLED = {"ServerApp": {"jpserver_extensions": {"nnlessons.server_extension": False}}}


def message(msg_type, content, session):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "bench",
                       "session": session, "version": "5.3",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
            "buffers": []}


async def through_server(lab, requests):
    """{request: [ms, ...]} through `lab`'s kernel websocket."""
    from tornado.websocket import websocket_connect

    made = urllib.request.Request(lab.base + "/api/kernels", method="POST", data=b"{}",
                                  headers={"Authorization": f"token {lab.token}",
                                           "Content-Type": "application/json"})
    kernel = json.loads(urllib.request.urlopen(made, timeout=30).read())["id"]
    session = uuid.uuid4().hex
    socket = await websocket_connect(f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel}/channels"
                                     f"?session_id={session}&token={lab.token}")
    await asyncio.sleep(2.0)  # the kernel starts; the server's first nudges are answered
    times = {}
    for name, (msg_type, content) in REQUESTS.items():
        times[name] = []
        for _ in range(requests):
            sent = message(msg_type, content, session)
            start = time.perf_counter()
            await socket.write_message(json.dumps(sent))
            while True:
                reply = json.loads(await socket.read_message())
                if reply["parent_header"].get("msg_id") == sent["header"]["msg_id"] and \
                        reply["msg_type"].endswith("_reply"):
                    break
            times[name].append((time.perf_counter() - start) * 1e3)
            await asyncio.sleep(0.02)  # as a learner's moves are spaced, not back to back
    socket.close()
    return times


def direct(requests):
    """The same requests to a kernel over ZeroMQ, with no server between."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    times = {"kernel_info": [], "execute pass": []}
    try:
        for _ in range(requests):
            start = time.perf_counter()
            client.kernel_info(reply=True, timeout=30)
            times["kernel_info"].append((time.perf_counter() - start) * 1e3)
            time.sleep(0.02)
        for _ in range(requests):
            start = time.perf_counter()
            client.execute_interactive("pass", silent=True, timeout=30)
            times["execute pass"].append((time.perf_counter() - start) * 1e3)
            time.sleep(0.02)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return times


def measure_server(disabled, requests):
    with tempfile.TemporaryDirectory() as work:
        state = Path(work) / "state"
        if disabled:
            (state / "config").mkdir(parents=True)
            (state / "config" / "jupyter_server_config.json").write_text(json.dumps(DISABLED))
        root = Path(work) / "root"
        root.mkdir()
        with bs.LabServer(root, state) as lab:
            times = asyncio.run(through_server(lab, requests))
            loaded = "nnlessons: kernel websockets" in lab.log_path.read_text(errors="replace")
    return times, loaded


def row(label, times):
    cells = []
    for name in REQUESTS:
        ordered = sorted(times[name])
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        cells.append(f"{statistics.median(ordered):7.1f} {p90:7.1f}")
    print(f"{label:44} " + "   ".join(cells), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")
    print(f"round trip, ms, {args.requests} requests each     "
          f"kernel_info median p90   execute pass median p90")
    for disabled in (False, True):
        times, loaded = measure_server(disabled, args.requests)
        label = ("through the server, extension loaded" if loaded
                 else "through the server, extension not loaded")
        if loaded == disabled:
            label += " (UNEXPECTED)"
        row(label, times)
    row("straight to the kernel (ZeroMQ, no server)", direct(args.requests))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
