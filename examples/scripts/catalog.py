"""Read the demo product catalog CSV into validated records."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

CATALOG_COLUMNS = ("id", "name", "price", "category", "brand", "description", "image")


class Product(BaseModel):
    """One catalog row.

    Example:
        >>> Product(id=1, name="Tent", price=9.5, category="Tents", brand="B",
        ...         description="A tent.", image="images/p01.png").image
        'images/p01.png'
    """

    model_config = ConfigDict(frozen=True)

    id: int = Field(ge=1)
    name: str = Field(min_length=1)
    price: float = Field(gt=0)
    category: str = Field(min_length=1)
    brand: str = Field(min_length=1)
    description: str = Field(min_length=1)
    image: str = Field(pattern=r"^images/[A-Za-z0-9_-]+\.png$")


def read_catalog(path: Path) -> list[Product]:
    """Parse ``path``; a bad row raises ValueError naming the file, the row and the field."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(CATALOG_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
        return [_parse_row(path, line, row) for line, row in enumerate(reader, start=2)]


def _parse_row(path: Path, line: int, row: dict[str, str]) -> Product:
    try:
        return Product.model_validate(row)
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors())
        raise ValueError(f"{path}, line {line}: invalid field(s) {fields}: {error}") from error
