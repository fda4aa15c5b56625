#!/usr/bin/env python3
"""Validate blind5_posts.jsonl and print count tables (Markdown)."""
import json
import sys
from collections import Counter
from pathlib import Path

KEYS = ["id", "text", "group_name", "kind", "is_lead", "category", "location", "urgency", "language"]
KINDS = ["request", "urgent_request", "contractor_ad", "recommendation_given", "review",
         "diy_question", "price_question", "job_offer", "spam", "off_topic"]
CATS = ["plumbing", "electrical", "hvac", "roofing", "landscaping", "tree_service", "cleaning",
        "pest_control", "handyman", "painting", "appliance_repair", "garage_door", "fencing",
        "flooring", "pool_service", "moving", "locksmith", "pressure_washing", "remodeling",
        "concrete", "other"]
URGS = ["emergency", "soon", "flexible"]
LANGS = ["en", "es"]

path = Path(__file__).resolve().parent / "blind5_posts.jsonl"
errors = []
posts = []
with open(path, encoding="utf-8") as fh:
    for n, line in enumerate(fh, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON: {e}")
            continue
        if list(obj.keys()) != KEYS:
            errors.append(f"line {n}: keys {list(obj.keys())} != {KEYS}")
            continue
        posts.append(obj)

for i, p in enumerate(posts, 1):
    pid = p["id"]
    if pid != f"b5-{i:03d}":
        errors.append(f"{pid}: expected id b5-{i:03d} (ids must be unique and sequential)")
    if not isinstance(p["text"], str) or not p["text"].strip():
        errors.append(f"{pid}: empty text")
    if not isinstance(p["group_name"], str) or not p["group_name"].strip():
        errors.append(f"{pid}: empty group_name")
    if p["kind"] not in KINDS:
        errors.append(f"{pid}: bad kind {p['kind']!r}")
    if not isinstance(p["is_lead"], bool):
        errors.append(f"{pid}: is_lead not bool")
    if p["category"] is not None and p["category"] not in CATS:
        errors.append(f"{pid}: bad category {p['category']!r}")
    if p["language"] not in LANGS:
        errors.append(f"{pid}: bad language {p['language']!r}")
    if p["urgency"] is not None and p["urgency"] not in URGS:
        errors.append(f"{pid}: bad urgency {p['urgency']!r}")
    if p["is_lead"]:
        if p["category"] is None:
            errors.append(f"{pid}: lead without category")
        if p["urgency"] is None:
            errors.append(f"{pid}: lead without urgency")
        if p["kind"] not in ("request", "urgent_request"):
            errors.append(f"{pid}: lead with kind {p['kind']}")
    else:
        if p["urgency"] is not None:
            errors.append(f"{pid}: non-lead with urgency")
    if (p["kind"] == "urgent_request") != (p["urgency"] == "emergency"):
        errors.append(f"{pid}: urgent_request must appear exactly when urgency is emergency")
    if p["category"] is None and p["kind"] not in ("spam", "off_topic"):
        errors.append(f"{pid}: null category only allowed for spam/off_topic")
    loc = p["location"]
    if loc is not None and (not isinstance(loc, str) or loc not in p["text"]):
        errors.append(f"{pid}: location {loc!r} is not a substring of text")

texts = Counter(p["text"] for p in posts)
for t, c in texts.items():
    if c > 1:
        errors.append(f"duplicate text ({c}x): {t[:60]!r}")
ids = Counter(p["id"] for p in posts)
for i, c in ids.items():
    if c > 1:
        errors.append(f"duplicate id {i}")

if errors:
    print("FAILED:")
    for e in errors:
        print("  " + e)
    sys.exit(1)

total = len(posts)
leads = [p for p in posts if p["is_lead"]]
emerg = [p for p in posts if p["urgency"] == "emergency"]

def pct(a, b):
    return f"{100 * a / b:.1f}%"

print("OK: all checks passed\n")
print("| | count |\n|---|---|")
print(f"| total posts | {total} |")
print(f"| leads (`is_lead: true`) | {len(leads)} ({pct(len(leads), total)}) |")
print(f"| not leads | {total - len(leads)} |\n")

uc = Counter(p["urgency"] for p in leads)
print("| urgency (leads only) | count |\n|---|---|")
for u in URGS:
    print(f"| {u} | {uc[u]} |")
print()

print("### By kind")
print("| kind | lead | not lead | total |\n|---|---|---|---|")
for k in KINDS:
    n_lead = sum(1 for p in posts if p["kind"] == k and p["is_lead"])
    n = sum(1 for p in posts if p["kind"] == k and not p["is_lead"])
    print(f"| {k} | {n_lead} | {n} | {n_lead + n} |")
print()

print("### By category")
print("| category | all posts | leads |\n|---|---|---|")
for c in CATS + [None]:
    a = sum(1 for p in posts if p["category"] == c)
    n_lead = sum(1 for p in leads if p["category"] == c)
    print(f"| {c if c else 'null'} | {a} | {n_lead} |")
print()

print("### By language")
print("| language | all posts | leads | emergencies |\n|---|---|---|---|")
for lg in LANGS:
    a = sum(1 for p in posts if p["language"] == lg)
    n_lead = sum(1 for p in leads if p["language"] == lg)
    e = sum(1 for p in emerg if p["language"] == lg)
    print(f"| {lg} | {a} ({pct(a, total)}) | {n_lead} | {e} |")
print()

print("### Other")
print("| other | count |\n|---|---|")
print(f"| `location` null (all posts) | {sum(1 for p in posts if p['location'] is None)} |")
print(f"| `location` null (leads) | {sum(1 for p in leads if p['location'] is None)} |")
print(f"| distinct `group_name` values | {len(set(p['group_name'] for p in posts))} |")
