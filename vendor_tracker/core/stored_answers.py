"""Stored answers: a report's whole result kept in the database until a write changes its inputs.

Some read-side answers sum over the whole portfolio (the portfolio and spend page, the ranking
of every BPO engagement). Their figures change only when someone writes, so the first reader
computes one and stores it with the day and the current generation; later readers of the same
question read it back as long as both still hold.

- A kind of answer is registered once (`answer_kind`) with the function that computes it from
  its parameters and the day. Its result is stored as tagged JSON (`answer_codec`).
- What makes every stored answer stale, in the writer's own transaction (a rollback keeps them
  valid): a change to a row of a watched model (`watch`: engagements, vendors, service lines,
  exchange rates...), and any recomputation of monthly rollups, which the rollup keepers note
  in the session (`hooks.note_rollups_changed`) and the reporting listener turns into `bump`.
- A reader reads the generation before the inputs, so an answer is never stored under a
  generation newer than its data; one stored under an older one is recomputed by the next reader.
- `flask rollups rebuild stored-answers` drops them all (after loading data outside the app or
  editing the database by hand); `flask rollups check stored-answers` recomputes every answer a
  reader would use and names each one that differs.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Date, Integer, String, Text, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from vendor_tracker.core import answer_codec
from vendor_tracker.core.database import listen_on_every_session
from vendor_tracker.core.hooks import rollup_keeper
from vendor_tracker.extensions import db

# session.info key: a watched row was flushed in this transaction.
CHANGED = "stored_answers_inputs_changed"
STATE_ID = 1


class StoredAnswer(db.Model):
    """One computed answer: its kind and parameters, the day and generation it holds for."""

    __tablename__ = "stored_answers"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of kind + params
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    params: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    generation: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # answer_codec text


class StoredAnswerState(db.Model):
    """The one row whose generation every write to an answer's inputs raises."""

    __tablename__ = "stored_answer_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(Integer, nullable=False)


KINDS: dict[str, Callable[[dict, date], object]] = {}
WATCHED: list[type] = []


def answer_kind(name: str):
    """Decorator: register `compute(params, today)` as the computation of answers `name`."""

    def register(compute):
        KINDS[name] = compute
        return compute

    return register


def watch(*models: type) -> None:
    """Any change to a row of these models makes every stored answer stale."""
    WATCHED.extend(m for m in models if m not in WATCHED)


# --- the write path ---------------------------------------------------------------------------


def _touches_watched(objects) -> bool:
    kinds = tuple(WATCHED)
    return bool(kinds) and any(isinstance(obj, kinds) for obj in objects)


def _after_flush(session: Session, _context) -> None:
    if _touches_watched((*session.new, *session.dirty, *session.deleted)):
        session.info[CHANGED] = True


def inputs_changed(session: Session) -> bool:
    """Whether this transaction changed a watched row (flushed already, or about to be at the
    commit's own flush, which comes after `before_commit`)."""
    pending = (*session.new, *session.dirty, *session.deleted)
    return bool(session.info.pop(CHANGED, False)) or _touches_watched(pending)


def bump(session: Session) -> None:
    """Make every stored answer stale, in the caller's transaction."""
    dialect = session.get_bind().dialect.name
    stmt = (postgresql if dialect == "postgresql" else sqlite).insert(StoredAnswerState.__table__)
    session.execute(
        stmt.values(id=STATE_ID, generation=1).on_conflict_do_update(
            index_elements=["id"], set_={"generation": StoredAnswerState.generation + 1}
        )
    )


def _forget(session: Session, *_args) -> None:
    session.info.pop(CHANGED, None)


def register_answer_listeners() -> None:
    """Note changes of watched rows on every session (idempotent); `bump` is called by the
    commit listener that also settles the rollups (`reporting.score_store`)."""
    listen_on_every_session({"after_flush": _after_flush, "after_rollback": _forget})


# --- the read path ----------------------------------------------------------------------------


def current_generation() -> int:
    found = db.session.execute(
        select(StoredAnswerState.generation).where(StoredAnswerState.id == STATE_ID)
    ).scalar()
    return found or 0


def _key(kind: str, params_text: str) -> str:
    return hashlib.sha256(f"{kind}\n{params_text}".encode()).hexdigest()


def stored_answer(kind: str, params: dict, today: date):
    """The answer `kind` gives for `params` (JSON values) on `today`: read back when one was
    stored today at the current generation, otherwise computed, stored and committed (a
    reader's transaction holds no other writes)."""
    generation = current_generation()  # before any input is read
    params_text = json.dumps(params, sort_keys=True, separators=(",", ":"))
    key = _key(kind, params_text)
    body = db.session.execute(
        select(StoredAnswer.body).where(
            StoredAnswer.key == key,
            StoredAnswer.as_of == today,
            StoredAnswer.generation == generation,
        )
    ).scalar()
    if body is not None:
        return answer_codec.decode(body)
    value = KINDS[kind](params, today)
    _store(key, kind, params_text, today, generation, answer_codec.encode(value))
    return value


def _store(key: str, kind: str, params_text: str, today: date, generation: int, body: str) -> None:
    """Replace the answer under `key` and drop those no reader can use any more."""
    stale = or_(
        StoredAnswer.key == key, StoredAnswer.as_of != today, StoredAnswer.generation < generation
    )
    answer = StoredAnswer(
        key=key, kind=kind, params=params_text, as_of=today, generation=generation, body=body
    )
    try:
        db.session.execute(delete(StoredAnswer).where(stale))
        db.session.add(answer)
        db.session.commit()
    except (IntegrityError, OperationalError):
        # Another reader stored the same answer first, or the database is busy: this reader
        # has its answer anyway, and the next one stores it.
        db.session.rollback()


# --- the keeper of `flask rollups rebuild | check stored-answers` -----------------------------


def rebuild(_progress=None) -> int:
    """Drop every stored answer (readers compute them again from the current data); how many."""
    dropped = db.session.execute(delete(StoredAnswer)).rowcount
    bump(db.session)
    return dropped


def check(today: date | None = None) -> list[str]:
    """Every stored answer a reader would use that differs from a fresh computation."""
    today = today or date.today()
    rows = db.session.execute(
        select(StoredAnswer)
        .where(StoredAnswer.as_of == today, StoredAnswer.generation == current_generation())
        .order_by(StoredAnswer.kind, StoredAnswer.params)
    ).scalars()
    problems = []
    for row in rows:
        compute = KINDS.get(row.kind)
        if compute is None:
            problems.append(f"{row.kind} {row.params}: no such kind of answer")
        elif answer_codec.decode(row.body) != compute(json.loads(row.params), today):
            problems.append(f"{row.kind} {row.params}: stored answer differs from a fresh one")
    return problems


# `flask rollups rebuild | check stored-answers` on the app's session; the CLI prints REBUILT.
rollup_keeper("stored-answers")(
    SimpleNamespace(
        rebuild=rebuild,
        check=check,
        REBUILT="{count} stored answers dropped (the next readers compute them again)",
    )
)
