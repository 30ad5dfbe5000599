"""The held-out table corpus (``eval/sets/table-qa-heldout.jsonl``): other tables in the same
formats as :mod:`bench.table_corpus`, written with their questions after the composer was done.

Usage::

    python -m bench.table_corpus --heldout --out /tmp/tables-b/docs
"""

from __future__ import annotations

from pathlib import Path

from bench.table_corpus import pdf, word, workbook

CLINICS = [
    ("Clinic", "Director", "Doctors", "Patients per week"),
    ("Harbour", "Dr. Mona Feld", 6, 410),
    ("Eastgate", "Dr. Piet Claes", 4, 260),
    ("Riverside", "Dr. Hana Sato", 9, 720),
    ("Northfield", "Dr. Omar Haddad", 3, 190),
]
HOURS = [
    ("Clinic", "Opens", "Closes"),
    ("Harbour", "07:30", "19:00"),
    ("Eastgate", "08:00", "17:30"),
    ("Riverside", "06:45", "21:00"),
    ("Northfield", "09:00", "16:00"),
]
LIBRARY = """branch,librarian,books,opened,district
Central,Edith Morrow,182000,1962,Old Town
Hillcrest,Bruno Salas,45500,1988,Hillcrest Heights
Dockside,Yara Nunes,23800,2004,Harbourfront
Meadowbank,Ivo Petrov,61200,1995,Greenway
"""
ZONES = [
    ("Zone", "Delivery days", "Surcharge", "Carrier"),
    ("A", "1", "$0", "CityPost"),
    ("B", "2", "$4.50", "SwiftLine"),
    ("C", "4", "$9.00", "SwiftLine"),
    ("D", "7", "$15.00", "FarReach Freight"),
]
SCORES = [
    ("Student", "Maths", "Physics", "Chemistry"),
    ("Priya", "88", "91", "79"),
    ("Tomas", "72", "65", "84"),
    ("Ana", "95", "78", "70"),
    ("Kwame", "61", "83", "92"),
]
NOTES = """# Notes

## Libraries

All library branches are closed on public holidays. Books can be returned to any branch.

## Exams

Exam scores are moderated by a second teacher before they are published.

## Clinics

Patients should bring their insurance card to every appointment.
"""


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    workbook(folder / "clinics.xlsx", {"Clinics": CLINICS, "Hours": HOURS})
    (folder / "library.csv").write_text(LIBRARY, encoding="utf-8")
    word(
        folder / "shipping.docx",
        "Shipping zones",
        ["Orders are shipped from the central warehouse."],
        ZONES,
        ["Surcharges are added at checkout."],
    )
    pdf(folder / "exam-scores.pdf", "End of term results, class 5B.", SCORES)
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
