"""Pure rules about roles and passwords (no app, no database)."""

import pytest

from vendor_tracker.auth.rules import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    Role,
    password_problem,
    role_allows,
)


@pytest.mark.parametrize(
    ("user_role", "required", "allowed"),
    [
        ("viewer", "viewer", True),
        ("viewer", "manager", False),
        ("viewer", "admin", False),
        ("manager", "viewer", True),
        ("manager", "manager", True),
        ("manager", "admin", False),
        ("admin", "viewer", True),
        ("admin", "manager", True),
        ("admin", "admin", True),
    ],
)
def test_role_allows_is_a_strict_ladder(user_role, required, allowed):
    assert role_allows(user_role, required) is allowed
    assert role_allows(Role(user_role), Role(required)) is allowed


def test_unknown_role_is_an_error_not_a_permission():
    with pytest.raises(ValueError):
        role_allows("superuser", "viewer")
    with pytest.raises(ValueError):
        role_allows("admin", "")


def test_ranks_and_labels():
    assert [r.rank for r in (Role.VIEWER, Role.MANAGER, Role.ADMIN)] == [0, 1, 2]
    assert "read only" in Role.VIEWER.label
    assert "users" in Role.ADMIN.label


def test_limits_are_8_and_128():
    assert (PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH) == (8, 128)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", "at least 8"),
        ("1234567", "at least 8"),
        ("12345678", None),
        ("x" * 128, None),
        ("x" * 129, "at most 128"),
        (" " * 8, "only spaces"),
        ("\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2\u00e4\u00f4", None),  # 8 non-ASCII characters
        ("pass phrase with spaces", None),
    ],
)
def test_password_problem(password, problem):
    found = password_problem(password)
    if problem is None:
        assert found is None
    else:
        assert problem in found
