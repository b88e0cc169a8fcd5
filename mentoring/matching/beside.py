"""A solve on the second core: one function run in a forked process while the engine goes on.

The bound's assignment and the matching's own assignment (both scipy's sparse LAPJV) hold
the GIL for their whole run, so threads cannot overlap them; a forked child can, and it
inherits the arguments without copying them. Only the result comes back, pickled through a
pipe. The child dies with its parent (a worker killed mid-run leaves no solve running on).
Wherever a fork is not possible (no ``fork`` start method, a process that may not
have children, a child that dies), the function simply runs here when its result is
asked for, so the answer is always the same; only the time differs.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
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


def _run(send, parent: int, function: Callable[..., Any], args: tuple) -> None:
    _die_with(parent)
    try:
        send.send((True, function(*args)))
    except BaseException as error:  # reported to the parent, which runs it again itself
        send.send((False, repr(error)))
    finally:
        send.close()


class Beside:
    """``function(*args)``, started now in a forked child; :meth:`result` waits for it.

    With ``fork=False`` nothing starts, and :meth:`result` runs the function here.
    """

    def __init__(self, function: Callable[..., Any], *args: Any, fork: bool = True) -> None:
        self._function = function
        self._args = args
        self._process = None
        self._receive = None
        self._done = False
        self._value = None
        if not fork:
            return
        try:
            context = multiprocessing.get_context("fork")
        except ValueError as error:
            logger.info("Running %s in this process: %s", self._name, error)
            return
        receive, send = context.Pipe(duplex=False)
        try:
            arguments = (send, os.getpid(), function, args)
            process = context.Process(target=_run, args=arguments, daemon=True)
            process.start()
        except (OSError, AssertionError) as error:  # no fork, or a daemonic process
            logger.info("Running %s in this process: %s", self._name, error)
            receive.close()
            send.close()
            return
        send.close()
        self._process, self._receive = process, receive

    def result(self) -> Any:
        """The function's result: the child's, or computed here if the child could not."""
        if not self._done:
            self._value = self._answer()
            self._done = True
        return self._value

    def _answer(self) -> Any:
        if self._process is None:
            return self._function(*self._args)
        try:
            succeeded, value = self._receive.recv()
        except (EOFError, OSError):
            succeeded, value = False, "the child process ended without an answer"
        finally:
            self.close()
        if succeeded:
            return value
        logger.warning("%s failed beside the engine (%s); running it here", self._name, value)
        return self._function(*self._args)

    def close(self) -> None:
        """Stop the child if it is still running (the engine stopped early)."""
        if self._process is None:
            return
        process, self._process = self._process, None
        self._receive.close()
        if process.is_alive():
            process.kill()  # nothing to clean up, and no handler it inherited may stop it
        process.join()

    @property
    def _name(self) -> str:
        return getattr(self._function, "__name__", repr(self._function))

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
