"""RSS 2.0 and Atom feeds: fetched with httpx (conditional GET), read by feedparser.

This package is the only importer of feedparser.
"""

from pipelineos.integrations.rss.feed import FeedReader

__all__ = ["FeedReader"]
