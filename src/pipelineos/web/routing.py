"""The route class every router uses, so every body is read the same way; and the ``id`` path
convertor.

FastAPI reads a JSON body with the standard library's parser, which has no depth or number
limit; it turns any error while reading (a client that left included) into the same "There was
an error parsing the body", and only an ``HTTPException`` passes through it unchanged. The
route class hands each route an :class:`InputRequest`, whose ``json()`` is the one JSON reader
(``pipelineos.inputs``) and whose ``body()`` turns a client that left into :class:`ClientGone`;
both errors are HTTPExceptions for that reason, and web/errors.py answers them. Routes that read
the body themselves (bulk intake, the Twilio webhook) get the same request.

Starlette's ``int`` convertor turns any run of digits into an int while routing, and Python
refuses more than 4,300 digits with a ValueError there (a 500). ``{lead_id:id}`` takes 1 to 19
digits (a bigint); a longer number matches no route (404).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import ClientDisconnect

from pipelineos.inputs import InvalidJson, read_json

# nginx's code for it: the client closed the connection before the answer; nobody reads it,
# but logs and metrics tell it apart from a bad request.
CLIENT_CLOSED = 499


class ClientGone(HTTPException):
    """The client closed the connection before its request body had arrived."""

    def __init__(self) -> None:
        super().__init__(CLIENT_CLOSED, "Client closed the request")


class BodyRefused(HTTPException):
    """A body the JSON reader refuses; the detail says why and where."""

    def __init__(self, error: InvalidJson) -> None:
        super().__init__(400, str(error))


class InputRequest(Request):
    """A request whose body is read with our limits."""

    async def body(self) -> bytes:
        try:
            return await super().body()
        except ClientDisconnect:
            raise ClientGone() from None

    async def json(self) -> Any:
        if not hasattr(self, "_read_json"):
            try:
                self._read_json = read_json(await self.body())
            except InvalidJson as error:
                raise BodyRefused(error) from None
        return self._read_json


class InputRoute(APIRoute):
    """An API route that hands its handler an :class:`InputRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_input(request: Request) -> Response:
            return await handle(InputRequest(request.scope, request.receive))

        return handle_input


class IdConvertor(Convertor[int]):
    """A database id in a path: 1 to 19 digits."""

    regex = "[0-9]{1,19}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


ID = "id"
register_url_convertor(ID, IdConvertor())


def router(**options: Any) -> APIRouter:
    """An ``APIRouter`` whose routes are :class:`InputRoute` (every router of the app)."""
    return APIRouter(route_class=InputRoute, **options)
