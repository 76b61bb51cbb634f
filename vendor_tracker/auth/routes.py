"""Sign in, sign out, and user administration pages."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from vendor_tracker.audit.services import history_for, record_security_event, recorded_since
from vendor_tracker.auth.decorators import admin_required, for_providers
from vendor_tracker.auth.forms import LoginForm, UserCreateForm, UserEditForm
from vendor_tracker.auth.models import User
from vendor_tracker.auth.services import (
    active_admin_count,
    authenticate,
    create_user,
    open_sessions,
    sign_out_everywhere,
    update_user,
    user_by_email,
)
from vendor_tracker.auth.sessions import end_current_session
from vendor_tracker.core.hooks import vendor_names
from vendor_tracker.core.models import StaleVersionError, check_version, utcnow
from vendor_tracker.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


def _login_account_key_json() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "login-account:" + (email.strip().lower() if isinstance(email, str) else "")


def _failed(response) -> bool:
    # Only failed attempts (the form shown again) use up the allowance.
    return response.status_code != 302


def record_lockout(breach) -> None:
    """Record that an account's sign-in allowance is used up, once per window (every refused
    attempt after it would only repeat the entry)."""
    account = (request.form.get("email") or "").strip().lower()[:255]
    window = timedelta(seconds=breach.limit.get_expiry())
    if recorded_since("login_locked", account, utcnow() - window):
        return
    summary = f"sign-in refused: {breach.limit} failed attempts for this account"
    record_security_event("login_locked", account, summary)
    db.session.commit()


def _safe_next(target: str | None) -> str:
    """Only a path on this site; browsers read "/\\host" and "/<tab>/host" as "//host"."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(char) < 33 or ord(char) == 127 for char in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_login_account_key,
    methods=["POST"],
    deduct_when=_failed,
    on_breach=record_lockout,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            login_user(user)
            flash(f"Welcome, {user.display_name}.", "success")
            return redirect(_safe_next(form.next.data))
        form.password.errors.append("E-mail or password is not right, or the account is disabled.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@for_providers
def logout():
    user = current_user._get_current_object()
    end_current_session()
    record_security_event("logout", user.email, "signed out", user.id)
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/admin/users")
@admin_required
def users():
    rows = db.session.execute(select(User).order_by(User.email)).scalars().all()
    companies = vendor_names(sorted({u.vendor_id for u in rows if u.vendor_id}))
    return render_template("auth/users.html", users=rows, companies=companies)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def user_create():
    form = UserCreateForm()
    form.set_vendor_choices()
    if form.validate_on_submit():
        if user_by_email(form.email.data):
            form.email.errors.append("A user with this e-mail already exists.")
        else:
            user = create_user(
                form.email.data,
                form.password.data,
                form.role.data,
                form.name.data,
                vendor_id=form.vendor_id.data,
            )
            db.session.commit()
            flash(f"User {user.email} created as {user.role}.", "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    form.set_vendor_choices()
    if request.method == "GET":
        form.version.data = user.version
    if form.validate_on_submit():
        demoting = user.role == "admin" and (form.role.data != "admin" or not form.active.data)
        try:
            check_version(user, form.version.data)
        except StaleVersionError as stale:
            flash(str(stale), "danger")
        else:
            if demoting and user.active and active_admin_count() <= 1:
                form.role.errors.append("This is the last enabled admin; keep at least one.")
            else:
                update_user(
                    user,
                    current_user,
                    name=form.name.data,
                    role=form.role.data,
                    vendor_id=form.vendor_id.data,
                    active=form.active.data,
                    password=form.password.data,
                )
                db.session.commit()
                if form.password.data and user.id == current_user.id:
                    login_user(user)  # keep the admin who changed their own password signed in
                flash(f"User {user.email} saved.", "success")
                return redirect(url_for("auth.users"))
    return render_template(
        "auth/user_form.html",
        form=form,
        user=user,
        history=history_for("users", user.id),
        sessions=open_sessions(user),
    )


@bp.route("/admin/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@admin_required
def user_sign_out_everywhere(user_id: int):
    """End every browser session and API token of the user at once."""
    user = db.get_or_404(User, user_id)
    ended = sign_out_everywhere(user, current_user)
    db.session.commit()
    flash(f"{user.email} is signed out everywhere ({ended} session(s) ended).", "success")
    return redirect(url_for("auth.user_edit", user_id=user.id))
