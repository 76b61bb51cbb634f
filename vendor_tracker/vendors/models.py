"""Vendors and what describes them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.core.enums import enum_column
from vendor_tracker.core.models import TimestampMixin, VersionedMixin, utcnow
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model, Shore, VendorStatus

vendor_service_lines = Table(
    "vendor_service_lines",
    db.metadata,
    Column("vendor_id", ForeignKey("vendors.id", ondelete="CASCADE"), primary_key=True),
    Column("service_line_id", ForeignKey("service_lines.id"), primary_key=True),
)


class ServiceLine(db.Model):
    """A kind of outsourced work, belonging to BPO or KPO (the taxonomy in seed_data/)."""

    __tablename__ = "service_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    model: Mapped[Model] = mapped_column(enum_column(Model, 3))
    group: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")

    def __str__(self) -> str:
        return self.name


class Vendor(TimestampMixin, VersionedMixin, db.Model):
    """An outsourcing provider."""

    __tablename__ = "vendors"
    __audited__ = True
    __audit_collections__ = ("service_lines",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Lower-cased name: names are unique regardless of case.
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    website: Mapped[str] = mapped_column(String(255), default="")
    hq_country: Mapped[str] = mapped_column(String(2), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[VendorStatus] = mapped_column(
        enum_column(VendorStatus), default=VendorStatus.PROSPECT, index=True
    )
    attrition_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    languages: Mapped[str] = mapped_column(String(255), default="")

    service_lines: Mapped[list[ServiceLine]] = relationship(
        secondary=vendor_service_lines, order_by="ServiceLine.name"
    )
    centers: Mapped[list["DeliveryCenter"]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="DeliveryCenter.country"
    )
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="Contact.name"
    )
    certifications: Mapped[list["Certification"]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="Certification.name"
    )

    def __str__(self) -> str:
        return self.name


class DeliveryCenter(db.Model):
    """A site from which a vendor delivers."""

    __tablename__ = "delivery_centers"
    __audited__ = True
    __audit_parent__ = ("vendors", "vendor_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(120))
    shore: Mapped[Shore] = mapped_column(enum_column(Shore))
    headcount: Mapped[int | None]

    vendor: Mapped[Vendor] = relationship(back_populates="centers")

    def __str__(self) -> str:
        return f"{self.city} ({self.country})"


class Contact(db.Model):
    """A person at the vendor."""

    __tablename__ = "contacts"
    __audited__ = True
    __audit_parent__ = ("vendors", "vendor_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(120), default="")

    vendor: Mapped[Vendor] = relationship(back_populates="contacts")

    def __str__(self) -> str:
        return self.name


class Certification(db.Model):
    """A certificate a vendor holds, such as ISO 27001 or SOC 2 Type II."""

    __tablename__ = "certifications"
    __audited__ = True
    __audit_parent__ = ("vendors", "vendor_id")
    __table_args__ = (UniqueConstraint("vendor_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)

    vendor: Mapped[Vendor] = relationship(back_populates="certifications")

    def __str__(self) -> str:
        return self.name


class PortalInvite(db.Model):
    """A one-time link that lets a vendor's contact become a provider user of that vendor.

    Only the SHA-256 digest of the token is stored; the link is shown once to the inviter.
    """

    __tablename__ = "portal_invites"
    __audited__ = True
    __audit_parent__ = ("vendors", "vendor_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120), default="")
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    vendor: Mapped[Vendor] = relationship()
    contact: Mapped[Contact | None] = relationship()

    def __str__(self) -> str:
        return f"portal invitation for {self.email}"
