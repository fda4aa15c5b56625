"""The Twilio SDK stays inside integrations/twilio, and is loaded only when it is used."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pipelineos

SRC = Path(pipelineos.__file__).parent
TWILIO_ADAPTER = SRC / "integrations" / "twilio"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_twilio_adapter_imports_the_twilio_sdk() -> None:
    """No module outside pipelineos/integrations/twilio imports twilio (or its aiohttp)."""
    offenders = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                 if TWILIO_ADAPTER not in path.parents
                 and _imports(path) & {"twilio", "aiohttp"}]
    assert offenders == []
    assert any("twilio" in _imports(path) for path in TWILIO_ADAPTER.glob("*.py"))


def test_the_app_does_not_load_the_sdk_until_twilio_is_configured() -> None:
    """Importing the web app and the notification service leaves the SDK unloaded."""
    probe = ("import sys, pipelineos.web.app, pipelineos.alerts.wiring\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'twilio', 'aiohttp'}))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(SRC.parent), "PATH": ""})
    assert out.stdout.strip() == "[]"
