"""Real Celery workers for tests: `celery worker --pool solo` processes on the test's Redis
broker, each listening on a queue of its own and logging to a file the test can read."""

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from kombu import Connection, Exchange, Queue

from tests.conftest import use_broker
from website.celery_app import app as celery_app


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen
    log_path: Path

    @property
    def name(self) -> str:
        return f"{self.queue}@test"

    def log(self) -> str:
        return self.log_path.read_text()


def declare(connection: Connection, name: str) -> Queue:
    """Declared before the worker listens: the Redis transport drops what is published to a
    queue that does not exist yet."""
    queue = Queue(name, Exchange(name, "direct"), routing_key=name)
    queue(connection.default_channel).declare()
    return queue


def wait_until_ready(workers: list[Worker], timeout: float = 60) -> None:
    """Until every worker answers a ping, so that work published next finds them all listening."""
    waiting = {worker.name: worker for worker in workers}
    deadline = time.monotonic() + timeout
    while waiting:
        for reply in celery_app.control.ping(destination=list(waiting), timeout=0.5):
            waiting.pop(next(iter(reply)), None)
        for worker in waiting.values():
            if worker.process.poll() is not None:
                raise RuntimeError(f"worker {worker.name} exited:\n{worker.log()}")
        if waiting and time.monotonic() > deadline:
            raise TimeoutError(f"workers not ready in {timeout} s: {', '.join(waiting)}")


@contextmanager
def celery_workers(
    broker_url: str, env: dict[str, str], folder: Path, count: int
) -> Iterator[list[Worker]]:
    """Start `count` workers with the environment `env`, each on a new queue, and wait until
    they listen; meanwhile the test's tasks go to the broker. Afterwards the workers are
    stopped and their queues deleted."""
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    workers: list[Worker] = []
    with Connection(broker_url) as connection:
        queues = [declare(connection, f"test-{uuid.uuid4().hex}") for _ in range(count)]
        try:
            use_broker(broker_url, eager=False)
            for queue in queues:
                log_path = folder / f"{queue.name}.log"
                command = [
                    sys.executable, "-m", "celery", "-A", "website", "worker",
                    "--pool", "solo", "--hostname", f"{queue.name}@test", "--queues", queue.name,
                    "--without-gossip", "--without-mingle", "--loglevel", "INFO",
                ]  # fmt: skip
                with log_path.open("w") as log:
                    process = subprocess.Popen(
                        command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log
                    )
                workers.append(Worker(queue.name, process, log_path))
            wait_until_ready(workers)
            yield workers
        finally:
            use_broker(url, eager=eager)
            for worker in workers:
                worker.process.terminate()
            for worker in workers:
                try:
                    worker.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.process.kill()
                    worker.process.wait()
            for queue in queues:
                queue(connection.default_channel).delete()
