from chat.history import HistoryStore


def test_sessions_are_saved_listed_newest_first_read_and_deleted(tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.save("alice", "s1", [["How much is the tent?", {"output_text": "$250."}]])
    store.save("alice", "s2", [["Second question", {"output_text": "Yes."}]])
    sessions, more = store.list_sessions("alice", count=10)
    assert {s["id"] for s in sessions} == {"s1", "s2"} and more is None
    assert store.get("alice", "s1") == {
        "id": "s1",
        "entra_oid": "alice",
        "answers": [["How much is the tent?", {"output_text": "$250."}]],
    }
    assert store.delete("alice", "s1") is True
    assert store.get("alice", "s1") is None


def test_a_user_never_sees_another_users_sessions(tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.save("alice", "s1", [["Private question", {}]])
    assert store.list_sessions("bob", count=10) == ([], None)
    assert store.get("bob", "s1") is None
    assert store.delete("bob", "s1") is False


def test_listing_pages_with_a_continuation_offset(tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite3")
    for n in range(3):
        store.save("alice", f"s{n}", [[f"q{n}", {}]])
    first, more = store.list_sessions("alice", count=2)
    rest, done = store.list_sessions("alice", count=2, continuation=more)
    assert len(first) == 2 and len(rest) == 1 and done is None
    assert {s["id"] for s in first + rest} == {"s0", "s1", "s2"}
