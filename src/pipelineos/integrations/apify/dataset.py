"""Reading a run's dataset after Apify's ``ACTOR.RUN.SUCCEEDED`` webhook.

The webhook's default payload names the run (``resource.id``) and its dataset
(``resource.defaultDatasetId``; the source service reads it). :class:`DatasetReader` reads
the items with the official async client, page by page (``iterate_items``), up to
``max_items``. The client's own retries are kept low (the webhook answers 503 and Apify
retries the webhook itself). Its errors are translated at the seam into
:class:`SourceFetchError`, whose message never holds the token.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from apify_client import ApifyClientAsync
from apify_client.errors import ApifyApiError, ApifyClientError

from pipelineos.integrations.sources import SourceFetchError



class DatasetReader:
    def __init__(self, *, api_url: str = "https://api.apify.com", timeout: float = 60.0,
                 max_items: int = 5000) -> None:
        self.api_url = api_url
        self.timeout = timeout
        self.max_items = max_items

    async def items(self, token: str, dataset_id: str) -> list[Any]:
        client = ApifyClientAsync(token, api_url=self.api_url, max_retries=1,
                                  timeout_long=timedelta(seconds=self.timeout))
        found: list[Any] = []
        try:
            async for item in client.dataset(dataset_id).iterate_items(
                    limit=self.max_items, clean=True):
                found.append(item)
        except ApifyApiError as error:
            status = getattr(error, "status_code", None)
            if status in (401, 403):
                raise SourceFetchError("Apify refused the token") from None
            if status == 404:
                raise SourceFetchError(f"Apify has no dataset {dataset_id}") from None
            raise SourceFetchError(f"Apify answered HTTP {status}") from None
        except ApifyClientError as error:
            raise SourceFetchError(f"Apify's answer could not be read "
                                   f"({type(error).__name__})") from None
        except (OSError, TimeoutError) as error:
            raise SourceFetchError(f"Apify cannot be reached ({type(error).__name__})") \
                from None
        return found
