"""Every claim of the ledger is checked here, and the ledger itself behaves as documented."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import mpmath
import numpy as np
import pytest

from ce_book import artefacts, claims
from ce_book.claims import Ledger, _recorded


def _param(entry: claims.Claim) -> object:
    marks = [pytest.mark.torch] if "torch" in entry.needs else []
    return pytest.param(entry, id=entry.id, marks=marks)


@pytest.mark.parametrize("entry", [_param(c) for c in claims.all_claims()])
def test_claim(entry: claims.Claim) -> None:
    """The claim's value agrees with its independent reference.

    mpmath's ambient precision is lowered to 24 bits (float32-like) while the claim runs, so a
    reference that forgets to set its own 50 digits (``mpmath.workdps``) fails instead of
    quietly computing at float precision.
    """
    with mpmath.workprec(24):
        entry.verify()


def test_every_chapter_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(claims.__path__) if m.name[0] != "_"}
    chapters = {c.chapter for c in claims.all_claims()}
    assert chapters <= modules
    for name in modules:
        importlib.import_module(f"ce_book.claims.{name}")  # already imported: no duplicates


def test_every_claim_has_a_check_and_a_short_rendering() -> None:
    for entry in claims.all_claims():
        assert entry.has_check, entry.id
        text = entry.format()
        assert isinstance(text, str) and 0 < len(text) <= 200, entry.id
        assert entry.test == f"tests/test_claims.py::test_claim[{entry.id}]"


def test_claim_texts_hold_no_control_characters() -> None:
    """A backslash sequence lost in a non-raw string (``"\\tfrac"`` read as a tab and
    "frac") would show readers broken math in a popover."""
    for entry in claims.all_claims():
        for text in (entry.statement, entry.reference):
            assert not any(ord(c) < 32 and c != "\n" for c in text), (entry.id, text)


def test_ids_are_kebab_case_and_unique() -> None:
    ids = [c.id for c in claims.all_claims()]
    assert len(ids) == len(set(ids))
    assert all(claims.ID_PATTERN.fullmatch(i) for i in ids)


def test_duplicate_id_is_an_error() -> None:
    ledger = Ledger()
    ledger.claim("twice", "A claim.", reference="none")(lambda: 1)
    with pytest.raises(ValueError, match=r"^id: duplicate claim id 'twice'"):
        ledger.claim("twice", "Again.", reference="none")(lambda: 2)


@pytest.mark.parametrize("bad", ["Upper", "snake_case", "", "trailing-", "two--dashes", 3])
def test_bad_id_is_rejected(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^id: "):
        Ledger().claim(bad, "A claim.", reference="none")  # type: ignore[arg-type]


def test_bad_arguments_name_themselves() -> None:
    ledger = Ledger()
    with pytest.raises(ValueError, match=r"^statement: "):
        ledger.claim("a", " ", reference="none")
    with pytest.raises(ValueError, match=r"^reference: "):
        ledger.claim("a", "A claim.", reference="")
    with pytest.raises(TypeError, match=r"^fmt: "):
        ledger.claim("a", "A claim.", reference="none", fmt=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^needs: "):
        ledger.claim("a", "A claim.", reference="none", needs="torch")  # type: ignore[arg-type]


def test_unknown_id_names_itself() -> None:
    with pytest.raises(KeyError, match=r"no-such-claim"):
        claims.get("no-such-claim")


def test_missing_or_failing_check_fails_verify() -> None:
    ledger = Ledger()
    entry = ledger.claim("unchecked", "A claim.", reference="none")(lambda: 1)
    with pytest.raises(AssertionError, match=r"has no check"):
        entry.verify()

    @entry.check
    def _(value: int) -> None:
        assert value == 2

    with pytest.raises(AssertionError):
        entry.verify()
    with pytest.raises(ValueError, match=r"^check: "):
        entry.check(lambda value: None)


def test_value_is_computed_once_until_the_cache_is_cleared() -> None:
    ledger = Ledger()
    calls = []
    entry = ledger.claim("counted", "A claim.", reference="none")(lambda: calls.append(1) or 7)
    assert entry.value() == entry() == 7
    assert len(calls) == 1
    ledger.clear_cache()
    assert entry.value() == 7
    assert len(calls) == 2


def test_fmt_accepts_format_strings_and_callables() -> None:
    ledger = Ledger()
    number = ledger.claim("n", "A number.", reference="none", fmt="{:.3f}")(lambda: 2 / 3)
    array = ledger.claim(
        "a", "An array.", reference="none", fmt=lambda v: np.array2string(v, precision=2)
    )(lambda: np.array([1 / 3, 2 / 3]))
    assert number.format() == "0.667"
    assert array.format() == "[0.33 0.67]"


# --- values recorded from PyTorch -----------------------------------------------------------

RECORDED = [c for c in claims.all_claims() if c.recorded]


def test_recorded_file_holds_exactly_the_recorded_claims(torch) -> None:
    data = _recorded.load()
    assert sorted(data["values"]) == sorted(c.id for c in RECORDED)
    assert data["torch"] == torch.__version__.split("+")[0]


@pytest.mark.torch
@pytest.mark.parametrize("entry", RECORDED, ids=[c.id for c in RECORDED])
def test_recorded_value_is_what_live_torch_computes(entry: claims.Claim, torch) -> None:
    """The site shows the recorded value; the pinned PyTorch must compute it bit for bit."""
    assert artefacts.kernels_pinned(), "NumPy or PyTorch was imported before tests/conftest.py"
    live = _recorded.live(entry)
    recorded = entry.recorded_value()
    assert type(live) is type(recorded)
    assert np.array_equal(live, recorded), (
        f"{entry.id}: recorded {recorded!r}, torch gives {live!r}"
    )


def test_a_recorded_claim_must_name_torch() -> None:
    with pytest.raises(ValueError, match=r"^recorded: "):
        Ledger().claim("r", "A claim.", reference="none", recorded=True)


def test_recorded_values_round_trip_exactly() -> None:
    for value in (0.1 + 0.2, 1e-308, -0.0, 37, True, np.array([1 / 3, 2 / 3], np.float32)):
        back = _recorded.decode(_recorded.encode(value))
        assert type(back) is type(value) and np.array_equal(back, value)
        assert np.signbit(back).all() == np.signbit(value).all()


# --- reading needs no PyTorch -----------------------------------------------------------------

_WITHOUT_TORCH = """
import sys

class NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("torch is not installed")

sys.meta_path.insert(0, NoTorch())
from ce_book import claims

for entry in claims.all_claims():
    try:
        entry.format()
    except ImportError as err:
        print(entry.id, err)
"""


def test_every_value_shown_is_computed_without_pytorch() -> None:
    """The site is built without PyTorch: a value that needs it must be recorded."""
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_TORCH], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", f"claims that need PyTorch but are not recorded:\n{result.stdout}"
