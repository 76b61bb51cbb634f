"""Everything that needs attention today, with a link to act on it."""

from datetime import date

from marshmallow import Schema, fields

from vendor_tracker.api.common import PageArgsSchema
from vendor_tracker.api.fields import text
from vendor_tracker.api.reporting.blueprint import blp, documented
from vendor_tracker.core.paging import ListPage, paginate_list


class AttentionItemSchema(Schema):
    kind = fields.String(required=True)
    title = fields.String(required=True)
    detail = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "The page to act on."})
    due = fields.Date(required=True, allow_none=True)


class AttentionPageSchema(Schema):
    items = fields.List(fields.Nested(AttentionItemSchema), required=True)
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Items per kind, before the kind filter."},
    )
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class AttentionArgsSchema(PageArgsSchema):
    kind = text(60, metadata={"description": "Only items of this kind."})


@blp.route("/attention", methods=["GET"])
@documented(401)
@blp.arguments(AttentionArgsSchema, location="query")
@blp.response(200, AttentionPageSchema)
def attention_items(args):
    """Everything that needs attention today, earliest due first, with a link to act on it."""
    from vendor_tracker.reporting import attention

    today = date.today()
    if args.get("kind"):  # one kind: every kind counted, only the asked page of items built
        inbox = attention.Inbox(today)
        counts = inbox.counts()
        total, size = counts.get(args["kind"], 0), args["per_page"]
        number = min(args["page"], max(1, -(-total // size)))
        items = inbox.items(args["kind"], size, (number - 1) * size) if total else []
        page = ListPage(items, number, size, total)
    else:
        items = attention.attention_items(today)
        counts = attention.counts_by_kind(items)
        page = paginate_list(items, args["page"], args["per_page"])
    return {
        "items": page.items,
        "counts": counts,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
