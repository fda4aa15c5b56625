"""What a client may send. Limits are explicit so bad input is a precise 422, never a 500."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_POST_CHARS = 10_000
MAX_GROUP_CHARS = 200

PostText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=MAX_POST_CHARS)]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=MAX_GROUP_CHARS)]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail at insert.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class AnalyzeRequest(BaseModel):
    """``POST /api/leads/analyze``: one post as seen in a group."""

    model_config = ConfigDict(extra="forbid", str_strict=True)

    post_text: PostText = Field(description="The post, as written.")
    group_name: GroupName = Field(description="The group it was posted in.")

    _check_text = field_validator("post_text", "group_name")(_no_nul)
