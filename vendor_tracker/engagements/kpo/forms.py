"""Forms of the KPO pages; each field validates on the server and shows its error beside it."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from vendor_tracker.auth.models import User
from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, finite_number, select_choices
from vendor_tracker.engagements.kpo.review import (
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_MAX,
    Decision,
    DeliverableType,
    TouchpointType,
)
from vendor_tracker.extensions import db

DATE_MESSAGE = "Give a date (YYYY-MM-DD)."


def optional_int(value):
    """Select values: '' means none, anything else must be a whole number."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice, so the field reports "Not a valid choice"


def reviewer_choices() -> list[tuple[int | None, str]]:
    """Active users who may lead a review, by name."""
    users = db.session.execute(
        select(User.id, User.name, User.email).where(User.active.is_(True)).order_by(User.email)
    ).all()
    return select_choices(
        [(None, "No lead reviewer yet")]
        + [(user_id, f"{name} ({email})" if name else email) for user_id, name, email in users]
    )


class DeliverableForm(FlaskForm):
    title = StringField("Title", filters=[clean_text], validators=[DataRequired(), Length(max=200)])
    type = SelectField("Type", choices=choices(DeliverableType), validators=[DataRequired()])
    due_on = DateField("Due date", validators=[DataRequired(message=DATE_MESSAGE)])
    lead_reviewer_id = SelectField("Lead reviewer", coerce=optional_int, validate_choice=True)
    description = TextAreaField(
        "Description", filters=[clean_text], validators=[Optional(), Length(max=5000)]
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead_reviewer_id.choices = reviewer_choices()

    def values(self) -> dict:
        """The fields as model attributes."""
        return {
            "title": self.title.data,
            "type": DeliverableType(self.type.data),
            "due_on": self.due_on.data,
            "lead_reviewer_id": self.lead_reviewer_id.data,
            "description": self.description.data or "",
        }


class SubmissionForm(FlaskForm):
    submitted_on = DateField("Submitted on", validators=[DataRequired(message=DATE_MESSAGE)])
    summary = TextAreaField(
        "Summary of changes",
        filters=[clean_text],
        validators=[Optional(), Length(max=5000)],
        description="What this version changes, or what the first version covers.",
    )
    reference = StringField(
        "Reference",
        filters=[clean_text],
        validators=[Optional(), Length(max=500)],
        description="A link (https://…) or a document id.",
    )
    effort_hours = DecimalField(
        "Effort (hours)",
        places=1,
        validators=[Optional(), finite_number, NumberRange(min=0, max=100000)],
        description="Hours the provider reports for this version (optional).",
    )


class ReviewForm(FlaskForm):
    """Decision, date and feedback; one score field per rubric criterion is added per request."""

    reviewed_on = DateField("Reviewed on", validators=[DataRequired(message=DATE_MESSAGE)])
    decision = SelectField(
        "Decision",
        choices=select_choices([("", "Choose…"), *choices(Decision)]),
        validators=[DataRequired(message="Choose a decision.")],
    )
    feedback = TextAreaField(
        "Feedback",
        filters=[clean_text],
        validators=[Optional(), Length(max=10000)],
        description="Required unless the version is accepted.",
    )


SCORE_CHOICES = [(None, "–")] + [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


def review_form_for(criteria, *args, **kwargs) -> ReviewForm:
    """A review form with a 1-5 score field `score_<i>` for each current rubric criterion."""

    class _Form(ReviewForm):
        pass

    for index, criterion in enumerate(criteria):
        setattr(
            _Form,
            f"score_{index}",
            SelectField(
                f"{criterion.name} (weight {criterion.weight})",
                choices=select_choices(SCORE_CHOICES),
                coerce=optional_int,
                validators=[DataRequired(message=f"Score {SCORE_MIN} to {SCORE_MAX}.")],
                description=criterion.description,
            ),
        )
    form = _Form(*args, **kwargs)
    form.criteria = list(criteria)
    return form


def score_fields(form: ReviewForm) -> list:
    """The per-criterion score fields of a review form, in rubric order."""
    return [form[f"score_{i}"] for i in range(len(form.criteria))]


class CriterionForm(Form):
    name = StringField("Criterion", filters=[clean_text], validators=[Optional(), Length(max=80)])
    weight = IntegerField(
        "Weight", validators=[Optional(), NumberRange(min=0, max=WEIGHT_MAX)], default=None
    )
    description = StringField(
        "Description", filters=[clean_text], validators=[Optional(), Length(max=500)]
    )


ASSIGNED_TO_PROVIDER = "Assigned to the provider's company (its users see and close it)"


class ActionItemForm(Form):
    text = StringField("Action", filters=[clean_text], validators=[Optional(), Length(max=1000)])
    owner = StringField("Owner", filters=[clean_text], validators=[Optional(), Length(max=120)])
    due_on = DateField("Due", validators=[Optional()])
    for_provider = BooleanField(ASSIGNED_TO_PROVIDER)


class RubricForm(FlaskForm):
    """The engagement's criteria; blank rows are ignored, so two spare rows add criteria."""

    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=30)

    def rows(self) -> list[dict]:
        """Filled-in rows as plain dicts (weight None when missing, for the rule to report)."""
        return [
            {
                "name": e.form.name.data,
                "weight": e.form.weight.data,
                "description": e.form.description.data,
            }
            for e in self.criteria.entries
            if e.form.name.data or e.form.weight.data is not None
        ]


class TouchpointForm(FlaskForm):
    held_on = DateField("Date", validators=[DataRequired(message=DATE_MESSAGE)])
    type = SelectField("Type", choices=choices(TouchpointType), validators=[DataRequired()])
    attendees = TextAreaField(
        "Attendees",
        filters=[clean_text],
        validators=[Optional(), Length(max=2000)],
        description="Names and organisations, one per line or comma-separated.",
    )
    notes = TextAreaField("Notes", filters=[clean_text], validators=[Optional(), Length(max=10000)])
    items = FieldList(FormField(ActionItemForm), min_entries=3, max_entries=20)

    def values(self) -> dict:
        """The touchpoint's own fields as model attributes."""
        return {
            "held_on": self.held_on.data,
            "type": TouchpointType(self.type.data),
            "attendees": self.attendees.data or "",
            "notes": self.notes.data or "",
        }

    def item_values(self) -> list[dict]:
        """Action items with some text."""
        return [
            {
                "text": e.form.text.data,
                "owner": e.form.owner.data or "",
                "due_on": e.form.due_on.data,
                "for_provider": bool(e.form.for_provider.data),
            }
            for e in self.items.entries
            if e.form.text.data
        ]


class NewActionItemForm(FlaskForm):
    text = StringField(
        "Action", filters=[clean_text], validators=[DataRequired(), Length(max=1000)]
    )
    owner = StringField("Owner", filters=[clean_text], validators=[Optional(), Length(max=120)])
    due_on = DateField("Due", validators=[Optional()])
    for_provider = BooleanField(ASSIGNED_TO_PROVIDER)

    def values(self) -> dict:
        """The fields as model attributes."""
        return {
            "text": self.text.data,
            "owner": self.owner.data or "",
            "due_on": self.due_on.data,
            "for_provider": bool(self.for_provider.data),
        }


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token is the point (delete, mark done)."""
