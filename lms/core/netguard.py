"""Server-side fetches of URLs that authors or learners can point at, refusing internal
addresses (SSRF guard).

``safe_fetch`` allows only ``http``/``https`` on the default ports (or those listed in
``ALLELE_FETCH_PORTS``), resolves the host with ``getaddrinfo`` and refuses the URL if
ANY address it resolves to is loopback, private, link-local, multicast, reserved,
unspecified, shared (CGNAT 100.64/10), a cloud metadata address, or an IPv6 form
embedding one of those (IPv4-mapped, 6to4, NAT64, Teredo). Numeric spellings of IPv4
(``0x7f000001``, ``0177.0.0.1``, ``2130706433``, ``127.1``) are read the way the C
resolver reads them, and Unicode digits (``①②⑦.⓪.⓪.①``) through IDNA, before the check.
Names such as ``localhost``, ``*.internal`` and ``metadata.google.internal`` are refused
without a lookup.

Redirects are followed here (never by the HTTP library), and every hop is checked again.
Each request connects to the address that was checked (so a DNS answer that changes
between check and connect, "DNS rebinding", cannot redirect it), while sending the
original name as ``Host`` and as the TLS SNI, and verifying the certificate against it.

``ALLELE_FETCH_ALLOW_PRIVATE = True`` (development and tests only) lifts the address
checks; the scheme, port, name and size limits still apply.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FetchError",
    "FetchFailed",
    "FetchRefused",
    "FetchResponse",
    "check_address",
    "check_url",
    "safe_fetch",
]

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Allele (+https://allele.example/) server-side fetch"

BLOCKED_NAMES = frozenset({"localhost", "metadata", "metadata.google.internal",
                           "instance-data", "instance-data.ec2.internal"})
BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".home.arpa",
                    ".intranet", ".lan", ".corp")
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.169.253", "100.100.100.200",
    "fd00:ec2::254", "fd00:ec2::23",
))
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# Characters no honest URL has and that URL parsers disagree about.
_SUSPECT = re.compile(r"[\\\s\x00-\x1f\x7f\u00a0\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)


class FetchError(Exception):
    """A server-side fetch did not happen or failed; ``message`` is for the user."""

    def __init__(self, message, detail: str = "") -> None:
        super().__init__(f"{message}{': ' + detail if detail else ''}")
        self.message = message
        self.detail = detail


class FetchRefused(FetchError):
    """The URL (or a redirect) points somewhere Allele will not fetch from."""


class FetchFailed(FetchError):
    """The fetch was allowed but failed (network error, timeout, too large)."""


@dataclass(frozen=True)
class FetchResponse:
    url: str
    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.content)


@dataclass(frozen=True)
class Target:
    """One checked hop: where to connect (``ip``) and what to call it (``host``)."""

    scheme: str
    host: str
    port: int
    ip: str
    path: str
    host_header: str


# --- Checks ------------------------------------------------------------------------------


def _allow_private() -> bool:
    return bool(getattr(settings, "ALLELE_FETCH_ALLOW_PRIVATE", False))


def _ports() -> set[int]:
    return {80, 443, *getattr(settings, "ALLELE_FETCH_PORTS", ())}


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    """Raise FetchRefused unless ``ip`` is an ordinary public unicast address."""
    if _allow_private():
        return
    if ip in METADATA:
        raise FetchRefused(_("This address is not allowed."), f"metadata address {ip}")
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None:
            raise FetchRefused(_("This address is not allowed."), f"Teredo address {ip}")
        if ip.scope_id:
            raise FetchRefused(_("This address is not allowed."), f"scoped address {ip}")
        inner = _embedded_ipv4(ip)
        if inner is not None:
            check_address(inner)
            return
    internal = (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or not ip.is_global
                or (ip.version == 4 and ip in CGNAT))
    if internal:
        raise FetchRefused(_("This address is not allowed."), f"internal address {ip}")


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``host`` spells, in any notation the C resolver accepts, or None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host) and not host.endswith("."):
        try:  # decimal, octal, hex and short (127.1) IPv4 forms, as inet_aton reads them
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _host(raw: str) -> str:
    """The ASCII host name (IDNA, lower case, no trailing dot), or FetchRefused."""
    try:
        host = raw.encode("idna").decode("ascii") if not raw.isascii() else raw
    except UnicodeError as error:
        raise FetchRefused(_("This address is not allowed."), f"bad host {raw!r}") from error
    host = host.lower().rstrip(".")
    if not host:
        raise FetchRefused(_("This address is not allowed."), "no host")
    return host


def check_url(url: str) -> Target:
    """The checked hop for ``url``: its scheme, port and every resolved address allowed.

    Raises FetchRefused (and resolves nothing) for any other scheme, a user name or
    password in the URL, a port not allowed, a blocked name or an internal address."""
    if not isinstance(url, str) or _SUSPECT.search(url) or len(url) > 2048:
        raise FetchRefused(_("This is not a valid web address."), repr(url)[:200])
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused(_("Only http and https addresses can be fetched."), scheme)
    if "@" in parts.netloc or not parts.hostname:
        raise FetchRefused(_("This is not a valid web address."), parts.netloc[:200])
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as error:
        raise FetchRefused(_("This is not a valid web address."), "bad port") from error
    if port != DEFAULT_PORTS[scheme] and port not in _ports():
        raise FetchRefused(_("This port is not allowed."), str(port))
    host = _host(parts.hostname)
    literal = _literal(host)
    if literal is None and not _allow_private() and (
            host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES) or "." not in host):
        raise FetchRefused(_("This address is not allowed."), f"internal name {host}")
    addresses = [literal] if literal is not None else _resolve(host, port)
    for address in addresses:
        check_address(address)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    bracketed = f"[{host}]" if ":" in host else host
    host_header = bracketed if parts.port is None else f"{bracketed}:{port}"
    return Target(scheme=scheme, host=host, port=port, ip=str(addresses[0]), path=path,
                  host_header=host_header)


def _resolve(host: str, port: int) -> list:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(_("The address could not be found."), host) from error
    addresses = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchFailed(_("The address could not be found."), host)
    return addresses


# --- Transport -----------------------------------------------------------------------------


def _pool(target: Target, timeout: float) -> urllib3.HTTPConnectionPool:
    """A connection pool to the checked IP that names the original host (Host, SNI and
    certificate check), so nothing is resolved again between check and connect."""
    options = {"timeout": urllib3.Timeout(total=timeout), "retries": False, "maxsize": 1}
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.ip, target.port, server_hostname=target.host,
            assert_hostname=target.host, cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
            **options)
    return urllib3.HTTPConnectionPool(target.ip, target.port, **options)


def _send(target: Target, *, method: str, headers: dict[str, str], body: bytes | None,
          timeout: float, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    """One request, no redirects followed: (status, headers, at most max_bytes of body)."""
    pool = _pool(target, timeout)
    try:
        reply = pool.urlopen(method, target.path, body=body,
                             headers={**headers, "Host": target.host_header},
                             redirect=False, retries=False, preload_content=False,
                             assert_same_host=False)
        try:
            length = reply.headers.get("Content-Length", "")
            if method != "HEAD" and length.isdigit() and int(length) > max_bytes:
                raise FetchFailed(_("The response is too large."), length)
            content = reply.read(max_bytes + 1, decode_content=True) if method != "HEAD" else b""
            if len(content) > max_bytes:
                raise FetchFailed(_("The response is too large."), f"> {max_bytes} bytes")
            return reply.status, dict(reply.headers.items()), content
        finally:
            reply.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise FetchFailed(_("The address could not be reached."), str(error)[:200]) from error
    finally:
        pool.close()


def safe_fetch(url: str, *, method: str = "GET", timeout: float = 10.0,
               max_bytes: int = 2 * 1024 * 1024, max_redirects: int = 5,
               headers: dict[str, str] | None = None,
               params: dict[str, str] | None = None) -> FetchResponse:
    """Fetch ``url``, following at most ``max_redirects`` redirects, each hop checked.

    Raises FetchRefused (a hop is not allowed), FetchFailed (network error, timeout,
    answer over ``max_bytes``, too many redirects); both carry a user-facing ``message``."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **(headers or {})}
    method = method.upper()
    for _hop in range(max_redirects + 1):
        target = check_url(url)
        status, reply_headers, content = _send(target, method=method, headers=sent,
                                               body=None, timeout=timeout,
                                               max_bytes=max_bytes)
        location = {k.lower(): v for k, v in reply_headers.items()}.get("location")
        if status not in REDIRECTS or not location:
            return FetchResponse(url=url, status_code=status, headers=reply_headers,
                                 content=content)
        url = urljoin(url, location.strip())
        if status == 303 or (status in (301, 302) and method not in ("GET", "HEAD")):
            method = "GET"
    raise FetchFailed(_("The address redirects too many times."), str(max_redirects))
