"""The baseline of the webhook benchmark: a Flask endpoint that only answers 200."""
from flask import Flask


def create_app() -> Flask:
    """A bare app with /callback and /healthz answering 200 at once."""
    app = Flask(__name__)
    app.add_url_rule("/callback", "callback", lambda: "OK", methods=["POST"])
    app.add_url_rule("/healthz", "healthz", lambda: "OK")
    return app
