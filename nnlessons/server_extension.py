"""What the course adds to the Jupyter server: replies to a widget's move that leave at once.

Every move of a slider is a message from the browser to the kernel, and the kernel answers with
a few small messages (its busy status, the new picture, the readout, its idle status), which the
Jupyter server relays to the browser over one websocket. tornado, the server's web framework,
leaves Nagle's algorithm on for websockets unless the handler turns it off, and jupyter_server
does not: the kernel's first answer leaves at once, and each one after it waits in the server
until the browser acknowledges the first. A browser on the same machine delays that
acknowledgement, hoping to send it with data of its own, for Linux's 40 ms minimum. So every
slider move, on every widget, cost about 40 ms more than its work: a round trip to the kernel
through the server took 48 ms against 4 ms straight to the kernel
(`python benchmarks/server_round_trip.py` prints both, with this extension and without it).

This extension turns Nagle's algorithm off (tornado's `set_nodelay`) on every kernel websocket,
so each answer is sent the moment the kernel sends it. It changes nothing else: the messages and
their order are the same. The package's install enables it
(`jupyter-config/nnlessons.json`, installed into `etc/jupyter/jupyter_server_config.d/`), for
JupyterLab and Notebook 7 alike; `jupyter server extension disable nnlessons.server_extension`
turns it off.
"""

MARK = "_nnlessons_sends_at_once"


def _jupyter_server_extension_points():
    return [{"module": "nnlessons.server_extension"}]


def _load_jupyter_server_extension(serverapp):
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

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
        return await opened(self, *args, **kwargs)

    open.__doc__, open.__wrapped__ = opened.__doc__, opened
    setattr(open, MARK, True)
    handler_class.open = open
    return handler_class
