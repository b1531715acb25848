"""Where the crawler may connect: never to a loopback, private, link-local, multicast, reserved or
unspecified address (IPv4 or IPv6, IPv4-mapped forms too), checked on the addresses DNS gives, so
a feed's link, a redirect hop or a rebinding name cannot reach inside the network the crawler
runs in. Scrapy connects only to what its resolver hands over: this resolver hands over no
refused address, and remembers why, so the page row says `refused: ...`.

The snapshot mirror (demo, tests, benches) listens on loopback: `ALLOWED_ADDRESSES` names the
hosts or addresses that may be private anyway (run_crawl sets it to the mirror's).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingHostnameResolver
from twisted.internet.interfaces import IResolutionReceiver
from zope.interface import implementer

# host -> why it was refused, for the spider's record of the failed fetch (one crawl per process)
REFUSED: dict[str, str] = {}


def refusal(host: str, address: str) -> str | None:
    """Why connecting to `address` (for `host`) is refused, or None when it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"refused: {host} resolves to {address!r}, not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    kinds = (("loopback", ip.is_loopback), ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
             ("unspecified", ip.is_unspecified), ("private", ip.is_private), ("reserved", ip.is_reserved),
             ("non-public", not ip.is_global))  # fmt: skip
    kind = next((name for name, flag in kinds if flag), None)
    return f"refused: {host} is a {kind} address ({ip})" if kind else None


@implementer(IResolutionReceiver)
class _PublicOnly:
    """Passes on the addresses a resolution finds, except refused ones (recorded in REFUSED)."""

    def __init__(self, receiver: Any, host: str) -> None:
        self.receiver, self.host = receiver, host

    def resolutionBegan(self, resolution: Any) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: Any) -> None:
        reason = refusal(self.host, address.host)
        if reason:
            REFUSED.setdefault(self.host, reason)
        else:
            self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


class GuardedResolver(CachingHostnameResolver):
    """Scrapy's caching resolver (IPv4 and IPv6) that never hands over a refused address; names
    in ALLOWED_ADDRESSES resolve as they are."""

    allowed: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allowed = frozenset(h.strip("[]").lower() for h in crawler.settings.getlist("ALLOWED_ADDRESSES"))
        return resolver

    def resolveHostName(
        self, resolutionReceiver: Any, hostName: str, portNumber: int = 0,
        addressTypes: Sequence[Any] | None = None, transportSemantics: str = "TCP",
    ) -> Any:  # fmt: skip
        host = hostName.strip("[]").lower()
        receiver = resolutionReceiver if host in self.allowed else _PublicOnly(resolutionReceiver, host)
        return super().resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)
