"""Apprise: the only package that imports ``apprise`` (issue 16's channels beside SMS).

:func:`load_channels` turns ``ALERT_CHANNELS`` (URLs separated by spaces or commas) and
``ALERT_CHANNELS_CONFIG`` (an Apprise config file, text or YAML, whose tags route kinds of alert)
into :class:`Channel` objects, one per URL. A channel is known everywhere else by ``key`` (a
hash of its URL) and ``label`` (the URL with its secrets masked); the URL itself never leaves
this module except into Apprise.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import apprise

from pipelineos.errors import PipelineError

KINDS = ("hot", "critical", "digest")
# Between URLs: spaces or commas, but only where the next URL starts (a URL may hold commas).
_SEPARATOR = re.compile(r"[\s,]+(?=[A-Za-z][A-Za-z0-9+.-]*://)")
_SECRET_NAME = re.compile(r"key|token|pass|secret|auth|pw", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

# Apprise logs each request it makes, some with the full URL; ours say what happened, by label.
logging.getLogger("apprise").setLevel(logging.CRITICAL)


class ChannelConfigError(PipelineError):
    """ALERT_CHANNELS or ALERT_CHANNELS_CONFIG names something Apprise cannot use."""


class ChannelFailed(PipelineError):
    """The channel's service did not take the notification (Apprise reported failure)."""


@dataclass(frozen=True)
class Channel:
    """One Apprise URL. ``send`` raises :class:`ChannelFailed`; nothing else is addressable."""

    key: str
    label: str
    scheme: str
    kinds: frozenset[str]
    secrets: tuple[str, ...] = field(repr=False)
    _plugin: apprise.plugins.NotifyBase = field(repr=False, compare=False)

    async def send(self, title: str, body: str, *, html: bool = False) -> None:
        body_format = apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT
        try:
            ok = await self._plugin.async_notify(body=body, title=title, body_format=body_format)
        except Exception as error:  # a plugin bug or an unexpected transport error
            raise ChannelFailed(f"{self.scheme} raised {type(error).__name__}") from None
        if not ok:
            raise ChannelFailed(f"{self.scheme} did not accept the notification")

    @property
    def breaker_name(self) -> str:
        """A name for health and metrics that reveals nothing of the URL."""
        return f"channel-{self.scheme}-{self.key[:8]}"


def split_urls(text: str | None) -> list[str]:
    """The URLs of an ``ALERT_CHANNELS`` value, in order."""
    if not text or not text.strip():
        return []
    return [part.strip(" ,") for part in _SEPARATOR.split(text.strip()) if part.strip(" ,")]


def scheme_of(url: str) -> str:
    found = _SCHEME.match(url.strip())
    return found.group(1).lower() if found else "?"


def _url(plugin: apprise.plugins.NotifyBase, *, privacy: bool) -> str:
    return str(plugin.url(privacy=privacy))  # type: ignore[no-untyped-call]  # Apprise's own


def _secrets_of(url: str, plugin: apprise.plugins.NotifyBase, label: str) -> tuple[str, ...]:
    """Parts of ``url`` that the redacted form hides: the password, every host, user or path
    piece (the tokens of slack://, tgram://, …) that does not appear in ``label``, and query
    values named like a secret."""
    found = {url, _url(plugin, privacy=False)}
    before_query, _, query = url.partition("?")
    _, _, rest = before_query.partition("://")
    for piece in re.split(r"[/:@]", rest):
        for value in (piece, unquote(piece)):
            if len(value) >= 4 and value not in label:
                found.add(value)
    for name, value in parse_qsl(query):
        if _SECRET_NAME.search(name):
            found.add(value)
    return tuple(sorted((s for s in found if len(s) >= 4), key=len, reverse=True))


def make_channel(url: str, tags: Iterable[str] = (),
                 plugin: apprise.plugins.NotifyBase | None = None) -> Channel:
    """The channel for one URL (or the ``plugin`` a config file made from it); ``tags`` limit
    the kinds it gets (an untagged channel gets every kind)."""
    tags = [str(tag).strip().lower() for tag in tags]
    if plugin is None:
        made = apprise.Apprise.instantiate(url)
        if made is None or isinstance(made, bool):
            raise ChannelConfigError(
                f"not a notification URL Apprise can use: {scheme_of(url)}://… "
                "(see https://github.com/caronc/apprise/wiki for the URL of each service)")
        plugin = made
    canonical = _url(plugin, privacy=False)
    key = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    label = _url(plugin, privacy=True).split("?", 1)[0]
    kinds = frozenset(set(tags) & set(KINDS)) if tags else frozenset(KINDS)
    return Channel(key=key, label=label, scheme=scheme_of(url), kinds=kinds,
                   secrets=_secrets_of(url, plugin, label), _plugin=plugin)


def load_channels(urls: str | None, config_path: Path | None) -> list[Channel]:
    """Every configured channel, URLs first, then the config file's; a URL named twice (same
    canonical form) is one channel with the union of its kinds."""
    channels = [make_channel(url) for url in split_urls(urls)]
    if config_path is not None:
        if not config_path.is_file():
            raise ChannelConfigError(f"ALERT_CHANNELS_CONFIG: no such file {config_path}")
        config = apprise.AppriseConfig()
        config.add(str(config_path))
        services = config.services()
        if not services:
            raise ChannelConfigError(
                f"ALERT_CHANNELS_CONFIG: {config_path} names no notification URL Apprise "
                "can use")
        for service in services:
            channels.append(make_channel(_url(service, privacy=False),
                                         [str(tag) for tag in service.tags], service))
    merged: dict[str, Channel] = {}
    for channel in channels:
        seen = merged.get(channel.key)
        if seen is None:
            merged[channel.key] = channel
        else:
            merged[channel.key] = Channel(
                key=seen.key, label=seen.label, scheme=seen.scheme,
                kinds=seen.kinds | channel.kinds,
                secrets=tuple(sorted(set(seen.secrets) | set(channel.secrets), key=len,
                                     reverse=True)),
                _plugin=seen._plugin)
    return list(merged.values())


def redact(text: str, channels: Iterable[Channel]) -> str:
    """``text`` with every channel's secrets masked (for an error message from a plugin)."""
    for channel in channels:
        for secret in channel.secrets:
            text = text.replace(secret, "****")
    return text
