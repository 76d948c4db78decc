"""The committed stylesheet refers only to files we ship.

Production's collectstatic (WhiteNoise's manifest storage) refuses a url() to a
missing file, which once left the image with no manifest and every page a 500.
scripts/production_smoke.sh proves the whole build; this says which url() broke.
"""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_every_url_in_the_stylesheet_is_a_file_we_ship():
    css = (STATIC / "css" / "app.css").read_text()
    urls = re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", css)
    local = [url for url in urls if not url.startswith(("data:", "#"))]
    missing = [
        url
        for url in local
        if not (STATIC / url.removeprefix("/static/")).is_file()
        and not (STATIC / "css" / url).is_file()
    ]
    assert missing == []


def test_the_stylesheet_does_not_draw_the_govuk_crest():
    # A council service must not use the crown or the GOV.UK crest (DESIGN.md §5).
    assert "govuk-crest" not in (STATIC / "css" / "app.css").read_text()
