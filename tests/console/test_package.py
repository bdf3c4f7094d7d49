"""The console package exports exactly its public names."""

from __future__ import annotations

import server.console as console


def test_all_lists_the_public_names():
    public = {name for name in vars(console) if not name.startswith("_")}
    modules = {"errors", "figures", "figures_view", "mount", "pages", "queue", "screens"}
    modules.add("workflow")
    assert set(console.__all__) == public - modules - {"annotations"}
