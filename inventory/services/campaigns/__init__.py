"""Contract review campaigns: open one over a municipality's contracts, assign them to
officers, review each (kept, amended, terminated, sent to court) and count the results.

- `opening`: open, list, read, assign and close campaigns (administrators open, assign
  and close; officers read their own municipality's);
- `reviewing`: a contract's review page, prefilled, and the officer's decision, which
  amends or terminates the contract through inventory.services.records.contracts so
  that its history and the parcel status triggers apply;
- `figures`: progress by officer and the campaign's results, for the office and the
  public page (inventory.services.public.campaigns).
"""

from inventory.services.campaigns import figures, opening, reviewing  # noqa: F401
