"""Every kind of record that can be imported, by name."""

from inventory.services.imports.kinds.inspections import Inspections
from inventory.services.imports.kinds.leases import Contracts, Lessees
from inventory.services.imports.kinds.payments import Payments
from inventory.services.imports.kinds.places import (
    BaseRates,
    Municipalities,
    ProtectedAreas,
    Zones,
)
from inventory.services.imports.kinds.property import Buildings, Parcels
from inventory.services.imports.kinds.statements import Statements

KINDS = {
    k.name: k
    for k in (
        Municipalities(),
        Zones(),
        BaseRates(),
        ProtectedAreas(),
        Parcels(),
        Buildings(),
        Lessees(),
        Contracts(),
        Payments(),
        Statements(),
        Inspections(),
    )
}
