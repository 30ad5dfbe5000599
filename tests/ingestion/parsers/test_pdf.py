import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from fpdf import FPDF

from ingestion.parsers.pdf import PdfParser
from ridgeline.errors import CorruptFileError, IngestionError

MakePdf = Callable[[str, Sequence[str]], Path]


def test_each_page_keeps_its_text_and_1_based_number(make_pdf: MakePdf) -> None:
    path = make_pdf("manual.pdf", ["Setup: unfold the tent.", "Care: dry it before storage."])

    pages = list(PdfParser().parse(path, source="manual.pdf"))

    assert [p.page_number for p in pages] == [1, 2]
    assert pages[0].text == "Setup: unfold the tent."
    assert pages[1].text == "Care: dry it before storage."
    assert pages[1].source == "manual.pdf"


def test_a_page_without_text_layer_yields_empty_text(make_pdf: MakePdf) -> None:
    path = make_pdf("scan.pdf", ["Cover", ""])

    pages = list(PdfParser().parse(path, source="scan.pdf"))

    assert [p.text for p in pages] == ["Cover", ""]


def test_random_bytes_are_a_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(os.urandom(2048))

    with pytest.raises(CorruptFileError, match=r"broken\.pdf.*not a readable PDF"):
        list(PdfParser().parse(path, source="broken.pdf"))


def test_a_password_protected_pdf_is_refused_clearly(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Secret plans")
    pdf.set_encryption(owner_password="owner", user_password="user")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))

    with pytest.raises(IngestionError, match="password-protected") as caught:
        list(PdfParser().parse(path, source="locked.pdf"))
    assert not isinstance(caught.value, CorruptFileError)
