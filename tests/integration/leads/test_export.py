"""Leads out to a spreadsheet (issue 16): GET /api/leads.csv with the list's filters, every
page of leads, formulas in a post shown as text; pipelineos leads export as CSV and NDJSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest

from pipelineos.leads import export
from tests.acceptance.test_cli import run

POSTS = [
    "=HYPERLINK(\"http://evil.example\",\"Need a plumber in Dallas\") leaking water heater",
    "Need a plumber in Dallas for leaking water heater, unit 2",
    "+1 need an electrician in Dallas asap, breaker keeps tripping",
    "@everyone looking for a painter in Plano next month",
    "Need a plumber in Dallas for a burst pipe, unit 5",
]


async def _seed(client: httpx.AsyncClient) -> list[int]:
    ids = []
    for text in POSTS:
        made = await client.post("/api/leads/analyze",
                                 json={"post_text": text, "group_name": "-Dallas Home"})
        assert made.status_code == 200, made.text
        assert made.json()["lead"] is not None, text
        ids.append(made.json()["lead"]["id"])
    return ids


async def test_csv_has_every_lead_across_pages_with_formulas_neutralised(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "PAGE", 2)  # five leads: three pages
    ids = await _seed(client)
    response = await client.get("/api/leads.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="leads.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["id"]) for r in rows] == sorted(ids, reverse=True), "all, newest first"
    texts = {int(r["id"]): r["post_text"] for r in rows}
    assert texts[ids[0]].startswith("'=HYPERLINK(")
    assert texts[ids[2]].startswith("'+1 need")
    assert texts[ids[3]].startswith("'@everyone")
    assert texts[ids[1]].startswith("Need a plumber")
    assert {r["group_name"] for r in rows} == {"'-Dallas Home"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())

    high = await client.get("/api/leads.csv", params={"priority": "high", "category": "plumbing"})
    assert high.status_code == 200
    listed = await client.get("/api/leads", params={"priority": "high",
                                                     "category": "plumbing", "limit": 200})
    assert [int(r["id"]) for r in csv.DictReader(io.StringIO(high.text))] == [
        lead["id"] for lead in listed.json()["leads"]]
    bad = await client.get("/api/leads.csv", params={"status": "maybe"})
    assert bad.status_code == 422


def test_safe_cell_keeps_numbers_and_quotes_formulas() -> None:
    assert export.safe_cell(-3) == "-3" and export.safe_cell(0.5) == "0.5"
    assert export.safe_cell("-cmd") == "'-cmd" and export.safe_cell("\t=1") == "'\t=1"
    assert export.safe_cell(None) == "" and export.safe_cell("plain") == "plain"


async def test_cli_exports_csv_and_ndjson(client: httpx.AsyncClient, migrated_url: str,
                                          tmp_path: Path) -> None:
    ids = await _seed(client)
    env = {"DATABASE_URL": migrated_url}
    as_csv = run("leads", "export", cwd=tmp_path, env=env)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert sorted(int(r["id"]) for r in rows) == sorted(ids)
    assert rows[-1]["post_text"].startswith("'=HYPERLINK(")

    out = tmp_path / "leads.ndjson"
    as_json = run("leads", "export", "--format", "ndjson", "--output", str(out),
                  "--status", "new", cwd=tmp_path, env=env)
    assert as_json.returncode == 0, as_json.stderr
    assert f"Wrote {out}" in as_json.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(ids)
    assert lines[-1]["post_text"].startswith("=HYPERLINK("), "NDJSON keeps the text as is"

    wrong = run("leads", "export", "--format", "xlsx", cwd=tmp_path, env=env)
    assert wrong.returncode == 2
