r"""Derivations about nudging one logit: which nudge raises a chosen softmax output most.

With :math:`E_k = e^{z_k}`, the output :math:`p_1 = E_1 / \sum_k E_k`. Raising :math:`z_1` by
:math:`\Delta` multiplies :math:`E_1` by :math:`e^{\Delta}`; lowering :math:`z_j` by
:math:`\Delta` multiplies :math:`E_j` by :math:`e^{-\Delta}`.
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Gt, Hypothesis, Step
from ce_book.derivations.notation import frac

E1 = sp.Symbol("E_1", positive=True)
Ej = sp.Symbol("E_j", positive=True)
Ek = sp.Symbol("E_k", positive=True)
R = sp.Symbol("R", positive=True)
#: The rest when lowering one of two other logits: with three classes there is none.
R0 = sp.Symbol("R", nonnegative=True)
delta = sp.Symbol("Delta", positive=True)
p_up = sp.Symbol(r"p_1^{\uparrow}")
p_dj = sp.Symbol(r"p_1^{\downarrow j}")
p_dk = sp.Symbol(r"p_1^{\downarrow k}")

_UP_DEN = E1 * sp.exp(delta) + Ej + R
_DJ_DEN = E1 + Ej * sp.exp(-delta) + R
_UP = Definition(p_up, E1 * sp.exp(delta) / _UP_DEN)
_DJ = Definition(p_dj, E1 / _DJ_DEN)

_TEXT = (
    r"Logits $z_1, \dots, z_K$, with $E_k$ the exponential of $z_k$; $j$ is a class other "
    r"than 1; $R$ is the sum of $E_k$ over the classes other than 1 and $j$ (there is at "
    r"least a third class); "
    r"$\Delta$ is the size of the nudge. $p_1^{\uparrow}$ is the first softmax output after "
    r"raising $z_1$ by $\Delta$, $p_1^{\downarrow j}$ after lowering $z_j$ by $\Delta$."
)
_GAP = E1 * R * (sp.exp(delta) - 1) / (_UP_DEN * _DJ_DEN)

NUDGE_OWN_VS_OTHER = Derivation(
    id="softmax-nudge-own-vs-other",
    title="Raising a class's own logit beats lowering any one other logit",
    statement=r"With three classes or more, raising $z_1$ by $\Delta$ raises $p_1$ strictly more "
    r"than lowering any single other logit $z_j$ by $\Delta$: [[result:0]], and every factor is "
    r"positive, so [[result:1]]. The gap is proportional to $R$, the weight of the remaining "
    r"classes, and vanishes only when there are none (two classes).",
    assumptions=Assumptions(_TEXT, (E1, Ej, R, delta), (_UP, _DJ)),
    steps=(
        Step(
            Eq(p_up - p_dj, frac(E1 * sp.exp(delta), _UP_DEN) - frac(E1, _DJ_DEN)),
            "definitions",
        ),
        Step(
            frac(E1 * (sp.exp(delta) * _DJ_DEN - _UP_DEN), _UP_DEN * _DJ_DEN),
            "common denominator",
        ),
        Step(
            frac(E1 * R * (sp.exp(delta) - 1), _UP_DEN * _DJ_DEN),
            "expand: the $E_1$ and $E_j$ terms cancel",
        ),
        Step(
            Gt(frac(E1 * R * (sp.exp(delta) - 1), _UP_DEN * _DJ_DEN), 0),
            r"every factor is positive: $e^{\Delta} > 1$ for a positive $\Delta$",
        ),
    ),
    result=(Eq(p_up - p_dj, _GAP), Gt(p_up - p_dj, 0)),
)

_DK_DEN_J = E1 + Ej * sp.exp(-delta) + Ek + R0
_DK_DEN_K = E1 + Ej + Ek * sp.exp(-delta) + R0
_LARGER = Hypothesis("H1", Gt(Ej, Ek), "$z_j$ is the larger logit, so $E_j$ is larger")
_DJ2 = Definition(p_dj, E1 / _DK_DEN_J)
_DK2 = Definition(p_dk, E1 / _DK_DEN_K)

NUDGE_LOWER_LARGER = Derivation(
    id="softmax-nudge-lower-larger",
    title="Lowering a larger logit frees more probability",
    statement=r"Lowering $z_j$ by $\Delta$ raises $p_1$ more than lowering $z_k$ by $\Delta$ "
    r"by [[result:0]], which has the sign of $E_j - E_k$: when $z_j$ is the larger logit, "
    r"[[result:1]]. A class can only give up the probability it holds.",
    assumptions=Assumptions(
        r"Logits with $E_m$ the exponential of $z_m$; $j$, $k$ and 1 are three different "
        r"classes; $R$ is the sum of $E_m$ over all other classes (0 when there are only "
        r"three); $\Delta$ is the size of the nudge. "
        r"$p_1^{\downarrow j}$ and $p_1^{\downarrow k}$ are $p_1$ after lowering $z_j$, "
        r"respectively $z_k$, by $\Delta$.",
        (E1, Ej, Ek, R0, delta),
        (_DJ2, _DK2),
        hypotheses=(_LARGER,),
    ),
    steps=(
        Step(
            Eq(p_dj - p_dk, frac(E1, _DK_DEN_J) - frac(E1, _DK_DEN_K)),
            "definitions",
        ),
        Step(frac(E1 * (_DK_DEN_K - _DK_DEN_J), _DK_DEN_J * _DK_DEN_K), "common denominator"),
        Step(
            frac(E1 * (Ej - Ek) * (1 - sp.exp(-delta)), _DK_DEN_J * _DK_DEN_K),
            "expand and factor",
        ),
        Step(
            Gt(frac(E1 * (Ej - Ek) * (1 - sp.exp(-delta)), _DK_DEN_J * _DK_DEN_K), 0),
            r"every factor is positive: $e^{-\Delta} < 1$ as $\Delta > 0$, and $E_j > E_k$",
            (_LARGER,),
        ),
    ),
    result=(
        Eq(p_dj - p_dk, E1 * (Ej - Ek) * (1 - sp.exp(-delta)) / (_DK_DEN_J * _DK_DEN_K)),
        Gt(p_dj - p_dk, 0),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (NUDGE_OWN_VS_OTHER, NUDGE_LOWER_LARGER)
