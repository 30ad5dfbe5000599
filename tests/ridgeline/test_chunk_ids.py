from ridgeline.chunk_ids import ChunkId, chunk_id, chunking_of, parse_chunk_id


def test_a_window_id_says_its_document_ordinal_and_cut() -> None:
    assert chunk_id("3f2a", 7) == "3f2a:00007"
    assert chunk_id("3f2a", 7, window=True) == "3f2a:w00007"
    assert parse_chunk_id("3f2a:w00007") == ChunkId("3f2a", 7, window=True)
    assert chunking_of("3f2a:w00007") == "sentence-window"
    assert chunking_of("3f2a:00007") == "passage"


def test_neighbours_are_the_ordinals_around_and_none_before_the_first() -> None:
    window = ChunkId("doc", 1, window=True)
    assert str(window.neighbour(1)) == "doc:w00002"
    assert str(window.neighbour(-1)) == "doc:w00000"
    assert window.neighbour(-2) is None


def test_ids_written_another_way_say_nothing() -> None:
    assert parse_chunk_id("products.csv-0") is None
    assert chunking_of("4:1") is None
