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


# Ranges a fetch must never reach, besides what ``ipaddress`` calls private, loopback, link-local, reserved,
# multicast or not global: carrier-grade NAT (cloud metadata answers on 100.100.100.200 in some clouds), the
# 6to4 relay anycast, benchmarking and documentation nets, and the IPv6 translation and tunnel prefixes whose
# embedded IPv4 address may be private (checked below as well).
DENY_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
        "::/96", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "fc00::/7",
        "fe80::/10", "fec0::/10", "ff00::/8",
    )
)  # fmt: skip
NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries: IPv4-mapped, 6to4, Teredo (server and client), NAT64."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def refusal(ip: Address) -> str | None:
    """Why a fetch may not connect to ``ip`` (None when it may): anything not plainly on the public internet."""
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in embedded_ipv4(ip):
            if _range_refusal(inner) is not None:
                return f"private or loopback address {inner} inside an IPv6 tunnel or translation address"
    return _range_refusal(ip)


def _range_refusal(ip: Address) -> str | None:
    if any(ip in net for net in DENY_NETWORKS if net.version == ip.version):
        return "private or loopback address (or a reserved range)"
    if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
        return "private or loopback address (or a reserved range)"
    if ip.is_unspecified or not ip.is_global:
        return "private or loopback address (not on the public internet)"
    return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (an IP literal is returned as is, without a lookup)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else "not a valid host name"
        raise FetchError(f"cannot resolve host {host} ({reason}); check the URL") from exc
    found: list[Address] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    if not found:
        raise FetchError(f"cannot resolve host {host}; check the URL")
    return found


def check_address(url: str, allow_private: bool) -> Address:
    """Resolve the URL's host once and return the address to connect to.

    Non-HTTP schemes are refused, and unless ``allow_private``, so is a host with *any* address that is
    private, loopback, link-local, carrier-grade NAT, reserved or an IPv6 form embedding one of those.
    The caller connects to the returned address, never to a second resolution (DNS rebinding).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be ingested, not {parts.scheme or 'none'}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError("URL has an invalid port; check the URL") from exc
    if not parts.hostname:
        raise FetchError("URL has no host name")
    addresses = resolve(parts.hostname, port)
    if not allow_private:
        for ip in addresses:
            reason = refusal(ip)
            if reason is not None:
                raise FetchError(
                    f"refusing to fetch {parts.hostname} ({ip}): {reason}; pass --allow-private if you mean it"
                )
    return addresses[0]


def pinned_request(client: httpx.Client, url: str, ip: Address) -> httpx.Request:
    """A GET for ``url`` sent to ``ip``: the Host header and the TLS server name (SNI and the certificate
    check) stay the URL's host name, so nothing resolves the name a second time."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    netloc = literal + (f":{parts.port}" if parts.port else "")
    target = parts._replace(netloc=netloc).geturl()
    host_header = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    extensions: dict[str, str] = {}
    if parts.scheme == "https" and host.strip("[]") != str(ip):
        extensions["sni_hostname"] = host
    return client.build_request("GET", target, headers={"Host": host_header}, extensions=extensions)


def fetch(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> Fetched:
    """GET a URL, vetting and pinning the address of every redirect hop, and stop reading past ``max_bytes``."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        ip = check_address(current, allow_private)
        # A fresh client per hop: no connection (or TLS session) is reused across host names.
        with httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        ) as client:
            try:
                response = client.send(pinned_request(client, current, ip), stream=True)
                try:
                    if response.is_redirect:
                        current = urljoin(current, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"server answered HTTP {response.status_code}")
                    try:
                        declared = int(response.headers.get("content-length") or 0)
                    except ValueError:
                        declared = 0
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
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {timeout:g} s; check the address or retry later") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch ({type(exc).__name__}: {exc})") from exc
    raise FetchError(f"more than {MAX_REDIRECTS} redirects; open the URL in a browser to check it")


def _too_big(size: int, cap: int) -> str:
    return (
        f"response is larger than the {cap / 1e6:.0f} MB cap (at least {size / 1e6:.1f} MB); pass --max-mb to raise it"
    )
