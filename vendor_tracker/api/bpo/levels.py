"""API endpoints for the service levels of a BPO engagement."""

from flask.views import MethodView

from vendor_tracker.api.bpo.blueprint import blp
from vendor_tracker.api.bpo.schemas import (
    ServiceLevelOutSchema,
    ServiceLevelPatchSchema,
    ServiceLevelSchema,
)
from vendor_tracker.api.common import fail, problems_to_fields, require_version
from vendor_tracker.auth.decorators import for_providers, manager_required
from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.engagements.bpo.sla import Classification, Direction
from vendor_tracker.extensions import db


def _library_unit(data: dict) -> dict:
    if not data.get("unit") and data.get("metric_code"):
        kpi = services.kpi_by_code(data["metric_code"])
        if kpi:
            data["unit"] = kpi["unit"]
    return data


def _check_level(engagement, data: dict, exclude_id=None) -> None:
    problems = services.service_level_problems(engagement, data, exclude_id)
    if problems:
        fail(422, "Some fields are not valid.", problems_to_fields(problems))


@blp.route("/engagements/<int:engagement_id>/service-levels")
class ServiceLevels(MethodView):
    @for_providers
    @blp.response(200, ServiceLevelOutSchema(many=True))
    def get(self, engagement_id):
        """List the service levels of a BPO engagement."""
        services.bpo_engagement_or_404(engagement_id)
        return services.service_levels_of(engagement_id)

    @manager_required
    @blp.arguments(ServiceLevelSchema)
    @blp.response(201, ServiceLevelOutSchema)
    def post(self, data, engagement_id):
        """Add a service level (critical ones need an allocation %; totals at most 500 %)."""
        engagement = services.bpo_engagement_or_404(engagement_id)
        data = _library_unit(data)
        data["direction"] = Direction(data["direction"])
        data["classification"] = Classification(data["classification"])
        _check_level(engagement, data)
        level = services.create_service_level(engagement, data)
        db.session.commit()
        return level


def _level_of(engagement_id: int, level_id: int) -> ServiceLevel:
    level = db.session.get(ServiceLevel, level_id)
    if level is None or level.engagement_id != engagement_id:
        fail(404, "Service level not found on this engagement.")
    return level


@blp.route("/engagements/<int:engagement_id>/service-levels/<int:level_id>")
class ServiceLevelItem(MethodView):
    @for_providers
    @blp.response(200, ServiceLevelOutSchema)
    def get(self, engagement_id, level_id):
        """One service level."""
        services.bpo_engagement_or_404(engagement_id)
        return _level_of(engagement_id, level_id)

    @manager_required
    @blp.arguments(ServiceLevelPatchSchema)
    @blp.response(200, ServiceLevelOutSchema)
    def patch(self, data, engagement_id, level_id):
        """Change a service level; send the version you read."""
        engagement = services.bpo_engagement_or_404(engagement_id)
        level = _level_of(engagement_id, level_id)
        require_version(level, data)
        merged = {key: getattr(level, key) for key in services.LEVEL_FIELDS}
        merged.update(data)
        merged = _library_unit(merged) if "unit" not in data else merged
        merged["direction"] = Direction(merged["direction"])
        merged["classification"] = Classification(merged["classification"])
        _check_level(engagement, merged, level.id)
        services.apply_service_level(level, merged)
        db.session.commit()
        return level

    @manager_required
    @blp.response(204)
    def delete(self, engagement_id, level_id):
        """Delete a service level and its monthly results."""
        services.bpo_engagement_or_404(engagement_id)
        services.delete_service_level(_level_of(engagement_id, level_id))
        db.session.commit()
