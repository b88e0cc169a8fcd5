"""A solve on the second core: one function run in a forked process while the engine goes on.

The bound's assignment and the matching's own assignment (both scipy's sparse LAPJV) hold
the GIL for their whole run, so threads cannot overlap them; a forked child can, and it
inherits the arguments without copying them. Only the result comes back, pickled through a
pipe. The child dies with its parent (a worker killed mid-run leaves no solve running on).
It is a plain ``os.fork``, not :mod:`multiprocessing`: matching runs in Celery's prefork
workers, which are daemonic processes that ``multiprocessing`` refuses to give children.
Wherever a fork is not possible (no ``os.fork``, no process left to start, a child that
dies), the function simply runs here when its result is asked for, so the answer is always
the same; only the time differs.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), or exit now if the
    parent is already gone."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            logger.debug("prctl is not available; the solve may outlive its parent")
    if os.getppid() != parent:
        os._exit(1)


def _child(write: int, parent: int, function: Callable[..., Any], args: tuple) -> None:
    """In the forked child: run, send the pickled answer, and leave without returning."""
    try:
        _die_with(parent)
        try:
            answer = pickle.dumps((True, function(*args)), pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # reported to the parent, which runs it again itself
            answer = pickle.dumps((False, repr(error)))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(answer)
    finally:
        os._exit(0)  # never back into the parent's code (its atexit, its test runner)


class Beside:
    """``function(*args)``, started now in a forked child; :meth:`result` waits for it.

    With ``fork=False`` nothing starts, and :meth:`result` runs the function here.
    """

    def __init__(self, function: Callable[..., Any], *args: Any, fork: bool = True) -> None:
        self._function = function
        self._args = args
        self.pid: int | None = None
        self._read: int | None = None
        self._done = False
        self._value = None
        if not fork or not hasattr(os, "fork"):
            return
        parent = os.getpid()
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError as error:  # no process left to start
            logger.info("Running %s in this process: %s", self._name, error)
            os.close(read)
            os.close(write)
            return
        if pid == 0:
            os.close(read)
            _child(write, parent, function, args)
        os.close(write)
        self.pid, self._read = pid, read

    def result(self) -> Any:
        """The function's result: the child's, or computed here if the child could not."""
        if not self._done:
            self._value = self._answer()
            self._done = True
        return self._value

    def _answer(self) -> Any:
        if self.pid is None:
            return self._function(*self._args)
        try:
            with os.fdopen(self._read, "rb") as pipe:
                self._read = None
                answer = pipe.read()
        finally:
            self.close()
        try:
            succeeded, value = pickle.loads(answer)
        except (pickle.UnpicklingError, EOFError, ValueError):  # the child died mid-answer
            succeeded, value = False, f"{len(answer)} bytes of answer, not a whole one"
        if succeeded:
            return value
        logger.warning("%s failed beside the engine (%s); running it here", self._name, value)
        return self._function(*self._args)

    def close(self) -> None:
        """Stop the child if it is still running (the engine stopped early), and reap it."""
        if self._read is not None:
            os.close(self._read)
            self._read = None
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # nothing to clean up; a finished child ignores it
        os.waitpid(pid, 0)

    @property
    def _name(self) -> str:
        return getattr(self._function, "__name__", repr(self._function))

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
