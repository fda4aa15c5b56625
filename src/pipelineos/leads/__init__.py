"""Leads: the posts worth acting on, and their progress."""
