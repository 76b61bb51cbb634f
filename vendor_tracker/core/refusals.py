"""The one business-rule refusal and the one "not found" that every service raises.

Services raise these and never answer HTTP themselves. Pages map a refusal in `core.forms`
(`save_form` puts its fields next to the form's fields, `run_action` flashes its message); the
API maps it once in `core.errors` (409 for a conflict, 422 for invalid input, with its fields).
`NotFound` is the 404 page, or the API's 404 in the JSON error shape.
"""

NOT_VALID = "Some fields are not valid."


class Refusal(Exception):
    """A write that a business rule refuses: nothing of it is kept.

    `message` says why; `fields` maps a field name to its reason (empty when the refusal is not
    about one field). `conflict` says the record's state refuses it (a closed request, a review
    that already exists, a stale version, a lost race: 409 in the API) rather than the input
    (422 in the API).
    """

    def __init__(
        self, message: str, fields: dict[str, str] | None = None, *, conflict: bool = False
    ):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        self.conflict = conflict


class NotFound(Exception):
    """The record a request names does not exist (or is not of the kind asked for); without a
    message the answer says what any unknown address gets."""

    def __init__(self, message: str | None = None):
        super().__init__(message)
        self.message = message
