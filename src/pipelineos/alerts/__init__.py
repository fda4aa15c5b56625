"""Alerts: telling the owner about hot leads and about trouble (outbox, SMS text, delivery)."""
