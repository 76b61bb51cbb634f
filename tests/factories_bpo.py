"""Builders for BPO rows: service levels and monthly results."""

from datetime import date
from decimal import Decimal

from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import Classification, Direction, Source
from vendor_tracker.extensions import db


def make_level(
    engagement,
    name="Service level",
    unit="%",
    direction="higher",
    target="80",
    minimum="75",
    classification="key",
    allocation=None,
    metric_code=None,
    position=0,
):
    level = ServiceLevel(
        engagement_id=engagement.id,
        name=name,
        unit=unit,
        metric_code=metric_code,
        direction=Direction(direction),
        target=Decimal(target),
        minimum=Decimal(minimum) if minimum is not None else None,
        classification=Classification(classification),
        allocation_pct=Decimal(allocation) if allocation is not None else None,
        position=position,
    )
    db.session.add(level)
    db.session.flush()
    return level


def make_result(level, period: date, actual, volume=None, note=""):
    measurement = Measurement(
        engagement_id=level.engagement_id,
        service_level_id=level.id,
        period=period,
        actual=Decimal(str(actual)),
        volume=volume,
        note=note,
        source=Source.FORM,
    )
    db.session.add(measurement)
    db.session.flush()
    return measurement
