"""The domain model: typed SQLAlchemy 2 models with GeoAlchemy2 geometry.

Import models from here; each module holds one part of the domain.
"""

from inventory.models.anomaly import (  # noqa: F401
    AnomalyFlag,
    FlagStatus,
    ParcelOverlap,
    ParcelOverlapStale,
    Severity,
)
from inventory.models.auction import AuctionLot, AuctionResult, LotStatus  # noqa: F401
from inventory.models.auth import ApiToken, LoginAttempt, LoginLock, UserSession  # noqa: F401
from inventory.models.base import SRID, Base  # noqa: F401
from inventory.models.cache import (  # noqa: F401
    AddressWord,
    ParcelCurrentLease,
    ParcelOverview,
    TileCache,
)
from inventory.models.campaign import (  # noqa: F401
    CampaignReview,
    CampaignStatus,
    ReviewCampaign,
    ReviewOutcome,
)
from inventory.models.digest import DigestSent  # noqa: F401
from inventory.models.document import Document, DocumentKind, OwnerKind  # noqa: F401
from inventory.models.history import AUDITED_TABLES, ChangeRecord  # noqa: F401
from inventory.models.importing import ImportMapping  # noqa: F401
from inventory.models.inspection import Inspection, InspectionPhoto  # noqa: F401
from inventory.models.lease import (  # noqa: F401
    ContractBasis,
    ContractObject,
    ContractRelation,
    ContractStatus,
    LeaseContract,
    Lessee,
    LesseeKind,
    Payment,
    RentPeriod,
    ScheduledPayment,
)
from inventory.models.municipality import (  # noqa: F401
    BaseRate,
    EconomicZone,
    Municipality,
    ProtectedArea,
    ProtectedKind,
)
from inventory.models.names import ReferenceSynonym  # noqa: F401
from inventory.models.property import Building, BuildingKind, Parcel, ParcelStatus  # noqa: F401
from inventory.models.reference import LandCategory, LandUse, UseCompatibility  # noqa: F401
from inventory.models.report import CitizenReport, ReportStatus  # noqa: F401
from inventory.models.scan_run import ScanRun  # noqa: F401
from inventory.models.statement import StatementLine  # noqa: F401
from inventory.models.user import Role, User  # noqa: F401
