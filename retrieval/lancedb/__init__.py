"""The embedded index backend: LanceDB tables on local disk (see :mod:`retrieval.lancedb.index`)."""

from retrieval.lancedb.index import LanceDbIndex

__all__ = ["LanceDbIndex"]
