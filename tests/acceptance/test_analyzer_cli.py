"""`pipelineos analyzer ...` as an owner runs it: mutes, a verdict, the status, a retrain that
prints both models' held-out scores and keeps or replaces the active one, and `train`, which
rebuilds the shipped model byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import psycopg
import pytest

from pipelineos.analysis.learned import SHIPPED, LearnedModel

pytestmark = pytest.mark.slow

TRAINING_WITHIN = 600  # seconds: training takes about 40 s on a quiet 2-core machine
POSTS = [
    {"text": "Need a plumber in Dallas for leaking water heater, today please",
     "groupTitle": "Dallas Home Services", "postId": "1", "user": {"name": "Sam"}},
    {"text": "Need a roofer in Dallas, hail damage on the roof", "groupTitle": "DFW Roofs",
     "postId": "2", "user": {"name": "Spammy"}},
]


def pipelineos(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE",
                                 "PIPELINEOS_", "LOG_DIR", "BUSINESS_", "PORT", "JOB_"))}
    base.update({"PIPELINEOS_RUNTIME_DIR": str(cwd / "run"), "COLUMNS": "200"})
    base.update(env)
    return subprocess.run([sys.executable, "-m", "pipelineos.cli", *args], cwd=cwd, env=base,
                          capture_output=True, text=True, timeout=TRAINING_WITHIN)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_mutes_verdicts_status_and_retrain(tmp_path: Path, migrated_url: str) -> None:
    db = {"DATABASE_URL": migrated_url}
    assert "No mutes." in ok(pipelineos("analyzer", "mutes", cwd=tmp_path, **db))
    muted = ok(pipelineos("analyzer", "mute", "author", "Spammy", cwd=tmp_path, **db))
    assert muted.startswith("muted author 'Spammy' (rule ")
    bad_kind = pipelineos("analyzer", "mute", "colour", "red", cwd=tmp_path, **db)
    assert bad_kind.returncode == 2 and "kind must be one of phrase, author" in bad_kind.stderr
    assert "Spammy" in ok(pipelineos("analyzer", "mutes", cwd=tmp_path, **db))

    (tmp_path / "posts.ndjson").write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    ok(pipelineos("import", "posts.ndjson", cwd=tmp_path, **db))
    with psycopg.connect(migrated_url) as conn:
        posts = dict(conn.execute("SELECT author, id FROM posts").fetchall())
        leads = conn.execute("SELECT post_id FROM leads").fetchall()
        reasons = conn.execute("SELECT reasons FROM analyses a JOIN posts p ON p.id = a.post_id"
                               " WHERE p.author = 'Spammy'").fetchone()
    assert leads == [(posts["Sam"],)]  # the muted author's roofing request is no lead
    assert reasons is not None and "muted: blocked author 'Spammy'" in reasons[0]

    said = ok(pipelineos("analyzer", "verdict", str(posts["Sam"]), "spam", cwd=tmp_path, **db))
    assert said.startswith(f"post {posts['Sam']}: spam (label ") and "is spam" in said
    missing = pipelineos("analyzer", "verdict", "999999", "spam", cwd=tmp_path, **db)
    assert missing.returncode == 1 and "No post 999999" in missing.stderr
    wrong = pipelineos("analyzer", "verdict", str(posts["Sam"]), "maybe", cwd=tmp_path, **db)
    assert wrong.returncode == 2 and "verdict must be one of lead, not_lead, spam" in wrong.stderr
    status = ok(pipelineos("analyzer", "status", cwd=tmp_path, **db))
    assert "(shipped with the package)" in status and "labels: 1 from the owner" in status
    assert "last retrain: never" in status

    retrained = ok(pipelineos("analyzer", "retrain", cwd=tmp_path, **db))
    assert "labels: 1 from the owner, 0 from Claude" in retrained
    assert "before " in retrained and "after " in retrained and "all      posts" in retrained
    replaced = " replaces " in retrained
    assert replaced or "kept " in retrained
    with psycopg.connect(migrated_url) as conn:
        active = conn.execute("SELECT model_id FROM analyzer_models WHERE active").fetchall()
    assert len(active) == (1 if replaced else 0)
    status = ok(pipelineos("analyzer", "status", cwd=tmp_path, **db))
    assert ("(retrained here)" in status) is replaced
    assert ("replaced the model" if replaced else "kept out") in status and "1 labels" in status

    rule_id = muted.split("(rule ")[1].rstrip(")\n")
    assert ok(pipelineos("analyzer", "unmute", rule_id, cwd=tmp_path, **db)).startswith(
        f"removed rule {rule_id}")
    gone = pipelineos("analyzer", "unmute", rule_id, cwd=tmp_path, **db)
    assert gone.returncode == 1 and f"No noise rule {rule_id}" in gone.stderr


def test_train_rebuilds_the_shipped_model(tmp_path: Path) -> None:
    """The command rebuilds the shipped model from the repository's data: the same n-grams,
    the same held-out figures, weights equal up to floating-point rounding (numpy's SIMD
    kernels differ between CPUs and releases in the ninth decimal, so bytes can differ across
    machines; on one machine the file is byte-identical, tests/unit/test_learned_model.py)."""
    trained = ok(pipelineos("analyzer", "train", "--out", str(tmp_path / "m.npz"),
                            cwd=tmp_path))
    assert "all      posts" in trained and f"wrote {tmp_path / 'm.npz'}" in trained
    rebuilt, shipped = LearnedModel.load(tmp_path / "m.npz"), LearnedModel.load(SHIPPED)
    assert np.array_equal(rebuilt.keys, shipped.keys)
    assert (rebuilt.categories, rebuilt.threshold) == (shipped.categories, shipped.threshold)
    assert rebuilt.meta["held_out_scores"] == shipped.meta["held_out_scores"]
    # The n-gram table is stored as float16: a rounding difference moves a weight one step.
    assert np.allclose(rebuilt.text, shipped.text, rtol=2e-3, atol=1e-4)
    for name in ("lead_rules", "category_rules", "category_bias", "urgency_rules",
                 "urgency_bias"):
        assert np.allclose(getattr(rebuilt, name), getattr(shipped, name), rtol=0, atol=1e-6)
    assert abs(rebuilt.lead_bias - shipped.lead_bias) < 1e-6
