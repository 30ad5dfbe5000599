import pytest

from ridgeline.attributes import extract_attributes, first_value, to_unit


def test_weights_in_any_unit_are_read_in_kilograms_with_their_sentence() -> None:
    attrs = extract_attributes("A daypack. It weighs 640 g and holds 22 litres.")
    weight = first_value(attrs, "weight")
    assert weight is not None
    assert weight.value == pytest.approx(0.64)
    assert weight.sentence == "It weighs 640 g and holds 22 litres."
    assert first_value(attrs, "volume").value == pytest.approx(22.0)  # type: ignore[union-attr]


def test_pounds_become_kilograms() -> None:
    assert to_unit(2.0, "lbs", "kg") == pytest.approx(0.907, abs=1e-3)


def test_tent_facts_are_typed() -> None:
    text = (
        "A one-person tent. The floor is 30D silnylon with a 3000 mm hydrostatic head. "
        "It gives 2.9 square metres of floor space. Comes with a two-year limited warranty."
    )
    attrs = extract_attributes(text)
    assert first_value(attrs, "persons").value == 1.0  # type: ignore[union-attr]
    assert first_value(attrs, "waterproof").value == 3000.0  # type: ignore[union-attr]
    assert first_value(attrs, "floor_area").value == pytest.approx(2.9)  # type: ignore[union-attr]
    assert first_value(attrs, "warranty").value == 2.0  # type: ignore[union-attr]
    assert [a.value for a in attrs["materials"]] == ["silnylon"]


def test_brightness_battery_and_temperature() -> None:
    attrs = extract_attributes(
        "It gives 600 lumens and lasts 70 hours on low. Its comfort rating is -2 °C."
    )
    assert first_value(attrs, "brightness").value == 600.0  # type: ignore[union-attr]
    assert first_value(attrs, "battery_life").value == 70.0  # type: ignore[union-attr]
    assert first_value(attrs, "temperature").value == -2.0  # type: ignore[union-attr]


def test_a_price_or_a_year_is_no_measurement() -> None:
    assert extract_attributes("It costs $250.00 and launched in 2019.") == {}


def test_a_mass_that_is_not_the_products_own_is_not_its_weight() -> None:
    load = "Rated for loads up to 25 kg. It weighs 2.1 kg."
    fuel = "It runs on 465 g propane cylinders. The stove weighs 5.4 kg."
    fabric = "A fleece of 200 g/m2 grid fabric."
    own = [first_value(extract_attributes(text), "weight") for text in (load, fuel)]
    assert [weight.text if weight else None for weight in own] == ["2.1 kg", "5.4 kg"]
    assert first_value(extract_attributes(fabric), "weight") is None


def test_down_is_a_material_only_where_it_names_the_fill():
    def materials(text: str) -> list[str]:
        return [a.text for a in extract_attributes(text).get("materials", [])]

    assert materials("A compact design that folds down into a convenient stuff sack.") == []
    assert materials("It packs down small.") == []
    assert materials("Filled with 650-fill down for warmth.") == ["down"]
    assert materials("A polyester shell with down insulation.") == ["polyester", "down"]


def test_a_weight_per_pair_is_the_footwears_own_and_a_weight_per_area_is_not():
    def weights(text: str) -> list[str]:
        return [a.text for a in extract_attributes(text).get("weight", [])]

    assert weights("It weighs 1.28 kg per pair in a men's US size 9.") == ["1.28 kg"]
    assert weights("A grid fabric of 200 g per square metre.") == []


def test_up_and_down_is_a_direction_not_a_fill():
    def materials(text: str) -> list[str]:
        return [a.text for a in extract_attributes(text).get("materials", [])]

    assert materials("The zipper slides up and down smoothly.") == []
    assert materials("Adjust the straps up or down as needed.") == []
    assert materials("Insulated with down and synthetic fibres.") == ["down", "synthetic"]
