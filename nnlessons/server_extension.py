"""What the course adds to the Jupyter server: replies to a widget's move that leave at once.

Every move of a slider is a message from the browser to the kernel, and the kernel answers with
a few messages (its busy status, the readout, the new picture, its idle status), which the
Jupyter server relays to the browser over one websocket. tornado, the server's web framework,
leaves Nagle's algorithm on for websockets unless the handler turns it off, and jupyter_server
does not: the kernel's first answer leaves at once, and each one after it waits in the server
until the browser acknowledges the first. A browser on the same machine delays that
acknowledgement, hoping to send it with data of its own, for Linux's 40 ms minimum. So every
slider move, on every widget, cost about 40 ms more than its work. Measured on the course's
2-core machine by `python benchmarks/server_round_trip.py`, a kernel_info request's round trip
through the server took 43.5 ms (median) without this extension and 5.1 ms with it; straight to
the kernel over ZeroMQ, with no server between, 3.5 ms.

This extension turns Nagle's algorithm off (tornado's `set_nodelay`) on every kernel websocket,
so each answer is sent the moment the kernel sends it. It changes nothing else: the messages and
their order are the same. The package's install enables it
(`jupyter-config/nnlessons.json`, installed into `etc/jupyter/jupyter_server_config.d/`), for
JupyterLab and Notebook 7 alike; `jupyter server extension disable nnlessons.server_extension`
turns it off.
"""

import inspect

MARK = "_nnlessons_sends_at_once"


def _jupyter_server_extension_points():
    return [{"module": "nnlessons.server_extension"}]


def _load_jupyter_server_extension(serverapp):
    try:  # where jupyter_server 2 keeps it (JupyterLab 4 and Notebook 7 need jupyter_server 2)
        from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    except ImportError:
        serverapp.log.warning("nnlessons: this jupyter_server has no kernel websocket handler "
                              "where version 2 keeps it; widget updates keep their 40 ms wait")
        return
    sends_at_once(KernelWebsocketHandler)
    serverapp.log.info("nnlessons: kernel websockets send each message at once "
                       "(TCP_NODELAY: no 40 ms wait per widget update)")


def sends_at_once(handler_class):
    """Make `handler_class` (a tornado WebSocketHandler) turn Nagle's algorithm off on each
    websocket it opens, before anything is sent on it. Once only: loading the extension twice
    wraps `open` once."""
    opened = handler_class.open
    if getattr(opened, MARK, False):
        return handler_class

    async def open(self, *args, **kwargs):
        # after the upgrade to a websocket: tornado's HTTP connection turns Nagle back on when
        # it finishes a request, and the upgrade request is finished before `open` is called
        self.set_nodelay(True)
        result = opened(self, *args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    open.__doc__, open.__wrapped__ = opened.__doc__, opened
    setattr(open, MARK, True)
    handler_class.open = open
    return handler_class
