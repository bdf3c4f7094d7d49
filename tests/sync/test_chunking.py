"""Chunk sizes double after quick full chunks and halve after timeouts or slow chunks."""

from __future__ import annotations

import pytest

from sync.chunking import KIB, ChunkPolicy


def test_quick_full_chunks_double_up_to_the_maximum():
    policy = ChunkPolicy(initial=64 * KIB, maximum=256 * KIB, target_seconds=10)
    sizes = []
    for _ in range(4):
        policy.succeeded(policy.size, seconds=1.0)
        sizes.append(policy.size)
    assert sizes == [128 * KIB, 256 * KIB, 256 * KIB, 256 * KIB]


def test_a_short_last_chunk_does_not_grow_the_size():
    policy = ChunkPolicy(initial=64 * KIB)
    policy.succeeded(10 * KIB, seconds=0.1)
    assert policy.size == 64 * KIB


def test_timeouts_halve_down_to_the_minimum():
    policy = ChunkPolicy(initial=64 * KIB, minimum=16 * KIB)
    for _ in range(5):
        policy.timed_out()
    assert policy.size == 16 * KIB


def test_a_chunk_slower_than_the_target_shrinks_the_next():
    policy = ChunkPolicy(initial=64 * KIB, target_seconds=15)
    policy.succeeded(64 * KIB, seconds=20)
    assert policy.size == 32 * KIB


def test_a_chunk_near_the_target_keeps_the_size():
    policy = ChunkPolicy(initial=64 * KIB, target_seconds=15)
    policy.succeeded(64 * KIB, seconds=10)
    assert policy.size == 64 * KIB


def test_inconsistent_bounds_are_refused():
    with pytest.raises(ValueError):
        ChunkPolicy(initial=KIB, minimum=2 * KIB)
