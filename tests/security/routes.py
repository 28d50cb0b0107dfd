"""Every address the app answers, enumerated from its URL map, for tests that must cover
pages added later as well as today's."""

from flask import Flask

# A shape that reads as a token to the routes (and fails its signature check).
SAMPLE_TOKEN = "eyJpZCI6MX0.aGVsbG8.c2lnbmF0dXJlc2lnbmF0dXJl"
SAMPLE_ARGS = {"token": SAMPLE_TOKEN, "filename": "css/site.css", "key": "1"}


def sample_path(rule) -> str:
    values = {name: SAMPLE_ARGS.get(name, 1) for name in rule.arguments}
    return rule.build(values)[1]


def all_requests(app: Flask):
    """(endpoint, method, path) for every rule and each of GET and POST it takes."""
    for rule in app.url_map.iter_rules():
        for method in sorted({"GET", "POST"} & rule.methods):
            yield rule.endpoint, method, sample_path(rule)


def is_public(rule) -> bool:
    return not rule.rule.startswith(("/admin", "/static", "/dev"))


def public_posts(app: Flask):
    for rule in app.url_map.iter_rules():
        if is_public(rule) and "POST" in rule.methods:
            yield rule.endpoint, sample_path(rule)
