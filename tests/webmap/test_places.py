"""The extent the public map opens each city at, and how long it is kept."""

from inventory.services.public.places import cached_municipality_extents
from tests import factories as f


def _bbox(places, slug):
    return next(p.bbox for p in places if p.slug == slug)


def test_the_extent_is_kept_for_the_configured_time_only(db_session):
    first = f.parcel(db_session)
    slug = first.municipality.slug
    cache: dict = {}
    before = _bbox(cached_municipality_extents(db_session, "en", cache, 300), slug)

    # A parcel drawn about a kilometre east of the extent widens the real extent...
    f.parcel(db_session, first.municipality, shape=f.square(before[2] + 0.01, before[1]))
    assert _bbox(cached_municipality_extents(db_session, "en", {}, 0), slug)[2] > before[2]
    # ...but the kept one is served until it expires, and a language is kept apart.
    assert _bbox(cached_municipality_extents(db_session, "en", cache, 300), slug) == before
    assert _bbox(cached_municipality_extents(db_session, "ru", cache, 300), slug) != before
    assert _bbox(cached_municipality_extents(db_session, "en", cache, 1e-9), slug) != before
