"""A small corpus of tables in every format ingestion reads them from, for the table QA set
(``eval/sets/table-qa.jsonl``): an Excel workbook of two sheets, a CSV without prices, a Word
document with a table between prose, a PDF with a ruled table, and a Markdown handbook whose
prose mentions the same teams and rooms (so that retrieval has something to confuse).

The set's questions were written with this data, before any answer was read. A second corpus
(:mod:`bench.table_corpus_heldout`, ``eval/sets/table-qa-heldout.jsonl``) and its questions were
written after the first set's one miss was fixed, and run once.

Usage::

    python -m bench.table_corpus --out /tmp/tables/docs   # --heldout: the second corpus
    ridgeline ingest /tmp/tables/docs --index /tmp/tables/index
    python -m eval.catalog_qa score eval/sets/table-qa.jsonl --index /tmp/tables/index --half all
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEAMS = [
    ("Team", "Lead", "Members", "Budget (USD)"),
    ("Payments", "Ines Duarte", 9, 410000),
    ("Search", "Tomasz Wolny", 12, 560000),
    ("Mobile", "Grace Achterberg", 7, 350000),
    ("Platform", "Kofi Mensah", 15, 720000),
    ("Support", "Lena Vogt", 5, 180000),
    ("Data", "Ravi Iyer", 8, 495000),
]
ROOMS = [
    ("Room", "Floor", "Seats"),
    ("Atlas", 2, 14),
    ("Orion", 3, 8),
    ("Vega", 1, 22),
    ("Lyra", 3, 6),
]
FLEET = """vehicle,plate,driver,mileage_km,year
Transit van,KX-402,Marta Silva,84200,2019
Sprinter,LT-118,Jonas Berg,131500,2016
Caddy,MR-977,Aisha Khan,40150,2021
Kangoo,PB-230,Olek Nowak,97800,2018
Vivaro,RD-645,Sam Ortiz,62300,2020
"""
TARIFFS = [
    ("Plan", "Monthly fee", "Data allowance", "Contract months"),
    ("Basic", "$15", "5 GB", "12"),
    ("Standard", "$28", "25 GB", "24"),
    ("Unlimited", "$45", "Unlimited", "24"),
    ("Family", "$60", "100 GB shared", "18"),
]
SAMPLES = [
    ("Sample", "Site", "pH", "Nitrate (mg/L)"),
    ("S-01", "Upper Weir", "7.4", "3.1"),
    ("S-02", "Mill Bridge", "6.9", "5.8"),
    ("S-03", "River Mouth", "8.1", "11.2"),
    ("S-04", "North Spring", "6.2", "0.9"),
    ("S-05", "Old Quarry", "7.7", "4.4"),
]
HANDBOOK = """# Team handbook

## Budgets

Team budgets are reviewed every March by the finance committee. A team that needs more money
during the year asks its lead to write to the committee.

## Meeting rooms

Meeting rooms are booked through the front desk. Rooms on the third floor are quiet rooms:
calls are not allowed there.

## Vehicles

Drivers log their mileage at the end of every trip. Vans are serviced every 20,000 km.

## Water sampling

Water samples are stored at 4 degrees Celsius and analysed within 48 hours.
"""


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    workbook(folder / "staff.xlsx", {"Teams": TEAMS, "Rooms": ROOMS})
    (folder / "fleet.csv").write_text(FLEET, encoding="utf-8")
    word(
        folder / "tariffs.docx",
        "Mobile tariffs",
        ["All plans include unlimited calls and texts within the country."],
        TARIFFS,
        ["Plans can be changed once per billing month."],
    )
    pdf(
        folder / "lab-results.pdf",
        "Water quality results, spring survey. Samples taken in April.",
        SAMPLES,
    )
    (folder / "handbook.md").write_text(HANDBOOK, encoding="utf-8")


Rows = list[tuple[object, ...]]


def workbook(path: Path, sheets: dict[str, Rows]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)


def word(path: Path, heading: str, before: list[str], rows: Rows, after: list[str]) -> None:
    import docx

    document = docx.Document()
    document.add_heading(heading, 1)
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for cells in rows:
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = str(text)
    for text in after:
        document.add_paragraph(text)
    document.save(path)


def pdf(path: Path, lead: str, rows: Rows) -> None:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    document.multi_cell(0, 6, text=lead)
    document.ln(2)
    with document.table() as grid:
        for cells in rows:
            row = grid.row()
            for text in cells:
                row.cell(str(text))
    document.output(str(path))


def main(argv: list[str] | None = None) -> None:
    from bench import table_corpus_heldout

    parser = argparse.ArgumentParser(prog="python -m bench.table_corpus")
    parser.add_argument("--out", required=True, help="folder to write the files into")
    parser.add_argument("--heldout", action="store_true", help="the held-out corpus instead")
    args = parser.parse_args(argv)
    (table_corpus_heldout.write if args.heldout else write)(Path(args.out))


if __name__ == "__main__":
    main()
