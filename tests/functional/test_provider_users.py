"""Provider users: created by an admin (page or command) bound to one vendor, or by a manager's
one-time portal invitation that the vendor's contact accepts."""

from datetime import timedelta

from sqlalchemy import select

from tests import factories
from tests.conftest import PASSWORD
from vendor_tracker.auth.models import User
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db
from vendor_tracker.vendors.invites import token_digest
from vendor_tracker.vendors.models import Contact, PortalInvite


def _vendor_with_contact(app, email="ana@acme.example"):
    with app.app_context():
        vendor = factories.make_vendor("Acme Services")
        contact = Contact(vendor=vendor, name="Ana Silva", email=email, role="Lead")
        db.session.add(contact)
        db.session.commit()
        return vendor.id, contact.id


def test_admin_creates_a_provider_user_bound_to_a_vendor(app, client, auth):
    vendor_id, _contact = _vendor_with_contact(app)
    auth.login("admin")
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="provider"' in form and "Acme Services" in form
    data = {"email": "p@acme.example", "name": "P", "role": "provider", "password": PASSWORD}
    refused = client.post("/admin/users/new", data=data)
    assert refused.status_code == 200
    assert "Choose the company this provider user acts for." in refused.get_data(as_text=True)
    answer = client.post("/admin/users/new", data={**data, "vendor_id": str(vendor_id)})
    assert answer.status_code == 302
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Acme Services" in listing
    with app.app_context():
        user = user_by_email("p@acme.example")
        assert (user.role, user.vendor_id) == ("provider", vendor_id)


def test_a_client_role_refuses_a_vendor(app, client, auth):
    vendor_id, _contact = _vendor_with_contact(app)
    auth.login("admin")
    data = {"email": "v@example.com", "role": "viewer", "password": PASSWORD}
    answer = client.post("/admin/users/new", data={**data, "vendor_id": str(vendor_id)})
    assert answer.status_code == 200
    assert "Only provider users act for a company" in answer.get_data(as_text=True)
    with app.app_context():
        viewer = user_by_email("viewer@example.com")
        edit = {"name": "V", "role": "viewer", "active": "y", "version": str(viewer.version)}
    answer = client.post(f"/admin/users/{viewer.id}", data={**edit, "vendor_id": str(vendor_id)})
    assert "Only provider users act for a company" in answer.get_data(as_text=True)
    assert client.post(f"/admin/users/{viewer.id}", data=edit).status_code == 302


def test_create_user_command_binds_providers_to_a_vendor(app, runner):
    vendor_id, _contact = _vendor_with_contact(app)
    base = ["create-user", "--email", "cli@acme.example", "--password", PASSWORD]
    missing = runner.invoke(args=[*base, "--role", "provider"])
    assert missing.exit_code != 0 and "needs --vendor-id" in missing.output
    unknown = runner.invoke(args=[*base, "--role", "provider", "--vendor-id", "999999"])
    assert unknown.exit_code != 0 and "No vendor has the id 999999" in unknown.output
    client_role = runner.invoke(args=[*base, "--role", "viewer", "--vendor-id", str(vendor_id)])
    assert client_role.exit_code != 0 and "only for provider users" in client_role.output
    made = runner.invoke(args=[*base, "--role", "provider", "--vendor-id", str(vendor_id)])
    assert made.exit_code == 0, made.output
    assert "acting for Acme Services" in made.output
    with app.app_context():
        assert user_by_email("cli@acme.example").vendor_id == vendor_id


def _invite(client, vendor_id, contact_id) -> str:
    answer = client.post(f"/vendors/{vendor_id}/contacts/{contact_id}/invite")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    start = page.index("/portal/invite/")
    return page[start : page.index('"', start)].removeprefix("/portal/invite/")


def test_a_manager_invites_a_contact_who_sets_a_password(app, client, auth):
    vendor_id, contact_id = _vendor_with_contact(app)
    auth.login("manager")
    assert "Invite to the portal" in client.get(f"/vendors/{vendor_id}").get_data(as_text=True)
    token = _invite(client, vendor_id, contact_id)
    with app.app_context():
        invite = db.session.execute(select(PortalInvite)).scalar_one()
        # Only the digest is stored; the link lasts 7 days.
        assert invite.token_digest == token_digest(token) and token not in invite.token_digest
        assert timedelta(days=6, hours=23) < invite.expires_at - invite.created_at
    auth.logout()
    url = f"/portal/invite/{token}"
    assert "Join the portal for Acme Services" in client.get(url).get_data(as_text=True)
    short = client.post(url, data={"password": "short", "confirm": "short"})
    assert "Use at least 8 characters." in short.get_data(as_text=True)
    differ = client.post(url, data={"password": PASSWORD, "confirm": PASSWORD + "x"})
    assert "The two passwords differ" in differ.get_data(as_text=True)
    done = client.post(url, data={"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "You act for <strong>Acme Services</strong>" in home
    with app.app_context():
        user = user_by_email("ana@acme.example")
        assert (user.role, user.vendor_id, user.name) == ("provider", vendor_id, "Ana Silva")
        assert db.session.execute(select(PortalInvite)).scalar_one().used_at is not None
    client.post("/logout")
    used = client.get(url)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_expired_and_unknown_links_answer_a_clear_page(app, client, auth):
    vendor_id, contact_id = _vendor_with_contact(app)
    auth.login("manager")
    token = _invite(client, vendor_id, contact_id)
    auth.logout()
    with app.app_context():
        invite = db.session.execute(select(PortalInvite)).scalar_one()
        invite.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    expired = client.post(
        f"/portal/invite/{token}", data={"password": PASSWORD, "confirm": PASSWORD}
    )
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    assert client.get("/portal/invite/nothing-like-a-token").status_code == 404
    assert client.get("/portal/invite/" + "x" * 5000).status_code == 404
    with app.app_context():
        assert db.session.execute(select(User).where(User.role == "provider")).first() is None


def test_a_contact_with_a_user_or_without_an_e_mail_is_not_invited(app, client, auth):
    vendor_id, contact_id = _vendor_with_contact(app, email="viewer@example.com")
    auth.login("manager")
    page = client.get(f"/vendors/{vendor_id}").get_data(as_text=True)
    assert "has a user" in page and "Invite to the portal" not in page
    answer = client.post(f"/vendors/{vendor_id}/contacts/{contact_id}/invite")
    assert answer.status_code == 302
    assert "already has a user" in client.get(answer.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(PortalInvite)).first() is None
    auth.logout()
    auth.login("viewer")
    assert client.post(f"/vendors/{vendor_id}/contacts/{contact_id}/invite").status_code == 403


def test_a_new_invitation_ends_the_earlier_one(app, client, auth):
    vendor_id, contact_id = _vendor_with_contact(app)
    auth.login("manager")
    first = _invite(client, vendor_id, contact_id)
    second = _invite(client, vendor_id, contact_id)
    auth.logout()
    assert client.get(f"/portal/invite/{first}").status_code == 410
    assert client.get(f"/portal/invite/{second}").status_code == 200
