"""Jobs: scheduled and background work on procrastinate, through the application's one pool.

This package is the only importer of procrastinate.
"""
