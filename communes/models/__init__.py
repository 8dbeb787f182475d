"""Places (province, commune, hamlet) and the area situation registers of a commune."""

from .places import Commune, CommuneKind, Hamlet, HamletQuerySet, Province, official_code
from .situation import (
    CultivationFind,
    HamletPledge,
    Hotspot,
    HotspotKind,
    Household,
    Offence,
    OffenceKind,
    OutreachActivity,
    OutreachKind,
    PlantKind,
    Pledge,
    PreventionModel,
    PreventionModelKind,
    WantedPerson,
    has_pledge,
)

__all__ = [
    "Commune",
    "CommuneKind",
    "CultivationFind",
    "Hamlet",
    "HamletPledge",
    "HamletQuerySet",
    "Household",
    "Hotspot",
    "HotspotKind",
    "Offence",
    "OffenceKind",
    "OutreachActivity",
    "OutreachKind",
    "Pledge",
    "PlantKind",
    "PreventionModel",
    "PreventionModelKind",
    "Province",
    "WantedPerson",
    "has_pledge",
    "official_code",
]
