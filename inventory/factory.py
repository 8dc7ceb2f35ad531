"""The application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request

from inventory import config as config_module
from inventory.extensions import babel, csrf, login_manager
from inventory.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, select_locale


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

    from inventory.web import auth, errors, health, main, security

    app.register_blueprint(health.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    from inventory import api

    app.register_blueprint(api.bp)
    security.register(app)
    from webmap import views as webmap_views

    app.register_blueprint(webmap_views.bp)
    from inventory.ogc import bp as ogc_bp

    app.register_blueprint(ogc_bp)
    from inventory.opendata import bp as opendata_bp

    app.register_blueprint(opendata_bp)
    from inventory.office import bp as office_bp

    app.register_blueprint(office_bp)
    from inventory.audit import bp as audit_bp

    app.register_blueprint(audit_bp)
    errors.register(app)

    @app.context_processor
    def _template_globals():
        return {"language_names": LANGUAGE_NAMES}

    @app.after_request
    def _remember_language(response):
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    return app
