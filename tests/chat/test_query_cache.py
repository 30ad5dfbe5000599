from chat.query_cache import CachedQueryEmbedder
from ridgeline.protocols import TextEmbedder
from tests.fakes import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self):
        super().__init__()
        self.queries: list[str] = []

    def embed_query(self, text):
        self.queries.append(text)
        return super().embed_query(text)


def test_a_repeated_query_is_embedded_once_with_the_same_vector():
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, size=8)
    assert isinstance(cached, TextEmbedder)
    assert cached.embed_query("tent price") == cached.embed_query("tent price")
    assert inner.queries == ["tent price"]


def test_the_least_recently_used_query_is_forgotten_first():
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, size=2)
    for query in ["a", "b", "a", "c", "a", "b"]:
        cached.embed_query(query)
    assert inner.queries == ["a", "b", "c", "b"]


def test_documents_are_never_cached():
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner)
    assert cached.embed_documents(["x"]) == inner.embed_documents(["x"])
    assert cached.dimension == inner.dimension
