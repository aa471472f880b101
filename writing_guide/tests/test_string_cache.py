"""The cache of rendered parts (`writing_guide.cache.StringCache`): what is set is read back, many at
once, until it expires or the entry limit culls it; anything but a string is refused."""

import time

import pytest

from writing_guide.cache import StringCache


@pytest.fixture
def cache(request):
    cache = StringCache(f"test-{request.node.name}", {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    yield cache
    cache.clear()


def test_parts_set_together_are_read_together_and_a_missing_one_is_left_out(cache):
    cache.set_many({"a": "<li>A</li>", "b": "<li>B</li>"}, 60)
    assert cache.get_many(["a", "b", "c"]) == {"a": "<li>A</li>", "b": "<li>B</li>"}
    assert cache.get("a") == "<li>A</li>" and cache.get("c", "none") == "none"


def test_an_expired_part_is_missing_until_set_again(cache, monkeypatch):
    cache.set("a", "old", 60)
    now = time.time()
    monkeypatch.setattr("writing_guide.cache.time.time", lambda: now + 61)
    assert cache.get_many(["a"]) == {}
    cache.set("a", "new", 60)
    assert cache.get("a") == "new"


def test_past_the_entry_limit_the_least_recently_read_go_first(cache):
    cache.set_many({str(n): f"part {n}" for n in range(10)}, 60)
    assert cache.get("0") == "part 0"  # read: now the most recent
    cache.set("new", "part new", 60)  # the eleventh: half are culled, least recently read first
    kept = cache.get_many([str(n) for n in range(10)] + ["new"])
    assert "0" in kept and "new" in kept and "1" not in kept
    assert len(kept) == 6


def test_anything_but_a_string_is_refused_and_nothing_is_kept(cache):
    with pytest.raises(TypeError):
        cache.set_many({"a": "fine", "b": ["a", "list"]}, 60)
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(NotImplementedError):
        cache.add("c", "x")
