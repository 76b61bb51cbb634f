"""CSV and Excel downloads of the reporting data sets, honouring the pages' filters."""

from datetime import date

from flask import Response, abort, render_template, request

from vendor_tracker.core.exports import FORMATS, XLSX_MIMETYPE, csv_response, to_csv, to_xlsx
from vendor_tracker.reporting.export_data import DATASETS
from vendor_tracker.reporting.routes.blueprint import bp


@bp.route("/exports")
def exports_index():
    return render_template("reporting/exports.html", datasets=DATASETS.values())


@bp.route("/exports/<dataset>.<fmt>")
def export_file(dataset: str, fmt: str):
    found = DATASETS.get(dataset)
    if found is None or fmt not in FORMATS:
        abort(404)
    today = date.today()
    headers, rows = found.build(request.args, today)
    filename = f"{found.key}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(to_csv(headers, rows), filename)
    return Response(
        to_xlsx(found.title, headers, rows),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
