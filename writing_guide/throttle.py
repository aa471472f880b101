"""Slow down guessing (passwords, join codes) and floods (sign-ups, reset emails) without locking
out the people who share an address with the guesser.

A whole class often reaches us from one address (a school's NAT, a proxy), so one person's
mistakes must never lock out the others. Each throttle uses some of three counts:

- per (address, account) pair: a few free failures, then a wait that doubles with each further
  failure. This is what someone who mistypes their own password meets, and nobody else.
- per account, over a window: a ceiling on failures from everywhere, against guessing one
  password from many addresses. For log-ins it holds back only the addresses that have failed for
  that account, so the owner logging in from anywhere else is never locked out.
- per address, over a window: a loose ceiling for floods. Join codes keep accepting the right
  code over it (only wrong ones are refused), so the classmates of a guesser still get in.

Every refusal says how long to wait (`retry_after`, the `Retry-After` header and `too_many`).

The counts live in the default cache, which every worker shares (Redis in production, the
database otherwise). When that cache cannot be reached, each process counts in its own memory
(the limits then hold per worker) and logs a warning once per outage: a dead Redis must not
stop anyone logging in.
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.shortcuts import render
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# The time, in seconds: tests replace it to move time on without waiting.
clock = time.time

# What a cache raises when it cannot be reached: Redis's errors, or the socket's.
CACHE_ERRORS = (RedisError, OSError)
# While the shared cache is down, ask it again this often (each try may cost a connect timeout).
SHARED_CACHE_RETRY_SECONDS = 30


class _Store:
    """The shared cache, or this process's own memory while the shared cache cannot be reached."""

    def __init__(self):
        self.local = LocMemCache("throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.down_until = None  # set while the shared cache is down: the next time to ask it

    def run(self, operation):
        """operation(cache) on the shared cache, or on local memory if the shared one fails."""
        if self.down_until is not None and clock() < self.down_until:
            return operation(self.local)
        try:
            result = operation(cache)
        except CACHE_ERRORS as error:
            if self.down_until is None:
                logger.warning(
                    "The shared cache cannot be reached (%s: %s); throttles count in each process's memory "
                    "until it is back.",
                    type(error).__name__,
                    error,
                )
            self.down_until = clock() + SHARED_CACHE_RETRY_SECONDS
            return operation(self.local)
        if self.down_until is not None:
            logger.warning("The shared cache answers again; throttles count there again.")
            self.down_until = None
        return result

    def start_afresh(self):
        """No outage, nothing counted locally (for tests)."""
        self.local.clear()
        self.down_until = None


store = _Store()


def _digest(*parts):
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def _network(address):
    """What to count an address as: an IPv6 client owns a whole /64 and could pick a new address
    for every try, so it is counted as its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _add_one(cache_, key, timeout):
    if cache_.add(key, 1, timeout):
        return
    try:
        cache_.incr(key)
    except ValueError:  # expired between add and incr
        cache_.add(key, 1, timeout)
        return
    cache_.touch(key, timeout)  # the database cache's incr() drops the timeout back to the default


@dataclass(frozen=True)
class Throttle:
    name: str
    window_seconds: int
    # Per (address, account) pair: failures before the waits begin (None: no pair count), the
    # first wait, doubling with each further failure, and the longest.
    free_failures: int | None = None
    first_wait: int = 15
    longest_wait: int = 15 * 60
    # Per account and per address: failures in a window (None: not counted).
    account_limit: int | None = None
    address_limit: int | None = None
    # Log-ins: an account over its limit holds back only the addresses that failed for it.
    account_limit_spares_clean_addresses: bool = False
    # False: the address limit refuses nothing by itself; the view asks `address_retry_after`
    # when the answer was wrong (join codes: the right code always works).
    address_limit_blocks: bool = True

    def wait_after(self, failures):
        """Seconds a pair waits after its `failures`-th failure."""
        if self.free_failures is None or failures <= self.free_failures:
            return 0
        return min(self.longest_wait, self.first_wait * 2 ** min(failures - self.free_failures - 1, 30))

    def retry_after(self, *, address, account=""):
        """Seconds before this address may try this account (0: now)."""
        now = clock()
        keys = self._keys(address, account, now)
        if not keys:
            return 0
        found = store.run(lambda cache_: cache_.get_many(list(keys.values())))
        pair_wait, pair_failed = self._pair_state(found.get(keys.get("pair")), now)
        waits = [pair_wait]
        if self.account_limit is not None and found.get(keys.get("account"), 0) >= self.account_limit:
            if pair_failed or not self.account_limit_spares_clean_addresses:
                waits.append(self._window_left(now))
        if self.address_limit_blocks and self._address_over(found.get(keys.get("address"), 0)):
            waits.append(self._window_left(now))
        return max(waits)

    def address_retry_after(self, address):
        """Seconds before this address is under its limit again (0: it is under it now)."""
        now = clock()
        key = self._keys(address, "", now).get("address")
        if key is None:
            return 0
        return self._window_left(now) if self._address_over(store.run(lambda cache_: cache_.get(key, 0))) else 0

    def record(self, *, address, account=""):
        """Count one failure (or, for throttles that count every request, one request)."""
        now = clock()
        keys = self._keys(address, account, now)

        def count(cache_):
            if "pair" in keys:
                state = cache_.get(keys["pair"])
                _, failed = self._pair_state(state, now)
                failures = state[0] + 1 if failed else 1
                cache_.set(keys["pair"], (failures, now), self.wait_after(failures) + self.window_seconds)
            for kind in ("account", "address"):
                if kind in keys:
                    _add_one(cache_, keys[kind], 2 * self.window_seconds)

        store.run(count)

    def forget(self, *, address, account):
        """The right password (or a new one): the account and this address's pair start afresh."""
        keys = self._keys(address, account, clock())
        names = [keys[kind] for kind in ("pair", "account") if kind in keys]
        store.run(lambda cache_: cache_.delete_many(names))

    def _keys(self, address, account, now):
        window = int(now // self.window_seconds)
        keys = {}
        if self.free_failures is not None and address and account:
            keys["pair"] = f"throttle:{self.name}:pair:{_digest(_network(address), account)}"
        if self.account_limit is not None and account:
            keys["account"] = f"throttle:{self.name}:account:{_digest(account)}:{window}"
        if self.address_limit is not None and address:
            keys["address"] = f"throttle:{self.name}:address:{_digest(_network(address))}:{window}"
        return keys

    def _pair_state(self, state, now):
        """(seconds to wait, whether the pair has failed lately) for a stored (failures, last failure)."""
        if state is None:
            return 0, False
        failures, last = state
        wait = self.wait_after(failures)
        if now >= last + wait + self.window_seconds:  # quiet for a whole window since the wait ended
            return 0, False
        return max(0, math.ceil(last + wait - now)), True

    def _address_over(self, count):
        return self.address_limit is not None and count >= self.address_limit

    def _window_left(self, now):
        """Seconds to the end of the current window (the counts are per fixed window)."""
        return max(1, math.ceil((int(now // self.window_seconds) + 1) * self.window_seconds - now))


# Log-ins: 5 free tries per address and account, then 15 s, 30 s, 1 min ... up to 15 min
# between tries; after 10 failures in 15 min from anywhere, the addresses that failed wait for
# the window to end. No per-address limit: it would lock out a whole class behind one NAT.
LOGIN = Throttle(
    "login",
    window_seconds=15 * 60,
    free_failures=5,
    account_limit=10,
    account_limit_spares_clean_addresses=True,
)
# Wrong join codes: the same backoff per account and address, 10 per account in 15 min, and a
# loose 300 per address in 15 min past which wrong codes answer 429 (right codes still join).
# Codes are 50 random bits, so this is about floods, not about guessing.
JOIN_CODE = Throttle(
    "join-code",
    window_seconds=15 * 60,
    free_failures=5,
    account_limit=10,
    address_limit=300,
    address_limit_blocks=False,
)
# Every sign-up counts (each hashes a password): 200 per address in 15 min lets a class of 100
# sign up together, with room for typos, and stops a flood.
SIGNUP = Throttle("signup", window_seconds=15 * 60, address_limit=200)
# Every reset request counts (not only failures): the account key is the address typed, so nobody
# can fill a person's inbox, and the answer is the same whether or not an account has that email.
PASSWORD_RESET = Throttle("password-reset", window_seconds=60 * 60, account_limit=3, address_limit=60)


def client_address(request):
    """The client's address. With TRUSTED_PROXY_COUNT = 0, the socket's peer (REMOTE_ADDR). With
    N proxies in front, the address the outermost of them saw: the Nth entry from the right of
    X-Forwarded-For, since each proxy appends the address it was called from and anything further
    left was written by the client. A header too short or not an address gives REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies].strip()))
    except ValueError:
        return remote


def how_long(seconds):
    """A wait in words: "40 seconds", "1 minute", "15 minutes"."""
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def too_many(request, message, retry_after, *, offer_reset=False):
    """The 429 answer to a throttled request: our page, saying how long to wait, and `Retry-After`."""
    context = {"message": message, "wait": how_long(retry_after), "offer_reset": offer_reset}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
