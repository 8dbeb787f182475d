"""Places (province, commune, hamlet) and the area situation registers of a commune."""

from .places import Commune, CommuneKind, Hamlet, HamletQuerySet, Province, official_code
from .situation import (
    CultivationFind,
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
    WantedPerson,
    has_pledge,
)

__all__ = [
    "Commune",
    "CommuneKind",
    "CultivationFind",
    "Hamlet",
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
    "Province",
    "WantedPerson",
    "has_pledge",
    "official_code",
]
