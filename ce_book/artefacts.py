r"""Whether a regenerated artefact (a figure's SVG, the explorers' vectors) matches the
committed file.

Both are written from floating-point arithmetic whose last bit can differ between CPUs
(NumPy's vectorised ``exp`` and ``log`` pick their kernels by the instruction set), so a curve
computed on one machine can print as ``205.127626`` and on another as ``205.127625``. The text
must be the same, and every number must agree within a tolerance far below anything a reader
could see or a check could use:

.. math:: |a - b| \le \max(\text{rel} \cdot \max(|a|, |b|),\ \text{absolute})

Anything else (an added point, a changed label, a moved curve) is a real change.

One figure plots rounding errors themselves, which no tolerance can absorb; so the scripts and
the tests that write or compare artefacts run NumPy with its AVX-512 kernels switched off
(:data:`NUMPY_KERNELS`): every x86-64 machine of the AVX2 generation or later then computes
the same bits.
"""

from __future__ import annotations

import os
import re
import sys

#: NumPy's dispatch targets switched off (``NPY_DISABLE_CPU_FEATURES``, read when NumPy is
#: imported), so the AVX2 kernels compute every artefact on every machine.
NUMPY_KERNELS = "X86_V4 AVX512_ICL AVX512_SPR"


def pin_numpy_kernels() -> bool:
    """Ask for :data:`NUMPY_KERNELS` in this process's environment (for NumPy imported later
    and for child processes); True if NumPy is already imported with other kernels, in which
    case the caller must start a new process."""
    os.environ["NPY_DISABLE_CPU_FEATURES"] = NUMPY_KERNELS
    return "numpy" in sys.modules and not numpy_kernels_pinned()


def numpy_kernels_pinned() -> bool:
    """Whether the imported NumPy runs none of the kernels :data:`NUMPY_KERNELS` switches off."""
    from numpy._core._multiarray_umath import __cpu_features__

    return not any(__cpu_features__.get(name) for name in NUMPY_KERNELS.split())


#: A decimal number as SVG and JSON write it (sign, digits, fraction, exponent).
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def same_up_to_rounding(
    committed: str, fresh: str, rel: float = 1e-12, absolute: float = 0.0
) -> bool:
    r"""True when ``committed`` and ``fresh`` have the same text between their numbers and every
    pair of numbers satisfies :math:`|a - b| \le \max(\text{rel}\max(|a|,|b|), \text{absolute})`.

    >>> same_up_to_rounding("L 104.615538 205.127626", "L 104.615538 205.127625", absolute=1e-5)
    True
    >>> same_up_to_rounding("[7.484902862926716e-05]", "[7.484902862926717e-05]")
    True
    >>> same_up_to_rounding("L 1 2", "L 1 2.1", absolute=1e-5), same_up_to_rounding("a 1", "b 1")
    (False, False)
    """
    if NUMBER.split(committed) != NUMBER.split(fresh):
        return False
    old, new = NUMBER.findall(committed), NUMBER.findall(fresh)
    if len(old) != len(new):
        return False
    for x, y in zip(old, new, strict=True):
        if x == y:
            continue  # also digits inside a name, such as an ID "3e999"
        a, b = float(x), float(y)
        if not abs(a - b) <= max(rel * max(abs(a), abs(b)), absolute):
            return False
    return True
