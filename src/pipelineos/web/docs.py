"""``/docs``: Swagger UI served from the package, so the API docs work without the internet.

The assets are swagger-ui-dist 5.35.0 (Apache-2.0; LICENSE and NOTICE beside them in
``static/swagger-ui``), served under ``/docs/assets``. FastAPI's own page loads them from a CDN;
ReDoc (a CDN script too) is not served.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

DOCS_URL = "/docs"
ASSETS_URL = "/docs/assets"
ASSETS = Path(__file__).parent / "static" / "swagger-ui"
# Paths the route table knows for metrics labels (web/openapi.py).
PATHS = (DOCS_URL, ASSETS_URL + "/{path:path}")


def install(app: FastAPI) -> None:
    """Serve the page and its assets (the app is built with ``docs_url=None, redoc_url=None``)."""

    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
            # No badge that asks swagger.io to validate the schema.
            swagger_ui_parameters={"validatorUrl": None})

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="swagger-ui")
