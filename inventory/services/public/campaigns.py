"""The public face of review campaigns: what each campaign of each municipality did, in
figures (contracts reviewed, amended, terminated; rent per year before and after;
arrears recovered), and the campaign's public documents (council decisions).

Only totals are published: no contract or lessee of a campaign is listed, so nobody is
named. A document is shown only when inventory.services.documents.publicly_visible_sql
allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Document, Municipality, OwnerKind, ReviewCampaign
from inventory.services.campaigns.figures import results
from inventory.services.documents import publicly_visible_sql


@dataclass(frozen=True)
class PublicCampaign:
    id: int
    municipality: str
    title: str
    opened_on: Any
    deadline: Any
    status: str
    closed_on: Any
    selection: dict[str, Any]
    results: dict[str, Any]
    documents: list[dict[str, Any]]


def _public(session: so.Session, campaign: ReviewCampaign, language: str, documents: bool):
    return PublicCampaign(
        id=campaign.id,
        municipality=campaign.municipality.name(language),
        title=campaign.title,
        opened_on=campaign.opened_on,
        deadline=campaign.deadline,
        status=campaign.status.value,
        closed_on=campaign.closed_on,
        selection=campaign.selection,
        results=results(session, campaign.id),
        documents=public_documents(session, campaign.id) if documents else [],
    )


def public_campaigns(
    session: so.Session, language: str, municipality: str | None = None
) -> list[PublicCampaign]:
    """Every campaign, newest first (of one municipality, by slug, when given)."""
    query = sa.select(ReviewCampaign).join(ReviewCampaign.municipality)
    if municipality:
        query = query.where(Municipality.slug == municipality)
    rows = session.scalars(query.order_by(ReviewCampaign.opened_on.desc(), ReviewCampaign.id))
    return [_public(session, c, language, documents=False) for c in rows]


def public_campaign(session: so.Session, campaign_id: int, language: str) -> PublicCampaign | None:
    campaign = session.get(ReviewCampaign, campaign_id)
    return None if campaign is None else _public(session, campaign, language, documents=True)


def public_documents(session: so.Session, campaign_id: int) -> list[dict[str, Any]]:
    """The campaign's documents anyone may read: id, title, kind, type and size."""
    rows = session.scalars(
        sa.select(Document)
        .where(
            Document.owner_kind == OwnerKind.CAMPAIGN,
            Document.owner_id == campaign_id,
            publicly_visible_sql(),
        )
        .order_by(Document.id)
    )
    return [
        {
            "id": d.id,
            "title": d.title,
            "kind": d.kind.value,
            "content_type": d.content_type,
            "size_bytes": d.size_bytes,
        }
        for d in rows
    ]


def public_document_file(
    session: so.Session, campaign_id: int, document_id: int
) -> tuple[str, str, str] | None:
    """(stored path, content type, download name) of a public document of the campaign."""
    row = session.execute(
        sa.select(Document.stored_path, Document.content_type, Document.original_name).where(
            Document.id == document_id,
            Document.owner_kind == OwnerKind.CAMPAIGN,
            Document.owner_id == campaign_id,
            publicly_visible_sql(),
        )
    ).first()
    if row is None:
        return None
    return row.stored_path, row.content_type, row.original_name or row.stored_path.rsplit("/")[-1]
