"""What a client may send. Limits are explicit so bad input is a precise 422, never a 500."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from pipelineos.ingest.posts import NewPost
from pipelineos.inputs import TextRule

MAX_POST_CHARS = 10_000
MAX_GROUP_CHARS = 200

# The text rule for each field of a post, shared with bulk items (ingest/items.py).
POST_TEXT = TextRule(MAX_POST_CHARS, one_line=False)
GROUP_NAME = TextRule(MAX_GROUP_CHARS)
AUTHOR = TextRule(200)
SOURCE = TextRule(50)
SOURCE_ID = TextRule(300)
URL = TextRule(2000)

PostText = Annotated[str, POST_TEXT]
GroupName = Annotated[str, GROUP_NAME]
Author = Annotated[str, AUTHOR]
Source = Annotated[str, SOURCE]
SourceId = Annotated[str, SOURCE_ID]
Url = Annotated[str, URL]

_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def iso_only(value: object) -> object:
    """Refuse what pydantic would read as seconds since 1970 ("0.5", 1764300000): the schema
    promises an ISO 8601 date-time."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("must be an ISO 8601 date-time with a time zone")
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

    _check_posted_at = field_validator("posted_at", mode="before")(iso_only)

    def post(self) -> NewPost:
        return NewPost(self.post_text, self.group_name, self.source, self.source_id, self.url,
                       self.author, self.posted_at)
