"""Every page of the built book at phone width (390 px) in the dark scheme, in Chromium.

The desktop pass is ``test_pages.py``; this one is a module of its own so that the two run
side by side on pytest-xdist's workers. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from browser import checks
from browser.server import site_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def phone_dark(browser, base_url, site_dir):
    return checks.record_pages(browser, base_url, site_pages(site_dir), dark=True, width=390)


def test_no_horizontal_overflow_at_phone_width_in_dark_scheme(phone_dark):
    assert not checks.failures(phone_dark, "overflow")


def test_no_request_leaves_localhost_at_phone_width(phone_dark):
    bad = {
        rel: r["visit"].outside_requests
        for rel, r in phone_dark.items()
        if r["visit"].outside_requests
    }
    assert not bad
