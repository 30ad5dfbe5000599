"""A full chat app over fakes and small real files, served by a real uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from chat.app import create_app
from chat.config import AppConfig
from chat.content import ContentStore
from chat.history import HistoryStore
from chat.models.extractive import ExtractiveAnswerer
from chat.service import ChatService
from chat.uploads import UserUploads
from ingestion.parsers.assets import asset_folder
from ridgeline.protocols import ChatModel
from ridgeline.types import ChunkKind, SourceDocument
from tests.chat.fakes import FakeRetriever, make_hit
from tests.servers import serve_in_thread


class IndexingIngestor:
    """Makes each uploaded text file one hit of the fake retriever, readable by its owner."""

    def __init__(self, retriever: FakeRetriever, documents: list[SourceDocument]) -> None:
        self._retriever = retriever
        self._documents = documents

    def ingest(self, path: Path, *, owner: str) -> int:
        hit = make_hit(path.name, path.read_text(), access_users=(owner,), score=2.0)
        self._retriever.hits.insert(0, hit)
        self._documents.append(
            SourceDocument(
                document_id=str(path), path=path, source=path.name, content_hash="h", size_bytes=1
            )
        )
        return 1

    def forget(self, path: Path) -> None:
        self._retriever.hits[:] = [h for h in self._retriever.hits if h.chunk.source != path.name]
        self._documents[:] = [d for d in self._documents if d.path != path]


@dataclass
class ChatApp:
    client: httpx.Client
    base_url: str
    root: Path
    retriever: FakeRetriever

    @property
    def figure(self) -> str:
        """The manual's figure as named under /content/."""
        return figure_name(self.root)


def figure_path(root: Path) -> Path:
    """Where ingestion would store the manual's first figure (its folder is named after it)."""
    return asset_folder(root / "assets", root / "docs" / "manual.pdf") / "figure1_1.png"


def figure_name(root: Path) -> str:
    return figure_path(root).relative_to(root / "assets").as_posix()


def make_hits(root: Path) -> list:
    figure = figure_path(root)
    return [
        make_hit(
            "products.csv#id=7",
            "Name: TrailMaster X4 Tent\nPrice: $250.00",
            kind=ChunkKind.CATALOG,
            title="TrailMaster X4 Tent",
            images=(str(figure),),
        ),
        make_hit("manual.pdf#page=4", "Pitch the tent on flat ground.", title="Camping manual"),
    ]


def write_files(root: Path) -> list[SourceDocument]:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Pitch the tent on flat ground.")
    manual = root / "docs" / "manual.pdf"
    manual.parent.mkdir(parents=True)
    pdf.output(str(manual))
    figure = figure_path(root)
    figure.parent.mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 30, 30)).save(figure)
    (root / "secret.txt").write_text("top secret")
    catalog = root / "docs" / "products.csv"
    catalog.write_text("id,name,price\n7,TrailMaster X4 Tent,250.00\n8,<b>Lantern</b> & Co,19.00\n")
    return [
        SourceDocument(
            document_id="products",
            path=catalog.resolve(),
            source="products.csv",
            content_hash="c",
            size_bytes=catalog.stat().st_size,
        ),
        SourceDocument(
            document_id="manual",
            path=manual.resolve(),
            source="manual.pdf",
            content_hash="h",
            size_bytes=manual.stat().st_size,
        ),
    ]


@contextmanager
def running_app(
    root: Path, *, config: AppConfig | None = None, model: ChatModel | None = None
) -> Iterator[ChatApp]:
    documents = write_files(root)
    retriever = FakeRetriever(hits=make_hits(root))
    uploads = UserUploads(
        root=root / "uploads",
        ingestor=IndexingIngestor(retriever, documents),
        suffixes=(".txt", ".pdf", ".png"),
    )
    content = ContentStore(
        documents=lambda: list(documents), assets_dir=root / "assets", may_read=uploads.may_read
    )
    service = ChatService(
        retriever=retriever,
        model=model or ExtractiveAnswerer(),
        content_name=content.image_url,
    )
    app = create_app(
        service,
        # Uploads are tested without an API key here, so anonymous ones are allowed.
        config=config or AppConfig(allow_anonymous_uploads=True),
        content=content,
        uploads=uploads,
        history=HistoryStore(root / "history.sqlite3"),
    )
    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield ChatApp(client=client, base_url=base_url, root=root, retriever=retriever)
