"""HTTP hardening that every response gets, and the proxy set-up that makes client addresses trustworthy."""

from flask import Flask, Response, request, session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

# No inline script or style anywhere (styles live in static/style.css), so neither needs 'unsafe-inline': text a
# visitor managed to inject cannot run or restyle the page. Forms post only here; nothing may frame a page.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# The admins' mail preview shows an email's HTML in a sandboxed frame, which inherits this page's policy: emails
# carry their styles inline (mail programs want them so), so that one page allows inline styles, never scripts.
INLINE_STYLE_ENDPOINTS = frozenset({"dev_mail.message"})

SECURITY_HEADERS = {
    # Personal links carry tokens (invitations, registrations, feeds): never leak them to other sites.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    # Pages with one confirm button (cancel, decline, unsubscribe) must not be framed by another site.
    "X-Frame-Options": "DENY",
}
# A browser that once reached the site over HTTPS keeps to HTTPS for a year (sent only when BASE_URL is https).
HSTS = "max-age=31536000"
# Pages that must not be kept by the browser (back button on a shared computer) or any cache: the login and
# account pages, the organisers' and admins' pages, personal links (their path holds a token), and whatever a
# logged-in visitor or an API token holder is shown.
NO_STORE_BLUEPRINTS = frozenset({"accounts", "registration_manage", "mail_admin", "dev_mail"})


def init_security(app: Flask) -> None:
    """Secure cookies behind HTTPS, trusted proxies, and the security headers."""
    https = str(app.config["BASE_URL"]).startswith("https://")
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(key) is None:  # not set explicitly: follow the public address
            app.config[key] = https
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # Rate limits key on the client's address: behind a reverse proxy that is X-Forwarded-For, counted from
        # the right by as many hops as we trust (never more, or clients could choose their own address).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(request.endpoint))
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if "Cache-Control" not in response.headers and is_private_response():
            response.headers["Cache-Control"] = "no-store"
        return response


def content_security_policy(endpoint: str | None) -> str:
    if endpoint in INLINE_STYLE_ENDPOINTS:
        return CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return CONTENT_SECURITY_POLICY


def is_private_response() -> bool:
    """Whether the current request's answer is for one visitor only (see NO_STORE_BLUEPRINTS)."""
    return (
        request.blueprint in NO_STORE_BLUEPRINTS
        or "token" in (request.view_args or {})
        or "Authorization" in request.headers
        or session.get("_user_id") is not None
    )


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without the ``Server: Werkzeug/<version> Python/<version>`` banner, for
    ``flask serve``. (gunicorn's ``Server: gunicorn`` carries no version; a reverse proxy can drop it: README.)"""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())
