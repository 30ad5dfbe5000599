"""Table questions end to end: small real files (an Excel sheet, a CSV, a Word table, a PDF
table) go through the real ingestion pipeline into LanceDB, and the questions through the chat
service, as ``POST /chat`` answers them. The text embedder is the hashing one."""

from __future__ import annotations

from pathlib import Path

import pytest

import ridgeline
from ridgeline.library import Ridgeline
from ridgeline.settings import Settings

pytestmark = pytest.mark.integration


def write_tables(folder: Path) -> None:
    import docx
    import openpyxl
    from fpdf import FPDF

    folder.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Regions"
    for row in [
        ["Region", "Manager", "Headcount"],
        ["North", "Alice Moreau", 42],
        ["South", "Bram Okafor", 17],
        ["East", "Chen Li", 28],
    ]:
        sheet.append(row)
    book.save(folder / "regions.xlsx")
    (folder / "offices.csv").write_text(
        "office,city,opened,desks\nHQ,Lisbon,2011,120\nLab,Porto,2016,45\nDepot,Faro,2019,12\n"
    )
    document = docx.Document()
    document.add_paragraph("The plans below differ in their copays.")
    table = document.add_table(rows=0, cols=3)
    for cells in [
        ("Service", "Standard copay", "Plus copay"),
        ("Primary care visit", "$30", "$20"),
        ("Specialist visit", "$60", "$40"),
    ]:
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    document.save(folder / "benefits.docx")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(text="Warehouse capacity by site", new_x="LMARGIN", new_y="NEXT")
    with pdf.table() as grid:
        for cells in [
            ("Site", "Pallets", "Forklifts"),
            ("Dover", "1200", "6"),
            ("York", "1500", "9"),
        ]:
            row = grid.row()
            for text in cells:
                row.cell(text)
    pdf.output(str(folder / "warehouses.pdf"))


@pytest.fixture
def rl(tmp_path: Path, hashing_plugin: str) -> Ridgeline:
    write_tables(tmp_path / "docs")
    settings = Settings(_env_file=None, text_embedder=hashing_plugin)
    opened = ridgeline.open(tmp_path / "index", settings=settings)
    report = opened.ingest([tmp_path / "docs"])
    assert not report.failed
    return opened


def test_table_cells_are_found_in_each_kind_of_table_source(rl: Ridgeline):
    asked = {
        "Who manages the North region?": (
            "The North region's manager is Alice Moreau. [regions.xlsx#page=1]"
        ),
        "Which city is the Lab office in?": "The Lab office's city is Porto. [offices.csv#id=2]",
        "What is the specialist visit copay on the Plus plan?": (
            "Plus copay for Specialist visit: $40. [benefits.docx]"
        ),
        "How many forklifts does York have?": "Forklifts for York: 9. [warehouses.pdf#page=1]",
    }
    for question, answer in asked.items():
        assert rl.ask(question).output_text == answer, question


def test_the_highest_and_lowest_rows_are_computed_and_cited(rl: Ridgeline):
    highest = rl.ask("Which region has the highest headcount?").output_text
    assert highest.startswith(
        "North has the highest headcount of the 3 rows in the table: 42. [regions.xlsx#page=1]"
    )
    fewest = rl.ask("Which office has the fewest desks?").output_text
    assert fewest.startswith("Depot has the fewest desks")
    assert "12. [offices.csv#id=3]" in fewest


def test_a_multi_part_question_is_answered_part_by_part(rl: Ridgeline):
    reply = rl.ask("Who manages the South region, and when did the Lab office open?")
    assert reply.output_text == (
        "The South region's manager is Bram Okafor. [regions.xlsx#page=1] "
        "The Lab office opened: 2016. [offices.csv#id=2]"
    )
