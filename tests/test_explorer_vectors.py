"""The explorers' test vectors: committed file up to date, values right, JavaScript in step.

1. docs/assets/explorers/vectors.json equals what ce_book computes now.
2. Every vector agrees with mpmath at 50 digits (so the vectors are right, not just ce_book's).
3. The explorers' own numerics (explorers.js, run under Node) reproduce every vector within
   the file's tolerances. The browser tests drive the real page to the same inputs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import mpmath
import pytest

from ce_book import explorer_vectors

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
    assert JSON_PATH.read_text(encoding="utf-8") == _script().render(), (
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


def _close(value: float, ref: mpmath.mpf, field: str) -> bool:
    tol = explorer_vectors.TOLERANCES[field]
    ref = float(ref)
    return abs(value - ref) <= max(tol["abs"], tol["rel"] * abs(ref), 1e-300)


@pytest.mark.parametrize("case", DATA["softmax"], ids=lambda c: c["id"])
def test_softmax_vectors_against_mpmath(case: dict) -> None:
    with mpmath.workdps(DIGITS):
        u = [mpmath.mpf(z) / mpmath.mpf(case["temperature"]) for z in case["logits"]]
        m = max(u)
        lse = m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in u))
        logp = [v - lse for v in u]
        t = [mpmath.mpf(x) for x in case["target"]]
        loss = -mpmath.fsum(ti * lp for ti, lp in zip(t, logp, strict=True) if ti)
        probs = [mpmath.exp(lp) for lp in logp]
    if case["target_class"] is not None:
        assert case["target"][case["target_class"]] == 1.0 and sum(case["target"]) == 1.0
    assert 3 <= len(case["logits"]) <= 6  # what the explorer offers
    assert _close(case["loss"], loss, "loss")
    for v, r in zip(case["probs"], probs, strict=True):
        assert _close(v, r, "probs")
    for v, p, ti in zip(case["grad"], probs, t, strict=True):
        assert _close(v, p - ti, "grad")
    assert _close(case["grad_sum"], 0, "grad_sum")


@pytest.mark.parametrize("case", DATA["binary"], ids=lambda c: c["id"])
def test_binary_vectors_against_mpmath(case: dict) -> None:
    with mpmath.workdps(DIGITS):
        z, t = mpmath.mpf(case["logit"]), mpmath.mpf(case["label"])
        sig, sig_neg = 1 / (1 + mpmath.exp(-z)), 1 / (1 + mpmath.exp(z))
        err = (1 - t) * sig - t * sig_neg  # sigma - t, without cancellation for t in {0, 1}
        bce = -t * mpmath.log(sig) - (1 - t) * mpmath.log(sig_neg)
        expected = {
            "sigma": sig,
            "bce": bce,
            "bce_grad": err,
            "mse": err**2,
            "mse_grad": 2 * err * sig * sig_neg,
        }
    for field, ref in expected.items():
        assert _close(case[field], ref, field), field


def test_vectors_cover_the_hard_cases() -> None:
    ids = {c["id"] for c in DATA["softmax"]} | {c["id"] for c in DATA["binary"]}
    assert {"near-zero-temperature", "enormous-logits", "huge-logits", "confident-correct"} <= ids
    assert any(c["target_class"] is None for c in DATA["softmax"])  # soft targets
    assert {len(c["logits"]) for c in DATA["softmax"]} == {3, 4, 5, 6}
    assert min(c["temperature"] for c in DATA["softmax"]) <= 1e-6


NODE_RUNNER = r"""
const math = require(process.argv[1]);
const data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const out = {softmax: {}, binary: {}};
for (const c of data.softmax) {
  const r = math.softmaxExplorer(c.logits, c.temperature, c.target);
  out.softmax[c.id] = {probs: r.probs, loss: r.loss, grad: r.grad, grad_sum: r.gradSum};
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
    for kind in ("softmax", "binary"):
        for case in DATA[kind]:
            for field, got in js[kind][case["id"]].items():
                want = case[field]
                pairs = zip(got, want, strict=True) if isinstance(want, list) else [(got, want)]
                if not all(_agree(g, w, field) for g, w in pairs):
                    bad.append(f"{kind}/{case['id']}/{field}: js {got} vs ce_book {want}")
    assert not bad, "\n".join(bad)
