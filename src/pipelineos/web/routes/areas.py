"""Service areas and services: where the business works and what it does."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Response
from pydantic import BaseModel, ConfigDict, Field

from pipelineos.errors import NotFound
from pipelineos.inputs import TextRule
from pipelineos.leads import areas
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

router = routing.router(tags=["areas"])

Kind = Literal["city", "neighbourhood", "zip", "county", "region"]
_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorBody}}
AreaName = Annotated[str, areas.AREA_NAME]


class AreaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: AreaName
    kind: Kind = "city"
    aliases: Annotated[list[AreaName], Field(max_length=areas.MAX_ALIASES)] = []


class AreaOut(BaseModel):
    id: int
    name: str
    kind: str
    aliases: list[str]


class ServicesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    services: Annotated[list[Annotated[str, TextRule(50)]], Field(max_length=50)]


class ProfileOut(BaseModel):
    areas: list[AreaOut]
    services: list[str] = Field(description="Categories offered; empty means every category.")


@router.get("/api/areas", response_model=ProfileOut)
async def list_areas(runtime: RuntimeDep) -> ProfileOut:
    """Service areas (with aliases) and services."""
    async with runtime.pool.connection() as conn:
        found = await areas.list_areas(conn)
        services = await areas.list_services(conn)
    return ProfileOut(areas=[AreaOut(**a.__dict__) for a in found], services=services)


@router.post("/api/areas", response_model=AreaOut, status_code=201, responses=_ERRORS)
async def add_area(body: AreaIn, runtime: RuntimeDep) -> AreaOut:
    """Add a service area, or replace the kind and aliases of one with the same name."""
    async with runtime.pool.connection() as conn:
        area = await areas.add_area(conn, body.name, body.kind, body.aliases)
    return AreaOut(**area.__dict__)


@router.delete("/api/areas/{name}", status_code=204,
               responses={404: {"model": ErrorBody}, **_ERRORS})
async def remove_area(runtime: RuntimeDep,
                      name: Annotated[AreaName, Path()]) -> Response:
    async with runtime.pool.connection() as conn:
        if not await areas.remove_area(conn, name):
            raise NotFound(f"No service area {name!r}")
    return Response(status_code=204)


@router.put("/api/services", response_model=ProfileOut, responses=_ERRORS)
async def set_services(body: ServicesIn, runtime: RuntimeDep) -> ProfileOut:
    """Replace the services offered (service categories; an empty list means all)."""
    async with runtime.pool.connection() as conn:
        services = await areas.set_services(conn, body.services)
        found = await areas.list_areas(conn)
    return ProfileOut(areas=[AreaOut(**a.__dict__) for a in found], services=services)
