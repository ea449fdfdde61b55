"""URL fetching cannot be steered at private addresses: DNS rebinding, CGNAT and IPv6 embeddings, redirects.

Every name is answered by a fake resolver and every connection outside 127.0.0.1 is refused by a guard,
so these tests never resolve or contact any other host, whatever the code under test does.
"""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from watchfloor.ingest import fetch as fetch_mod
from watchfloor.ingest.fetch import FetchError, check_address, fetch, refusal

REAL_GETADDRINFO = socket.getaddrinfo
REAL_CREATE_CONNECTION = socket.create_connection
LOCAL = ipaddress.ip_address("127.0.0.1")

# Addresses that must never be fetched: each is a way to reach private or loopback space.
FORBIDDEN = [
    "100.100.100.200",  # carrier-grade NAT: a cloud metadata service
    "100.64.0.1",
    "127.0.0.1",
    "10.1.2.3",
    "169.254.169.254",
    "[::1]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
    "[2002:a9fe:a9fe::]",  # 6to4 of 169.254.169.254
    "[2002:c0a8:101::1]",  # 6to4 of 192.168.1.1
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",  # Teredo, client 127.0.0.1
    "[fd00::1]",
    "[fe80::1]",
    "0.0.0.0",
]


class Net:
    """A fake DNS (name -> list of answers, consumed in order, the last one repeated) and a connect log."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.connects: list[str] = []

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name)
            return REAL_GETADDRINFO(host, port, *args, **kwargs)  # a literal: no lookup happens
        except ValueError:
            pass
        self.lookups.append(name)
        if name not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        queue = self.answers[name]
        ips = queue.pop(0) if len(queue) > 1 else queue[0]
        out = []
        for ip in ips:
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            number = int(port or 0)
            sockaddr: tuple[Any, ...] = (ip, number, 0, 0) if family == socket.AF_INET6 else (ip, number)
            out.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
        return out

    def create_connection(self, address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        self.connects.append(str(address[0]))
        if str(address[0]) != "127.0.0.1":
            raise ConnectionRefusedError(f"test guard: no connections to {address[0]}")
        return REAL_CREATE_CONNECTION(address, *args, **kwargs)


@pytest.fixture()
def net(monkeypatch: pytest.MonkeyPatch) -> Net:
    fake = Net()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", fake.create_connection)
    return fake


@pytest.fixture()
def local_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 127.0.0.1 stand in for a public web site; every other address keeps the real policy."""
    real: Callable[[Any], str | None] = refusal
    monkeypatch.setattr(fetch_mod, "refusal", lambda ip: None if ip == LOCAL else real(ip))


@pytest.fixture()
def site() -> Iterator[tuple[int, dict[str, Any]]]:
    seen: dict[str, Any] = {"hosts": [], "paths": []}
    redirects: dict[str, str] = {}
    seen["redirects"] = redirects

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen["hosts"].append(self.headers.get("Host"))
            seen["paths"].append(self.path)
            if self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<html><body><p>public page</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1]), seen
    server.shutdown()


def test_fetch_connects_to_the_vetted_address_when_dns_rebinds(
    net: Net, local_is_public: None, site: tuple[int, dict[str, Any]]
) -> None:
    port, seen = site
    # First answer: the "public" site (127.0.0.1 here); any later answer: an internal address.
    net.answers["news.example"] = [["127.0.0.1"], ["10.0.0.5"]]
    got = fetch(f"http://news.example:{port}/a", timeout=5, max_bytes=10_000)
    assert b"public page" in got.data and got.url == f"http://news.example:{port}/a"
    assert net.lookups == ["news.example"]  # resolved once; the connection used that answer
    assert "10.0.0.5" not in net.connects and set(net.connects) == {"127.0.0.1"}
    assert seen["hosts"] == [f"news.example:{port}"]  # the Host header still names the site


@pytest.mark.parametrize("target", FORBIDDEN)
def test_private_cgnat_and_embedded_addresses_are_refused_directly(net: Net, target: str) -> None:
    with pytest.raises(FetchError, match=r"private or loopback.*--allow-private"):
        check_address(f"http://{target}/latest/meta-data/", allow_private=False)
    with pytest.raises(FetchError, match="private or loopback"):
        fetch(f"http://{target}/", timeout=2, max_bytes=1000)
    assert net.connects == []


@pytest.mark.parametrize("target", ["100.100.100.200", "2002:7f00:1::", "64:ff9b::7f00:1", "10.0.0.1"])
def test_a_name_with_any_private_answer_is_refused(net: Net, target: str) -> None:
    net.answers["mixed.example"] = [["93.184.216.34", target]]
    with pytest.raises(FetchError, match=r"refusing to fetch mixed\.example"):
        check_address("https://mixed.example/", allow_private=False)


@pytest.mark.parametrize("target", ["100.100.100.200", "[2002:7f00:1::]", "[64:ff9b::7f00:1]", "internal.example"])
def test_every_redirect_hop_is_vetted_again(
    net: Net, local_is_public: None, site: tuple[int, dict[str, Any]], target: str
) -> None:
    port, seen = site
    net.answers["news.example"] = [["127.0.0.1"]]
    net.answers["internal.example"] = [["100.100.100.200"]]
    seen["redirects"]["/hop"] = f"http://{target}/latest/meta-data/"
    with pytest.raises(FetchError, match="private or loopback"):
        fetch(f"http://news.example:{port}/hop", timeout=5, max_bytes=10_000)
    assert seen["paths"] == ["/hop"]
    assert set(net.connects) == {"127.0.0.1"}


def test_public_addresses_pass_the_policy() -> None:
    for text in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2002:5db8:d822::1"):
        assert refusal(ipaddress.ip_address(text)) is None, text


def test_allow_private_fetches_loopback_and_still_pins(net: Net, site: tuple[int, dict[str, Any]]) -> None:
    port, seen = site
    net.answers["intranet.example"] = [["127.0.0.1"], ["10.9.9.9"]]
    got = fetch(f"http://intranet.example:{port}/x", timeout=5, max_bytes=10_000, allow_private=True)
    assert b"public page" in got.data and set(net.connects) == {"127.0.0.1"}
    assert seen["hosts"] == [f"intranet.example:{port}"]


def test_https_keeps_the_host_name_for_sni(net: Net) -> None:
    import httpx

    ip = ipaddress.ip_address("93.184.216.34")
    with httpx.Client() as client:
        request = fetch_mod.pinned_request(client, "https://news.example/path?q=1", ip)
    assert str(request.url) == "https://93.184.216.34/path?q=1"
    assert request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"
    assert net.connects == []
