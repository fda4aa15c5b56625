"""``pipelineos breaker``: the circuit breakers of running servers, over their admin API.

Breakers live in a server's memory, so these commands call it over HTTP (``--url``, default
http://HOST:PORT) with the first configured API key.
"""

from __future__ import annotations

import getpass
import socket
from typing import Annotated, Any
from urllib.parse import quote

import httpx
import typer

from pipelineos.cli.common import settings_or_exit
from pipelineos.config import Settings

breaker_app = typer.Typer(
    help="Circuit breakers of a running server: list, reset, force-open, disable. Breakers live "
         "in the server's memory, so these call its admin API over HTTP (--url, default "
         "http://HOST:PORT) with PIPELINEOS_API_KEY when set. Repeat --url for several servers.",
    invoke_without_command=True, no_args_is_help=False)

UrlOption = Annotated[list[str] | None, typer.Option(
    "--url", envvar="PIPELINEOS_URL",
    help="Base URL of a server (repeatable); default http://HOST:PORT from the settings.")]
NameArgument = Annotated[str, typer.Argument(help="Breaker name: twilio-api, claude-api...")]
def _server_urls(settings: Settings, urls: list[str] | None) -> list[str]:
    if urls:
        return [url.rstrip("/") for url in urls]
    # A server bound to every interface is reached on loopback from the same machine.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(settings.host,
                                                                      settings.host)
    return [f"http://{f'[{host}]' if ':' in host else host}:{settings.port}"]


def _admin_call(settings: Settings, method: str, url: str) -> tuple[int, Any]:
    """(status, JSON body) of one admin request; status 0 when the server cannot be reached."""
    headers = {"X-Actor": f"cli:{getpass.getuser()}@{socket.gethostname()}"}
    key = next(iter(settings.api_keys.values()), None)  # PIPELINEOS_API_KEY, else the first
    if key is not None:
        headers["Authorization"] = f"Bearer {key.get_secret_value()}"
    try:
        response = httpx.request(method, url, headers=headers, timeout=10)
    except httpx.HTTPError as error:
        return 0, {"error": f"cannot reach the server ({type(error).__name__})"}
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {"error": response.text[:200]}


@breaker_app.callback()
def breaker_list(ctx: typer.Context, url: UrlOption = None) -> None:
    """List the server's circuit breakers and rate limiters."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_or_exit()
    failed = False
    for base in _server_urls(settings, url):
        status, body = _admin_call(settings, "GET", f"{base}/api/admin/circuits")
        if status != 200:
            typer.echo(f"{base}: {body.get('error', status)}", err=True)
            failed = True
            continue
        # One line per breaker (no table): readable in a narrow terminal, easy to grep.
        typer.echo(base)
        for item in body["circuitBreakers"]:
            counts = item["metrics"]
            retry = item.get("retryAfterSeconds")
            typer.echo(f"circuit breaker {item['name']}: {item['state']}, recent failures "
                       f"{item['recentFailures']}, calls {counts['totalRequests']} "
                       f"({counts['failedRequests']} failed, {counts['rejectedRequests']} "
                       f"rejected)" + (f", retry after {retry:.1f} s" if retry else ""))
        for limiter in body["rateLimiters"]:
            tokens = limiter.get("tokensRemaining")
            typer.echo(f"rate limiter {limiter['name']}: "
                       + (f"{tokens:.1f} of {limiter['capacity']:g} tokens"
                          if tokens is not None else "unavailable"))
    raise typer.Exit(1 if failed else 0)


def _breaker_action(action: str, name: str, urls: list[str] | None) -> None:
    settings = settings_or_exit()
    code = 0
    for base in _server_urls(settings, urls):
        status, body = _admin_call(
            settings, "POST", f"{base}/api/admin/circuits/{quote(name, safe='')}/{action}")
        if status == 200:
            typer.echo(f"{base}: {name} {body['from']} → {body['to']}")
            continue
        typer.echo(f"{base}: {body.get('error', status)}", err=True)
        code = max(code, 2 if status == 404 else 1)
    raise typer.Exit(code)


@breaker_app.command("reset")
def breaker_reset(name: NameArgument, url: UrlOption = None) -> None:
    """Close a breaker and forget its failures (the vendor is back)."""
    _breaker_action("reset", name, url)


@breaker_app.command("force-open")
def breaker_force_open(name: NameArgument, url: UrlOption = None) -> None:
    """Reject every call through a breaker until it is reset."""
    _breaker_action("force-open", name, url)


@breaker_app.command("disable")
def breaker_disable(name: NameArgument, url: UrlOption = None) -> None:
    """Let every call through a breaker, never opening, until it is reset."""
    _breaker_action("disable", name, url)


def register(app: typer.Typer) -> None:
    app.add_typer(breaker_app, name="breaker")
