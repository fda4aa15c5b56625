#!/usr/bin/env python3
"""Check blind4_posts.jsonl and print its count tables (markdown)."""
import json
import sys
from collections import Counter
from pathlib import Path

# The set ships with the package since it was trained on (after its first look).
POSTS_FILE = (Path(__file__).resolve().parents[2] / "src" / "pipelineos" / "analysis" / "labeled"
              / "blind4" / "blind4_posts.jsonl")

KEYS = ["id", "text", "group_name", "kind", "is_lead", "category", "location",
        "urgency", "language"]
KINDS = ["request", "urgent_request", "contractor_ad", "recommendation_given", "review",
         "diy_question", "price_question", "job_offer", "spam", "off_topic"]
CATEGORIES = ["plumbing", "electrical", "hvac", "roofing", "landscaping", "tree_service",
              "cleaning", "pest_control", "handyman", "painting", "appliance_repair",
              "garage_door", "fencing", "flooring", "pool_service", "moving", "locksmith",
              "pressure_washing", "remodeling", "concrete", "other"]
URGENCIES = ["emergency", "soon", "flexible"]
LANGS = ["en", "es"]


def main():
    path = POSTS_FILE
    errors = []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON ({e})")
            continue
        if list(obj.keys()) != KEYS:
            errors.append(f"line {n}: keys {list(obj.keys())} != {KEYS}")
            continue
        rows.append((n, obj))

    texts = Counter()
    for i, (n, r) in enumerate(rows, 1):
        where = f"line {n} ({r['id']})"
        if r["id"] != f"b4-{i:03d}":
            errors.append(f"{where}: expected id b4-{i:03d}")
        if not isinstance(r["text"], str) or not r["text"].strip():
            errors.append(f"{where}: empty text")
        if not isinstance(r["group_name"], str) or not r["group_name"].strip():
            errors.append(f"{where}: empty group_name")
        if r["kind"] not in KINDS:
            errors.append(f"{where}: bad kind {r['kind']!r}")
        if r["category"] is not None and r["category"] not in CATEGORIES:
            errors.append(f"{where}: bad category {r['category']!r}")
        if r["language"] not in LANGS:
            errors.append(f"{where}: bad language {r['language']!r}")
        if not isinstance(r["is_lead"], bool):
            errors.append(f"{where}: is_lead not a bool")
        if r["is_lead"]:
            if r["kind"] not in ("request", "urgent_request"):
                errors.append(f"{where}: lead with kind {r['kind']}")
            if r["category"] is None:
                errors.append(f"{where}: lead without category")
            if r["urgency"] not in URGENCIES:
                errors.append(f"{where}: lead with urgency {r['urgency']!r}")
        else:
            if r["urgency"] is not None:
                errors.append(f"{where}: non-lead with urgency {r['urgency']!r}")
            if r["category"] is None and r["kind"] not in ("spam", "off_topic"):
                errors.append(f"{where}: null category on a {r['kind']} post")
        if (r["kind"] == "urgent_request") != (r["urgency"] == "emergency"):
            errors.append(f"{where}: urgent_request/emergency mismatch")
        loc = r["location"]
        if loc is not None and (not isinstance(loc, str) or not loc or loc not in r["text"]):
            errors.append(f"{where}: location {loc!r} is not a substring of text")
        texts[r["text"]] += 1
    for t, c in texts.items():
        if c > 1:
            errors.append(f"duplicate text ({c}x): {t[:60]!r}")
    ids = [r["id"] for _, r in rows]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")

    report(rows)
    if errors:
        print("\nFAILED:")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all checks passed")


def report(rows):
    posts = [r for _, r in rows]
    leads = [r for r in posts if r["is_lead"]]
    total = len(posts)
    print("| | count |\n|---|---|")
    print(f"| total posts | {total} |")
    print(f"| leads (`is_lead: true`) | {len(leads)} ({100 * len(leads) / total:.1f}%) |")
    print(f"| not leads | {total - len(leads)} |")

    print("\n| urgency (leads only) | count |\n|---|---|")
    u = Counter(r["urgency"] for r in leads)
    for k in URGENCIES:
        print(f"| {k} | {u[k]} |")

    print("\n### By kind\n| kind | lead | not lead | total |\n|---|---|---|---|")
    for k in KINDS:
        a = sum(1 for r in posts if r["kind"] == k and r["is_lead"])
        b = sum(1 for r in posts if r["kind"] == k and not r["is_lead"])
        print(f"| {k} | {a} | {b} | {a + b} |")

    print("\n### By category\n| category | all posts | leads |\n|---|---|---|")
    for c in CATEGORIES + [None]:
        a = sum(1 for r in posts if r["category"] == c)
        b = sum(1 for r in leads if r["category"] == c)
        print(f"| {c if c else 'null'} | {a} | {b} |")

    print("\n### By language\n| language | all posts | leads | emergencies |\n|---|---|---|---|")
    for lang in LANGS:
        a = sum(1 for r in posts if r["language"] == lang)
        b = sum(1 for r in leads if r["language"] == lang)
        c = sum(1 for r in leads if r["language"] == lang and r["urgency"] == "emergency")
        print(f"| {lang} | {a} | {b} | {c} |")

    print("\n### Other\n| other | count |\n|---|---|")
    print(f"| `location` null (all posts) | {sum(r['location'] is None for r in posts)} |")
    print(f"| `location` null (leads) | {sum(r['location'] is None for r in leads)} |")
    print(f"| distinct `group_name` values | {len(set(r['group_name'] for r in posts))} |")


if __name__ == "__main__":
    main()
