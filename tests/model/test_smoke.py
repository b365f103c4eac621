from stageline.model import Blueprint


def test_fixture_blueprint_has_every_standard_line(hotel: Blueprint) -> None:
    assert [line.name for line in hotel.lines()] == ["interaction", "visibility", "internal-interaction"]
