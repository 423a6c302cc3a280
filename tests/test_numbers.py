import pytest

from fyrbodal_analysis.core.formatting import number, percent, round_half_up
from fyrbodal_analysis.core.parsing import NumberError, NumberFormat, parse_number

SV = NumberFormat(decimal=",", thousands=" ")
PLAIN = NumberFormat()


@pytest.mark.parametrize("cell, value", [
    ("9 800", 9800), ("9\u00a0800", 9800), ("9\u202f800", 9800), ("-1 200", -1200), ("273 900", 273900),
    ("0", 0), ("\u2212500", -500),
])
def test_swedish_integers_parse_when_declared(cell, value):
    assert parse_number(cell, SV, integer=True, percent=False) == value


@pytest.mark.parametrize("cell, value", [("-12,2%", -12.2), ("12,2 %", 12.2), ("0,0%", 0.0), ("5,3", 5.3)])
def test_swedish_decimals_and_percent(cell, value):
    assert parse_number(cell, SV, integer=False, percent=True) == pytest.approx(value)


@pytest.mark.parametrize("cell, reason", [
    ("9 800", "contains a space; the file declares no thousands separator"),
    ("12,2", "uses a decimal comma; the file declares a decimal point"),
    ("12 %", "percent sign where a plain number is required"),
    ("1.2.3", "is not a number"),
    ("abc", "is not a number"),
])
def test_plain_files_reject_swedish_formats(cell, reason):
    with pytest.raises(NumberError, match=reason):
        parse_number(cell, PLAIN, integer=False, percent=False)


def test_decimal_point_rejected_in_swedish_file():
    with pytest.raises(NumberError, match="decimal point; the file declares a decimal comma"):
        parse_number("1.5", SV, integer=False, percent=False)


def test_integer_field_rejects_fraction():
    with pytest.raises(NumberError, match="not a whole number"):
        parse_number("9 800,5", SV, integer=True, percent=False)


def test_misplaced_space_is_not_a_thousands_separator():
    with pytest.raises(NumberError, match="not a thousands separator"):
        parse_number("98 00", SV, integer=True, percent=False)


@pytest.mark.parametrize("x, d, out", [(9750, -2, 9800), (9749, -2, 9700), (2.5, 0, 3), (-12.25, 1, -12.3), (14555, -2, 14600)])
def test_round_half_up(x, d, out):
    assert round_half_up(x, d) == out


def test_swedish_output_format():
    assert number(273900) == "273\u00a0900"
    assert number(-1200) == "\u22121\u00a0200"  # typographic minus, not a hyphen
    assert number(2.17, 2) == "2,17"
    assert percent(-12.24) == "\u221212,2\u00a0%"
    assert number(None) == "–"


@pytest.mark.parametrize("name, gen", [("Bengtsfors", "Bengtsfors"), ("Sotenäs", "Sotenäs"), ("Uddevalla", "Uddevallas"),
                                       ("Åmål", "Åmåls"), ("Fyrbodal", "Fyrbodals"), ("Halifax", "Halifax"), ("Berlioz", "Berlioz"),
                                       ("SML IT", "SML IT:s")])
def test_genitive_of_names(name, gen):
    from fyrbodal_analysis.core.formatting import genitive
    assert genitive(name) == gen


def test_swedish_quotes():
    from fyrbodal_analysis.core.formatting import quote
    assert quote("per kommun") == "\u201dper kommun\u201d"
