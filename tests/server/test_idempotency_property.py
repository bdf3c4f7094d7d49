"""Property: however batches are split, repeated, retried and reordered, the result is the same."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dossier import fold
from core.events import Event, EventType
from core.ids import new_id


def histories(device, dossiers):
    """Return, per dossier, a lawful event history of a few steps."""
    result = []
    for steps in dossiers:
        received = device.received()
        events = [received]
        tail = [
            (EventType.PROCESSING_STARTED, {}),
            (EventType.EXTENDED, {"new_due_at": "2026-03-09T09:00:00+07:00", "reason": "xin lỗi"}),
            (
                EventType.RESULT_READY,
                {"result": {"document_type": "giay_khai_sinh", "pages": [], "digitised": False}},
            ),
            (EventType.RETURNED, {"method": "counter", "postal_ref": None}),
        ][:steps]
        events += [device.event(received.dossier_id, kind, payload) for kind, payload in tail]
        result.append(events)
    return result


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_duplicated_and_reordered_batches_give_the_same_state(city, data):
    device = city.enrol()
    shape = data.draw(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=3))
    stories = histories(device, shape)
    # The outbox keeps each dossier's own order but interleaves dossiers at random.
    tags = data.draw(st.permutations([i for i, story in enumerate(stories) for _ in story]))
    queues = [list(story) for story in stories]
    outbox = [queues[tag].pop(0) for tag in tags]
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(outbox) - 1)), max_size=4)))
    bounds = [0, *cuts, len(outbox)]
    batches = [(new_id(), outbox[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]
    deliveries = data.draw(
        st.lists(st.sampled_from(range(len(batches))), max_size=3 * len(batches))
    )
    for index in deliveries:
        key, batch = batches[index]
        fresh_key = data.draw(st.booleans())
        response = device.send(batch, key=new_id() if fresh_key else key)
        assert response.status_code == 200
    for key, batch in batches:  # the outbox finally drains in order, each batch retried once
        device.send(batch, key=key)
        device.send(batch)
    admin = city.admin()
    for history in stories:
        stored = admin.get(f"/v1/dossiers/{history[0].dossier_id}").json()["events"]
        assert sorted(e["id"] for e in stored) == sorted(e.id for e in history)
        assert fold(Event.from_wire(e) for e in stored) == fold(history)
