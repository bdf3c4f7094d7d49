from datetime import datetime, timedelta, timezone

from app.i18n import Translator
from app.state.home import LinkState, link_text, time_ago

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=7)))


def test_online_with_last_sync():
    link = LinkState(online=True, last_sync=NOW - timedelta(minutes=5))
    assert (
        link_text(link, NOW, Translator("vi"))
        == "Đã kết nối máy chủ · đồng bộ lần cuối 5 phút trước"
    )
    assert "5 min ago" in link_text(link, NOW, Translator("en"))


def test_offline_says_since_when():
    link = LinkState(online=False, since=NOW - timedelta(hours=2))
    assert link_text(link, NOW, Translator("en")) == "Offline since 08:00 02/03"


def test_syncing_shows_progress():
    link = LinkState(online=True, syncing=True, items_left=7, fraction=0.42)
    assert link_text(link, NOW, Translator("en")) == "Syncing 42%, 7 items left"
    assert "7" in link_text(
        LinkState(online=True, syncing=True, items_left=7), NOW, Translator("vi")
    )


def test_time_ago_scales():
    tr = Translator("en")
    assert time_ago(NOW - timedelta(seconds=20), NOW, tr) == "just now"
    assert time_ago(NOW - timedelta(hours=3), NOW, tr) == "3 h ago"
    assert time_ago(NOW - timedelta(days=2), NOW, tr) == "2 days ago"
