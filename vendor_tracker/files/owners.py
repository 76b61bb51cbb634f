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


@dataclass(frozen=True)
class OwnerKind:
    """A registered kind: how to describe a record, the table its ids are in, and the tables
    whose deleted rows may take such records with them (the files of those go too)."""

    kind: str
    describer: Describer
    table: str
    deleted_with: frozenset[str]


OWNER_KINDS: dict[str, OwnerKind] = {}


def register_owner(kind: str, *, table: str, deleted_with: tuple[str, ...] = ()):
    """Decorator: register the describer of records of `kind`, kept in `table` (by `id`);
    deleting a row of `table` or of a table in `deleted_with` (whose deletes cascade to it)
    deletes the files of records that are gone. The last registration wins."""

    def register(describer: Describer) -> Describer:
        OWNER_KINDS[kind] = OwnerKind(kind, describer, table, frozenset({table, *deleted_with}))
        return describer

    return register


def describe(kind: str, owner_id: int) -> Owner | None:
    """The record of `kind` with that id, or None when no such record (or kind) exists."""
    registered = OWNER_KINDS.get(kind)
    return registered.describer(owner_id) if registered else None


def kinds_deleted_with(tables: set[str]) -> list[OwnerKind]:
    """The kinds whose records may have gone with deleted rows of `tables`."""
    return [k for k in OWNER_KINDS.values() if k.deleted_with & tables]
