"""Citizen mode: follow, supplement, rate and pre-apply from a phone browser at /portal."""

from __future__ import annotations

from server.portal.citizen import PORTAL_DEVICE, RATINGS, Portal
from server.portal.errors import (
    LookupFailed,
    NotAllowedNow,
    NotAPhoto,
    PhotoTooLarge,
    PortalError,
    RetakePhoto,
    TooManyLookups,
    UnknownPreApplication,
)
from server.portal.follow import CitizenView, citizen_view, find_dossier
from server.portal.limits import RateLimiter
from server.portal.mount import PORTAL_PATH, mount_portal
from server.portal.photos import MAX_PHOTO_BYTES, store_photo
from server.portal.preapply import PreApplication, find_preapplication, issue_preapplication

__all__ = [
    "MAX_PHOTO_BYTES",
    "PORTAL_DEVICE",
    "PORTAL_PATH",
    "RATINGS",
    "CitizenView",
    "LookupFailed",
    "NotAPhoto",
    "NotAllowedNow",
    "PhotoTooLarge",
    "Portal",
    "PortalError",
    "PreApplication",
    "RateLimiter",
    "RetakePhoto",
    "TooManyLookups",
    "UnknownPreApplication",
    "citizen_view",
    "find_dossier",
    "find_preapplication",
    "issue_preapplication",
    "mount_portal",
    "store_photo",
]
