"""Stored answers: the portfolio page's figures and the BPO ranking are read back until a write
changes their inputs; every kind of write that does makes them stale in its own transaction, a
rollback does not, and `rollups check | rebuild stored-answers` prove and drop them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.core import answer_codec, stored_answers
from vendor_tracker.core.stored_answers import StoredAnswer
from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.engagements.bpo.portfolio import portfolio as bpo_portfolio
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import ExchangeRate
from vendor_tracker.reporting.periods import Period
from vendor_tracker.reporting.portfolio_answers import concentration_shown, stored_portfolio
from vendor_tracker.reporting.spend import Concentration
from vendor_tracker.reporting.spend_services import PortfolioFilters, portfolio
from vendor_tracker.vendors.models import ServiceLine, Vendor

TODAY = date.today()
THIS_MONTH = TODAY.replace(day=1)
FILTERS = PortfolioFilters.from_args({}, TODAY)
LIMIT = Decimal("30")


def _page() -> dict:
    return stored_portfolio(FILTERS, TODAY, LIMIT, "USD", ("vendor",))


def _fresh() -> dict:
    """The figures computed afresh, cut to the concentration rows the page shows."""
    found = portfolio(FILTERS, TODAY, LIMIT, "USD", ("vendor",))
    found["concentration"], found["other_vendors"] = concentration_shown(
        found["concentration"], every_vendor=False
    )
    return found


@pytest.fixture
def world(ctx):
    """Two vendors, a BPO engagement each with one level and this month's result, and a KPO
    engagement in EUR; committed, so the answers are stored outside any write."""
    start, end = TODAY - timedelta(days=400), TODAY + timedelta(days=400)
    acme = factories.make_vendor("Acme Contact")
    beta = factories.make_vendor("Beta Research", lines=("market_research",))
    voice = factories.make_engagement(acme, title="Acme voice", start=start, end=end)
    chat = factories.make_engagement(beta, title="Beta chat", start=start, end=end)
    factories.make_engagement(
        beta, kind="KPO", title="Beta study", start=start, end=end, currency="EUR"
    )
    for engagement, actual in ((voice, 90), (chat, 70)):
        make_result(make_level(engagement, name="Answer", target="80"), THIS_MONTH, actual)
    db.session.commit()
    return {"acme": acme.id, "beta": beta.id, "voice": voice.id, "chat": chat.id}


def _stored_rows() -> int:
    return db.session.execute(select(func.count()).select_from(StoredAnswer)).scalar_one()


def test_the_answer_is_read_back_until_something_is_written(world, query_counter):
    first = _page()
    assert first == _fresh()
    assert _stored_rows() == 1
    with query_counter() as read:
        again = _page()
    assert again == first
    assert len(read) == 2  # the generation, then the stored body
    assert not any("INSERT" in s or "DELETE" in s for s in read)


def _fee(world):
    db.session.get(Engagement, world["voice"]).monthly_fee = Decimal("123456.00")


def _rename_vendor(world):
    db.session.get(Vendor, world["acme"]).name = "Acme Contact Group"


def _offboard(world):
    db.session.get(Vendor, world["beta"]).status = "offboarded"


def _rename_line(world):
    db.session.execute(select(ServiceLine)).scalars().first().name = "Renamed line"


def _rate(world):
    db.session.add(ExchangeRate(month=THIS_MONTH, currency="EUR", rate=Decimal("1.1"), source="t"))


def _level(engagement_id: int) -> ServiceLevel:
    return db.session.execute(
        select(ServiceLevel).where(ServiceLevel.engagement_id == engagement_id)
    ).scalar_one()


def _result(world):
    level = _level(world["chat"])
    make_result(level, THIS_MONTH - timedelta(days=40), 95)


def _delete(world):
    db.session.delete(db.session.get(Engagement, world["chat"]))


@pytest.mark.parametrize(
    "write", [_fee, _rename_vendor, _offboard, _rename_line, _rate, _result, _delete]
)
def test_every_write_to_an_input_makes_the_stored_answers_stale(world, write):
    before = _page()
    ranking = [row.engagement_id for row in bpo_portfolio(TODAY).page.items]
    generation = stored_answers.current_generation()
    write(world)
    db.session.commit()
    assert stored_answers.current_generation() > generation
    assert _page() == _fresh()
    _ranking_now()
    assert stored_answers.check(TODAY) == []  # the ranking too, against a fresh one
    if write not in (_rename_line, _result):  # figures these two leave as they were
        assert _page() != before or ranking != _ranking_now()


def _ranking_now() -> list[int]:
    return [row.engagement_id for row in bpo_portfolio(TODAY).page.items]


def test_a_new_result_reorders_the_stored_ranking(world):
    assert _ranking_now() == [world["chat"], world["voice"]]  # ascending attainment
    chat, voice = _level(world["chat"]), _level(world["voice"])
    for months in range(1, 4):  # chat 3 of 4 months met (75 %), voice 1 of 4 (25 %)
        month = (THIS_MONTH - timedelta(days=31 * months)).replace(day=1)
        make_result(chat, month, 99)
        make_result(voice, month, 50)
    db.session.commit()
    assert _ranking_now() == [world["voice"], world["chat"]]


def test_a_rolled_back_write_leaves_the_answers_valid(world):
    _page()
    generation = stored_answers.current_generation()
    _fee(world)
    db.session.flush()
    db.session.rollback()
    assert stored_answers.current_generation() == generation
    db.session.execute(select(Vendor.id)).all()  # a reader's transaction writes nothing
    db.session.commit()
    assert stored_answers.current_generation() == generation


def test_check_names_an_answer_changed_outside_the_app_and_rebuild_drops_it(world):
    _page()
    # A fee changed by hand in the database: no write path saw it.
    db.session.execute(
        update(Engagement).where(Engagement.id == world["voice"]).values(monthly_fee=1)
    )
    db.session.commit()
    (problem,) = stored_answers.check(TODAY)
    assert problem.startswith("portfolio ") and "differs" in problem
    assert stored_answers.rebuild() == 1
    db.session.commit()
    assert _stored_rows() == 0
    assert _page() == _fresh()


def test_an_answer_of_another_day_is_computed_again(world):
    _page()
    db.session.execute(update(StoredAnswer).values(as_of=TODAY - timedelta(days=1)))
    db.session.commit()
    assert _page() == _fresh()
    assert db.session.execute(select(StoredAnswer.as_of)).scalars().all() == [TODAY]


def test_the_codec_reads_back_what_reports_are_made_of():
    period = Period("2026-Q3", "Q3 2026", date(2026, 7, 1), date(2026, 9, 30))
    value = {
        "months": [date(2026, 1, 1)],
        ("USD", "Acme"): Decimal("10.50"),
        "rows": (Concentration("USD", "Acme", Decimal("1.00"), 12.5, True),),
        "period": period,
        None: [None, True, 0, 1.25, "text"],
    }
    assert answer_codec.decode(answer_codec.encode(value)) == value
    with pytest.raises(TypeError):
        answer_codec.encode({"x": object()})
    with pytest.raises(ValueError, match="not a registered"):
        answer_codec.decode('{"c":"os.system","f":{}}')


def test_a_reader_that_cannot_store_its_answer_still_gets_it(world, monkeypatch):
    """A busy database (or another reader storing the same answer first) when the answer is
    stored: the reader shows the figures it computed, and nothing half-written stays."""

    def busy():
        raise OperationalError("INSERT INTO stored_answers", {}, Exception("database is locked"))

    expected = _fresh()  # the vendors' scores the trend sums are stored now
    monkeypatch.setattr(db.session, "commit", busy)
    assert _page() == expected
    monkeypatch.undo()
    db.session.commit()
    assert _stored_rows() == 0
    _page()
    assert _stored_rows() == 1


def test_the_rollups_commands_check_and_drop_the_stored_answers(world, runner):
    _page()
    assert (
        "stored-answers: no differences."
        in runner.invoke(args=["rollups", "check", "stored-answers"]).output
    )
    result = runner.invoke(args=["rollups", "rebuild", "stored-answers"])
    assert result.exit_code == 0
    assert "stored-answers: 1 stored answers dropped" in result.output
    assert _stored_rows() == 0
