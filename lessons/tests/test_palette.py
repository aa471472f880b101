"""The move palette in static/site.css: within a move set every two moves stay apart, for every reader.

Each move slug has one rule `[data-move="<slug>"] { --move-bg; --move-accent; --move-line; }` (optionally
`--move-line-width`), and a highlight shows a move by two cues: its tint (`--move-bg`) and the style of its
underline (`--move-line` in `--move-accent`). The checks, for every set of fixtures/moves.toml:

- tints: CIEDE2000 >= 10 between any two moves of a set, in normal vision and with protanopia, deuteranopia
  and tritanopia simulated; ink (#1a1a1a) on a tint at least 4.5:1 (WCAG 2.x);
- accents: at least 3:1 against the page (#fdfdfb) and white, and apart like the tints;
- underline styles (style and thickness) differ within a set.

The colour science is written out here (sRGB, CIE XYZ D65, CIELAB, CIEDE2000, the Machado simulation) so
that the test depends on nothing, and the metric itself is checked against published test pairs.
"""

import itertools
import math
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "site.css"
INK = "#1a1a1a"  # --ink
PAGE = "#fdfdfb"  # --paper
WHITE = "#ffffff"
MIN_DIFFERENCE = 10.0  # CIEDE2000
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.x, 1.4.3 (text)
MIN_ACCENT_CONTRAST = 3.0  # WCAG 2.x, 1.4.11 (non-text)
UNDERLINE_STYLES = {"solid", "double", "dotted", "dashed", "wavy"}
DEFAULT_LINE_WIDTH = "2px"

# ---- Colour science -----------------------------------------------------------------------------------------


def srgb_to_linear(channel):
    """One sRGB channel in 0..1 to linear light (IEC 61966-2-1)."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def linear_rgb(hex_colour):
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(2 * digit for digit in value)
    return tuple(srgb_to_linear(int(value[i : i + 2], 16) / 255) for i in (0, 2, 4))


def relative_luminance(hex_colour):
    red, green, blue = linear_rgb(hex_colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """WCAG 2.x contrast ratio, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Colour vision deficiency: the matrices of Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model
# for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), doi:10.1109/TVCG.2009.113, at severity 1.0
# (protanopia, deuteranopia, tritanopia), as tabulated on the authors' page
# https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html and in colour-science's
# colour/blindness/datasets/machado2010.py (CVD_MATRICES_MACHADO2010). They act on linear RGB; the result is
# clipped to the gamut.
MACHADO_2009 = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
VISIONS = ("normal", *MACHADO_2009)


def simulate(rgb, vision):
    if vision == "normal":
        return rgb
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in MACHADO_2009[vision])


# Linear sRGB to CIE XYZ (IEC 61966-2-1), and its D65 white, the sums of the rows.
SRGB_TO_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
WHITE_XYZ = tuple(sum(row) for row in SRGB_TO_XYZ)


def lab_from_linear(rgb):
    """CIELAB (D65) of a linear sRGB triple."""

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (
        f(sum(m * c for m, c in zip(row, rgb, strict=True)) / white)
        for row, white in zip(SRGB_TO_XYZ, WHITE_XYZ, strict=True)
    )
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def lab(hex_colour, vision="normal"):
    return lab_from_linear(simulate(linear_rgb(hex_colour), vision))


def ciede2000(lab1, lab2):
    """CIEDE2000 colour difference (kL = kC = kH = 1), after Sharma, Wu & Dalal (2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    delta_l, delta_c = l2 - l1, c2 - c1
    if c1 * c2 == 0:
        delta_h = 0.0
    elif abs(h2 - h1) <= 180:
        delta_h = h2 - h1
    else:
        delta_h = h2 - h1 - 360 if h2 > h1 else h2 - h1 + 360
    delta_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h) / 2)
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    r_t = -math.sin(math.radians(2 * 30 * math.exp(-(((h_mean - 275) / 25) ** 2)))) * r_c
    return math.sqrt(
        (delta_l / s_l) ** 2
        + (delta_c / s_c) ** 2
        + (delta_big_h / s_h) ** 2
        + r_t * (delta_c / s_c) * (delta_big_h / s_h)
    )


# ---- The palette as the stylesheet and the fixtures define it ------------------------------------------------


def move_sets():
    """{set slug: [move slugs]} from moves.toml."""
    with open(Path(settings.FIXTURES_DIR) / "moves.toml", "rb") as file:
        sets = tomllib.load(file)["sets"]
    return {move_set["slug"]: [move["slug"] for move in move_set["moves"]] for move_set in sets}


def css_rules():
    """Every rule of site.css as (selectors, {property: value})."""
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                declarations[name.strip()] = value.strip()
        rules.append(([selector.strip() for selector in selectors.split(",")], declarations))
    return rules


def move_properties():
    """{move slug: {custom property: value}} from the rules whose selector is `[data-move="<slug>"]` alone."""
    found = {}
    for selectors, declarations in css_rules():
        for selector in selectors:
            match = re.fullmatch(r'\[data-move="([a-z0-9-]+)"\]', selector)
            if match:
                found.setdefault(match[1], {}).update(declarations)
    return found


SETS = move_sets()
PROPERTIES = move_properties()


def colour(move, name):
    value = PROPERTIES.get(move, {}).get(name, "")
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"{move}: {name} should be a #rrggbb colour, not {value!r}"
    return value


def closest_pair(moves, name, vision):
    """(difference, first, second) of the two moves of a set whose colours are closest for one kind of vision."""
    return min(
        (ciede2000(lab(colour(first, name), vision), lab(colour(second, name), vision)), first, second)
        for first, second in itertools.combinations(moves, 2)
    )


# ---- The metric itself ----------------------------------------------------------------------------------------

# Some of the 34 test pairs of Sharma, Wu & Dalal (2005), "The CIEDE2000 Color-Difference Formula: Implementation
# Notes, Supplementary Test Data, and Mathematical Observations", Color Res. Appl. 30(1) 21-30, Table 1 (also
# ciede2000testdata.txt at https://hajim.rochester.edu/ece/sites/gsharma/ciede2000/): (L1, a1, b1, L2, a2, b2, dE00).
# They are chosen to catch the usual mistakes: the mean hue across 0/360 degrees, the sign of the hue difference,
# the rotation term in the blue region, and large lightness differences.
SHARMA_PAIRS = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]


@pytest.mark.parametrize("pair", SHARMA_PAIRS, ids=lambda pair: f"{pair[6]:.4f}")
def test_the_colour_difference_matches_the_published_ciede2000_test_pairs(pair):
    first, second, expected = pair[:3], pair[3:6], pair[6]
    assert ciede2000(first, second) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(second, first) == pytest.approx(expected, abs=1e-4)


def test_the_colour_conversions_put_white_and_black_at_the_ends_of_the_scales():
    assert lab(WHITE) == pytest.approx((100, 0, 0), abs=1e-3)
    assert lab("#000000") == pytest.approx((0, 0, 0), abs=1e-3)
    assert contrast(WHITE, "#000000") == pytest.approx(21)
    for vision in VISIONS:  # the simulations keep white white (each matrix row sums to 1)
        assert lab(WHITE, vision) == pytest.approx((100, 0, 0), abs=0.1)


def test_the_simulations_confuse_the_colours_each_deficiency_is_known_to_confuse():
    # Red and green for protanopes and deuteranopes; blue and green, yellow and pink for tritanopes.
    confused = {
        "protanopia": [("#cc3333", "#559933")],
        "deuteranopia": [("#cc3333", "#559933")],
        "tritanopia": [("#3366cc", "#33aa88"), ("#eedd44", "#ee99bb")],
    }
    for vision, pairs in confused.items():
        for first, second in pairs:
            normal = ciede2000(lab(first), lab(second))
            assert ciede2000(lab(first, vision), lab(second, vision)) < normal / 2, (vision, first, second)


# ---- The palette -------------------------------------------------------------------------------------------------


def test_the_fixtures_define_the_move_sets_the_palette_is_made_for():
    assert len(SETS) >= 6 and all(len(moves) >= 2 for moves in SETS.values())


@pytest.mark.parametrize("move_set", SETS)
def test_every_move_of_a_set_has_a_rule_with_its_tint_accent_and_underline(move_set):
    for move in SETS[move_set]:
        assert move in PROPERTIES, f'{move_set}: no [data-move="{move}"] rule in site.css'
        colour(move, "--move-bg")
        colour(move, "--move-accent")
        assert PROPERTIES[move].get("--move-line") in UNDERLINE_STYLES, f"{move}: --move-line"


def test_a_highlight_draws_its_tint_and_underline_from_the_move_properties_with_fallbacks():
    rules = css_rules()
    root = {
        name: value for selectors, declarations in rules if ":root" in selectors for name, value in declarations.items()
    }
    for name in ("--move-bg", "--move-accent", "--move-line", "--move-line-width"):
        assert name in root, f"no fallback {name} in :root"
    assert root["--move-line-width"] == DEFAULT_LINE_WIDTH
    mark = {
        name: value
        for selectors, declarations in rules
        if "mark[data-move]" in selectors
        for name, value in declarations.items()
    }
    assert mark.get("background") == "var(--move-bg)"
    decoration = " ".join(value for name, value in mark.items() if name.startswith("text-decoration"))
    for value in ("underline", "var(--move-line)", "var(--move-accent)", "var(--move-line-width)"):
        assert value in decoration, f"mark[data-move] should draw its underline with {value}"


@pytest.mark.parametrize("move_set", SETS)
def test_every_two_moves_of_a_set_have_tints_apart_in_normal_vision(move_set):
    difference, first, second = closest_pair(SETS[move_set], "--move-bg", "normal")
    assert difference >= MIN_DIFFERENCE, f"{move_set}: {first} and {second} are only {difference:.1f} apart"


@pytest.mark.parametrize("vision", MACHADO_2009)
@pytest.mark.parametrize("move_set", SETS)
def test_every_two_moves_of_a_set_stay_apart_for_readers_with_colour_vision_deficiencies(move_set, vision):
    difference, first, second = closest_pair(SETS[move_set], "--move-bg", vision)
    assert difference >= MIN_DIFFERENCE, f"{move_set}, {vision}: {first} and {second} are only {difference:.1f} apart"


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("move_set", SETS)
def test_the_accents_of_a_set_stay_apart_too(move_set, vision):
    difference, first, second = closest_pair(SETS[move_set], "--move-accent", vision)
    assert difference >= MIN_DIFFERENCE, f"{move_set}, {vision}: {first} and {second} are only {difference:.1f} apart"


@pytest.mark.parametrize("move_set", SETS)
def test_ink_on_every_tint_is_readable(move_set):
    for move in SETS[move_set]:
        ratio = contrast(INK, colour(move, "--move-bg"))
        assert ratio >= MIN_TEXT_CONTRAST, f"{move}: ink on its tint is only {ratio:.2f}:1"


@pytest.mark.parametrize("move_set", SETS)
def test_every_accent_stands_out_from_the_page_and_from_white(move_set):
    for move in SETS[move_set]:
        for background in (PAGE, WHITE):
            ratio = contrast(colour(move, "--move-accent"), background)
            assert ratio >= MIN_ACCENT_CONTRAST, f"{move}: accent on {background} is only {ratio:.2f}:1"


@pytest.mark.parametrize("move_set", SETS)
def test_the_moves_of_a_set_have_different_underlines_so_colour_is_not_the_only_cue(move_set):
    lines = {}
    for move in SETS[move_set]:
        properties = PROPERTIES.get(move, {})
        line = (properties.get("--move-line"), properties.get("--move-line-width", DEFAULT_LINE_WIDTH))
        assert line not in lines, f"{move_set}: {move} and {lines.get(line)} share the underline {line}"
        lines[line] = move
