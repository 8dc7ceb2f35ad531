"""Settings: defaults, then environment variables, then explicit overrides.

Every setting the app reads lives here, with its default, so an operator can see in one
place what can be set. Environment variables are `DATABASE_URL`, `SECRET_KEY` and
`INVENTORY_*` (the `INVENTORY_` prefix is dropped: `INVENTORY_PG_PORT` sets `PG_PORT`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The checkout (or install) root: `var/` for the embedded database lives under it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The placeholder secret used in development. Production refuses to start with it.
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"

DEFAULTS: dict[str, Any] = {
    # "development", "demo", "test" or "production"
    "ENV": "development",
    "SECRET_KEY": DEVELOPMENT_SECRET,
    "DATABASE_URL": None,
    # Public reads (map, tiles, search, parcel cards, OGC API, open data) go to this
    # database when set: a read replica, or the same database as a role with SELECT only
    # (INVENTORY_PUBLIC_DATABASE_URL). None: the main database. Its sessions are read-only.
    "PUBLIC_DATABASE_URL": None,
    # The database URLs lead to PgBouncer in transaction pooling (deploy/SCALING.md): no
    # server-side prepared statements, and public reads made read-only per transaction.
    "PGBOUNCER": False,
    # Where the embedded PostgreSQL cluster, uploaded photos and backups live.
    "VAR_DIR": str(PROJECT_ROOT / "var"),
    # None: 55432, or the next free port if another program holds it (remembered in
    # VAR_DIR/pgport). A port set explicitly is used as it is or not at all.
    "PG_PORT": None,
    "PG_BINDIR": None,
    "UPLOAD_DIR": None,  # defaults to VAR_DIR/uploads
    "DEMO_PASSWORD": "demo",
    "LANGUAGES": ("ky", "ru", "en"),
    "DEFAULT_LANGUAGE": "ru",
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "WTF_CSRF_TIME_LIMIT": None,
    # A signed-in browser session ends after this many minutes without a request, and
    # this many hours after signing in whatever happens (inventory.services.sessions).
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 10,
    # Refuse sign-in with a right password that fails the password policy (the demo's
    # "demo"); always on in production and when the app listens beyond the loopback.
    "REFUSE_WEAK_PASSWORDS": False,
    # The app answers on an address other machines reach (`inventory serve --host`
    # other than 127.0.0.1/::1/localhost sets it): like production, it then refuses the
    # placeholder secret and weak (demo) passwords.
    "LISTENS_BEYOND_LOOPBACK": False,
    "JSON_SORT_KEYS": False,
    "LOG_LEVEL": "INFO",
    # How many reverse proxies (nginx) stand in front of the app and may be believed about
    # the client's address and scheme. 0 when the app faces clients directly.
    "TRUSTED_PROXIES": 0,
    # Seconds a person needs at least to fill the misuse report form (slower bots pass,
    # faster ones are spam).
    "REPORT_MIN_FILL_SECONDS": 3,
    # How long the public map keeps each city's extent (seconds; 0: work it out on every
    # page): it costs a pass over every parcel, and the map page asks for it on each visit.
    "MAP_EXTENT_CACHE_SECONDS": 300,
    # Base map tiles of the public map, a Leaflet URL template; "" or "none": no base map
    # (the parcels still show). Residents' browsers fetch these tiles, not the server.
    "BASEMAP_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    # The licence of the open data (/opendata, OCDS), as the URL of its text.
    "OPENDATA_LICENCE": "https://creativecommons.org/licenses/by/4.0/",
    # The prefix of OCDS contracting process ids: "ocds-" and the 6 characters the Open
    # Contracting Partnership registers for a publisher, then "-". This placeholder has
    # the registered form; register the city's own before publishing.
    "OCDS_OCID_PREFIX": "ocds-kgmun0-",
    # Open-data files (and the OCDS package, one of them) each process sends at once; a
    # further download is asked to retry (503), so slow downloads never hold every thread
    # of the app. Behind nginx, set OPENDATA_ACCEL_REDIRECT to the internal location that
    # serves VAR_DIR/opendata (deploy/nginx-inventory.conf: "/_opendata/"): nginx then
    # sends the files itself and the app's thread is free at once.
    "OPENDATA_DOWNLOAD_SLOTS": 1,
    "OPENDATA_ACCEL_REDIRECT": "",
    # Anomaly rules (inventory/services/anomalies), thresholds of data/README.md:
    # an active contract ending within this many days is "ending soon";
    "ANOMALY_ENDING_SOON_DAYS": 90,
    # arrears: instalments due more than this many days ago ...
    "ANOMALY_ARREARS_GRACE_DAYS": 30,
    # ... exceeding the payments by more than this many som;
    "ANOMALY_ARREARS_MIN_AMOUNT": 1000,
    # annual rent below the normative rent by more than this percentage;
    "ANOMALY_RENT_BELOW_NORM_PERCENT": 20,
    # documented and measured area differing by more than this % of the measured one;
    # overlaps (parcel/parcel, parcel/protected layer) up to this many m² are drawing noise.
    "ANOMALY_AREA_MISMATCH_PERCENT": 10,
    "ANOMALY_OVERLAP_TOLERANCE_M2": 1,
    # Connections a full scan runs rules on at once, besides its own (1: one at a time);
    # about the number of cores the database server can give a nightly scan.
    "ANOMALY_SCAN_WORKERS": 2,
    # The app's own nightly anomaly scan and open-data refresh, for where no systemd timer
    # runs them (./dev start, a container): one process of the app runs them each night
    # at NIGHTLY_JOBS_AT, Bishkek time (HH:MM). Turn off (false) where the timers of
    # deploy/ run `inventory scan` and `inventory opendata`.
    "NIGHTLY_JOBS": True,
    "NIGHTLY_JOBS_AT": "03:30",
    # Vector tiles of the public map kept in the database once made (table tile_cache),
    # at most this many (about 10 KB each on average); 0: make every tile on each request.
    # Not used when PUBLIC_DATABASE_URL is set: cache tiles in nginx or a CDN there.
    "TILE_CACHE_TILES": 200_000,
    # E-mail (the daily digest, `inventory digest` and the nightly jobs): the SMTP server's
    # host (empty: no e-mail is sent) and port (587: submission with STARTTLS; 25: a
    # relay; 465 is not supported), the login (empty user: none), the sender's address,
    # and whether to upgrade the connection with STARTTLS before logging in.
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "",
    "SMTP_STARTTLS": True,
    # The largest file an import (wizard, API, CLI) accepts, in bytes.
    "IMPORT_MAX_BYTES": 50 * 1024 * 1024,
}

_INT_KEYS = {
    "PG_PORT",
    "MAX_CONTENT_LENGTH",
    "TRUSTED_PROXIES",
    "REPORT_MIN_FILL_SECONDS",
    "MAP_EXTENT_CACHE_SECONDS",
}


def with_defaults(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`settings` (the app's config, or a few settings a test or script gives) with every
    setting it leaves out at its documented default. The one place services that take
    their settings as an argument fill in what the caller did not say."""
    return {**DEFAULTS, **(settings or {})}


#: The registered form of an ocid prefix (with the hyphen that precedes the local id).
OCID_PREFIX = re.compile(r"ocds-[a-z0-9]{6}-")


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message says which and what to do."""


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings given by environment variables, typed like the defaults."""
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    if environ.get("DATABASE_URL"):
        found["DATABASE_URL"] = environ["DATABASE_URL"]
    if environ.get("SECRET_KEY"):
        found["SECRET_KEY"] = environ["SECRET_KEY"]
    for name, value in environ.items():
        if name.startswith("INVENTORY_") and value != "":
            key = name[len("INVENTORY_") :]
            found[key] = _typed(key, value)
    return found


def _typed(key: str, value: str) -> Any:
    """An environment string as the type of the setting's default (int, float, bool)."""
    default = DEFAULTS.get(key)
    if key in _INT_KEYS or (isinstance(default, int) and not isinstance(default, bool)):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return value


def load(
    overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """Merge defaults, environment and overrides, and check the result is safe to run.

    Raises ConfigError in production, or when the app listens beyond the loopback, if
    SECRET_KEY is missing, short or the development placeholder, so that a forgotten
    secret can never reach a reachable server; both refuse weak (demo) passwords too.
    """
    settings = dict(DEFAULTS)
    settings.update(from_environment(environ))
    settings.update(overrides or {})
    prefix = str(settings.get("OCDS_OCID_PREFIX") or "")
    if not OCID_PREFIX.fullmatch(prefix):
        raise ConfigError(
            f"OCDS_OCID_PREFIX must be 'ocds-' and the 6 characters registered with the Open "
            f"Contracting Partnership, then '-' (e.g. ocds-213czf-), not {prefix!r}"
        )
    if not settings.get("UPLOAD_DIR"):
        settings["UPLOAD_DIR"] = str(Path(settings["VAR_DIR"]) / "uploads")
    production = settings["ENV"] == "production"
    if production or settings.get("LISTENS_BEYOND_LOOPBACK"):
        secret = settings.get("SECRET_KEY") or ""
        if secret == DEVELOPMENT_SECRET or len(secret) < 32:
            where = "in production" if production else "when listening beyond the loopback"
            raise ConfigError(
                f"SECRET_KEY must be set to a random value of at least 32 characters {where} "
                "(the placeholder would let anyone forge a session), e.g. "
                "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
            )
        settings["REFUSE_WEAK_PASSWORDS"] = True
    if production:
        settings["SESSION_COOKIE_SECURE"] = True
        if settings.get("DEMO_PASSWORD") == "demo":
            settings["DEMO_PASSWORD"] = None
    return settings
