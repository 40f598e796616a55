"""The explorers' test vectors: committed file up to date, values right, JavaScript in step.

1. docs/assets/explorers/vectors.json equals what ce_book computes now (up to a number's
   last bit, which can differ between CPUs).
2. Every vector and every curve sample agrees with mpmath at 50 digits (so the vectors are
   right, not just ce_book's).
3. The explorers' own numerics (explorers.js, run under Node) reproduce every vector and every
   curve within the file's tolerances, on the same grid. The browser tests drive the real page
   to the same inputs and read what it shows and draws.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import mpmath
import pytest

from ce_book import artefacts, explorer_vectors

ROOT = Path(__file__).resolve().parent.parent
JSON_PATH = ROOT / "docs" / "assets" / "explorers" / "vectors.json"
JS_PATH = ROOT / "docs" / "assets" / "explorers" / "explorers.js"
DIGITS = 50


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_explorer_vectors", ROOT / "scripts" / "make_explorer_vectors.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_vectors_are_up_to_date() -> None:
    assert artefacts.kernels_pinned(), "NumPy was imported before tests/conftest.py"
    script = _script()
    assert script.fresh(JSON_PATH.read_text(encoding="utf-8"), script.render()), (
        "docs/assets/explorers/vectors.json is stale: run python scripts/make_explorer_vectors.py"
    )


def test_check_mode_reports_staleness(tmp_path, monkeypatch, capsys) -> None:
    script = _script()
    monkeypatch.setattr(script, "PATH", tmp_path / "vectors.json")
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0
    assert script.main(["--check"]) == 0
    (tmp_path / "vectors.json").write_text("{}\n", encoding="utf-8")
    assert script.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err


DATA = json.loads(JSON_PATH.read_text(encoding="utf-8"))


def _mp_softmax(logits: list[float], temperature: float, target: list[float]):
    """Loss, probabilities and dL/dz = (p - t) / T at 50 digits."""
    with mpmath.workdps(DIGITS):
        T = mpmath.mpf(temperature)
        u = [mpmath.mpf(z) / T for z in logits]
        m = max(u)
        lse = m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in u))
        logp = [v - lse for v in u]
        t = [mpmath.mpf(x) for x in target]
        loss = -mpmath.fsum(ti * lp for ti, lp in zip(t, logp, strict=True) if ti)
        probs = [mpmath.exp(lp) for lp in logp]
        grad_z = [(p - ti) / T for p, ti in zip(probs, t, strict=True)]
    return loss, probs, t, grad_z


def _mp_binary(logit: float, label: float) -> dict:
    with mpmath.workdps(DIGITS):
        z, t = mpmath.mpf(logit), mpmath.mpf(label)
        sig, sig_neg = 1 / (1 + mpmath.exp(-z)), 1 / (1 + mpmath.exp(z))
        err = (1 - t) * sig - t * sig_neg  # sigma - t, without cancellation for t in {0, 1}
        bce = -t * mpmath.log(sig) - (1 - t) * mpmath.log(sig_neg)
        return {
            "sigma": sig,
            "bce": bce,
            "bce_grad": err,
            "mse": err**2,
            "mse_grad": 2 * err * sig * sig_neg,
        }


def _close(value: float, ref: mpmath.mpf, field: str) -> bool:
    tol = explorer_vectors.TOLERANCES[field]
    ref = float(ref)
    return abs(value - ref) <= max(tol["abs"], tol["rel"] * abs(ref), 1e-300)


@pytest.mark.parametrize("case", DATA["softmax"], ids=lambda c: c["id"])
def test_softmax_vectors_against_mpmath(case: dict) -> None:
    loss, probs, t, grad_z = _mp_softmax(case["logits"], case["temperature"], case["target"])
    if case["target_class"] is not None:
        assert case["target"][case["target_class"]] == 1.0 and sum(case["target"]) == 1.0
    assert 3 <= len(case["logits"]) <= 6  # what the explorer offers
    assert _close(case["loss"], loss, "loss")
    for v, r in zip(case["probs"], probs, strict=True):
        assert _close(v, r, "probs")
    for v, p, ti in zip(case["grad"], probs, t, strict=True):
        assert _close(v, p - ti, "grad")
    for v, r in zip(case["grad_z"], grad_z, strict=True):
        assert _close(v, r, "grad_z")
    assert _close(case["grad_sum"], 0, "grad_sum")


@pytest.mark.parametrize("case", DATA["binary"], ids=lambda c: c["id"])
def test_binary_vectors_against_mpmath(case: dict) -> None:
    for field, ref in _mp_binary(case["logit"], case["label"]).items():
        assert _close(case[field], ref, field), field


GRID = [-10 + i / 4 for i in range(81)]  # the slider's range in steps of 1/4, exact floats


@pytest.mark.parametrize("case", DATA["curves"]["softmax"], ids=lambda c: c["id"])
def test_softmax_curves_against_mpmath(case: dict) -> None:
    """Each sample: the loss and dL/dz_j with logit j moved to x, the others as listed."""
    assert case["x"] == GRID and len(case["loss"]) == len(case["grad_z"]) == len(GRID)
    j = case["moved"]
    assert 0 <= j < len(case["logits"])
    for i, x in enumerate(case["x"]):
        z = list(case["logits"])
        z[j] = x
        loss, _, _, grad_z = _mp_softmax(z, case["temperature"], case["target"])
        assert _close(case["loss"][i], loss, "loss"), (x, case["loss"][i], loss)
        assert _close(case["grad_z"][i], grad_z[j], "grad_z"), (x, case["grad_z"][i])
    # Where the case's own logit is on the grid, that sample is the point the dot sits on.
    if case["logits"][j] in GRID:
        at = GRID.index(case["logits"][j])
        loss, _, _, grad_z = _mp_softmax(case["logits"], case["temperature"], case["target"])
        assert _close(case["loss"][at], loss, "loss")
        assert _close(case["grad_z"][at], grad_z[j], "grad_z")


@pytest.mark.parametrize("case", DATA["curves"]["binary"], ids=lambda c: c["id"])
def test_binary_curves_against_mpmath(case: dict) -> None:
    assert case["x"] == GRID
    for i, x in enumerate(case["x"]):
        for field, ref in _mp_binary(x, case["label"]).items():
            if field != "sigma":
                assert _close(case[field][i], ref, field), (field, x)


def test_curves_show_what_the_chapters_describe() -> None:
    """Moving the true logit lowers the loss, a wrong one raises it; the gradient dL/dz_j has the
    sign of the slope; at T = 0.1 it is ten times p - t; squared error's gradient fades where
    cross-entropy's does not."""
    curves = {c["id"]: c for c in DATA["curves"]["softmax"]}
    true, wrong = curves["move-the-true-logit"], curves["move-a-wrong-logit"]
    assert all(a > b for a, b in pairwise(true["loss"]))
    assert all(a < b for a, b in pairwise(wrong["loss"]))
    assert all(g < 0 for g in true["grad_z"]) and all(g > 0 for g in wrong["grad_z"])
    cold = curves["cold-temperature"]
    assert cold["temperature"] == 0.1 and max(abs(g) for g in cold["grad_z"]) > 9
    assert any(c["target_class"] is None for c in curves.values())
    wrong_side = {c["label"]: c for c in DATA["curves"]["binary"]}[1.0]  # z = -10, label 1
    assert wrong_side["bce_grad"][0] < -0.99 and abs(wrong_side["mse_grad"][0]) < 1e-3


def test_vectors_cover_the_hard_cases() -> None:
    ids = {c["id"] for c in DATA["softmax"]} | {c["id"] for c in DATA["binary"]}
    assert {"near-zero-temperature", "enormous-logits", "huge-logits", "confident-correct"} <= ids
    assert any(c["target_class"] is None for c in DATA["softmax"])  # soft targets
    assert {len(c["logits"]) for c in DATA["softmax"]} == {3, 4, 5, 6}
    assert min(c["temperature"] for c in DATA["softmax"]) <= 1e-6


NODE_RUNNER = r"""
const math = require(process.argv[1]);
const data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const out = {softmax: {}, binary: {}, softmax_curve: {}, binary_curve: {}};
for (const c of data.softmax) {
  const r = math.softmaxExplorer(c.logits, c.temperature, c.target);
  out.softmax[c.id] = {probs: r.probs, loss: r.loss, grad: r.grad, grad_z: r.gradZ,
                       grad_sum: r.gradSum};
}
for (const c of data.curves.softmax) {
  const r = math.softmaxCurve(c.logits, c.temperature, c.target, c.moved);
  out.softmax_curve[c.id] = {x: r.x, loss: r.loss, grad_z: r.gradZ};
}
for (const c of data.curves.binary) {
  const r = math.binaryCurve(c.label);
  out.binary_curve[c.id] = {x: r.x, bce: r.bce, bce_grad: r.bceGrad, mse: r.mse,
                            mse_grad: r.mseGrad};
}
for (const c of data.binary) {
  const r = math.binaryExplorer(c.logit, c.label);
  out.binary[c.id] = {sigma: r.sigma, bce: r.bce, bce_grad: r.bceGrad, mse: r.mse,
                      mse_grad: r.mseGrad};
}
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required under CI=true to check the explorers' numerics")
        pytest.skip("node is not installed; the browser tests still check the explorers")
    return node


def _agree(js: float, ref: float, field: str) -> bool:
    if field == "x":  # the grid itself: the very same floats
        return js == ref
    tol = DATA["tolerances"][field]
    return abs(js - ref) <= max(tol["abs"], tol["rel"] * abs(ref))


def test_explorer_javascript_reproduces_every_vector() -> None:
    result = subprocess.run(
        [_node(), "-e", NODE_RUNNER, str(JS_PATH), str(JSON_PATH)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    js = json.loads(result.stdout)
    bad = []
    cases = {
        "softmax": DATA["softmax"],
        "binary": DATA["binary"],
        "softmax_curve": DATA["curves"]["softmax"],
        "binary_curve": DATA["curves"]["binary"],
    }
    assert sum(len(js[kind][c["id"]]) for kind in cases for c in cases[kind]) > 50
    for kind, listed in cases.items():
        for case in listed:
            for field, got in js[kind][case["id"]].items():
                want = case[field]
                pairs = zip(got, want, strict=True) if isinstance(want, list) else [(got, want)]
                if not all(_agree(g, w, field) for g, w in pairs):
                    bad.append(f"{kind}/{case['id']}/{field}: js {got} vs ce_book {want}")
    assert not bad, "\n".join(bad)


PARSE_RUNNER = r"""
const math = require(process.argv[1]);
const out = {};
for (const s of JSON.parse(process.argv[2])) out[s] = math.parseNumber(s);
process.stdout.write(JSON.stringify(out));
"""


def test_number_boxes_accept_numbers_and_name_every_problem() -> None:
    """What the explorers' text boxes accept (including the book's minus sign) and refuse."""
    good = {"2.5": 2.5, " -1 ": -1.0, "\u22121.5": -1.5, "1e+30": 1e30, ".5": 0.5, "1E-6": 1e-6}
    bad = {
        "": "is empty",
        "NaN": "is not a number",
        "abc": "is not a number",
        "1,5": "is not a number",
        "Infinity": "is not a number",
        "1e999": "too large",
        "0x10": "is not a number",
        "-": "is not a number",
    }
    result = subprocess.run(
        [_node(), "-e", PARSE_RUNNER, str(JS_PATH), json.dumps([*good, *bad])],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    parsed = json.loads(result.stdout)
    assert {s: parsed[s].get("value") for s in good} == good
    for s, problem in bad.items():
        assert "value" not in parsed[s] and problem in parsed[s]["error"], (s, parsed[s])
