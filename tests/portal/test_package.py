"""The portal package exports exactly its public names."""

from __future__ import annotations

import server.portal as portal


def test_all_lists_the_public_names():
    public = {name for name in vars(portal) if not name.startswith("_")}
    modules = {"citizen", "errors", "follow", "limits", "mount", "photos", "preapply"}
    modules |= {"picker", "routes", "texts", "ui", "testing", "annotations"}
    assert set(portal.__all__) == public - modules
