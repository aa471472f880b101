"""A local-memory cache for rendered parts: Django's `LocMemCache`, but for strings under keys the
caller made safe (digests), read and written many at once under one lock and kept as they are.

Django's keeps every value pickled and checks every key's letters: for the exercise list's 53 cards,
reading them took 0.3 ms of a page made afresh (bench/README.md). A string needs no pickling (it
cannot be changed in place), and a digest needs no checking. Expiry, the entry limit and culling are
Django's own. Only strings are kept: anything else is refused, as is what needs pickling (add, incr).
"""

import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class StringCache(LocMemCache):
    def get_many(self, keys, version=None):
        found = {}
        now = time.time()
        with self._lock:
            for key in keys:
                made = self.make_key(key, version=version)
                expires = self._expire_info.get(made, -1)
                if expires is not None and expires <= now:  # missing (-1) or expired: left to be set again
                    continue
                found[key] = self._cache[made]
                self._cache.move_to_end(made, last=False)
        return found

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for value in data.values():
            if not isinstance(value, str):
                raise TypeError(f"StringCache keeps strings only, not {type(value).__name__}")
        with self._lock:
            for key, value in data.items():
                self._set(self.make_key(key, version=version), value, timeout)
        return []

    def get(self, key, default=None, version=None):
        return self.get_many([key], version=version).get(key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        raise NotImplementedError("StringCache keeps rendered strings: get and set them")

    def incr(self, key, delta=1, version=None):
        raise NotImplementedError("StringCache keeps rendered strings: get and set them")
