"""Ray actors for `rir eval --ray`: each holds a prover, across a cluster.

The same per-theorem contract as the local pools (rir.evaluation.pools): an
exception escaping the prover is an error record, a setup failure stops the run,
and an actor that dies has its theorem recorded as an error a resume retries.
"""
from __future__ import annotations

import logging
import uuid
from collections import deque
from typing import Iterator

from lean_env.errors import MissingDependency
from lean_env.processes import kill_marked, mark_environment
from lean_env.theorems import Theorem
from rir.evaluation.pools import ProverFactory, _build, _limit_threads, _raise_fatal, attempt, error_result
from rir.prover import ProverSettings
from search.result import SearchResult

log = logging.getLogger("rir")


class _ActorProver:
    """A Ray actor's body: a prover built once in the actor process."""

    def __init__(self, factory: ProverFactory, settings: ProverSettings, threads: int, mark: str):
        _limit_threads(threads)
        mark_environment(mark)  # its Lean processes can be found once it is dead
        self.settings = settings
        self.prover, self.fatal = _build(factory, settings)

    def ready(self) -> tuple[str, str] | None:
        return self.fatal

    def prove(self, theorem: Theorem) -> SearchResult | tuple[str, str]:
        """The result, or the (kind, message) of a fatal setup failure."""
        try:
            return attempt(self.prover, theorem, self.settings)
        except MissingDependency as e:
            return type(e).__name__, str(e)


class RayPool:
    """Ray actors, each holding a prover, across a cluster; GPUs shared as num_gpus/workers."""

    def __init__(self, workers: int, settings: ProverSettings, factory: ProverFactory,
                 address: str | None = None, num_gpus: float = 0.0):
        try:
            import ray
        except ImportError:
            raise MissingDependency("--ray needs Ray: pip install 'ray[default]'") from None
        self.ray, self.size, self.settings, self.factory = ray, workers, settings, factory
        self.address, self.gpus_per_actor = address, num_gpus / workers

    def run(self, theorems: list[Theorem]) -> Iterator[SearchResult]:
        ray = self.ray
        started_here = not ray.is_initialized()
        if started_here:
            local = {"include_dashboard": False} if self.address is None else {}
            ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False, **local)
        threads = max(1, int(ray.available_resources().get("CPU", 1)) // self.size)
        self.actor_class = ray.remote(_ActorProver).options(num_cpus=1, num_gpus=self.gpus_per_actor)
        todo, pending, actors = deque(theorems), {}, []
        marks = self.marks = {}
        try:
            for _ in range(min(self.size, len(todo))):
                actors.append(self._start(threads))
            for actor in actors:
                self._submit(pending, actor, todo.popleft())
            while pending:
                [ref], _ = ray.wait(list(pending), num_returns=1)
                actor, theorem = pending.pop(ref)
                try:
                    record = ray.get(ref)
                except ray.exceptions.RayActorError as e:
                    log.warning("%s: Ray actor died; starting a new one", theorem.full_name)
                    record = error_result(theorem, self.settings, f"worker died ({type(e).__name__})")
                    record.retry = True  # its death says nothing of the theorem: a resume retries it
                    kill_marked(marks.pop(actor))  # its Lean, where the actor ran on this machine
                    actors.remove(actor)
                    actor = self._start(threads)
                    actors.append(actor)
                if isinstance(record, tuple):  # a fatal setup failure
                    _raise_fatal(*record)
                yield record
                if todo:
                    self._submit(pending, actor, todo.popleft())
        finally:
            for actor in actors:
                ray.kill(actor)
            for mark in marks.values():
                kill_marked(mark)
            if started_here:
                ray.shutdown()

    @staticmethod
    def _submit(pending: dict, actor, theorem: Theorem) -> None:
        pending[actor.prove.remote(theorem)] = (actor, theorem)

    def _start(self, threads: int):
        mark = f"rir-ray-{uuid.uuid4().hex[:12]}"
        actor = self.actor_class.remote(self.factory, self.settings, threads, mark)
        self.marks[actor] = mark
        fatal = self.ray.get(actor.ready.remote())
        if fatal:
            _raise_fatal(*fatal)
        return actor
