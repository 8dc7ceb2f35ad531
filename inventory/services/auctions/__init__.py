"""Auctions of free municipal property (Government resolution №142 of 29.03.2019).

- `lots`: a free parcel or premise offered as a lot, described once (`FIELDS`) for the
  API, the office pages and the API document; its starting rent defaults to the
  normative rent (`norm`);
- `results`: the auction's outcome, a winner whose lease contract follows from the lot
  (basis 'auction', through inventory.services.records.contracts, so the parcel becomes
  leased by the database's triggers), or "no bids".

The public side (the /auctions page, the map's markers, the Atom feed) reads lots through
inventory.services.public.auctions; OCDS publishes them as tenders and awards.
"""
