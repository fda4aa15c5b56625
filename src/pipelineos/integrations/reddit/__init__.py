"""Reddit: new posts of chosen subreddits through Reddit's documented JSON listings (with an
app-only OAuth token when a client id and secret are given), honouring its rate-limit headers.
"""

from pipelineos.integrations.reddit.listing import RedditClient, RedditEndpoints

__all__ = ["RedditClient", "RedditEndpoints"]
