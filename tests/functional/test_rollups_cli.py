"""`flask rollups rebuild | check` run every registered keeper and report what they found."""

import pytest

from vendor_tracker.core import hooks


class FakeKeeper:
    """A keeper that counts what it rebuilt and reports the differences it was given."""

    def __init__(self, items, differences):
        self.items = items
        self.differences = differences
        self.seen = []

    def rebuild(self, progress):
        for item in progress(self.items, "fake"):
            self.seen.append(item)
        return len(self.seen)

    def check(self):
        return list(self.differences)


@pytest.fixture
def keepers(monkeypatch):
    registry = {}
    monkeypatch.setattr(hooks, "ROLLUP_KEEPERS", registry)
    import vendor_tracker.rollups_cli as cli

    monkeypatch.setattr(cli, "ROLLUP_KEEPERS", registry)
    return registry


def test_rebuild_walks_every_item_of_every_keeper(runner, keepers):
    keepers["one"] = FakeKeeper([1, 2, 3], [])
    keepers["two"] = FakeKeeper(["a"], [])
    result = runner.invoke(args=["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert keepers["one"].seen == [1, 2, 3]
    assert keepers["two"].seen == ["a"]
    assert "one: 3 rollup rows rebuilt." in result.output
    assert "two: 1 rollup rows rebuilt." in result.output


def test_rebuild_of_a_named_keeper_leaves_the_others(runner, keepers):
    keepers["one"] = FakeKeeper([1], [])
    keepers["two"] = FakeKeeper(["a"], [])
    result = runner.invoke(args=["rollups", "rebuild", "two"])
    assert result.exit_code == 0, result.output
    assert keepers["one"].seen == []
    assert keepers["two"].seen == ["a"]


def test_an_unknown_name_is_refused(runner, keepers):
    keepers["one"] = FakeKeeper([1], [])
    result = runner.invoke(args=["rollups", "check", "nope"])
    assert result.exit_code == 2
    assert "unknown rollup nope (known: one)" in result.output


def test_check_exits_zero_when_every_keeper_agrees(runner, keepers):
    keepers["one"] = FakeKeeper([], [])
    result = runner.invoke(args=["rollups", "check"])
    assert result.exit_code == 0, result.output
    assert "one: no differences." in result.output


def test_check_names_each_difference_and_exits_one(runner, keepers):
    keepers["one"] = FakeKeeper([], [])
    keepers["two"] = FakeKeeper([], ["engagement 4, 2026-03, payable: stored 1.00, fresh 2.00"])
    result = runner.invoke(args=["rollups", "check"])
    assert result.exit_code == 1
    assert "two: engagement 4, 2026-03, payable: stored 1.00, fresh 2.00" in result.output
    assert "two: 1 difference." in result.output
