"""Import every model module so the metadata (and Alembic) sees all tables."""

from vendor_tracker.audit.models import AuditEvent  # noqa: F401
from vendor_tracker.auth.models import ApiToken, User  # noqa: F401
from vendor_tracker.core import stored_answers  # noqa: F401
from vendor_tracker.engagements.bpo import models as bpo_models  # noqa: F401
from vendor_tracker.engagements.bpo import rollup_models as bpo_rollup_models  # noqa: F401
from vendor_tracker.engagements.kpo import models as kpo_models  # noqa: F401
from vendor_tracker.engagements.kpo import rollup_models as kpo_rollup_models  # noqa: F401
from vendor_tracker.engagements.models import Engagement  # noqa: F401
from vendor_tracker.files import models as files_models  # noqa: F401
from vendor_tracker.notifications import models as notification_models  # noqa: F401
from vendor_tracker.reporting import models as reporting_models  # noqa: F401
from vendor_tracker.reporting import score_models  # noqa: F401
from vendor_tracker.selection import models as selection_models  # noqa: F401
from vendor_tracker.vendors.models import (  # noqa: F401
    Certification,
    Contact,
    DeliveryCenter,
    PortalInvite,
    ServiceLine,
    Vendor,
)
