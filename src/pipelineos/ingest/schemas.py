"""What a client may send. Limits are explicit so bad input is a precise 422, never a 500."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints,
                      field_validator)

from pipelineos.ingest.posts import NewPost

MAX_POST_CHARS = 10_000
MAX_GROUP_CHARS = 200

PostText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=MAX_POST_CHARS)]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=MAX_GROUP_CHARS)]

# Where a post came from: the same limits as bulk items (ingest/items.py).
Author = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
SourceId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def iso_only(value: object) -> object:
    """Refuse what pydantic would read as seconds since 1970 ("0.5", 1764300000): the schema
    promises an ISO 8601 date-time."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("must be an ISO 8601 date-time with a time zone")
    return value


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail at insert.
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class AnalyzeRequest(BaseModel):
    """``POST /api/leads/analyze``: one post as seen in a group."""

    model_config = ConfigDict(extra="forbid")

    post_text: PostText = Field(description="The post, as written.")
    group_name: GroupName = Field(description="The group it was posted in.")
    # Where it came from, when known: a post sent again with the same source and source id
    # is recognised and changes nothing; repeats are looked for among the author's posts.
    author: Author | None = Field(
        None, description="Who posted it, as the platform names them. Send it when known: "
                          "repeats are looked for among that author's posts.")
    source: Source = Field("api", description="Where it was read (facebook, nextdoor...).")
    source_id: SourceId | None = Field(
        None, description="The platform's id of the post; with `source`, sent twice it is "
                          "stored once.")
    url: Url | None = Field(None, description="A link to the post.")
    posted_at: AwareDatetime | None = Field(
        None, description="When it was posted (ISO 8601 with a time zone); a lead posted more "
                          "than a day ago is stored but not texted.")

    _check_text = field_validator("post_text", "group_name", "author", "source", "source_id",
                                  "url")(_no_nul)

    _check_posted_at = field_validator("posted_at", mode="before")(iso_only)

    def post(self) -> NewPost:
        return NewPost(self.post_text, self.group_name, self.source, self.source_id, self.url,
                       self.author, self.posted_at)
