"""HTTP hardening that every response gets, and the proxy set-up that makes client addresses trustworthy."""

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

SECURITY_HEADERS = {
    # Personal links carry tokens (invitations, registrations, feeds): never leak them to other sites.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    # Pages with one confirm button (cancel, decline, unsubscribe) must not be framed by another site.
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


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
        return response
