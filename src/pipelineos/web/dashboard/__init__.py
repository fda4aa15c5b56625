"""The owner's dashboard: pages at ``/``, ``/leads/{id}`` and ``/system``, served by the same
process as the API, every asset from the package (pages.py has the route map)."""

from pipelineos.web.dashboard.pages import PATHS, install, stop
from pipelineos.web.dashboard.session import DashboardAccess

__all__ = ["PATHS", "DashboardAccess", "install", "stop"]
