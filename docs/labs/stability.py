# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: numerical stability
#
# Companion to [chapter 6](../stability.md). The chapter shows each failure of a textbook
# formula and its fix; this lab goes one level down, to the floating-point numbers
# themselves. It
#
# 1. looks at the spacing of floats near 1 and watches a tie go to the even neighbour;
# 2. adds the same numbers in two orders and finds the lead at which each order rounds a
#    loss to 0, for three and for a thousand classes (change the list to try others);
# 3. repeats the chapter's threshold in float16, float32 and float64, and draws the relative
#    error of two recipes in float16, the format the chapter's figure leaves out;
# 4. recovers the rounding error of a subtraction exactly (Knuth's TwoSum) and sees what it
#    does to a tiny loss;
# 5. compares all this with PyTorch, where it is installed;
# 6. ends with exercises: you answer, the lab checks.
#
# Exact values come from Python's `fractions` (every float is a fraction) and from mpmath.

# %%
import math
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import exercises, gradients, losses
from ce_book.figures.style import COLORS, new_figure, show

mpmath.mp.dps = 50


def exact_ce(z, k):
    """Cross-entropy of the logits z with true class k, at 50 digits."""
    z = [mpmath.mpf(float(v)) for v in z]
    return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z)) - z[k]


# %% [markdown]
# ## 1. How far apart are the floats near 1?
#
# `np.spacing(x)` is the gap from `x` to the next float up. Just above 1 it is $2^{-52}$ in
# float64 and $2^{-23}$ in float32; just below 1 it is half that, because the exponent drops.
# Every sum $1 + x$ is rounded to the nearest float: below half the gap it falls back to 1.

# %%
for dtype in (np.float16, np.float32, np.float64):
    one = dtype(1)
    above = np.spacing(one)
    below = one - np.nextafter(one, dtype(0))
    print(
        f"{dtype.__name__:8s} gap above 1: 2^{np.log2(float(above)):.0f}   "
        f"gap below 1: 2^{np.log2(float(below)):.0f}"
    )

# %% [markdown]
# At exactly half the gap there is a tie. IEEE 754 breaks it toward the neighbour whose last
# bit is 0, the *even* one. Above 1 in float64 the neighbours of $1 + 2^{-53}$ are $1$ (even)
# and $1 + 2^{-52}$ (odd), so the tie goes down; the neighbours of $1 + 3 \cdot 2^{-53}$ are
# $1 + 2^{-52}$ (odd) and $1 + 2^{-51}$ (even), so that tie goes *up*. Just above a tie there
# is no tie, and the sum rounds up to the nearer neighbour. `Fraction` measures each input and
# result exactly, in units of $2^{-53}$.

# %%
half = 2.0**-53
for x in (half, 3 * half, half * (1 + 2.0**-30)):
    got = 1.0 + x
    units_in = float(Fraction(x) / Fraction(half))  # x in units of 2^-53, exactly
    units_out = Fraction(got) - 1
    print(f"1 + {units_in:.10g} * 2^-53  ->  1 + {float(units_out / Fraction(half)):g} * 2^-53")

# %% [markdown]
# So the rule the chapter uses is "$1 + x$ is exactly 1 for $0 \le x \le 2^{-53}$", with the
# equals sign: the tie at $2^{-53}$ rounds to 1 too.

# %% [markdown]
# ## 2. The same numbers, two orders
#
# The shifted sum of the logits $(g, 0, \dots, 0)$ with $K$ classes is
# $1 + (K - 1)\,e^{-g}$. Add the small terms to the 1 one at a time, and each is lost as soon
# as it alone is at most $2^{-53}$. Add them up first, and they are lost together only when
# their total is. The function below does both, with float64 additions (each one correctly
# rounded), and reports the first integer lead at which the loss $\log(\text{sum})$ is exactly 0.


# %%
def zero_lead(k, order, dtype=np.float64):
    """First integer lead g at which log(1 + (k - 1) e^{-g}) computed in `order` is 0."""
    for g in range(1, 200):
        term = dtype(float(mpmath.exp(-g)))
        if order == "one at a time":
            total = dtype(1)
            for _ in range(k - 1):
                total = dtype(total + term)
        else:
            rest = dtype(0)
            for _ in range(k - 1):
                rest = dtype(rest + term)
            total = dtype(dtype(1) + rest)
        if total == 1:
            return g
    return None


for k in (3, 10, 100, 1000):
    a, b = zero_lead(k, "one at a time"), zero_lead(k, "small terms first")
    bound = float(53 * mpmath.log(2) + mpmath.log(k - 1))
    print(
        f"K = {k:4d}: one at a time {a}, small terms first {b} (53 ln 2 + ln(K - 1) = {bound:.2f})"
    )

# %% [markdown]
# "One at a time" always gives 37, whatever $K$: each $e^{-g}$ is lost as soon as it alone is
# at most $2^{-53}$, from the lead $53 \ln 2$, about 36.7. "Small terms first" moves with
# $\ln(K - 1)$: the $K - 1$ terms are lost together only when their total is at most
# $2^{-53}$, from the lead $53 \ln 2 + \ln(K - 1)$. Every summation order lies between the
# two: a partial sum of the small terms is never larger than their total, so no order keeps
# them longer than small-first, and every piece that meets the 1 holds at least one term, so
# none loses them sooner than one-at-a-time. PyTorch's vectorised sum keeps several partial
# sums and adds them up at the end, so where it lands depends on $K$ (section 5 measures it).
# A threshold like "37" is a property of the formula, the format, the number of classes and
# the summation order together. `ce_book` never adds the
# small terms to the 1: it takes `log1p` of their sum.

# %% [markdown]
# ## 3. The threshold in three formats, and the error curve in float16
#
# First the log-of-a-sum loss of $(g, 0, 0)$ with every addition done in the format itself,
# one small term at a time. (The [scale chapter](../scale.md) finds 9 for float16, not 8:
# there PyTorch adds the exponentials in float32, where the sum keeps both small terms, and
# rounds it to float16 only once, so the two terms are lost together rather than one by one.)

# %%
for dtype in (np.float16, np.float32, np.float64):
    lead = zero_lead(3, "one at a time", dtype)
    print(f"{dtype.__name__:8s} log of a sum, one term at a time, is 0 from the lead {lead}")

# %% [markdown]
# The chapter's figure draws float32 and float64. Here are the two recipes in float16, written
# out by hand because `ce_book` works in float32 and float64 only: the log of the sum
# $1 + e^{-g} + e^{-g}$, and `log1p` of the small terms alone. Every operation is a float16
# operation, and the errors are measured against the exact loss of the float16 logits. A
# float16 number keeps 11 significant bits, so the best a recipe can do is a relative error
# near $2^{-11}$, about $5 \times 10^{-4}$.

# %%
gaps16 = np.linspace(0.25, 20, 80).astype(np.float16)
log_sum16, log1p16 = [], []
for g in gaps16:
    small = np.exp(-g)  # float16 in, float16 out
    exact = exact_ce([float(g), 0.0, 0.0], 0)
    total = np.float16(np.float16(1) + small) + small
    rel = lambda got, ex=exact: max(float(abs((mpmath.mpf(float(got)) - ex) / ex)), 1e-6)  # noqa: E731
    log_sum16.append(rel(np.log(total)))
    log1p16.append(rel(np.log1p(np.float16(small + small))))

fig = new_figure((6.0, 3.6))
ax = fig.subplots()
ax.plot(gaps16, log_sum16, "--", color=COLORS["orange"], label="log of a sum, float16")
ax.plot(gaps16, log1p16, "-", color=COLORS["blue"], label="log1p of the small terms, float16")
ax.axhline(2.0**-11, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))
ax.set_yscale("log")
ax.set_ylim(1e-6, 3)
ax.set_xlabel("lead $g$ of the true logit")
ax.set_ylabel("relative error")
ax.legend(loc="center right", fontsize=10)
show(
    fig,
    alt="Relative error against the lead g of the true logit, from 0 to 20, on a "
    "logarithmic axis, both recipes computed in float16. The log-of-a-sum recipe (orange, "
    "dashed) loses digits from the start and reaches a relative error of 1, a loss of exactly "
    "0, at a lead of 8. The log1p recipe (blue) stays near float16's rounding error, about "
    "5e-4 (dotted line), up to a lead of about 10, then loses digits and reaches 1 near 17.",
)

# %% [markdown]
# The pattern is the chapter's, squeezed: in float16 the log of a sum is useless from a lead
# of 8, a margin any trained classifier reaches, while `log1p` keeps the three or so digits
# the format has. Beyond a lead of about 10 `log1p` degrades too, for a different reason:
# range, not rounding. $e^{-g}$ falls below float16's smallest normal number,
# $2^{-14} \approx 6.1 \times 10^{-5}$, and keeps fewer and fewer bits. From a lead of about
# 17.3 ($25 \ln 2$) each small term is below half the smallest positive float16, $2^{-25}$, and
# rounds to 0, so this recipe returns 0. From about 18 ($26 \ln 2$) the true loss itself is
# below $2^{-25}$ and rounds to 0, so every recipe must. (A value between $2^{-25}$ and
# $2^{-24}$ rounds *up*, to the smallest float, not to 0.) float16 runs out of range long
# before float32 or bfloat16 do, which is one more reason to compute a loss in float32.

# %% [markdown]
# ## 4. Recovering a rounding error exactly
#
# `ce_book` needs $r = \sum_{j \ne j^*} e^{z_j - m}$ to full relative accuracy, and each
# difference $z_j - m$ is rounded before the exponential sees it. TwoSum (Møller, 1965; Knuth,
# *The Art of Computer Programming*, vol. 2, section 4.2.2) finds the rounding error of a
# floating-point sum exactly, with five more operations: if $d$ is the
# computed $a + b$, let $b' = d - a$ and $a' = d - b'$ (the parts of $a$ and $b$ that made it
# into $d$); then $\delta = (a - a') + (b - b')$ is exactly $a + b - d$. `Fraction` confirms
# it.


# %%
def two_sum(a, b):
    d = a + b
    b_virtual = d - a
    a_virtual = d - b_virtual
    return d, (a - a_virtual) + (b - b_virtual)


z, m = 0.1, 40.3
d, delta = two_sum(z, -m)
print("computed z - m:", d)
print("rounding error:", delta)
assert Fraction(z) - Fraction(m) == Fraction(d) + Fraction(delta)  # exact, to the last bit

# %% [markdown]
# The error is of the order of $10^{-15}$, and $e^{d}$ inherits it as a *relative* error, which
# then becomes the relative error of a tiny loss. Multiplying by $1 + \delta$ puts it back. The
# three-class loss of $(40.3, 0.1, 0)$, computed without and with the correction:

# %%
logits = [40.3, 0.1, 0.0]
exact = exact_ce(logits, 0)
plain = np.log1p(np.exp(0.1 - 40.3) + np.exp(0.0 - 40.3))
terms = [two_sum(v, -40.3) for v in (0.1, 0.0)]
compensated = np.log1p(sum(np.exp(d) * (1 + e) for d, e in terms))
for name, value in (
    ("log1p, plain", plain),
    ("log1p, compensated", compensated),
    ("ce_book", float(losses.cross_entropy([logits], [0]))),
):
    print(f"{name:20s} {value:.17e}  relative error {float(abs((value - exact) / exact)):.1e}")

# %% [markdown]
# ## 5. PyTorch
#
# The chapter's PyTorch numbers, live: the loss of $(40, 0, 0)$ and its gradient on the true
# logit, both exactly 0 in float64, and the lead at which PyTorch's loss becomes 0 for 3 and
# 1000 classes. The cell runs only where PyTorch is installed.

# %%
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
    print("PyTorch is not installed here: this section is skipped.")

if torch is not None:
    z = torch.tensor([[40.0, 0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy(z, torch.tensor([0]))
    loss.backward()
    print("PyTorch loss:", loss.item(), " gradient:", z.grad.numpy()[0])
    print(
        "ce_book loss:",
        float(losses.cross_entropy([[40.0, 0.0, 0.0]], [0])),
        " gradient:",
        gradients.cross_entropy_grad([[40.0, 0.0, 0.0]], [0])[0],
    )
    for k in (3, 1000):
        for dt in (torch.float32, torch.float64):
            for g in range(1, 100):
                zz = torch.zeros((1, k), dtype=dt)
                zz[0, 0] = g
                if F.cross_entropy(zz, torch.tensor([0])).item() == 0:
                    print(f"K = {k:4d}, {dt}: PyTorch's loss is 0 from the lead {g}")
                    break

# %% [markdown]
# ## 6. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solution
# follows each one; try first.
#
# **Exercise 1.** The chapter's table says that the textbook sigmoid $1/(1 + e^{-z})$,
# computed in float16, returns exactly 1 from the logit 8 on. On the other side it returns
# exactly 0 for very negative logits, although the true sigmoid is still far above the
# smallest positive float16, about $6 \times 10^{-8}$. From which integer logit $z$ (the
# largest one) does it return 0, and why? Reason from the largest float16, 65504, then check.

# %%
answer = None  # <- your answer: an integer


def accept_float16_sigmoid_zero(z):
    # closed form: e^{-z} overflows to inf once -z is past ln 65520 (every number from 65520
    # on rounds to inf in float16), about 11.09, so from z = -12 down, and 1 / inf is 0; the
    # true sigmoid there, about 6.1e-6, is a float16 number
    return z == -math.ceil(math.log(65520)) and 1 / (1 + mpmath.exp(-z)) > 2.0**-24


exercises.check(answer, accept_float16_sigmoid_zero, hint="what is e^{12} in float16?")

# %% [markdown]
# **Solution.** This is overflow, not underflow: $e^{-z}$ is `inf` once $-z$ is above
# $\ln 65520$, about 11.09 (every number from 65520 on rounds to `inf` in float16), so from the
# integer $z = -12$ on, and $1 / \infty$ is 0. The true sigmoid there is about
# $6 \times 10^{-6}$, which float16 can hold. The stable sigmoid of the chapter, $e^{z}/(1 + e^{z})$
# for a negative logit, never exponentiates a positive number and keeps it. The float16
# experiment:

# %%
with np.errstate(over="ignore"):
    z16 = np.arange(-30, 0, dtype=np.float16)
    zero = 1 / (1 + np.exp(-z16)) == 0
book_answer = int(z16[zero].max())
print(book_answer)
exercises.solution(book_answer, accept_float16_sigmoid_zero)

# %% [markdown]
# **Exercise 2.** A language model has a vocabulary of 50,000 tokens. Its loss adds the 49,999
# small terms $e^{-g}$ among themselves first, then adds the total to 1 and takes the log, all
# in float32. From which integer lead $g$ is the loss exactly 0?

# %%
answer = None  # <- your answer: an integer


def accept_vocab_lead(g):
    # closed form: the total 49,999 e^{-g} is lost once it is at most 2^-24
    return g == math.ceil(24 * math.log(2) + math.log(49_999))


exercises.check(answer, accept_vocab_lead, hint="the total must drop to 2^-24; take logs")

# %% [markdown]
# **Solution.** $49{,}999\, e^{-g}$ is at most $2^{-24}$ from the lead
# $24 \ln 2 + \ln 49{,}999$, about 27.5, so from 28. The first check below rounds the exact
# total to float32; the second forms the float32 running sum of the 49,999 terms itself
# (`np.cumsum` adds one term at a time). Both give 28:

# %%
book_answer = next(
    g
    for g in range(1, 60)
    if np.float32(1) + np.float32(float(49_999 * mpmath.exp(-g))) == np.float32(1)
)


def running_total(g):
    terms = np.full(49_999, np.exp(np.float32(-g)), dtype=np.float32)
    return np.cumsum(terms, dtype=np.float32)[-1]


running_answer = next(g for g in range(1, 60) if np.float32(1) + running_total(g) == np.float32(1))
print(book_answer, running_answer)
exercises.solution(book_answer, accept_vocab_lead)

# %% [markdown]
# **Exercise 3.** The float64 difference $0.7 - 3.1$ is rounded. What is its rounding error,
# the exact difference minus the computed one, as a float64? (Section 4 has the tool.)

# %%
answer = None  # <- your answer: a float


def accept_rounding_error(delta):
    # exact rational arithmetic: every float is a fraction
    exact = Fraction(0.7) - Fraction(3.1)
    return delta != 0 and exact == Fraction(0.7 - 3.1) + Fraction(delta)


exercises.check(answer, accept_rounding_error, hint="TwoSum of 0.7 and -3.1 returns it")

# %% [markdown]
# **Solution.** TwoSum's second output is the error, exactly; it is tiny next to the
# difference, but it is what `ce_book` adds back when it computes a tiny loss.

# %%
book_answer = two_sum(0.7, -3.1)[1]
print(book_answer)
exercises.solution(book_answer, accept_rounding_error)

# %% [markdown]
# **Exercise 4.** A running product of factors 0.4 underflows to exactly 0 (the chapter counts
# the factors). A running product of factors 0.9, started at 1, never does: at which value
# does it get stuck? Below $2^{-1022}$ every float64 is a whole multiple $k s$ of
# $s = 2^{-1074}$ (the spacing of the subnormals, not the chapter's unit
# roundoff $u$), and the product is stuck at $k s$ once $0.9\, k s$ rounds back to $k s$.
# Careful: the float64 nearest 0.9 is a little above 0.9.

# %%
answer = None  # <- your answer: a float


def accept_stuck_value(value):
    # exact fractions: k s is stuck when 0.9 k is nearer to k than to k - 1, that is when
    # (1 - 0.9) k < 1/2 with the float 0.9; the product comes down from above, and the first
    # multiple it meets with that property is the largest such k
    s, nine = Fraction(2) ** -1074, Fraction(0.9)
    k = max(k for k in range(1, 100) if (1 - nine) * k < Fraction(1, 2))
    return Fraction(value) == k * s


exercises.check(answer, accept_stuck_value, hint="try k = 4, 5, 6 and round 0.9 k by hand")

# %% [markdown]
# **Solution.** With the float 0.9, $0.9 \cdot 5$ is a hair above 4.5 and rounds back up to 5,
# while $0.9 \cdot 6$ is 5.4 and rounds down to 5: the product falls to $5s$ and stays there.
# It cannot jump past $5s$ on the way down: from any $k s$ with $k \ge 6$, the exact product
# $0.9\, k s$ is at least $0.6 s$ below $k s$, so it rounds to a smaller multiple, and it is at
# least $5.4 s$, so that multiple is at least $5s$. Each step lowers $k$ until it reaches 5.
# (With the exact 0.9, $5s$ would be a tie and go to the even $4s$.) The running product:

# %%
running = np.cumprod(np.full(8000, 0.9))
book_answer = float(running[-1])
print(book_answer, "=", Fraction(book_answer) / Fraction(2) ** -1074, "* 2^-1074")
exercises.solution(book_answer, accept_stuck_value)
