"""Every place we lean on a dependency's private API, checked so an upgrade that changes it
fails here, loudly, rather than quietly changing what the code does; and proof that our
overrides change nothing for other pools or apps in the process.

- ``db/pool.py`` overrides psycopg_pool's ``_add_connection`` (sooner reconnects) and
  ``_connect`` (how connecting went); it checks connections in the public ``getconn``.
- ``jobs/engine.py`` overrides procrastinate's public connector method ``listen_notify`` and
  sends the worker a ``job_inserted`` notification of procrastinate's own format.
- ``analysis/prefilter.py`` walks patterns parsed by ``re._parser`` (no public parser exists).
"""

from __future__ import annotations

import inspect
import re

import procrastinate
import psycopg_pool
from procrastinate import jobs as queue_jobs
from procrastinate import manager as queue_manager
from procrastinate import worker as queue_worker
from procrastinate.psycopg_connector import PsycopgConnector
from psycopg_pool import AsyncConnectionPool, pool_async
from psycopg_pool.base import AttemptWithBackoff

from pipelineos.analysis import prefilter
from pipelineos.db.pool import _Pool, _QuickRetry, create_pool
from pipelineos.jobs.engine import JobEngine, _PooledConnector


def _parameters(function: object) -> list[tuple[str, object]]:
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]  # type: ignore[arg-type]


# --- psycopg_pool -------------------------------------------------------------------------------

def test_psycopg_pool_private_hooks_have_the_names_and_signatures_we_override() -> None:
    empty = inspect.Parameter.empty
    assert _parameters(AsyncConnectionPool._add_connection) == [
        ("self", empty), ("attempt", empty), ("growing", False)]
    assert _parameters(AsyncConnectionPool._connect) == [("self", empty), ("timeout", None)]
    # ...and psycopg_pool still calls them (a hook nobody calls would silently do nothing).
    source = inspect.getsource(pool_async)
    assert "pool._add_connection(self.attempt, growing=self.growing)" in source
    assert "await self._connect()" in source
    # The public path our check takes: connection() borrows through getconn().
    assert "await self.getconn(timeout=timeout)" in inspect.getsource(
        AsyncConnectionPool.connection)


def test_the_backoff_we_subclass_keeps_its_shape() -> None:
    attempt = _QuickRetry(timeout=10.0)
    for now in (0.0, 0.1, 0.3, 0.7, 1.5, 2.5):
        attempt.update_delay(now)
        assert 0 < attempt.delay <= _QuickRetry.MAX_DELAY
    assert {"INITIAL_DELAY", "DELAY_JITTER", "DELAY_BACKOFF"} <= set(vars(AttemptWithBackoff))
    assert attempt.time_to_give_up(100.0)


def test_other_pools_in_the_process_keep_psycopg_pools_behaviour() -> None:
    """Our pool is a subclass; nothing of psycopg_pool's own classes was changed."""
    ours = create_pool("postgresql://localhost/none")
    plain = AsyncConnectionPool("postgresql://localhost/none", open=False)
    assert isinstance(ours, _Pool)
    assert AttemptWithBackoff.INITIAL_DELAY == 1.0  # psycopg_pool's default, untouched
    assert type(plain).getconn is AsyncConnectionPool.getconn
    assert type(plain)._add_connection is AsyncConnectionPool._add_connection
    assert pool_async.AttemptWithBackoff is AttemptWithBackoff
    assert psycopg_pool.AsyncConnectionPool is AsyncConnectionPool


# --- procrastinate ------------------------------------------------------------------------------

def test_procrastinate_listens_through_the_connector_method_we_override() -> None:
    empty = inspect.Parameter.empty
    assert _parameters(PsycopgConnector.listen_notify) == [
        ("self", empty), ("on_notification", empty), ("channels", empty)]
    assert _parameters(_PooledConnector.listen_notify) == _parameters(
        PsycopgConnector.listen_notify)
    assert "self.connector.listen_notify(" in inspect.getsource(
        queue_manager.JobManager.listen_for_jobs)
    # The catch-up's notification is procrastinate's own format, and the worker reads it so.
    assert set(queue_jobs.JobInserted.__annotations__) == {"type", "job_id"}
    assert 'notification["type"] == "job_inserted"' in inspect.getsource(
        queue_worker.Worker._handle_notification)


def test_other_procrastinate_apps_keep_procrastinates_connector() -> None:
    """Only the job engine's own connector listens through our pool."""
    engine_app = JobEngine(create_pool("postgresql://localhost/none")).app
    other = procrastinate.App(connector=PsycopgConnector())
    assert isinstance(engine_app.connector, _PooledConnector)
    assert type(other.connector).listen_notify is PsycopgConnector.listen_notify
    assert "_get_standalone_connection" not in vars(_PooledConnector)


# --- re._parser ---------------------------------------------------------------------------------

def test_the_regex_parse_tree_has_the_shape_the_prefilter_walks() -> None:
    """analysis/prefilter.py reads (op, argument) pairs from re._parser.parse: a literal's
    argument is a code point, a group's last item its sequence, a branch's second item its
    alternatives, a repeat (min, max, sequence), a class a list of (op, argument)."""
    c = prefilter.sre
    tree = list(prefilter.sre_parse.parse(r"ab(c|d)e{1,2}[xy]\d"))
    ops = [op for op, _ in tree]
    assert ops == [c.LITERAL, c.LITERAL, c.SUBPATTERN, c.MAX_REPEAT, c.IN, c.IN]
    assert tree[0][1] == ord("a")
    assert list(tree[2][1][-1]) == [(c.IN, [(c.LITERAL, ord("c")), (c.LITERAL, ord("d"))])]
    branch = list(prefilter.sre_parse.parse("cat|dog"))[0]
    assert branch[0] is c.BRANCH and [len(list(b)) for b in branch[1][1]] == [3, 3]
    low, high, repeated = tree[3][1]
    assert (low, high, list(repeated)) == (1, 2, [(c.LITERAL, ord("e"))])
    assert tree[4][1] == [(c.LITERAL, ord("x")), (c.LITERAL, ord("y"))]
    assert tree[5][1] == [(c.CATEGORY, c.CATEGORY_DIGIT)]
    assert list(prefilter.sre_parse.parse("a*?"))[0][0] is c.MIN_REPEAT


def test_the_prefilter_still_finds_the_literals_every_match_needs() -> None:
    """End to end: if the parse tree changed shape, these sets would come out empty or wrong."""
    assert set(prefilter.required_sets(r"need(s|ed)? a plumber")) == {
        frozenset({"need"}), frozenset({" a plumber"})}
    assert prefilter.required_literals(r"(?:plumber|electrician)s?\b") == frozenset(
        {"plumber", "electrician"})
    assert re.search(r"\d", "5")  # the public engine agrees with what was parsed
