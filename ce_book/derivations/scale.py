r"""Derivations for cross-entropy at scale: the backward pass of the fused linear layer and
loss, the online log-sum-exp, and the gradients of the z-loss and of logit soft-capping."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Step
from ce_book.derivations.notation import frac, i, j, k, p, product, z

#: The size of the vocabulary: the number of classes of a language model's next-token loss.
V = sp.Symbol("V", integer=True, positive=True)


def sum_v(expr: sp.Basic) -> sp.Sum:
    """``sum_{k=1}^{V} expr``: a sum over the vocabulary."""
    return sp.Sum(expr, (k, 1, V))


# -- the backward pass of linear + cross-entropy, for one token -------------------------------

d = sp.Symbol("d", integer=True, positive=True)
# b is the hidden unit of the gradient, shown as a; a is the summed hidden unit, shown as c.
a, b = sp.symbols("c a", integer=True, positive=True)
y = sp.Symbol("y", integer=True, positive=True)
h = sp.IndexedBase("h", real=True)
W = sp.IndexedBase("W", real=True)
L = sp.Symbol("L")


def _logit(row: sp.Basic) -> sp.Sum:
    """The logit of class ``row``: :math:`\\sum_a W_{row, a} h_a`."""
    return sp.Sum(W[row, a] * h[a], (a, 1, d))


_Z_SUM = sum_v(sp.exp(_logit(k)))
LINEAR_SOFTMAX = Definition(p[i], sp.exp(_logit(i)) / _Z_SUM)
LINEAR_CE = Definition(L, sp.log(_Z_SUM) - _logit(y))
_DELTA_KY = sp.KroneckerDelta(k, y)
_DELTA_JY = sp.KroneckerDelta(j, y)
_DL_H = sp.Derivative(L, h[b])
_DL_W = sp.Derivative(L, W[j, b])

_LINEAR = Assumptions(
    r"One token: a hidden state $h$ with $d$ entries, the output layer $W$ with one row of $d$ "
    r"weights per token of the vocabulary ($V$ of them), the logits $W h$, their softmax $p$, "
    r"the true class $y$ and $L$ its cross-entropy, the log-sum-exp of the logits minus the "
    r"true logit; $\delta_{ky}$ is the Kronecker delta.",
    (V, d, i, j, k, a, b, y, h, W, p),
    (LINEAR_SOFTMAX, LINEAR_CE),
    ((i, V), (j, V), (y, V), (b, d)),
    ((V, (2, 3)), (d, (1, 2))),
)

LINEAR_CE_BACKWARD = Derivation(
    id="linear-ce-backward",
    title="The backward pass of the output layer and cross-entropy",
    statement=r"For one token, the gradient with respect to the hidden state is "
    r"[[result:0]], and with respect to the output layer [[result:1]]: both are products with "
    r"$p - e_y$, the gradient of the loss with respect to the logits. Stacking $N$ tokens as "
    r"rows, with $X$ the matrix of their hidden states and $G$ the matrix of rows "
    r"$(p - e_y) / N$, the mean loss has the gradients $G W$ and $G^\top X$, which a chunk of "
    r"rows at a time can compute.",
    assumptions=_LINEAR,
    steps=(
        Step(
            Eq(_DL_H, frac(sum_v(sp.exp(_logit(k)) * W[k, b]), _Z_SUM) - W[y, b]),
            "definition of $L$; the derivative of a log-sum-exp, and of the true logit",
        ),
        Step(sum_v(p[k] * W[k, b]) - W[y, b], "definition of the softmax"),
        Step(sum_v((p[k] - _DELTA_KY) * W[k, b]), "the delta picks $k = y$"),
        Step(
            Eq(_DL_W, frac(sp.exp(_logit(j)) * h[b], _Z_SUM) - _DELTA_JY * h[b]),
            "definition of $L$; only the logit of class $j$ depends on row $j$ of $W$",
        ),
        Step(product(p[j] - _DELTA_JY, h[b]), "definition of the softmax; factor out $h_a$"),
    ),
    result=(
        Eq(_DL_H, sum_v((p[k] - _DELTA_KY) * W[k, b])),
        Eq(_DL_W, product(p[j] - _DELTA_JY, h[b])),
    ),
)

# -- the online log-sum-exp ------------------------------------------------------------------

#: The number of logits in a tile of the vocabulary (its width).
T = sp.Symbol("w", integer=True, positive=True)


def sum_t(expr: sp.Basic) -> sp.Sum:
    """``sum_{k=1}^{w} expr``: a sum over one tile."""
    return sp.Sum(expr, (k, 1, T))


x = sp.IndexedBase("z^{(1)}", real=True)
u = sp.IndexedBase("z^{(2)}", real=True)
m1, m2, m = sp.symbols("m_1 m_2 m", real=True)
S1, S2 = sp.Symbol("s_1"), sp.Symbol("s_2")
_SUM_X = sum_t(sp.exp(x[k]))
_SUM_U = sum_t(sp.exp(u[k]))
_MERGED = m + sp.log(S1 * sp.exp(m1 - m) + S2 * sp.exp(m2 - m))

ONLINE_LOGSUMEXP = Derivation(
    id="online-logsumexp",
    title="The online log-sum-exp: two partial sums, each with its own shift, combine exactly",
    statement=r"A partial sum $s_1$ of exponentials shifted by $m_1$ and a partial sum $s_2$ "
    r"shifted by $m_2$ combine into the log-sum-exp of all the logits by rescaling each to a "
    r"common shift $m$: [[result]]. With $m$ the larger maximum every exponent is at most 0, "
    r"and folding in one tile of the vocabulary at a time gives the one-pass recurrence.",
    assumptions=Assumptions(
        r"Two tiles of the vocabulary, $z^{(1)}$ and $z^{(2)}$, of $w$ logits each (equal sizes "
        r"only keep the "
        r"notation short); $s_1$ is the sum of the exponentials of the "
        r"first tile shifted by $m_1$, $s_2$ that of the second shifted by $m_2$, and $m$ any "
        r"common shift (in practice the larger of the two maxima).",
        (T, k, x, u, m1, m2, m),
        (
            Definition(S1, sum_t(sp.exp(x[k] - m1))),
            Definition(S2, sum_t(sp.exp(u[k] - m2))),
        ),
        (),
        ((T, (1, 2, 3)),),
    ),
    steps=(
        Step(
            Eq(_MERGED, m + sp.log(sum_t(sp.exp(x[k] - m)) + sum_t(sp.exp(u[k] - m)))),
            r"definitions of $s_1$, $s_2$; $e^{z - m_1} e^{m_1 - m} = e^{z - m}$",
        ),
        Step(
            m + sp.log(sp.exp(-m) * (_SUM_X + _SUM_U)),
            "factor $e^{-m}$ out of both sums",
        ),
        Step(sp.log(_SUM_X + _SUM_U), "the log of a product; $m$ cancels"),
    ),
    result=Eq(_MERGED, sp.log(_SUM_X + _SUM_U)),
)

# -- the z-loss gradient ----------------------------------------------------------------------

c = sp.Symbol("c", positive=True)
L_Z = sp.Symbol("L_z")
_Z = sum_v(sp.exp(z[k]))
#: The softmax normaliser, shown as Z, as in the chapter's prose.
Z_NORM = sp.Symbol("Z", positive=True)
_DZ = sp.Derivative(L_Z, z[j])

Z_LOSS_GRADIENT = Derivation(
    id="z-loss-gradient",
    title="The gradient of the z-loss",
    statement=r"PaLM's auxiliary loss $c \log^2 Z$ on the softmax normaliser "
    r"$Z$ (the sum of the exponentials of the logits) has the gradient [[result]]: it "
    r"pushes every logit down in proportion to its probability and to how far $\log Z$ is "
    r"above 0 (and up when it is below).",
    assumptions=Assumptions(
        r"A vocabulary of $V$ tokens with real logits $z$, their softmax $p$, a coefficient $c$ "
        r"(PaLM uses $10^{-4}$) and the z-loss $L_z$, $c$ times the square of the log of the "
        r"normaliser.",
        (V, i, j, k, z, p, c),
        (
            Definition(Z_NORM, _Z),
            Definition(p[i], sp.exp(z[i]) / Z_NORM),
            Definition(L_Z, c * sp.log(Z_NORM) ** 2),
        ),
        ((i, V), (j, V)),
        ((V, (2, 3, 4)),),
    ),
    steps=(
        Step(
            Eq(_DZ, product(2, c, sp.log(Z_NORM), sp.Derivative(sp.log(_Z), z[j]))),
            "definition of $L_z$; chain rule",
        ),
        Step(
            product(2, c, sp.log(Z_NORM), frac(sp.exp(z[j]), Z_NORM)),
            "the derivative of the log of $Z$",
        ),
        Step(product(2, c, sp.log(Z_NORM), p[j]), "definition of the softmax"),
    ),
    result=Eq(_DZ, product(2, c, sp.log(Z_NORM), p[j])),
)

# -- the soft-capping gradient ----------------------------------------------------------------

s = sp.Symbol("z", real=True)  # one logit, shown as z (the z above is the vector of logits)
C = sp.Symbol("C", positive=True)
_CAPPED = product(C, sp.tanh(s / C))
_DCAP = sp.Derivative(_CAPPED, s)

SOFT_CAP_GRADIENT = Derivation(
    id="soft-cap-gradient",
    title="The gradient through logit soft-capping",
    statement=r"Soft-capping a logit $z$ at $C$, as Gemma 2 does, multiplies the gradient that "
    r"reaches it by [[result]], a factor in $(0, 1]$ that is exactly 1 for a zero logit: close "
    r"to 1 for small logits, close to 0 for logits large against the cap, which therefore grow "
    r"ever more slowly (the capped "
    r"logit itself never exceeds $C$).",
    assumptions=Assumptions(
        r"A real logit $z$ and a cap $C$ (Gemma 2 uses 30 for its final logits).",
        (s, C),
    ),
    steps=(
        Step(
            Eq(_DCAP, product(C, 1 - sp.tanh(s / C) ** 2, frac(1, C))),
            r"the derivative of $\tanh$ is $1 - \tanh^2$; chain rule",
        ),
        Step(1 - sp.tanh(s / C) ** 2, "cancel $C$"),
    ),
    result=Eq(_DCAP, 1 - sp.tanh(s / C) ** 2),
)

#: The chapter whose page shows these derivations.
CHAPTER = "scale"

DERIVATIONS = (LINEAR_CE_BACKWARD, ONLINE_LOGSUMEXP, Z_LOSS_GRADIENT, SOFT_CAP_GRADIENT)
