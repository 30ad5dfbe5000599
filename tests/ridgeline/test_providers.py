from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ridgeline.protocols import OcrEngine, TextEmbedder, Tokenizer
from ridgeline.providers.ocr import RapidOcrEngine
from ridgeline.providers.tokenizer import TiktokenTokenizer, seed_tiktoken_cache


def test_tokenizer_counts_offline_with_the_packaged_vocabulary(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    seeded = seed_tiktoken_cache("o200k_base")
    assert seeded.parent == tmp_path and seeded.stat().st_size > 1_000_000
    tok = TiktokenTokenizer("cl100k_base")
    assert isinstance(tok, Tokenizer)
    ids = tok.encode("Ridgeline answers with citations.")
    assert tok.decode(ids) == "Ridgeline answers with citations."
    assert tok.count("hello world") == 2


@pytest.mark.models
def test_packaged_embedder_gives_unit_vectors_that_rank_paraphrases_close(real_embedder):
    assert isinstance(real_embedder, TextEmbedder)
    assert real_embedder.dimension == 384
    assert real_embedder.max_input_tokens == 256
    tent, shelter, stove = real_embedder.embed_documents(
        ["a tent that sleeps four people", "shelter for a family of four", "a camping stove"]
    )
    query = real_embedder.embed_query("four person tent")

    def dot(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert abs(dot(tent, tent) - 1.0) < 1e-4
    assert dot(query, tent) > dot(query, stove)
    assert dot(tent, shelter) > dot(tent, stove)


@pytest.mark.models
def test_ocr_reads_text_drawn_on_an_image(tmp_path: Path):
    image = Image.new("RGB", (640, 160), "white")
    ImageDraw.Draw(image).text(
        (20, 50), "Summit Lantern 300 lumens", fill="black", font=ImageFont.load_default(size=36)
    )
    path = tmp_path / "label.png"
    image.save(path)
    engine = RapidOcrEngine()
    assert isinstance(engine, OcrEngine)
    text = engine.read_text(path)
    assert "Lantern" in text and "300" in text
