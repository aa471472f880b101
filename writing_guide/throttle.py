"""Count failures (wrong passwords, wrong join codes) per account and per address.

The counts live in the default cache, which every worker shares (Redis in production, the
database otherwise), so the limit holds however many workers serve the requests.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Throttle:
    name: str
    per_key_limit: int
    window_seconds: int

    def _cache_key(self, kind, value):
        digest = hashlib.sha256(str(value).encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{kind}:{digest}"

    def is_blocked(self, **keys):
        """True when any of the given keys (account=..., address=...) has used up its failures."""
        names = [self._cache_key(kind, value) for kind, value in keys.items() if value]
        counts = cache.get_many(names)
        return any(count >= self.per_key_limit for count in counts.values())

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


LOGIN = Throttle("login", per_key_limit=5, window_seconds=15 * 60)
JOIN_CODE = Throttle("join-code", per_key_limit=10, window_seconds=15 * 60)


def client_address(request):
    """The client's address as the server saw it (REMOTE_ADDR; a proxy must set it correctly)."""
    return request.META.get("REMOTE_ADDR", "")
