"""The derivation model: every step checks, broken steps are caught, LaTeX renders in KaTeX,
``python -m ce_book verify`` reports, and CITATION.cff matches the package."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import ce_book
from ce_book import __main__ as cli
from ce_book import derivations
from ce_book.derivations import Derivation, Step, all_derivations, get, prove, render
from ce_book.derivations import notation as nt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import book_blocks  # noqa: E402

MATH = re.compile(r"\$([^$]+)\$")
REQUIRED = [
    "sigmoid-derivative",
    "softmax-partials",
    "softmax-jacobian",
    "softmax-jacobian-properties",
    "ce-softmax-gradient",
    "ce-softmax-hessian",
    "bce-sigmoid-gradient",
    "mse-sigmoid-gradient",
    "ce-entropy-kl",
    "log-base-change",
    "mle-bernoulli",
    "mle-categorical",
    "label-smoothing-gradient",
    "bce-logits-form",
    "softmax-nudge-own-vs-other",
    "softmax-nudge-lower-larger",
    "focal-loss-gradient",
    "emd-ordinal-gradient",
    "distance-scaled-gradient-not-conservative",
]
IDS = [d.id for d in all_derivations()]


@pytest.fixture(scope="module")
def reports() -> dict:
    return {d.id: d.check() for d in all_derivations()}


def test_every_required_id_exists_once_in_a_stable_order() -> None:
    assert sorted(IDS) == sorted(REQUIRED)
    assert [d.id for d in all_derivations()] == IDS
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in IDS)


def test_get_returns_the_derivation_and_names_an_unknown_id() -> None:
    assert get("softmax-jacobian").id == "softmax-jacobian"
    with pytest.raises(KeyError, match="no-such-derivation"):
        get("no-such-derivation")


@pytest.mark.parametrize("id", IDS)
def test_every_step_and_the_result_check(reports, id: str) -> None:
    report = reports[id]
    assert report.ok, "\n".join(map(str, report.failures))
    assert len(report.steps) == len(get(id).steps)
    assert all(s.method for s in report)


@pytest.mark.parametrize("id", IDS)
def test_fields_are_filled_in(id: str) -> None:
    d = get(id)
    assert d.title and d.statement and str(d.assumptions)
    assert d.assumptions.symbols
    for s in d.steps:
        assert s.why and s.why.count("$") % 2 == 0, s.why
        # Outside inline math a reason is plain prose: nothing that Markdown would act on.
        assert not re.search(r"[*_`<>\[\]\\]", MATH.sub("", s.why)), s.why


def _altered(value: sp.Basic) -> sp.Basic:
    """The value plus 1: wrong whatever the step was."""
    return value + 1


def _flipped(value: sp.Basic) -> sp.Basic:
    return -value


def _break_step(d: Derivation, n: int, alter=_altered) -> Derivation:
    """``d`` with step ``n`` altered, and the steps after it dropped (they are not needed)."""
    step = d.steps[n]
    expr = step.expr
    if isinstance(expr, sp.core.relational.Relational):
        broken = type(expr)(expr.lhs, alter(expr.rhs), evaluate=False)
    else:
        broken = alter(expr)
    return dataclasses.replace(d, steps=(*d.steps[:n], dataclasses.replace(step, expr=broken)))


@pytest.mark.parametrize("id", IDS)
def test_an_altered_step_is_reported_as_failed(id: str) -> None:
    d = get(id)
    n = len(d.steps) // 2
    report = _break_step(d, n).check()
    assert not report.ok
    assert not report.steps[n].ok, str(report.steps[n])
    assert report.steps[n].reason
    assert all(s.ok for s in report.steps[:n])


def test_a_flipped_sign_is_caught() -> None:
    report = _break_step(get("softmax-partials"), 4, _flipped).check()
    assert [s.ok for s in report.steps] == [True, True, True, True, False]


@pytest.mark.parametrize("id", ["sigmoid-derivative", "softmax-partials", "ce-entropy-kl"])
def test_an_altered_result_is_reported_as_failed(id: str) -> None:
    d = get(id)
    claim = d.results[0]
    wrong = dataclasses.replace(d, result=sp.Eq(claim.lhs, _flipped(claim.rhs)))
    report = wrong.check()
    assert not report.ok and not report.result.ok
    assert all(s.ok for s in report.steps)


def test_a_result_no_chain_reaches_fails() -> None:
    d = get("sigmoid-derivative")
    z = sp.Symbol("z", real=True)
    report = dataclasses.replace(d, result=sp.Eq(sp.Symbol("x"), z)).check()
    assert not report.result.ok and "no chain" in report.result.reason


def test_a_derivation_must_start_with_a_relation() -> None:
    with pytest.raises(ValueError, match="steps"):
        dataclasses.replace(get("sigmoid-derivative"), steps=(Step(sp.S.One, "one"),))


@pytest.mark.parametrize("id", IDS)
def test_latex_is_one_aligned_block_with_a_numbered_line_per_step(id: str) -> None:
    d = get(id)
    src = d.latex()
    assert src.startswith("\\begin{aligned}\n") and src.endswith("\n\\end{aligned}")
    lines = src.splitlines()[1:-1]
    assert len(lines) == len(d.steps)
    for n, line in enumerate(lines, start=1):
        assert line.endswith(rf"&& \text{{({n})}}" + (" \\\\" if n < len(lines) else ""))
        assert line.count("&") == 3 and "\\text" not in line.rsplit("&&", 1)[0]


def test_latex_is_printed_from_the_checked_objects() -> None:
    d = get("softmax-partials")
    assert r"\frac{\partial p_{i}}{\partial z_{j}}" in d.latex()
    assert r"&= p_{i} \left(\delta_{ij} - p_{j}\right) &&" in d.latex()
    assert r"\operatorname{diag}\left(p\right) - p p^{\top}" in get("softmax-jacobian").latex()


def _rhs(line: str) -> str:
    return line.split("&", 1)[1].rsplit("&&", 1)[0]


def test_log_base_change_shows_h_b_and_the_change_of_base() -> None:
    src = get("log-base-change").latex()
    lines = src.splitlines()[1:-1]
    assert lines[0].startswith("H_b(p, q) &=") and "H_{b(" not in src
    assert r"\log_{b} q_{k}" in lines[0] and r"\log_{b}" not in lines[1]
    assert len({_rhs(x) for x in lines}) == len(lines), "two lines show the same thing"


@pytest.mark.parametrize("id", ["mle-bernoulli", "mle-categorical"])
def test_multiply_and_divide_by_n_shows_both_factors(id: str) -> None:
    last = get(id).latex().splitlines()[-2]
    assert _rhs(last).startswith(r"= - N \cdot \frac{1}{N} \sum_{n=1}^{N}")


def test_sigma_prints_as_a_function_of_z() -> None:
    src = "".join(get(i).latex() for i in ("sigmoid-derivative", "bce-sigmoid-gradient"))
    assert r"\sigma(z)" in src and r"\sigma{\left(" not in src
    assert r"&= \sigma(z) \left(1 - \sigma(z)\right) &&" in src


def test_no_line_repeats_the_previous_one() -> None:
    for d in all_derivations():
        shown = [_rhs(x) for x in d.latex().splitlines()[1:-1]]
        assert all(a != b for a, b in itertools.pairwise(shown)), d.id


def test_printer_keeps_written_order_and_orders_evaluated_products() -> None:
    p, i, j, z = nt.p, nt.i, nt.j, sp.Symbol("z")
    assert render.latex(p[i] * (sp.KroneckerDelta(i, j) - p[j])) == (
        r"p_{i} \left(\delta_{ij} - p_{j}\right)"
    )
    assert render.latex(nt.product(2, z - 1, p[i])) == r"2 \left(z - 1\right) p_{i}"
    a, b = sp.symbols("a b")
    assert render.latex(b - a) == "b - a"  # positive terms first
    assert render.latex(nt.terms(-z, b)) == "- z + b"  # as written
    n = sp.Symbol("N")
    assert render.latex(nt.product(-1, n, nt.frac(1, n), p[i])) == r"- N \cdot \frac{1}{N} p_{i}"
    assert render.latex(sp.log(p[i] / p[j])) == r"\log\left(\frac{p_{i}}{p_{j}}\right)"


def test_reasons_are_listed_under_the_block_numbered_like_its_lines() -> None:
    for d in all_derivations():
        page = book_blocks.derivation_markdown(
            d, latex=d.latex(), page_src="x.md", cite_url="u", version="0", anchor=True
        )
        block, after = page.split("$$", 2)[1:]
        assert block.strip() == d.latex()
        items = re.findall(r"^(\d+)\. (.*)$", after, flags=re.MULTILINE)
        assert items == [(str(n), s.why) for n, s in enumerate(d.steps, start=1)]
        assert re.findall(r"\\text\{\((\d+)\)\}", block) == [n for n, _ in items]


def test_a_recursion_error_in_sympy_fails_the_step_and_names_it(monkeypatch, capsys) -> None:
    general = prove._general

    def deep(lhs, rhs, rel, ctx, using):
        if any(len(s.limits) > 1 for s in sp.sympify(lhs).atoms(sp.Sum)):  # nested sums
            raise RecursionError("maximum recursion depth exceeded")
        return general(lhs, rhs, rel, ctx, using)

    monkeypatch.setattr(prove, "_general", deep)
    d = get("softmax-jacobian-properties")
    report = d.check()
    nested = [n for n, s in enumerate(d.steps) if "v_{i} J_{ij} v_{j}" in render.latex(s.expr)]
    assert nested == [6]
    assert [s.ok for s in report.steps] == [n not in nested for n in range(len(d.steps))]
    assert "RecursionError" in report.steps[6].reason
    assert cli.main(["verify", "--only", d.id]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_every_latex_block_renders_in_katex_with_strict_errors() -> None:
    node = shutil.which("node")
    katex = ROOT / "node_modules" / "katex"
    if node is None or not katex.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node and node_modules/katex are required under CI=true")
        pytest.skip("node or node_modules/katex is missing; run scripts/setup.sh")
    script = """
    const katex = require(process.argv[1]);
    const blocks = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const errors = {};
    for (const [id, src] of Object.entries(blocks)) {
      try {
        katex.renderToString(src, {throwOnError: true, displayMode: true, strict: "error"});
      } catch (e) { errors[id] = String(e.message); }
    }
    process.stdout.write(JSON.stringify(errors));
    """
    blocks = {d.id: d.latex() for d in all_derivations()}
    blocks |= {
        f"{d.id} step {n}": math
        for d in all_derivations()
        for n, s in enumerate(d.steps, start=1)
        for math in MATH.findall(s.why)
    }
    out = subprocess.run(
        [node, "-e", script, str(katex)],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(out.stdout) == {}


def test_verify_command_lists_every_derivation_and_exits_zero() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ce_book", "verify"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    for d in all_derivations():
        (line,) = [x for x in lines if re.search(rf"\s{re.escape(d.id)}\s", x)]
        assert line.startswith("ok") and f"{len(d.steps)} steps checked" in line


def test_verify_exits_non_zero_and_names_a_broken_derivation(monkeypatch, capsys) -> None:
    broken = _break_step(get("sigmoid-derivative"), 1)
    monkeypatch.setattr(derivations, "all_derivations", lambda: [broken])
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAILED  sigmoid-derivative") and "step 2" in out


def test_verify_only_checks_the_named_derivations(capsys) -> None:
    assert cli.main(["verify", "--only", "mse-sigmoid-gradient"]) == 0
    out = capsys.readouterr().out
    assert "mse-sigmoid-gradient" in out and "sigmoid-derivative " not in out
    assert cli.main(["verify", "--only", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_citation_cff_is_valid_and_matches_the_package_version() -> None:
    text = (ROOT / "CITATION.cff").read_text()
    fields = dict(re.findall(r"^([a-z-]+): (.+)$", text, flags=re.MULTILINE))
    assert fields["cff-version"] == "1.2.0"
    assert fields["version"] == ce_book.__version__
    assert fields["title"].strip('"') == "ce-book: cross-entropy, with every claim checked"
    assert re.search(r"^authors:\n  - name: \"The ce-book authors\"$", text, re.MULTILINE)
    assert "message" in fields
