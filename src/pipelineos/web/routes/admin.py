"""Admin: read and steer circuit breakers (``pipelineos breaker`` calls these); with shared state
an action reaches every process on the database."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Header, Path, Request
from pydantic import BaseModel, Field

from pipelineos.inputs import TextRule
from pipelineos.ops import admin
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

router = routing.router(prefix="/api/admin", tags=["admin"])

BreakerName = Annotated[str, TextRule(100), Path(
    description="A breaker's name, e.g. `twilio-api`, `claude-api`")]
ActorHeader = Annotated[Annotated[str, TextRule(200)] | None, Header(
    alias="X-Actor", description="Who is acting, for the audit log")]


class CircuitsOut(BaseModel):
    circuitBreakers: list[dict[str, Any]] = Field(  # noqa: N815 (as /health names it)
        description="Each breaker's status(), as in /health")
    rateLimiters: list[dict[str, Any]]  # noqa: N815


class ActionOut(BaseModel):
    name: str
    action: Literal["reset", "force-open", "disable"]
    from_state: str = Field(alias="from")
    to_state: str = Field(alias="to")
    circuitBreaker: dict[str, Any]  # noqa: N815


_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No breaker by that name"}}


@router.get("/circuits", response_model=CircuitsOut)
async def list_circuits(runtime: RuntimeDep) -> CircuitsOut:
    """Every circuit breaker and rate limiter of the process that answers."""
    limiters = []
    for limiter in runtime.registry.limiters():
        try:
            limiters.append(await limiter.status())
        except Exception:
            limiters.append({"name": limiter.name, "error": "unavailable"})
    return CircuitsOut(circuitBreakers=[b.status() for b in runtime.registry.breakers()],
                       rateLimiters=limiters)


@router.get("/circuits/{name}", response_model=dict[str, Any], responses=_NOT_FOUND)
async def get_circuit(runtime: RuntimeDep, name: BreakerName) -> dict[str, Any]:
    """One breaker's status."""
    return admin.breaker(runtime.registry, name).status()


def _act(action: str) -> Any:
    async def act(request: Request, runtime: RuntimeDep, name: BreakerName,
                  actor: ActorHeader = None) -> dict[str, Any]:
        who = admin.Actor(access=getattr(request.state, "access", "unknown"),
                          client=getattr(request.state, "client", None), name=actor,
                          key=getattr(request.state, "key", None))
        before, after = await admin.apply(runtime.registry, name, action, who)
        status = runtime.registry.get_breaker(name).status()
        return {"name": name, "action": action, "from": before, "to": after,
                "circuitBreaker": status}

    act.__name__ = f"{action.replace('-', '_')}_circuit"
    return act


for _action, _summary in (
    ("reset", "Close the breaker and forget its failures (the vendor is back)."),
    ("force-open", "Reject every call through the breaker until it is reset."),
    ("disable", "Let every call through, never opening, until the breaker is reset."),
):
    router.add_api_route(
        f"/circuits/{{name}}/{_action}", _act(_action), methods=["POST"],
        response_model=ActionOut, response_model_by_alias=True, responses=_NOT_FOUND,
        summary=_summary, description=f"{_summary} Logged with who asked, from and to states.")
