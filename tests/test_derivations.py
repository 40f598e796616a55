"""The derivation model: every step is proved for every size, broken steps are caught (each
altered copy re-checks only the altered step), hypotheses and citations are explicit, the page
text is printed from the checked objects, LaTeX renders in KaTeX, ``python -m ce_book verify``
reports (also as JSON), the dependency graph is drawn, and CITATION.cff matches the package."""

from __future__ import annotations

import dataclasses
import datetime
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
from ce_book.derivations import (
    Derivation,
    Hypothesis,
    Step,
    all_derivations,
    get,
    graph,
    prove,
    render,
    reports,
)
from ce_book.derivations import notation as nt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import book_blocks  # noqa: E402
import book_cite  # noqa: E402

EDITION = book_cite.Edition(
    title="ce-book",
    authors=("The ce-book authors",),
    version="0",
    commit="0000000",
    released=datetime.date(2026, 1, 1),
    built=datetime.date(2026, 1, 1),
    site_url="http://127.0.0.1:8000/",
    repository="https://example.org/ce-book",
)

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
    # issue 11: results that the chapters used to type in
    "log-tangent-bound",
    "gibbs-inequality",
    "entropy-bounds",
    "sigmoid-derivative-bound",
    "bce-mse-gradient-ratio",
    "softmax-two-class-sigmoid",
    "mle-categorical-counts",
    "temperature-gradient",
    "l1-distance-one-hot",
    "log-sum-exp-shift",
    "log-softmax-log1p",
    "log-sigmoid-stable",
    "focal-weight-nonnegative",
]
IDS = [d.id for d in all_derivations()]


@pytest.fixture(scope="module")
def checked() -> dict:
    """Every derivation's full check, in parallel (as ``verify`` does); the page hook reuses
    these instead of proving everything again."""
    chosen = all_derivations()
    done = reports.check_all(chosen)
    reports.store(done, chosen)
    return {d.id: r for d, r in zip(chosen, done, strict=True)}


def test_every_required_id_exists_once_in_a_stable_order() -> None:
    assert set(REQUIRED) <= set(IDS) and len(IDS) == len(set(IDS))
    assert len(REQUIRED) >= 27
    assert [d.id for d in all_derivations()] == IDS
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in IDS)


def test_get_returns_the_derivation_and_names_an_unknown_id() -> None:
    assert get("softmax-jacobian").id == "softmax-jacobian"
    with pytest.raises(KeyError, match="no-such-derivation"):
        get("no-such-derivation")


@pytest.mark.parametrize("id", IDS)
def test_every_step_is_proved_for_every_size(checked, id: str) -> None:
    report = checked[id]
    assert report.ok, "\n".join([*report.problems, *map(str, report.failures)])
    assert len(report.steps) == len(get(id).steps)
    d = get(id)
    for check, (_, lhs, rhs, _) in zip(report.steps, d.links, strict=True):
        assert check.method in ("general", "hypothesis"), str(check)
        dims = {str(x) for x in prove._dimensions(lhs, rhs, d.assumptions)}
        if check.method == "general":
            assert set(check.sizes) == dims, str(check)
            assert "concrete" not in check.detail and "beyond SymPy" not in check.detail


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
    if isinstance(expr, sp.Le | sp.Lt) and alter is _altered:
        broken = type(expr)(expr.lhs, expr.rhs - 1, evaluate=False)  # a tighter bound
    elif isinstance(expr, sp.core.relational.Relational):
        broken = type(expr)(expr.lhs, alter(expr.rhs), evaluate=False)
    else:
        broken = alter(expr)
    return dataclasses.replace(d, steps=(*d.steps[:n], dataclasses.replace(step, expr=broken)))


def _with_step(d: Derivation, n: int, **changes) -> Derivation:
    """``d`` with step ``n`` changed (``expr``, ``using``, ``cites``), the rest as it was."""
    steps = list(d.steps)
    steps[n] = dataclasses.replace(steps[n], **changes)
    return dataclasses.replace(d, steps=tuple(steps))


def _only(d: Derivation, n: int):
    """Check step ``n`` of ``d`` alone: an altered copy re-checks only what was altered."""
    return d.check_step(n)


@pytest.mark.parametrize("id", IDS)
def test_an_altered_step_is_reported_as_failed(id: str) -> None:
    d = get(id)
    n = len(d.steps) // 2
    check = _only(_break_step(d, n), n)
    assert not check.ok and check.method == "" and check.reason, str(check)
    assert check.as_dict()["method"] == "failed"


def test_a_flipped_sign_is_caught() -> None:
    check = _only(_break_step(get("softmax-partials"), 4, _flipped), 4)
    assert not check.ok


# -- the wrong steps quoted in issue 11, each in an altered copy ------------------------------

_K = nt.K


def test_a_term_that_vanishes_at_the_small_sizes_is_caught() -> None:
    # (K-2)(K-3)(K-4)(K-5) p_j is zero for K = 2..5, the sizes the old finite route tried.
    d = get("ce-softmax-gradient")
    wrong = d.steps[4].expr + (_K - 2) * (_K - 3) * (_K - 4) * (_K - 5) * nt.p[nt.j]
    check = _only(_with_step(d, 4, expr=wrong), 4)
    assert not check.ok and "no proof for every size" in check.reason
    assert check.sizes == ()


def test_a_sum_limit_that_is_right_only_for_small_sizes_is_caught() -> None:
    # K + floor(K/6) is K for K <= 5.
    d = get("ce-softmax-gradient")
    expr = d.steps[6].expr
    longer = expr.rhs.xreplace({_K: _K + sp.floor(_K / 6)})
    wrong = sp.Eq(expr.lhs, longer)
    assert longer != expr.rhs
    check = _only(_with_step(d, 6, expr=wrong), 6)
    assert not check.ok and "no proof for every size" in check.reason


def test_a_factor_that_is_one_at_the_focal_sizes_is_caught() -> None:
    # 1 + (K-2)(K-3) is 1 for K = 2 and 3, the sizes of the focal derivation.
    d = get("focal-loss-gradient")
    wrong = sp.Mul(1 + (_K - 2) * (_K - 3), d.steps[3].expr, evaluate=False)
    check = _only(_with_step(d, 3, expr=wrong), 3)
    assert not check.ok


def test_a_sum_over_a_range_that_may_be_empty_is_not_positive() -> None:
    d = get("softmax-partials")
    k = nt.k
    empty = Step(sp.Gt(sp.Sum(nt.p[k], (k, _K, 3)), 0), "wrong: the range may be empty")
    check = _only(dataclasses.replace(d, steps=(*d.steps, empty)), len(d.steps))
    assert not check.ok
    # the same sum over a range that is never empty is positive
    full = Step(sp.Gt(sp.Sum(nt.p[k], (k, 1, _K)), 0, evaluate=False), "every term is positive")
    assert _only(dataclasses.replace(d, steps=(*d.steps, full)), len(d.steps)).ok
    # a sum of positive terms over a range of length 3 - K + 1 is not known to be >= 0 either
    half = Step(sp.Ge(sp.Sum(nt.p[k], (k, _K, 3)), 0), "wrong: a reversed range is negative")
    assert not _only(dataclasses.replace(d, steps=(*d.steps, half)), len(d.steps)).ok


def test_a_false_fact_is_neither_a_hypothesis_nor_proved() -> None:
    # The targets "sum to 2": the shown reason says 1, the fact says 2, the line follows from 2.
    d = get("ce-softmax-gradient")
    two = sp.Eq(nt.sum_k(nt.t[nt.k]), 2)
    wrong = _with_step(d, 5, expr=2 * nt.p[nt.j] - nt.t[nt.j], using=(two,))
    check = _only(wrong, 5)
    assert not check.ok and "neither a declared hypothesis nor proved" in check.reason
    # a fact that does follow from the definitions is accepted (the softmax sums to 1) ...
    d = get("ce-softmax-gradient")
    fine = _with_step(d, 8, using=(nt.SUM_P,))
    check = _only(fine, 8)
    assert check.ok and check.facts == 1
    # ... and a hypothesis of another derivation is not one of this one
    other = Hypothesis("H1", sp.Eq(nt.sum_k(nt.t[nt.k]), 2), "the targets sum to 2")
    assert "not a hypothesis" in _only(_with_step(d, 5, using=(other,)), 5).reason


def test_a_changed_domain_is_caught_or_printed() -> None:
    d = get("sigmoid-derivative")
    z = next(s for s in d.assumptions.symbols if s.name == "z")
    zp = sp.Symbol("z", positive=True)
    # declared positive while the steps still use a real z: a problem, the check fails
    lying = dataclasses.replace(d, assumptions=dataclasses.replace(d.assumptions, symbols=(zp,)))
    assert any("symbol z" in p and "positive" in p for p in lying.problems())
    assert r"$z > 0$" in lying.assumptions_markdown()

    # changed everywhere: the proof is of another statement, and the page says so
    def swap(e):
        return e.xreplace({z: zp})

    ctx = d.assumptions
    moved = dataclasses.replace(
        d,
        steps=tuple(dataclasses.replace(s, expr=swap(s.expr)) for s in d.steps),
        result=swap(d.result),
        assumptions=dataclasses.replace(
            ctx,
            symbols=(zp,),
            definitions=tuple(
                dataclasses.replace(x, lhs=swap(x.lhs), rhs=swap(x.rhs)) for x in ctx.definitions
            ),
        ),
    )
    assert moved.problems() == ()
    assert r"$z > 0$" in moved.assumptions_markdown()
    assert (
        r"\mathbb{R}" in d.assumptions_markdown()
        and r"\mathbb{R}" not in moved.assumptions_markdown()
    )


def test_a_statement_that_types_a_contradicting_relation_is_caught() -> None:
    d = get("softmax-partials")
    typed = r"In fact $\partial p_i / \partial z_j = p_i(\delta_{ij} + p_j)$ for every $K$."
    wrong = dataclasses.replace(d, statement=typed)
    assert any("types a relation" in p for p in wrong.problems())
    assert not dataclasses.replace(d, statement="[[result:7]]").problems() == ()
    # the statement shown is printed from the checked result
    assert d.result_latex() in d.statement_markdown()
    assert "[[result" not in d.statement_markdown()


@pytest.mark.parametrize("id", IDS)
def test_statements_and_glosses_type_no_relation(id: str) -> None:
    assert get(id).problems() == ()


def test_a_step_that_is_a_declared_hypothesis_is_marked_so() -> None:
    d = get("ce-softmax-gradient")
    h = d.assumptions.hypotheses[0]
    step = Step(h.relation, "the targets sum to 1")
    check = _only(dataclasses.replace(d, steps=(*d.steps, step)), len(d.steps))
    assert check.ok and check.method == "hypothesis" and check.hypotheses == (h.name,)
    assert check.summary() == "hypothesis (H1)"


def test_citations_are_rules_that_must_apply() -> None:
    d = get("ce-softmax-gradient")
    _, lhs, rhs, _ = d.links[2]
    rules, problem = d._rules(d.steps[2])
    assert not problem and [r.source for r in rules] == ["softmax-partials"]
    rewritten = prove._rewrite(lhs - rhs, rules, inequality=False)
    assert not rewritten.has(sp.Derivative)  # the cited result replaced the derivative
    assert _only(d, 2).cites == ("softmax-partials",)
    # an unknown derivation, or one whose notation means something else here, is no rule
    assert "no derivation" in _only(_with_step(d, 2, cites=("no-such-id",)), 2).reason
    t = get("temperature-gradient")
    assert "defined differently" in _only(_with_step(t, 2, cites=("softmax-partials",)), 2).reason


def test_an_inequality_rule_leaves_a_slack_of_the_right_sign() -> None:
    x = sp.Symbol("x", positive=True)
    (rule,) = get("log-tangent-bound").rules_for(get("gibbs-inequality").assumptions)[0]
    out = prove._rewrite(sp.log(x + 1), [rule], inequality=True)
    (slack,) = out.free_symbols - {x}
    assert out == x - slack and slack.is_nonnegative


def test_the_one_variable_tactic_needs_the_least_point() -> None:
    x = sp.Symbol("x", positive=True)
    assert prove._one_variable(x - 1 - sp.log(x), sp.Ge)
    assert not prove._one_variable(x - 2 - sp.log(x), sp.Ge)  # negative at x = 1


@pytest.mark.parametrize("id", ["sigmoid-derivative", "softmax-partials", "ce-entropy-kl"])
def test_an_altered_result_is_reported_as_failed(id: str) -> None:
    d = get(id)
    claim = d.results[0]
    wrong = dataclasses.replace(d, result=sp.Eq(claim.lhs, _flipped(claim.rhs)))
    assert not wrong._check_result().ok


def test_a_result_no_chain_reaches_fails() -> None:
    d = get("sigmoid-derivative")
    z = sp.Symbol("z", real=True)
    result = dataclasses.replace(d, result=sp.Eq(sp.Symbol("x"), z))._check_result()
    assert not result.ok and "no chain" in result.reason


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
    shown = [_rhs(x) for x in get(id).latex().splitlines()[1:-1]]
    assert any(x.startswith(r"= - N \cdot \frac{1}{N} \sum_{n=1}^{N}") for x in shown)


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


def test_reasons_are_listed_under_the_block_numbered_like_its_lines(checked) -> None:
    for d in all_derivations():
        page = book_blocks.derivation_markdown(
            d, latex=d.latex(), page_src="x.md", cite_url="u", version=EDITION, anchor=True
        )
        block, after = page.split("$$", 2)[1:]
        assert block.strip() == d.latex()
        items = re.findall(
            r'^(\d+)\. (.*?)(?: <span class="ce-how">(.*)</span>)?$', after, flags=re.MULTILINE
        )
        unlinked = [re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", why) for _, why, _ in items]
        assert unlinked == [s.why for s in d.steps]  # a cited title it names becomes a link
        assert re.findall(r"\\text\{\((\d+)\)\}", block) == [n for n, _, _ in items]
        shared = book_blocks.shared_check(checked[d.id])
        badge = '<span class="ce-derivation-check">SymPy proves every line'
        assert (badge in page) == (shared is not None), d.id
        for (_, why, how), check in zip(items, checked[d.id].steps, strict=True):
            sizes = " and ".join(f"${x}$" for x in check.sizes)
            expected = (
                "hypothesis"
                if check.method == "hypothesis"
                else (f"proved for all {sizes}" if sizes else "proved")
            )
            # said once for the box when every line shares it, else on the line itself
            assert (shared == expected and not how.startswith(expected)) or (
                shared is None and how.startswith(expected)
            ), how
            for cited in check.cites:  # linked after the reason, unless the reason names it
                title = book_blocks._in_sentence(get(cited).title)
                assert f"[{title}](claims.md#{cited})" in how + why.lower() or (
                    f"](claims.md#{cited})" in why
                )
            for h in check.hypotheses:  # named in the reason, or after it
                assert f"({h})" in how or f"({h})" in why
        assert "Each numbered step is checked" not in page
        assert d.assumptions_markdown() in page and d.statement_markdown() in page


def test_the_page_says_how_each_line_was_checked() -> None:
    d = get("ce-softmax-hessian")
    page = book_blocks.derivation_markdown(
        d, latex=d.latex(), page_src="gradients.md", cite_url="u", version=EDITION, anchor=True
    )
    how = '<span class="ce-how">'
    badge = '<span class="ce-derivation-check">SymPy proves every line for all <i>K</i></span>'
    assert badge in page
    title = book_blocks._in_sentence(get("ce-softmax-gradient").title)
    # the reason names the derivation it uses: the name is the link, and it is not repeated
    assert re.search(rf"^1\. \[{re.escape(title)}\]\(claims\.md#ce-softmax-gradient\)", page, re.M)
    assert f"{how}by [{title}]" not in page
    assert f"4. the targets sum to 1 {how}under (H1)</span>" in page
    assert r"(H1) $\sum_{k=1}^{K} t_{k} = 1$ (the targets sum to 1)" in page
    partials = book_blocks._in_sentence(get("softmax-partials").title)
    assert f"6. [{partials}](claims.md#softmax-partials)\n" in page  # names what it uses
    assert "SymPy proves every line</span>" in book_blocks.derivation_markdown(
        get("sigmoid-derivative"),
        latex="",
        page_src="binary.md",
        cite_url="u",
        version=EDITION,
        anchor=False,
    )
    # an altered copy is checked afresh, and its page says which line is not proved
    broken = _break_step(d, 3)
    page = book_blocks.derivation_markdown(
        broken,
        latex=broken.latex(),
        page_src="gradients.md",
        cite_url="u",
        version=EDITION,
        anchor=True,
    )
    assert f"4. the targets sum to 1 {how}**not proved**:" in page


def test_serve_shows_derivations_unchecked_until_the_background_checks_are_in(
    monkeypatch, tmp_path: Path, checked
) -> None:
    """``mkdocs serve`` does not wait for SymPy: without cached checks a box gives each line's
    reason and says it is being checked; once the background checks are stored, the same call
    shows how each line was checked."""
    monkeypatch.setenv("CE_BOOK_CACHE", str(tmp_path))  # no cached checks
    monkeypatch.setattr(reports, "_MEMORY", {})
    monkeypatch.setattr(reports, "_RUNNING", {})
    d = get("ce-softmax-hessian")

    def box() -> str:
        return book_blocks.derivation_markdown(
            d,
            latex="x",
            page_src="gradients.md",
            cite_url="u",
            version=EDITION,
            anchor=True,
            wait=False,
        )

    assert reports.report(d, wait=False) is None and not reports.ready()
    page = box()
    assert book_blocks.BEING_CHECKED in page and "SymPy proves every line" not in page
    assert all(f"{n}. {s.why}\n" in page for n, s in enumerate(d.steps, 1))
    asked = []
    # the checks themselves are the ones this module's `checked` fixture made
    monkeypatch.setattr(
        reports,
        "check_all",
        lambda chosen: asked.append(len(chosen)) or [checked[c.id] for c in chosen],
    )
    reports.check_in_background().result(timeout=60)
    assert reports.check_in_background() is reports.check_in_background()  # once per sources
    assert asked == [len(all_derivations())] and reports.ready()
    page = box()
    assert "SymPy proves every line for all <i>K</i>" in page
    assert book_blocks.BEING_CHECKED not in page


def test_a_recursion_error_in_sympy_fails_the_step_and_names_it(monkeypatch, capsys) -> None:
    general = prove._general

    def deep(lhs, rhs, rel, ctx, *args):
        if any(len(s.limits) > 1 for s in sp.sympify(lhs).atoms(sp.Sum)):  # nested sums
            raise RecursionError("maximum recursion depth exceeded")
        return general(lhs, rhs, rel, ctx, *args)

    monkeypatch.setattr(prove, "_general", deep)
    d = get("softmax-jacobian-properties")
    report = d.check()
    nested = [n for n, s in enumerate(d.steps) if "u_{i} J_{ij} u_{j}" in render.latex(s.expr)]
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
    texts = {
        "statement": lambda d: d.statement_markdown(),
        "assumptions": lambda d: d.assumptions_markdown(),
        "gloss": lambda d: d.assumptions.text,
    }
    for d in all_derivations():
        blocks |= {f"{d.id} result {i}": d.result_latex(i) for i in range(len(d.results))}
        blocks |= {f"{d.id} line {n}": d.line_latex(n) for n in range(1, len(d.steps) + 1)}
        for name, text in texts.items():
            blocks |= {f"{d.id} {name} {n}": m for n, m in enumerate(MATH.findall(text(d)))}
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


def test_verify_command_runs_as_a_process_and_exits_zero() -> None:
    ids = ["sigmoid-derivative", "softmax-partials"]
    out = subprocess.run(
        [sys.executable, "-m", "ce_book", "verify", "--only", *ids],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [["ok", i] for i in ids]
    assert lines[-1].startswith("2 of 2 derivations verified")


def test_verify_lists_every_derivation(checked, monkeypatch, capsys) -> None:
    """The listing of ``verify`` for all derivations, from the checks this session made
    (the ``checked`` fixture proved every one; proving them again would repeat that)."""
    monkeypatch.setattr(
        reports, "check_all", lambda chosen, jobs=None: [checked[d.id] for d in chosen]
    )
    assert cli.main(["verify"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for d in all_derivations():
        (line,) = [x for x in lines if re.search(rf"\s{re.escape(d.id)}\s", x)]
        assert line.startswith("ok") and f"{len(d.steps)} steps checked" in line
    assert len(lines) == len(all_derivations()) + 1


def test_verify_json_reports_every_step_and_its_method(capsys) -> None:
    ids = [
        d.id
        for d in all_derivations()
        if d.id in ("softmax-partials", "gibbs-inequality", "softmax-nudge-own-vs-other")
    ]
    assert cli.main(["verify", "--json", "--only", *ids]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data["derivations"]] == ids
    for entry in data["derivations"]:
        assert entry["ok"] is True and entry["problems"] == []
        steps = entry["steps"]
        assert [s["n"] for s in steps] == list(range(1, len(get(entry["id"]).steps) + 1))
        assert all(s["ok"] and s["method"] == "general" for s in steps)
    by_id = {d["id"]: d for d in data["derivations"]}
    partials, gibbs = by_id["softmax-partials"], by_id["gibbs-inequality"]
    nudge = by_id["softmax-nudge-own-vs-other"]
    assert all(s["sizes"] == ["K"] for s in partials["steps"])
    assert all(s["sizes"] == [] for s in nudge["steps"])  # no size: valid for all values
    assert gibbs["steps"][2]["cites"] == ["log-tangent-bound"]
    assert gibbs["steps"][4]["hypotheses"] == ["H1", "H2"]


def test_verify_json_marks_a_failed_step(monkeypatch, capsys) -> None:
    broken = _break_step(get("sigmoid-derivative"), 1)
    monkeypatch.setattr(derivations, "all_derivations", lambda: [broken])
    assert cli.main(["verify", "--json"]) == 1
    (entry,) = json.loads(capsys.readouterr().out)["derivations"]
    assert entry["ok"] is False
    assert [s["method"] for s in entry["steps"]] == ["general", "failed"]


def test_the_dependency_graph_is_an_accessible_deterministic_svg() -> None:
    ds = all_derivations()
    statuses = {d.id: d.id != "gibbs-inequality" for d in ds}
    svg = graph.dependency_svg(ds, statuses)
    assert svg == graph.dependency_svg(ds, statuses)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    for d in ds:
        assert f'<a href="#{d.id}">' in svg
    assert svg.count(">✓ ") == len(ds) - 1  # every node but the failing one
    assert "✗ gibbs-inequality" in svg and "not proved" in svg
    pairs = graph.edges(ds)
    assert ("softmax-partials", "ce-softmax-gradient") in pairs
    assert ("log-tangent-bound", "gibbs-inequality") in pairs
    assert svg.count("marker-end=") == len(pairs)
    layer = graph.layers(ds)
    assert all(layer[a] < layer[b] for a, b in pairs)
    looped = [
        dataclasses.replace(
            get("softmax-partials"),
            steps=(
                dataclasses.replace(
                    get("softmax-partials").steps[0], cites=("ce-softmax-gradient",)
                ),
                *get("softmax-partials").steps[1:],
            ),
        ),
        get("ce-softmax-gradient"),
    ]
    with pytest.raises(ValueError, match="cycle"):
        graph.layers(looped)


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


def test_a_negated_sum_keeps_its_brackets() -> None:
    """``x + (-(1 - t))`` kept as written prints as x - (1 - t), never as x - 1 - t."""
    from ce_book.derivations import render
    from ce_book.derivations.notation import terms

    x, t = sp.symbols("x t")
    assert render.latex(terms(x, sp.Mul(-1, 1 - t, evaluate=False))) == r"x - \left(1 - t\right)"
