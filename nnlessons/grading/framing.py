"""Messages across the wall: each one a 12-digit ASCII length, then that many bytes of JSON.

The one place that frames and unframes, used by both sides: the grader reads and writes with a
deadline (a child that stops reading or writing must not stall it), the sandboxed child blocks.
"""
import os
import select
import time

HEADER = 12                      # ASCII decimal length of the payload that follows
MAX_FRAME = 16 * 1024 * 1024     # larger frames are refused (an answer that big is not plain data)


class FrameError(Exception):
    """The other side closed the pipe, or sent bytes that are not a frame."""


class FrameTimeout(Exception):
    """The deadline passed before the whole frame could be read or written."""


def frame(payload):
    if len(payload) > MAX_FRAME:
        raise ValueError(f"a message of {len(payload)} bytes is larger than {MAX_FRAME}")
    return b"%012d" % len(payload) + payload


def write_frame(fd, payload, deadline=None):
    """Write one frame to `fd`. With a deadline the descriptor must be non-blocking, and
    FrameTimeout is raised when the reader has not taken it all in time."""
    view = memoryview(frame(payload))
    while view:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FrameTimeout()
            _, ready, _ = select.select([], [fd], [], remaining)
            if not ready:
                raise FrameTimeout()
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            continue
        except OSError as error:  # EPIPE: the reader is gone
            raise FrameError(f"the other side closed the connection ({error.strerror})") from None
        view = view[written:]


class FrameReader:
    """Reads frames from `fd`, keeping what arrived beyond the current frame."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, b""

    def _fill(self, n, deadline):
        while len(self.buffer) < n:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FrameTimeout()
                ready, _, _ = select.select([self.fd], [], [], remaining)
                if not ready:
                    raise FrameTimeout()
            try:
                chunk = os.read(self.fd, max(n - len(self.buffer), 1 << 16))
            except BlockingIOError:
                continue
            if not chunk:
                raise FrameError("the other side closed the connection")
            self.buffer += chunk

    def read(self, deadline=None):
        """The next frame's payload (bytes)."""
        self._fill(HEADER, deadline)
        header = self.buffer[:HEADER]
        if not header.isdigit() or int(header) > MAX_FRAME:
            raise FrameError("it sent something that is not a message")
        size = int(header)
        self._fill(HEADER + size, deadline)
        payload, self.buffer = self.buffer[HEADER:HEADER + size], self.buffer[HEADER + size:]
        return payload
