"""Apify: the items of a finished actor run's dataset, read with the official client
(``apify-client``). This package is the only importer of it."""

from pipelineos.integrations.apify.dataset import DatasetReader

__all__ = ["DatasetReader"]
