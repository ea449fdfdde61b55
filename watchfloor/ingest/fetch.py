"""HTTP(S) fetching with timeouts, a size cap and no requests to private addresses by default."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from watchfloor import __version__

USER_AGENT = f"watchfloor/{__version__} (+offline analyst tool)"
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A URL could not be fetched; the message is shown to the user as is."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    data: bytes


def check_address(url: str, allow_private: bool) -> None:
    """Refuse non-HTTP schemes and hosts resolving to private, loopback or link-local addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be ingested, not {parts.scheme or 'none'}")
    if not parts.hostname:
        raise FetchError("URL has no host name")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {parts.hostname} ({exc.strerror}); check the URL") from exc
    if allow_private:
        return
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise FetchError(
                f"refusing to fetch {parts.hostname} ({ip}): private or loopback address; "
                "pass --allow-private if you mean it"
            )


def fetch(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> Fetched:
    """GET a URL, checking every redirect hop, and stop reading past ``max_bytes``."""
    current = url
    with httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_address(current, allow_private)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        current = urljoin(current, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"server answered HTTP {response.status_code}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise FetchError(_too_big(declared, max_bytes))
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(_too_big(size, max_bytes))
                        chunks.append(chunk)
                    return Fetched(current, response.headers.get("content-type", ""), b"".join(chunks))
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {timeout:g} s; check the address or retry later") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch ({type(exc).__name__}: {exc})") from exc
    raise FetchError(f"more than {MAX_REDIRECTS} redirects; open the URL in a browser to check it")


def _too_big(size: int, cap: int) -> str:
    return (
        f"response is larger than the {cap / 1e6:.0f} MB cap (at least {size / 1e6:.1f} MB); pass --max-mb to raise it"
    )
