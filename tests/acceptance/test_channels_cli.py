"""`pipelineos channels list|test` as an operator runs them: every channel shown redacted with
the kinds it gets; a test notification through Apprise to a loopback receiver, exit 1 when a
channel does not take it; a URL Apprise does not know stops with exit 2, its secret unprinted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.test_cli import run
from tests.fakes.channel_servers import serve_http, serve_smtp

SECRET = "hunter2-channel-secret"


def test_list_shows_each_channel_redacted_with_its_kinds(tmp_path: Path) -> None:
    config = tmp_path / "apprise.yml"
    config.write_text("urls:\n  - ntfys://ops:" + SECRET + "@ntfy.example.com/pipelineos:\n"
                      "      tag: critical\n")
    env = {"ALERT_CHANNELS": f"json://me:{SECRET}@127.0.0.1:9/hook",
           "ALERT_CHANNELS_CONFIG": str(config)}
    shown = run("channels", "list", "--json", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert SECRET not in shown.stdout + shown.stderr
    rows = json.loads(shown.stdout)
    assert [(r["number"], r["channel"], r["kinds"]) for r in rows] == [
        (1, "json://me:****@127.0.0.1:9/hook", ["critical", "digest", "hot"]),
        (2, "ntfys://ops:****@ntfy.example.com/pipelineos", ["critical"]),
    ]
    table = run("channels", "list", cwd=tmp_path, env={**env, "COLUMNS": "200"})
    assert table.returncode == 0 and "ntfys://ops:****@ntfy.example.com" in table.stdout
    assert SECRET not in table.stdout

    none = run("channels", "list", cwd=tmp_path)
    assert none.returncode == 0 and "No alert channels configured" in none.stdout


def test_test_sends_through_apprise_and_says_which_channel_failed(tmp_path: Path) -> None:
    with serve_http() as hook, serve_smtp() as smtp:
        env = {"ALERT_CHANNELS": f"{hook.url(path='/ok')} {smtp.url()}"}
        sent = run("channels", "test", "--message", "Is this on?", cwd=tmp_path, env=env)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert sent.stdout.count("sent ") == 2
        [body] = hook.wait_for(1, "/ok")
        assert body["message"] == "Is this on?" and body["title"] == "PipelineOS test"
        [mail] = smtp.wait_for(1)
        assert mail["Subject"] == "PipelineOS test"

        only = run("channels", "test", "json", cwd=tmp_path, env=env)
        assert only.returncode == 0 and only.stdout.count("sent ") == 1
        assert len(smtp.messages) == 1

        hook.outage = True
        failed = run("channels", "test", "1", cwd=tmp_path, env=env)
        assert failed.returncode == 1
        assert f"FAILED    {hook.url(path='/ok')}: json did not accept" in failed.stdout

    missing = run("channels", "test", "9", cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "No channel '9'" in missing.stderr
    nothing = run("channels", "test", cwd=tmp_path)
    assert nothing.returncode == 1 and "No alert channels configured" in nothing.stderr


def test_a_url_apprise_does_not_know_stops_with_exit_2_and_no_secret(tmp_path: Path) -> None:
    done = run("channels", "list", cwd=tmp_path,
               env={"ALERT_CHANNELS": f"slak://user:{SECRET}@hooks.example.com/x"})
    assert done.returncode == 2
    output = done.stdout + done.stderr
    assert "ALERT_CHANNELS: not a notification URL Apprise can use: slak://" in output
    assert SECRET not in output
