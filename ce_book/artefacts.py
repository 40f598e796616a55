r"""Whether a regenerated artefact (a figure's SVG, the explorers' vectors) matches the
committed file.

Both are written from floating-point arithmetic whose last bit can differ between CPUs
(NumPy's vectorised ``exp`` and ``log`` pick their kernels by the instruction set), so a curve
computed on one machine can print as ``205.127626`` and on another as ``205.127625``. The text
must be the same, and every number must agree within a tolerance far below anything a reader
could see or a check could use:

.. math:: |a - b| \le \max(\text{rel} \cdot \max(|a|, |b|),\ \text{absolute})

Anything else (an added point, a changed label, a moved curve) is a real change.

One figure plots rounding errors themselves, and a few recorded values are PyTorch's outputs at
the edge of rounding (an L-BFGS fit's last digits, the lead at which a sum of a thousand terms
rounds to 1), which no tolerance can absorb. So everything that writes or compares artefacts
or recorded values runs with the same kernels on every machine (:data:`KERNELS`): NumPy
without its AVX-512 kernels, PyTorch's AVX2 kernels, and MKL's conditional numerical
reproducibility on its AVX2 branch; every x86-64 machine of the AVX2 generation or later then
computes the same bits.
"""

from __future__ import annotations

import os
import re
import sys

#: Environment read when NumPy, PyTorch and MKL load: NumPy's AVX-512 dispatch targets
#: switched off, PyTorch's kernels and MKL's code path fixed at AVX2 (MKL's ``STRICT`` makes
#: its results independent of the number of threads too).
KERNELS = {
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_CBWR": "AVX2,STRICT",
}


def pin_kernels() -> None:
    """Put :data:`KERNELS` in this process's environment, for NumPy and PyTorch imported later
    and for child processes. Call it before NumPy is imported (:func:`kernels_pinned` says
    whether that worked)."""
    os.environ.update(KERNELS)


def kernels_pinned() -> bool:
    """Whether NumPy (and PyTorch, if imported) run the kernels :data:`KERNELS` asks for."""
    from numpy._core._multiarray_umath import __cpu_features__

    disabled = KERNELS["NPY_DISABLE_CPU_FEATURES"].split()
    if any(__cpu_features__.get(name) for name in disabled):
        return False
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        capability = torch.backends.cpu.get_cpu_capability()
        return capability == KERNELS["ATEN_CPU_CAPABILITY"].upper()
    return True


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
