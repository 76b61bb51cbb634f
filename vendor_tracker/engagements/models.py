"""The engagement: what BPO and KPO work share."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.auth.models import User
from vendor_tracker.core.enums import enum_column
from vendor_tracker.core.models import TimestampMixin, VersionedMixin
from vendor_tracker.engagements.rules import EngagementStatus, PricingModel
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import ServiceLine, Vendor
from vendor_tracker.vendors.rules import Model, Shore


class Engagement(TimestampMixin, VersionedMixin, db.Model):
    """Contracted work with one vendor; `kind` (BPO or KPO) is fixed once created."""

    __tablename__ = "engagements"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[Model] = mapped_column(enum_column(Model, 3), index=True)
    service_line_id: Mapped[int] = mapped_column(ForeignKey("service_lines.id"), index=True)
    status: Mapped[EngagementStatus] = mapped_column(
        enum_column(EngagementStatus), default=EngagementStatus.PLANNED, index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    pricing_model: Mapped[PricingModel] = mapped_column(enum_column(PricingModel))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    monthly_fee: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    total_contract_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    baseline_monthly_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    delivery_shore: Mapped[Shore | None] = mapped_column(enum_column(Shore))
    # Service-credit terms of BPO work: share of the monthly fee at risk, earn-back window.
    at_risk_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    earn_back_months: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    vendor: Mapped[Vendor] = relationship()
    service_line: Mapped[ServiceLine] = relationship()
    owner: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.title
