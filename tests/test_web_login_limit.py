"""The sign-in rate limit on its own, with a clock moved by hand."""

from __future__ import annotations

from recommender.web.login_limit import ADDRESS_FACTOR, MAX_FAILURES, LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_account_is_paused_after_its_failures_and_free_again_after_the_window() -> None:
    clock = Clock()
    limiter = LoginLimiter(window=900, clock=clock)
    keys = ["name:nurse.jo", "address:10.0.0.1"]
    for _ in range(MAX_FAILURES):
        assert not limiter.blocked(keys)
        limiter.failed(keys)
    assert limiter.blocked(keys)
    assert not limiter.blocked(["name:admin.sam", "address:10.0.0.1"])  # others still may
    clock.now += 901
    assert not limiter.blocked(keys)


def test_one_address_may_fail_more_often_than_one_account() -> None:
    limiter = LoginLimiter(clock=Clock())
    for number in range(MAX_FAILURES * ADDRESS_FACTOR):
        limiter.failed([f"name:guess{number}", "address:proxy"])
    assert limiter.blocked(["name:someone", "address:proxy"])
    assert not LoginLimiter(clock=Clock()).blocked(["address:proxy"])


def test_a_success_clears_the_accounts_count() -> None:
    limiter = LoginLimiter(clock=Clock())
    for _ in range(MAX_FAILURES - 1):
        limiter.failed(["name:nurse.jo"])
    limiter.succeeded(["name:nurse.jo"])
    limiter.failed(["name:nurse.jo"])
    assert not limiter.blocked(["name:nurse.jo"])
