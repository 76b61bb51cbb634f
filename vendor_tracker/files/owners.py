"""What files are attached to: each owning package registers its kind of record here.

`files` imports no domain package; a package that lets files be attached to its records
registers a describer (record id -> `Owner` or None) under a kind name, at import time of its
routes module. The files follow the record: who may read it, who may add to it, and whether its
files are locked (a reviewed version's files are what was reviewed).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    """A record files may be attached to, as its package describes it."""

    kind: str
    id: int
    # The vendor the record belongs to: a provider's users reach only their vendor's records.
    vendor_id: int | None
    # "Version 2 of Market sizing study": says on pages and in the audit trail what it is.
    title: str
    # The page that shows the record and its files.
    url: str
    # Whether the vendor's provider users see this record (and so its files) in the portal;
    # with `providers_upload` they may also attach files to it.
    providers_see: bool = False
    providers_upload: bool = False
    # Why its files may no longer change (None while they may).
    locked_because: str | None = None


Describer = Callable[[int], Owner | None]

OWNER_KINDS: dict[str, Describer] = {}


def register_owner(kind: str):
    """Decorator: register the describer of records of `kind` (the last one wins)."""

    def register(describer: Describer) -> Describer:
        OWNER_KINDS[kind] = describer
        return describer

    return register


def describe(kind: str, owner_id: int) -> Owner | None:
    """The record of `kind` with that id, or None when no such record (or kind) exists."""
    describer = OWNER_KINDS.get(kind)
    return describer(owner_id) if describer else None
