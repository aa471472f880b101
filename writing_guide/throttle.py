"""Count failures (wrong passwords, wrong join codes, reset requests) per account and per address.

An address gets a higher limit than an account: a whole class often shares one address (a
school's NAT), and one student's typos must not lock out the others. An account's limit stops
guessing one password; the address limit stops one machine from trying many accounts.

The counts live in the default cache, which every worker shares (Redis in production, the
database otherwise), so the limit holds however many workers serve the requests.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Throttle:
    name: str
    per_account_limit: int
    per_address_limit: int
    window_seconds: int

    def _limit(self, kind):
        return self.per_address_limit if kind == "address" else self.per_account_limit

    def _cache_key(self, kind, value):
        digest = hashlib.sha256(str(value).encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{kind}:{digest}"

    def is_blocked(self, **keys):
        """True when any of the given keys (account=..., address=...) has used up its failures."""
        limits = {self._cache_key(kind, value): self._limit(kind) for kind, value in keys.items() if value}
        counts = cache.get_many(list(limits))
        return any(count >= limits[name] for name, count in counts.items())

    def record_failure(self, **keys):
        for kind, value in keys.items():
            if not value:
                continue
            name = self._cache_key(kind, value)
            if not cache.add(name, 1, self.window_seconds):
                try:
                    cache.incr(name)
                except ValueError:  # expired between add and incr
                    cache.add(name, 1, self.window_seconds)

    def reset(self, **keys):
        cache.delete_many([self._cache_key(kind, value) for kind, value in keys.items() if value])


LOGIN = Throttle("login", per_account_limit=5, per_address_limit=50, window_seconds=15 * 60)
JOIN_CODE = Throttle("join-code", per_account_limit=10, per_address_limit=100, window_seconds=15 * 60)
# Every reset request counts (not only failures): the account key is the address typed, so nobody
# can fill a person's inbox, and the answer is the same whether or not an account has that email.
PASSWORD_RESET = Throttle("password-reset", per_account_limit=3, per_address_limit=20, window_seconds=60 * 60)


def client_address(request):
    """The client's address as the server saw it (REMOTE_ADDR; a proxy must set it correctly)."""
    return request.META.get("REMOTE_ADDR", "")
