"""`flask --app app rollups rebuild | check`: the monthly rollups the reports read.

The rollup tables are kept current by the write path; `rebuild` recomputes them from the pure
rules (after a restore, or a change of the rules), `check` proves they agree with the rules.
"""

from collections.abc import Iterable, Iterator, Sequence

import click
from flask.cli import AppGroup

from vendor_tracker.core.hooks import ROLLUP_KEEPERS
from vendor_tracker.extensions import db

rollups_group = AppGroup("rollups", help="Rebuild or check the monthly rollups the reports read.")


def _progress(items: Sequence, label: str) -> Iterator:
    """Yield `items` back while a progress bar shows how many are done."""
    with click.progressbar(items, label=label) as bar:
        yield from bar


def _chosen(names: Iterable[str]) -> list[str]:
    chosen = list(names) or sorted(ROLLUP_KEEPERS)
    unknown = [n for n in chosen if n not in ROLLUP_KEEPERS]
    if unknown:
        known = ", ".join(sorted(ROLLUP_KEEPERS)) or "none"
        raise click.BadParameter(f"unknown rollup {', '.join(unknown)} (known: {known})")
    return chosen


@rollups_group.command("rebuild")
@click.argument("names", nargs=-1)
def rebuild_command(names: tuple[str, ...]) -> None:
    """Recompute every rollup row from the stored results (all kinds, or the NAMES given)."""
    for name in _chosen(names):
        keeper = ROLLUP_KEEPERS[name]
        written = keeper.rebuild(_progress)
        db.session.commit()
        # A keeper may say what its count is (the stored answers are dropped, not rebuilt).
        message = getattr(keeper, "REBUILT", "{count} rollup rows rebuilt")
        click.echo(f"{name}: {message.format(count=written)}.")


@rollups_group.command("check")
@click.argument("names", nargs=-1)
def check_command(names: tuple[str, ...]) -> None:
    """Compare the stored rollups with a fresh computation; exit 1 naming every difference."""
    differences = 0
    for name in _chosen(names):
        found = ROLLUP_KEEPERS[name].check()
        db.session.rollback()
        for line in found:
            click.echo(f"{name}: {line}")
        click.echo(f"{name}: {len(found) or 'no'} difference{'' if len(found) == 1 else 's'}.")
        differences += len(found)
    if differences:
        raise SystemExit(1)
