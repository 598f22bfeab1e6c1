"""Extracting processes, watched by the process that started them.

Articles are extracted in child processes, never in the supervising one, so that this
process can always act: it ends an article that runs over ``--article-timeout`` (the
child is killed, even inside C code, and a fresh one takes the rest of its jobs), it
turns a child that crashed into one failed article instead of a lost run, and on
Ctrl-C or SIGTERM it stops the children and keeps what is done.

With one job the supervisor also writes the outputs the child sends back, on the core
the extraction leaves idle (a write costs 0.1 to 0.7 ms of kernel time here, which
the extracting process is spared). With several, each child writes its own outputs
and sends back digests: on two cores the parent could not keep up with both.

The pipeline is built once, here, before the first fork; children inherit it (where
processes are spawned instead of forked, each child builds its own). Children ignore
SIGINT (a terminal sends it to the whole process group; the supervisor decides) and
die with the supervisor even when it is killed with SIGKILL (PR_SET_PDEATHSIG on
Linux; elsewhere they see their job pipe close).

Jobs go out a few at a time per child (``DEPTH``), so children never wait for work
and the supervisor knows which job each child is on: the oldest unanswered one,
started when the answer before it arrived. The timeout counts the processor time
the child spent on it (each answer carries the child's processor time; the current
one is read from /proc only once the wall clock passes the timeout), so a machine
busy with other work does not end a good article; a child that waits without using
the processor is ended after ``WALL_FACTOR`` times the timeout on the wall clock.
Where /proc is missing, the wall clock alone decides.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from pipeline.errors import InputError
from pipeline.job import Job, Result, extract_job, failed, init_worker

# Jobs sent ahead to each child: enough that it never waits for the next one.
DEPTH = 4
# The longest the supervisor sleeps before looking at signals and the clock again.
TICK = 0.1
# Children that die before taking any job, in a row, before the run gives up on them.
MAX_BARREN_DEATHS = 3
# An article that does not use the processor (waiting on something) is ended after this
# many times the timeout.
WALL_FACTOR = 4
PR_SET_PDEATHSIG = 1


class Stop:
    """Set by SIGINT or SIGTERM: the run stops taking articles and keeps what is done.

    A second signal while stopping ends the process at once (the state of this run is
    then not saved; every output on disk is still whole).
    """

    def __init__(self) -> None:
        self.signum: int | None = None

    @property
    def name(self) -> str | None:
        """"SIGINT" or "SIGTERM" once stopped."""
        return signal.Signals(self.signum).name if self.signum else None

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.signum is not None:
            os.write(2, f"\n{signal.Signals(signum).name} again: stopped at once; this run's state is not saved\n".encode())
            os._exit(128 + signum)
        self.signum = signum

    @contextmanager
    def installed(self) -> Iterator[Stop]:
        """Handle SIGINT and SIGTERM while the block runs (main thread only), then restore."""
        try:
            previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:  # not the main thread: the caller keeps its own handling
            yield self
            return
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@dataclass
class _Child:
    """One extracting process and the jobs it holds."""

    process: Any
    jobs: Connection  # supervisor -> child
    results: Connection  # child -> supervisor
    inflight: deque[Job] = field(default_factory=deque)
    since: float = 0.0  # when the oldest job in flight could start (monotonic clock)
    cpu_since: float = 0.0  # the child's processor time then (a new process starts at 0)


class Supervisor:
    """Run jobs in ``processes`` children; yield their Results as they come (any order)."""

    def __init__(self, processes: int, timeout: float | None, max_bytes: int, stop: Stop,
                 work: Callable[[Job, int], Result] | None = None) -> None:
        import multiprocessing

        self.processes = max(1, processes)
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_bytes = max_bytes
        self.stop = stop
        self.work = work or extract_job
        self.forking = sys.platform.startswith("linux")
        self.context = multiprocessing.get_context("fork" if self.forking else "spawn")
        self.children: list[_Child] = []
        self.requeue: deque[Job] = deque()
        self.prepared = False
        self.barren = 0
        self.cannot_start: str | None = None  # why no child could be started at all

    def run(self, jobs: Iterator[Job]) -> Iterator[Result]:
        """Extract every job (or until stopped); a job lost to a timeout or a crash comes back failed."""
        exhausted = False
        try:
            while self.stop.signum is None:
                exhausted = self._hand_out(jobs, exhausted)
                if exhausted and not self.requeue and not any(child.inflight for child in self.children):
                    break
                yield from self._gather()
                yield from self._watch()
                if self.barren >= MAX_BARREN_DEATHS or self.cannot_start is not None:
                    yield from self._give_up(jobs)
                    break
            if self.stop.signum is not None:
                yield from self._halt()
            else:
                self._finish()
        finally:
            self._kill_all()

    # --- handing out jobs -----------------------------------------------------------

    def _hand_out(self, jobs: Iterator[Job], exhausted: bool) -> bool:
        """Top every child up to DEPTH jobs, starting children as needed; True once ``jobs`` is empty."""
        while self.stop.signum is None:
            child = self._with_room()
            if child is None:
                return exhausted
            if self.requeue:
                job = self.requeue.popleft()
            elif exhausted:
                return True
            else:
                next_job = next(jobs, None)  # reads files: the runner's generator
                if next_job is None:
                    return True
                job = next_job
            if child is _NEW:
                try:
                    child = self._start()
                except OSError as exc:  # no process or pipe to be had (EAGAIN, EMFILE)
                    self.requeue.appendleft(job)
                    self.processes = len(self.children)
                    if not self.children:
                        self.cannot_start = f"cannot start an extracting process: {exc.strerror or exc}"
                        return True
                    continue
            if not child.inflight:
                child.since = time.monotonic()
            child.inflight.append(job)
            try:
                child.jobs.send(job)
            except OSError:  # the child is gone: the job goes to another; _watch reports the death
                child.inflight.pop()
                self.requeue.appendleft(job)
                return exhausted
        return exhausted

    def _with_room(self) -> _Child | Any | None:
        """A child holding fewer than DEPTH jobs; _NEW when one may be started; None when all are full."""
        best = min(self.children, key=lambda c: len(c.inflight), default=None)
        if best is not None and len(best.inflight) == 0:
            return best
        if len(self.children) < self.processes:
            return _NEW
        return best if best is not None and len(best.inflight) < DEPTH else None

    def _start(self) -> _Child:
        if not self.prepared and self.forking:
            init_worker()  # inherited by every child
        self.prepared = True
        jobs_out, jobs_in = self.context.Pipe(duplex=False)
        results_in, results_out = self.context.Pipe(duplex=False)
        _widen(results_in.fileno())
        inherited = [fd for child in self.children for fd in (child.jobs.fileno(), child.results.fileno())]
        inherited += [jobs_in.fileno(), results_in.fileno()]
        process = self.context.Process(
            target=_child_main, name="extract", daemon=True,
            args=(jobs_out, results_out, os.getpid(), self.max_bytes, self.forking, inherited if self.forking else [],
                  self.work),
        )
        process.start()
        jobs_out.close()
        results_out.close()
        child = _Child(process, jobs_in, results_in)
        self.children.append(child)
        return child

    # --- results, timeouts, deaths --------------------------------------------------

    def _gather(self) -> Iterator[Result]:
        """Wait up to TICK for answers or deaths; yield every answer that arrived."""
        if not self.children:
            return
        waiting: list[Any] = [child.results for child in self.children if child.inflight]
        waiting += [child.process.sentinel for child in self.children]
        try:
            wait(waiting, timeout=TICK)
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for safety
            pass
        for child in list(self.children):
            yield from self._answers(child)

    def _answers(self, child: _Child) -> Iterator[Result]:
        """Every complete answer waiting in the child's pipe."""
        while child.inflight:
            try:
                if not child.results.poll(0):
                    return
                result, cpu = child.results.recv()
            except (EOFError, OSError):
                return  # the child is gone mid-answer: _watch reports it
            # Answers come in the order the jobs were sent.
            done = child.inflight.popleft()
            child.since, child.cpu_since = time.monotonic(), cpu
            if done.index != result.index:  # pragma: no cover - a protocol error would be a bug
                raise RuntimeError(f"answer for job {result.index} while job {done.index} was expected")
            self.barren = 0
            yield result

    def _watch(self) -> Iterator[Result]:
        """End the article of a child past the timeout; account for children that died."""
        now = time.monotonic()
        for child in list(self.children):
            if not child.process.is_alive():
                yield from self._lost(child, None)
            elif self.timeout is not None and child.inflight and self._over(child, now - child.since):
                yield from self._lost(child, InputError("E111", seconds=_seconds(self.timeout)))

    def _over(self, child: _Child, elapsed: float) -> bool:
        """Has the child's current job used more than the timeout (see the module docstring)?"""
        assert self.timeout is not None
        if elapsed <= self.timeout:
            return False
        if elapsed > WALL_FACTOR * self.timeout:
            return True
        cpu = _cpu_seconds(child.process.pid)
        return cpu is None or cpu - child.cpu_since > self.timeout

    def _lost(self, child: _Child, timed_out: InputError | None) -> Iterator[Result]:
        """The child is killed (timed out) or dead: its finished answers count, its current
        job fails, the jobs it still held go to another child."""
        if timed_out is not None:
            _kill(child.process)
        child.process.join()
        yield from self._answers(child)
        self.children.remove(child)
        _close(child)
        if child.inflight:
            current = child.inflight.popleft()
            error = timed_out or InputError("E112", reason=_exit_reason(child.process.exitcode))
            self.requeue.extendleft(reversed(child.inflight))
            yield failed(current, error)
        else:  # died holding no job: nothing lost, but nothing done either
            self.barren += 1

    def _give_up(self, jobs: Iterator[Job]) -> Iterator[Result]:
        """Children die before doing anything: fail the rest instead of starting more forever."""
        reason = self.cannot_start or "extracting processes kept ending before taking an article"
        for child in list(self.children):
            _kill(child.process)
            child.process.join()
            yield from self._answers(child)
            self.requeue.extendleft(reversed(child.inflight))
            self.children.remove(child)
            _close(child)
        for job in [*self.requeue, *jobs]:
            yield failed(job, InputError("E112", reason=reason))
        self.requeue.clear()

    # --- the end ----------------------------------------------------------------------

    def _finish(self) -> None:
        """All answered: tell each child to end, and wait for it."""
        for child in self.children:
            try:
                child.jobs.send(None)
            except OSError:
                pass
        for child in self.children:
            child.process.join(timeout=5)

    def _halt(self) -> Iterator[Result]:
        """Stopped by a signal: end the children now; answers already sent still count."""
        for child in self.children:
            _kill(child.process)
        for child in self.children:
            child.process.join()
            yield from self._answers(child)

    def _kill_all(self) -> None:
        for child in self.children:
            if child.process.is_alive():
                _kill(child.process)
            child.process.join()
            _close(child)
        self.children.clear()


_NEW = object()  # marker: a child may be started


def _child_main(jobs: Connection, results: Connection, parent: int, max_bytes: int, inherited: bool,
                close: list[int], work: Callable[[Job, int], Result]) -> None:
    """An extracting process: answer each job in order until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    for fd in close:  # the other children's pipes: their ends must close when they do
        try:
            os.close(fd)
        except OSError:
            pass
    if not inherited:
        init_worker()
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):  # the supervisor is gone
            return
        if job is None:
            return
        result = work(job, max_bytes)
        try:
            results.send((result, time.process_time()))
        except OSError:  # the supervisor is gone
            return


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); exit if it already has."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the pipe still ends us
            pass
    if os.getppid() != parent:
        os._exit(1)


# Bytes the pipe of answers holds (Linux; the default is 64 KiB, four outputs): with one
# job the child sends each output's bytes, and a supervisor busy writing for a moment then
# holds up nothing.
RESULTS_PIPE_BYTES = 1 << 20


def _widen(fd: int) -> None:
    """Give a pipe RESULTS_PIPE_BYTES of buffer where the system allows it (Linux)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), RESULTS_PIPE_BYTES)
    except (ImportError, OSError):  # other systems, or a lower pipe-max-size: the default
        pass


def _cpu_seconds(pid: int | None) -> float | None:
    """Processor time (user + system) a process has used so far; None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return None


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _kill(process: Any) -> None:
    try:
        process.kill()
    except (OSError, AttributeError, ValueError):  # already reaped
        pass


def _close(child: _Child) -> None:
    for connection in (child.jobs, child.results):
        try:
            connection.close()
        except OSError:
            pass


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _seconds(value: float) -> str:
    return f"{value:g}"
