"""core.forms.save_form and run_action: one write per request, committed, or refused with the
reasons by the fields or flashed."""

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from tests import factories
from vendor_tracker.core.forms import run_action, save_form
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor


class NameForm(FlaskForm):
    name = StringField()
    version = HiddenField()


def _rename(vendor, name):
    vendor.name = name
    vendor.name_key = name.lower()
    db.session.flush()
    return vendor


def test_a_save_is_committed_and_returned(app):
    with app.app_context():
        vendor_id = factories.make_vendor(name="Before").id
        db.session.commit()
    with app.test_request_context(method="POST", data={"name": "After", "version": "1"}):
        vendor = db.session.get(Vendor, vendor_id)
        form = NameForm()
        saved = save_form(form, lambda: _rename(vendor, "After"), record=vendor)
        assert saved is vendor
        db.session.remove()
        assert db.session.get(Vendor, vendor_id).name == "After"


def test_a_refusal_is_rolled_back_with_reasons_by_the_fields(app):
    with app.app_context():
        vendor_id = factories.make_vendor(name="Kept").id
        db.session.commit()

    def refuse():
        _rename(db.session.get(Vendor, vendor_id), "Changed")
        raise Refusal("Refused.", {"name": "Taken.", "other": "Closed."})

    with app.test_request_context(method="POST", data={"name": "Changed"}):
        form = NameForm()
        assert save_form(form, refuse) is None
        assert form.name.errors == ["Taken."]
        assert get_flashed_messages(with_categories=True) == [("danger", "Closed.")]
        assert db.session.get(Vendor, vendor_id).name == "Kept"


def test_a_stale_version_saves_nothing_and_says_so(app):
    with app.app_context():
        vendor_id = factories.make_vendor(name="Old").id
        db.session.commit()
    with app.test_request_context(method="POST", data={"name": "New", "version": "7"}):
        vendor = db.session.get(Vendor, vendor_id)
        form = NameForm()
        called = []
        assert save_form(form, lambda: called.append(1), record=vendor) is None
        assert called == []
        ((category, message),) = get_flashed_messages(with_categories=True)
        assert category == "danger" and "changed by someone else" in message


def test_a_refusal_without_fields_flashes_its_message(app):
    with app.app_context():
        vendor_id = factories.make_vendor(name="Kept").id
        db.session.commit()

    def refuse():
        _rename(db.session.get(Vendor, vendor_id), "Changed")
        raise Refusal("The record is closed.", conflict=True)

    with app.test_request_context(method="POST", data={"name": "Changed"}):
        form = NameForm()
        assert save_form(form, refuse) is None
        assert not form.name.errors
        assert get_flashed_messages(with_categories=True) == [("danger", "The record is closed.")]
        assert db.session.get(Vendor, vendor_id).name == "Kept"


def test_an_action_is_committed_or_refused_and_flashed(app):
    with app.app_context():
        vendor_id = factories.make_vendor(name="Before").id
        db.session.commit()

    def refuse():
        _rename(db.session.get(Vendor, vendor_id), "Refused")
        raise Refusal("Not now.", {"name": "Kept apart."}, conflict=True)

    with app.test_request_context(method="POST"):
        assert run_action(refuse) is False
        assert get_flashed_messages(with_categories=True) == [("danger", "Not now.")]
        assert db.session.get(Vendor, vendor_id).name == "Before"
        assert run_action(lambda: _rename(db.session.get(Vendor, vendor_id), "After")) is True
        db.session.remove()
        assert db.session.get(Vendor, vendor_id).name == "After"
