"""Dependencies shared by routes, as ``Annotated`` aliases that keep signatures short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pipelineos.bootstrap import Runtime


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
