"""Security headers on every response, the proxy in front of the site, and safe logs.

The policy allows nothing inline: no <script>, no <style>, no event handler attributes. The
desk's email previews are the one exception, and a narrow one (see EMAIL_PREVIEW_ENDPOINTS).
"""

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .auth.idle import register_idle_timeout
from .logfilter import install_log_filter

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
# A preview shows an email in <iframe sandbox srcdoc>. A srcdoc frame inherits its page's
# policy, and emails must style with style="" attributes (mail clients drop <style> and
# stylesheets), so on these pages alone inline style *attributes* are allowed. <style>
# elements, scripts and everything else stay blocked; the frame is sandboxed without
# allow-scripts, and these pages are for signed-in staff (or local development) only.
EMAIL_PREVIEW_ENDPOINTS = frozenset({"desk_content.programme", "desk_content.part", "devmail.show"})
PREVIEW_POLICY = CONTENT_SECURITY_POLICY + "; style-src-attr 'unsafe-inline'"

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
HSTS = "max-age=31536000; includeSubDomains"
# Every page but a static file may show someone's details: a signed link's record (in the
# path or the query), a form sent back with what was typed, the desk. None of it may stay in a
# shared computer's cache, and a rule by page would miss the next page that shows some, so
# only the stylesheet, script and icons may be kept.
STATIC_ENDPOINT = "static"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # strict-origin-when-cross-origin still sends our own origin on same-site HTTPS posts,
    # which Flask-WTF's referrer check needs; other sites see only the origin.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register_security(app: Flask) -> None:
    trust_proxies(app)
    app.before_request(refuse_json_bodies)
    app.after_request(add_security_headers)
    install_log_filter(app)
    register_idle_timeout(app)


def refuse_json_bodies() -> None:
    """Every form here is an HTML form. Flask-WTF reads a JSON body as the form's fields, and
    one that is not an object (a number, a string, a list) would fail inside the form with a
    500; the site takes no JSON anywhere, so it is refused at the door with a 415."""
    if request.is_json:
        abort(415)


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host from this many proxies in front, and no more.

    Without it, behind a TLS-terminating proxy every request looks like plain HTTP from the
    proxy's own address: HSTS would never be sent and rate limits would count everyone as one.
    """
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def add_security_headers(response):
    preview = request.endpoint in EMAIL_PREVIEW_ENDPOINTS
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY if preview else (
        CONTENT_SECURITY_POLICY
    )
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # Only over HTTPS: sent over plain HTTP it would be ignored, and in local development it
    # would pin 127.0.0.1 to HTTPS in the browser.
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != STATIC_ENDPOINT:
        response.headers["Cache-Control"] = "no-store"
    return response
