"""The application factory."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, request

from inventory import config as config_module
from inventory.extensions import babel, csrf, login_manager
from inventory.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, current_language, select_locale
from inventory.web.links import this_url

#: The app's blueprints as "module:attribute", in the order they are registered.
#:
#: Named rather than imported: the public map (webmap) is a package built on inventory
#: (it reads inventory.services.public), and inventory never imports it, so that the
#: dependency goes one way (tests/test_architecture.py checks it). The app is assembled
#: here from names; a blueprint's package brings its routes along when imported.
BLUEPRINTS = (
    "inventory.web.health:bp",
    "inventory.web.main:bp",
    "inventory.web.auth:bp",
    "inventory.api:bp",
    "webmap.views:bp",
    "inventory.ogc:bp",
    "inventory.opendata:bp",
    "inventory.office:bp",
    "inventory.audit:bp",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings (defaults < environment < `config`), extensions, blueprints.

    Raises inventory.config.ConfigError in production with a missing or default secret.
    Connecting to the database is lazy: the app starts even when PostGIS is down, and
    answers 503 until it is back.
    """
    settings = config_module.load(config)
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(settings)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx the client address is in X-Forwarded-For; without this, every
        # resident would share the proxy's address (and one rate limit).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from inventory import database, logging_setup

    logging_setup.configure(app)
    database.init_app(app)

    babel.init_app(
        app, locale_selector=select_locale, default_locale=app.config["DEFAULT_LANGUAGE"]
    )
    csrf.init_app(app)
    login_manager.init_app(app)

    from inventory.web.auth import load_user_for_login

    login_manager.user_loader(load_user_for_login)

    from inventory.web import errors, formatting, freshness, inputs, navigation, security

    security.register(app)
    inputs.register(app)
    formatting.register(app)
    navigation.register(app)
    freshness.register(app)
    for path in BLUEPRINTS:
        app.register_blueprint(_blueprint(path))
    errors.register(app)

    from inventory import nightly_jobs

    # The nightly scan and open-data refresh where no systemd timer runs them.
    nightly_jobs.init_app(app)

    @app.context_processor
    def _template_globals():
        return {
            "language_names": LANGUAGE_NAMES,
            "current_language": current_language,
            "this_url": this_url,
        }

    @app.after_request
    def _remember_language(response):
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    from inventory.web import tile_fast_path

    tile_fast_path.install(app)  # a resident's kept tile answered without Flask's machinery
    return app


def _blueprint(path: str) -> Blueprint:
    """The blueprint named by "module:attribute" (see BLUEPRINTS)."""
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)
