"""Analysis: deciding whether a post is a lead, for what service, where and how urgent."""
