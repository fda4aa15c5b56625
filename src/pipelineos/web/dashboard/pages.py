"""The owner's dashboard: server-rendered pages (Jinja2), htmx for partial updates, and
Server-Sent Events for new leads. Routes read and change leads through the leads package's
services (no SQL here); who may come in is session.py's rule.

    GET  /                     the inbox: hot and new first, filters, counts per status
    GET  /inbox/rows           a page of inbox rows (``cursor``: older; ``after``: newer)
    GET  /events               Server-Sent Events: ``leads`` whenever leads were added
    GET  /leads/{id}           a lead: the post, the analysis, sightings, alerts, history
    POST /leads/{id}/status    a status change and/or a note (form, CSRF)
    POST /leads/{id}/value     what the job is worth (form, CSRF)
    POST /leads/{id}/draft     the lead page with a reply drafted by Claude (form, CSRF)
    GET  /board                the pipeline: a column per status, counts and job values
    GET  /numbers              leads per day by service, speed to lead, won rate by group
    GET  /settings             service areas (with aliases), services, the profile as analyzed
    POST /settings/areas, /settings/areas/remove, /settings/services   (forms, CSRF)
    GET  /system               circuits, rate limits, pool, the last run of each job
    POST /system/circuits/{name}/{action}   reset or force-open a circuit (form, CSRF)
    GET|POST /login, POST /logout
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.staticfiles import StaticFiles

from pipelineos.analysis.model import CATEGORIES
from pipelineos.bootstrap import Runtime
from pipelineos.db.pool import pool_stats
from pipelineos.errors import InvalidInput, NotFound, PipelineError
from pipelineos.jobs import runs
from pipelineos.leads import dashboard_queries as queries
from pipelineos.leads import areas, pipeline
from pipelineos.leads.live import LeadFeed
from pipelineos.ops import admin, facts
from pipelineos.resilience import ResilienceError
from pipelineos.web import routing
from pipelineos.web.dashboard import drafts
from pipelineos.web.dashboard.session import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    DashboardAccess,
    Viewer,
)
from pipelineos.web.deps import RuntimeDep

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
ASSETS_URL = "/assets"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(assets=ASSETS_URL, statuses=pipeline.STATUSES,
                             categories=CATEGORIES, priorities=("high", "medium", "low"))
PAGE = 50
MAX_ID = 2**63 - 1
ACTIONS = ("reset", "force-open")
# Paths the route table knows for metrics labels (web/openapi.py).
PATHS = ("/", "/inbox/rows", "/events", "/leads/{lead_id:id}", "/leads/{lead_id:id}/status",
         "/leads/{lead_id:id}/value", "/leads/{lead_id:id}/draft", "/leads/{lead_id:id}/verdict",
         "/board", "/numbers", "/settings", "/settings/areas",
         "/settings/areas/remove", "/settings/services",
         "/system", "/system/circuits/{name}/{action}", "/login", "/logout",
         ASSETS_URL + "/{path:path}")

router = routing.router(include_in_schema=False)


class SignInNeeded(Exception):
    """Not signed in (or not from this machine when no key is set)."""


class BadForm(Exception):
    """A state-changing request without our page's CSRF token."""


def _gate(request: Request) -> DashboardAccess:
    gate: DashboardAccess = request.app.state.dashboard_access
    return gate


def _feed(request: Request) -> LeadFeed:
    runtime: Runtime = request.app.state.runtime
    feed: LeadFeed | None = getattr(request.app.state, "lead_feed", None)
    if feed is None or feed.pool is not runtime.pool:
        feed = request.app.state.lead_feed = LeadFeed(runtime.pool)
    return feed


async def viewer(request: Request) -> Viewer:
    found = _gate(request).viewer(request)
    if found is None:
        raise SignInNeeded()
    return found


async def writer(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """A viewer whose request carries the CSRF token of their page."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not _gate(request).csrf_ok(who, sent):
        raise BadForm()
    return who


ViewerDep = Annotated[Viewer, Depends(viewer)]
WriterDep = Annotated[Viewer, Depends(writer)]


def _page(request: Request, name: str, who: Viewer | None, status: int = 200,
          **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {
        "viewer": who, "needs_login": _gate(request).needs_login, **context},
        status_code=status)


# --- the inbox -----------------------------------------------------------------------------

def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def inbox_filter(request: Request) -> tuple[queries.InboxFilter, dict[str, str], list[str]]:
    """The filters in the query string, what to echo in the form, and what was not understood
    (shown beside the form; a bad value never fails the page)."""
    args = request.query_params
    problems: list[str] = []
    shown: dict[str, str] = {}

    def text(name: str, rule: Any) -> str | None:
        raw = args.get(name, "").strip()
        if not raw:
            return None
        try:
            cleaned: str = rule.clean(raw, name)
        except InvalidInput as error:
            problems.append(str(error))
            return None
        shown[name] = cleaned
        return cleaned

    for name, allowed in (("status", pipeline.STATUSES), ("priority", ("high", "medium", "low")),
                          ("category", CATEGORIES)):
        value = _choice(args.get(name) or None, allowed)
        if args.get(name) and value is None:
            problems.append(f"{name}: unknown value")
        if value:
            shown[name] = value
    since = _day(args.get("since"))
    if args.get("since") and since is None:
        problems.append("since: give a date as YYYY-MM-DD")
    if since:
        shown["since"] = since.isoformat()
    filters = queries.InboxFilter(
        status=shown.get("status"), priority=shown.get("priority"),
        category=shown.get("category"), area=text("area", queries.GROUP),
        group=text("group", queries.GROUP), search=text("q", queries.SEARCH),
        since=datetime.combine(since, time(), UTC) if since else None)
    return filters, shown, problems


def _cursor(value: str | None, lowest: int = 1) -> int | None:
    if value and value.isdigit() and len(value) <= 19 and lowest <= int(value) <= MAX_ID:
        return int(value)
    return None


@router.get("/", response_class=HTMLResponse)
async def inbox(request: Request, who: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    filters, shown, problems = inbox_filter(request)
    async with runtime.pool.connection() as conn:
        rows = await queries.inbox_page(conn, filters, limit=PAGE + 1)
        hot = [] if shown else await queries.hot_and_new(conn)
        counts = await queries.status_counts(conn)
        newest = await queries.newest_id(conn)
    return _page(request, "inbox.html", who, leads=rows[:PAGE], more=len(rows) > PAGE,
                 hot=hot, counts=counts, shown=shown, problems=problems, newest=newest,
                 query=urlencode(shown), total=sum(counts.values()))


@router.get("/inbox/rows", response_class=HTMLResponse)
async def inbox_rows(request: Request, who: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    filters, shown, _ = inbox_filter(request)
    cursor = _cursor(request.query_params.get("cursor"))
    after = _cursor(request.query_params.get("after"), lowest=0)
    async with runtime.pool.connection() as conn:
        if after is not None:
            rows = await queries.inbox_page(conn, filters, after_id=after, limit=PAGE)
            counts = await queries.status_counts(conn)
            return _page(request, "_new_rows.html", who, leads=rows, counts=counts,
                         shown=shown, total=sum(counts.values()))
        rows = await queries.inbox_page(conn, filters, before_id=cursor, limit=PAGE + 1)
    return _page(request, "_rows.html", who, leads=rows[:PAGE], more=len(rows) > PAGE,
                 query=urlencode(shown))


@router.get("/events")
async def events(request: Request, who: ViewerDep) -> EventSourceResponse:
    feed = _feed(request)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        async with feed.watch() as woken:
            while True:
                await woken.wait()
                woken.clear()
                yield ServerSentEvent(event="leads", data="")

    return EventSourceResponse(stream(), ping=15, headers={"X-Accel-Buffering": "no"})


# --- a lead --------------------------------------------------------------------------------

async def _lead_page(request: Request, who: Viewer, runtime: Runtime, lead_id: int, *,
                     status: int = 200, error: str | None = None, note: str = "",
                     value_error: str | None = None, amount: str | None = None,
                     claude_draft: bool = False) -> HTMLResponse:
    detail = await runtime.leads.detail(lead_id)
    async with runtime.pool.connection() as conn:
        alerts = await queries.alerts_for(conn, lead_id) if detail else []
        cents = await queries.job_value(conn, lead_id) if detail else None
    if detail is None:
        return _page(request, "missing.html", who, status=404, lead_id=lead_id)
    business = runtime.settings.business_name
    draft, draft_by, draft_note = drafts.reply(detail, business=business), "template", None
    if claude_draft and runtime.claude is not None:
        try:
            draft = await drafts.by_claude(runtime.claude.service, detail, business=business)
            draft_by = "Claude"
        except (PipelineError, ResilienceError) as failure:
            draft_note = f"Claude could not write one ({_reason(failure)}); this is the template."
            log.warning("Reply draft by Claude failed", extra={"fields": {
                "lead_id": lead_id, "error": type(failure).__name__}})
    return _page(request, "lead.html", who, status=status, d=detail, lead=detail.lead,
                 alerts=alerts, draft=draft, draft_by=draft_by, draft_note=draft_note,
                 claude=runtime.claude is not None, error=error, note=note,
                 value_error=value_error,
                 amount=amount if amount is not None else (
                     f"{cents / 100:.2f}" if cents is not None else ""))


def _reason(error: Exception) -> str:
    if isinstance(error, ResilienceError):
        return "its circuit is open or its rate limit is spent; try again later"
    return type(error).__name__


@router.post("/leads/{lead_id:id}/draft", response_class=HTMLResponse)
async def draft(request: Request, who: WriterDep, runtime: RuntimeDep,
                lead_id: int) -> HTMLResponse:
    """The lead page with a reply drafted by Claude (the template when Claude cannot)."""
    return await _lead_page(request, who, runtime, _lead_id(lead_id), claude_draft=True)


def _lead_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound(f"No lead {value}")
    return value


@router.get("/leads/{lead_id:id}", response_class=HTMLResponse)
async def lead(request: Request, who: ViewerDep, runtime: RuntimeDep,
               lead_id: int) -> HTMLResponse:
    return await _lead_page(request, who, runtime, _lead_id(lead_id))


@router.post("/leads/{lead_id:id}/status", response_class=HTMLResponse)
async def change(request: Request, who: WriterDep, runtime: RuntimeDep, lead_id: int,
                 status: Annotated[str, Form()] = "",
                 note: Annotated[str, Form()] = "",
                 back: Annotated[str, Form()] = "") -> Response:
    """A status change, a note, or both; a refused value is shown next to its field."""
    lead_id = _lead_id(lead_id)
    actor = f"dashboard:{who.who}"
    try:
        await runtime.leads.change(lead_id, actor=actor, status=status or None,
                                   note=note.strip() or None)
    except InvalidInput as error:
        return await _lead_page(request, who, runtime, lead_id, status=422,
                                error=str(error), note=note[:4000])
    except NotFound:
        return await _lead_page(request, who, runtime, lead_id)
    return RedirectResponse(_next(back) if back else f"/leads/{lead_id}", status_code=303)


@router.post("/leads/{lead_id:id}/verdict", response_class=HTMLResponse)
async def verdict(request: Request, who: WriterDep, runtime: RuntimeDep, lead_id: int,
                  verdict: Annotated[str, Form(max_length=20)] = "") -> Response:
    """The owner's "not a lead" (or "spam") on the lead's post: a label for the analyzer's next
    retrain, and the lead closed (see the verdict API)."""
    lead_id = _lead_id(lead_id)
    if verdict not in ("not_lead", "spam"):
        return await _lead_page(request, who, runtime, lead_id, status=422,
                                error="verdict must be not_lead or spam")
    found = await runtime.leads.get(lead_id)
    if found is None:
        return await _lead_page(request, who, runtime, lead_id)
    await runtime.learning.verdict(found.post_id, verdict, actor=f"dashboard:{who.who}")
    return RedirectResponse(f"/leads/{lead_id}", status_code=303)


def parse_money(text: str) -> int | None:
    """Whole cents from what a person types ("1,250", "$980.50"); None for an empty field."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace(" ", "")
    if not cleaned:
        return None
    found = _MONEY.fullmatch(cleaned)
    if found is None:
        raise InvalidInput("value: give an amount in dollars, such as 1250 or 1,250.50")
    return int(found["whole"] or "0") * 100 + int((found["cents"] or "0").ljust(2, "0"))


_MONEY = re.compile(r"(?P<whole>[0-9]{1,11})(?:\.(?P<cents>[0-9]{1,2}))?")


@router.post("/leads/{lead_id:id}/value", response_class=HTMLResponse)
async def value(request: Request, who: WriterDep, runtime: RuntimeDep, lead_id: int,
                amount: Annotated[str, Form()] = "",
                back: Annotated[str, Form()] = "") -> Response:
    """What the job is worth (quoted or won), for the board's totals."""
    lead_id = _lead_id(lead_id)
    try:
        cents = parse_money(amount)
        async with runtime.pool.connection() as conn:
            await queries.set_job_value(conn, lead_id, cents, actor=f"dashboard:{who.who}")
    except InvalidInput as error:
        if back == "/board":
            return await _board(request, who, runtime, status=422,
                                error=(lead_id, str(error)), amount=amount[:50])
        return await _lead_page(request, who, runtime, lead_id, status=422,
                                value_error=str(error), amount=amount[:50])
    return RedirectResponse(_next(back) if back else f"/leads/{lead_id}", status_code=303)


# --- the pipeline board --------------------------------------------------------------------

async def _board(request: Request, who: Viewer, runtime: Runtime, *, status: int = 200,
                 error: tuple[int, str] | None = None, amount: str = "") -> HTMLResponse:
    async with runtime.pool.connection() as conn:
        columns = await queries.board(conn)
    return _page(request, "board.html", who, status=status, columns=columns, error=error,
                 amount=amount)


@router.get("/board", response_class=HTMLResponse)
async def board(request: Request, who: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    return await _board(request, who, runtime)


# --- numbers --------------------------------------------------------------------------------

@router.get("/numbers", response_class=HTMLResponse)
async def numbers(request: Request, who: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    async with runtime.pool.connection() as conn:
        per_day = await queries.leads_per_day(conn, DAYS)
        speed = await queries.speed_to_lead(conn)
        groups = await queries.won_by_group(conn)
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    by_day: dict[date, dict[str, int]] = {day: {} for day in days}
    for row in per_day:
        by_day.setdefault(row.day.date(), {})[row.category] = row.leads
    shown = sorted({row.category for row in per_day})
    peak = max((sum(counts.values()) for counts in by_day.values()), default=0) or 1
    return _page(request, "numbers.html", who, days=days, by_day=by_day, shown=shown,
                 peak=peak, speed=speed, groups=groups, palette=PALETTE)


DAYS = 14
# Colour-blind-safe (Okabe-Ito), each with 3:1 contrast or more on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


# --- settings: where the business works and what it does -----------------------------------

async def _settings(request: Request, who: Viewer, runtime: Runtime, *, status: int = 200,
                    errors: dict[str, str] | None = None,
                    typed: dict[str, str] | None = None) -> HTMLResponse:
    async with runtime.pool.connection() as conn:
        known = await areas.list_areas(conn)
        offered = await areas.list_services(conn)
    return _page(request, "settings.html", who, status=status, areas=known, offered=offered,
                 kinds=areas.KINDS, profile=runtime.profile, errors=errors or {},
                 typed=typed or {})


@router.get("/settings", response_class=HTMLResponse)
async def settings_page(request: Request, who: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    return await _settings(request, who, runtime)


@router.post("/settings/areas", response_class=HTMLResponse)
async def add_area(request: Request, who: WriterDep, runtime: RuntimeDep,
                   name: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "city",
                   aliases: Annotated[str, Form()] = "") -> Response:
    try:
        async with runtime.pool.connection() as conn:
            await areas.add_area(conn, name, kind, aliases.split(","))
    except InvalidInput as error:
        return await _settings(request, who, runtime, status=422, errors={"area": str(error)},
                               typed={"name": name[:200], "aliases": aliases[:2000]})
    log.info("Dashboard changed the business profile", extra={"fields": {
        "change": "area saved", "who": f"dashboard:{who.who}"}})
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/areas/remove", response_class=HTMLResponse)
async def remove_area(request: Request, who: WriterDep, runtime: RuntimeDep,
                      name: Annotated[str, Form()] = "") -> Response:
    try:
        async with runtime.pool.connection() as conn:
            await areas.remove_area(conn, name)
    except InvalidInput as error:
        return await _settings(request, who, runtime, status=422, errors={"area": str(error)})
    log.info("Dashboard changed the business profile", extra={"fields": {
        "change": "area removed", "who": f"dashboard:{who.who}"}})
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/services", response_class=HTMLResponse)
async def services(request: Request, who: WriterDep, runtime: RuntimeDep) -> Response:
    form = await request.form()
    chosen = [value for value in form.getlist("service") if isinstance(value, str)]
    try:
        async with runtime.pool.connection() as conn:
            await areas.set_services(conn, chosen[:len(CATEGORIES) + 1])
    except InvalidInput as error:
        return await _settings(request, who, runtime, status=422,
                               errors={"services": str(error)})
    log.info("Dashboard changed the business profile", extra={"fields": {
        "change": "services saved", "who": f"dashboard:{who.who}"}})
    return RedirectResponse("/settings", status_code=303)


# --- the system page -----------------------------------------------------------------------

@router.get("/system", response_class=HTMLResponse)
async def system(request: Request, who: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    limiters = []
    for limiter in runtime.registry.limiters():
        try:
            limiters.append(await limiter.status())
        except Exception:
            limiters.append({"name": limiter.name, "error": "unavailable"})
    async with runtime.pool.connection() as conn:
        last = await runs.last_runs(conn)
    database = await facts.gather(runtime)
    return _page(request, "system.html", who, queue=database.jobs, posts=database.posts,
                 outbox=database.alerts,
                 breakers=[b.status() for b in runtime.registry.breakers()],
                 limiters=limiters, pool=pool_stats(runtime.pool), jobs=last,
                 actions=ACTIONS)


@router.post("/system/circuits/{name}/{action}")
async def circuit(request: Request, who: WriterDep, runtime: RuntimeDep, name: str,
                  action: str) -> Response:
    if action not in ACTIONS:
        raise NotFound(f"No action {action[:50]!r}")
    await admin.apply(runtime.registry, name[:100], action,
                      admin.Actor(access=f"dashboard-{who.access}", client=who.client,
                                  name=f"dashboard:{who.who}",
                                  key=who.who if who.access == "session" else None))
    return RedirectResponse("/system", status_code=303)


# --- signing in and out --------------------------------------------------------------------

def _next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value[:500]
    return "/"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    gate = _gate(request)
    if not gate.needs_login or gate.viewer(request) is not None:
        return RedirectResponse(_next(request.query_params.get("next")), status_code=303)
    return _login_form(request, next_path=_next(request.query_params.get("next")))


def _login_form(request: Request, *, next_path: str, error: str | None = None,
                status: int = 200) -> HTMLResponse:
    return _page(request, "login.html", None, status=status, error=error, next_path=next_path)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, key: Annotated[str, Form(max_length=500)] = "",
                next_path: Annotated[str, Form(alias="next", max_length=500)] = "/") -> Response:
    gate = _gate(request)
    if not gate.needs_login:
        return RedirectResponse("/", status_code=303)
    wait = gate.throttled(request)
    if wait is not None:
        return _login_form(request, next_path=_next(next_path), status=429,
                           error=f"Too many wrong keys from this address; try again in "
                                 f"{int(wait) + 1} seconds.")
    if not key.strip():
        return _login_form(request, next_path=_next(next_path), status=422,
                           error="Enter your API key.")
    cookie = gate.sign_in(request, key)
    if cookie is None:
        return _login_form(request, next_path=_next(next_path), status=401,
                           error="That key is not one of this server's keys.")
    log.info("Dashboard sign-in", extra={"fields": {
        "key": gate.viewer_name(cookie), "client": gate.client(request)[0]}})
    response = RedirectResponse(_next(next_path), status_code=303)
    response.set_cookie(COOKIE, cookie, max_age=int(gate.session_seconds), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
async def logout(request: Request, who: WriterDep) -> Response:
    response = RedirectResponse("/login" if _gate(request).needs_login else "/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- wiring --------------------------------------------------------------------------------

def install(app: FastAPI, gate: DashboardAccess) -> None:
    """Serve the dashboard from ``app``: its routes, its assets, its answers to strangers."""
    app.state.dashboard_access = gate
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=HERE / "static"), name="dashboard-assets")

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        if not gate.needs_login:
            return _page(request, "refused.html", None, status=403)
        if request.method == "GET" and "hx-request" not in request.headers \
                and request.url.path != "/events":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        return _page(request, "signed_out.html", None, status=401)

    @app.exception_handler(BadForm)
    async def _bad_form(request: Request, exc: BadForm) -> Response:
        return _page(request, "bad_form.html", None, status=403)


async def stop(app: FastAPI) -> None:
    feed: LeadFeed | None = getattr(app.state, "lead_feed", None)
    if feed is not None:
        await feed.stop()
