"""all-MiniLM-L6-v2 on ONNX Runtime: the packaged weights, exported once, optionally int8.

The first use exports the sentence-transformers model to ONNX (``torch.onnx.export``), fuses it
for ONNX Runtime's CPU kernels (attention, layer norm, GELU) and, for ``precision="int8"``,
quantizes the weights (dynamic, per channel; int8 then embeds one text per run). The files are
cached under ``~/.cache/ridgeline/onnx/<model-hash>/`` so later processes only load them.
Tokenization, truncation (256 word pieces), mean pooling and L2 normalisation match
sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ridgeline.errors import ModelError
from ridgeline.providers.embedder import DEFAULT_MODEL, packaged_model_path

Precision = Literal["fp32", "int8"]

# Bump when the export recipe changes so stale cached files are not reused.
_RECIPE = "minilm-onnx-v1"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "ridgeline" / "onnx"


class OnnxEmbedder:
    """Embeds text with an ONNX Runtime export of a local sentence-transformers BERT model.

    >>> emb = OnnxEmbedder(precision="int8")           # packaged all-MiniLM-L6-v2
    >>> len(emb.embed_query("tent for four"))           # doctest: +SKIP
    384
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        precision: Precision = "int8",
        cache_dir: Path | None = None,
        batch_size: int | None = None,
        threads: int | None = None,
    ) -> None:
        self._model_dir = Path(model_path) if model_path else None
        self.precision: Precision = precision
        self._cache_root = cache_dir or default_cache_dir()
        # int8 activations are quantized with one range per batch, so a text's vector would
        # depend on its batch neighbours (and their padding); alone, each text gets its own range.
        self.batch_size = batch_size or (1 if precision == "int8" else 32)
        self._threads = threads or len(os.sched_getaffinity(0))
        base = DEFAULT_MODEL if model_path is None else Path(model_path).name
        self.name = f"{base}-onnx-{precision}"
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    @property
    def model_dir(self) -> Path:
        return self._model_dir or Path(packaged_model_path())

    @property
    def dimension(self) -> int:
        return int(_read_json(self.model_dir / "config.json")["hidden_size"])

    @property
    def max_input_tokens(self) -> int:
        return int(_read_json(self.model_dir / "sentence_bert_config.json")["max_seq_length"])

    def model_file(self) -> Path:
        """The cached ONNX file for this precision, exported first if it is missing."""
        return ensure_exported(self.model_dir, self._cache_root, precision=self.precision)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        session, tokenizer = self._loaded()
        encodings = tokenizer.encode_batch(list(texts))
        # Batches of similar length waste little compute on padding.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = _embed_batch(session, [encodings[i] for i in batch])
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _loaded(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                self._tokenizer = _load_tokenizer(self.model_dir, self.max_input_tokens)
                self._session = _open_session(self.model_file(), threads=self._threads)
            return self._session, self._tokenizer


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model file {path}: {exc}") from exc


def _load_tokenizer(model_dir: Path, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    # tokenizer.json ships with truncation at 128 and fixed padding; the model reads 256 pieces.
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


def _open_session(model_file: Path, *, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads  # one thread per core; more only contend
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


def _embed_batch(session: Any, encodings: Sequence[Any]) -> np.ndarray:
    width = max(len(e.ids) for e in encodings)
    feeds = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in _INPUTS}
    for row, encoding in enumerate(encodings):
        size = len(encoding.ids)
        feeds["input_ids"][row, :size] = encoding.ids
        feeds["attention_mask"][row, :size] = encoding.attention_mask
        feeds["token_type_ids"][row, :size] = encoding.type_ids
    (hidden,) = session.run(["last_hidden_state"], feeds)
    return mean_pool_normalize(hidden, feeds["attention_mask"])


def mean_pool_normalize(hidden: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Masked mean over tokens, then unit length: sentence-transformers' Pooling + Normalize."""
    mask = attention_mask[..., None].astype(np.float32)
    summed = (hidden * mask).sum(axis=1)
    pooled = summed / np.clip(mask.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def model_cache_key(model_dir: Path) -> str:
    """A short hash of the weights, the recipe and the ONNX Runtime version."""
    import onnxruntime

    digest = hashlib.sha256(f"{_RECIPE}|{onnxruntime.__version__}|".encode())
    for name in ("config.json", "model.safetensors"):
        with (model_dir / name).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def ensure_exported(model_dir: Path, cache_root: Path, *, precision: Precision) -> Path:
    """Return the cached ONNX file for ``precision``, building it (and fp32 before int8) if needed.

    Files are built in a private temporary folder and moved into place with ``os.replace``, so
    two processes exporting at once each publish a complete file and a reader never sees half.
    """
    target_dir = cache_root / model_cache_key(model_dir)
    target = target_dir / f"model-{precision}.onnx"
    if target.exists():
        return target
    source = (
        None if precision == "fp32" else ensure_exported(model_dir, cache_root, precision="fp32")
    )
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".export-") as work:
        try:
            built = _build(model_dir, source, Path(work))
        except Exception as exc:
            raise ModelError(
                f"could not export {model_dir} to ONNX ({precision}): {exc}; "
                "the sentence-transformers embedder (text_embedder='minilm') needs no export"
            ) from exc
        os.replace(built, target)
    return target


def _build(model_dir: Path, fp32_source: Path | None, work: Path) -> Path:
    from ridgeline.providers import onnx_export

    if fp32_source is not None:
        return onnx_export.quantize_int8(fp32_source, work / "int8.onnx")
    raw = onnx_export.export_transformer(model_dir, work / "raw.onnx")
    return onnx_export.fuse_for_cpu(model_dir, raw, work / "fp32.onnx")
