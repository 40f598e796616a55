"""Vocabulary-parallel cross-entropy on torch.distributed (gloo, CPU), with 2 and 4 processes
spawned on this machine, against PyTorch's single-process cross-entropy and autograd."""

from __future__ import annotations

import itertools

import mpmath
import numpy as np
import pytest

from ce_book import parallel

pytestmark = [pytest.mark.torch, pytest.mark.distributed]


def _reference(torch, logits: np.ndarray, target: np.ndarray, reduction: str):
    z = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(z, torch.tensor(target), reduction=reduction)
    loss.sum().backward()
    return loss.detach().numpy(), z.grad.numpy()


@pytest.mark.parametrize(("world_size", "reduction"), [(2, "mean"), (4, "none")])
def test_equals_the_single_process_loss_and_gradient(torch, rng, world_size, reduction) -> None:
    n, v = 16, 103  # V not divisible by the world size: shards of unequal width
    logits = rng.standard_normal((n, v)) * 4
    logits[0, 5] = 800.0  # a huge logit on one rank: every other rank must rescale by it
    target = rng.integers(0, v, size=n)
    target[3] = -100
    ref_loss, ref_grad = _reference(torch, logits, target, reduction)
    losses, grad = parallel.run_local(logits, target, world_size, reduction=reduction)
    assert len(losses) == world_size
    for loss in losses:  # every rank holds the same loss
        np.testing.assert_allclose(loss, ref_loss, rtol=1e-13, atol=0)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-17)


def test_one_process_without_a_group_is_plain_cross_entropy(torch, rng) -> None:
    logits = torch.tensor(rng.standard_normal((5, 7)))
    target = torch.tensor([0, 6, 2, -100, 3])
    loss, grad = parallel.vocab_parallel_cross_entropy(logits, target, 0)
    ref_loss, ref_grad = _reference(torch, logits.numpy(), target.numpy(), "mean")
    assert float(loss) == pytest.approx(float(ref_loss), rel=1e-14)
    np.testing.assert_allclose(grad.numpy(), ref_grad, rtol=1e-13)


def test_the_tiny_loss_of_a_confident_prediction_survives_the_split(torch) -> None:
    # (g, 0, 0, 0) with the first class true, and the same with the lead on the last rank, and
    # a tie at the top: the log of a sum would round each tiny loss to 0 (chapter 6)
    logits = np.array(
        [[40.0, 0.0, 0.0, 0.0], [0.0, -3.0, 0.0, 45.0], [40.0, 0.0, 0.0, 40.0]], dtype=np.float64
    )
    target = np.array([0, 3, 3])
    losses, grad = parallel.run_local(logits, target, 2, reduction="none")
    with mpmath.workdps(50):
        for n, (row, y) in enumerate(zip(logits, target, strict=True)):
            zs = [mpmath.mpf(float(v)) for v in row]
            exact = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in zs)) - zs[y]
            p_y = mpmath.exp(zs[y]) / mpmath.fsum(mpmath.exp(v) for v in zs)
            for loss in losses:
                assert abs(mpmath.mpf(float(loss[n])) - exact) <= 4e-16 * exact
            assert abs(mpmath.mpf(float(grad[n, y])) - (p_y - 1)) <= 4e-16 * abs(p_y - 1)
    torch_loss = torch.nn.functional.cross_entropy(torch.tensor(logits[:1]), torch.tensor([0]))
    assert float(torch_loss) == 0.0  # what the log of a sum gives for the first row


def test_bytes_per_token_and_shards() -> None:
    assert parallel.bytes_per_token(32768) == (16, 32768 * 4)
    assert parallel.bytes_per_token(50257, itemsize=2) == (8, 100514)
    for v, p in ((10, 4), (103, 4), (7, 7)):
        bounds = [parallel.shard_bounds(v, p, r) for r in range(p)]
        assert bounds[0][0] == 0 and bounds[-1][1] == v
        assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    with pytest.raises(ValueError, match=r"^rank: "):
        parallel.shard_bounds(10, 2, 2)
    with pytest.raises(ValueError, match=r"^vocab_size: "):
        parallel.bytes_per_token(0)


@pytest.mark.parametrize("world_size", [1, 3])
def test_simulated_ranks_equal_the_single_process_loss(torch, rng, world_size) -> None:
    logits = rng.standard_normal((6, 11)) * 3
    target = np.array([0, 10, 4, -100, 7, 2])
    ref_loss, ref_grad = _reference(torch, logits, target, "mean")
    losses, grad, messages = parallel.simulate(
        torch.tensor(logits), torch.tensor(target), world_size
    )
    assert [op for op, _ in messages] == ["max", "sum"]
    assert all(len(parts) == world_size for _, parts in messages)
    for loss in losses:
        assert float(loss) == pytest.approx(float(ref_loss), rel=1e-14)
    np.testing.assert_allclose(grad.numpy(), ref_grad, rtol=1e-13, atol=1e-17)


def test_simulated_tie_across_ranks_sends_the_count(torch) -> None:
    # exercise 2 of the chapter: (5, 0 | 5, 0), target 0; each rank sends e^-5, 1 and its
    # share of the target logit, and the loss is log(2 + 2e^-5)
    z = torch.tensor([[5.0, 0.0, 5.0, 0.0]], dtype=torch.float64)
    losses, grad, messages = parallel.simulate(z, torch.tensor([0]), 2)
    (_, maxima), (_, sums) = messages
    assert [float(m[0]) for m in maxima] == [5.0, 5.0]
    assert sums[0][0].tolist() == pytest.approx([np.exp(-5.0), 1.0, 5.0], rel=1e-15)
    assert sums[1][0].tolist() == pytest.approx([np.exp(-5.0), 1.0, 0.0], rel=1e-15)
    with mpmath.workdps(50):
        exact = mpmath.log(2 + 2 * mpmath.exp(-5))
        p_2 = 1 / (2 + 2 * mpmath.exp(-5))
    assert abs(float(losses[0]) - exact) <= 4e-16 * exact
    assert abs(float(grad[0, 2]) - p_2) <= 4e-16 * p_2  # class 2 holds the other 5


def test_the_count_of_ties_is_exact_for_bfloat16_logits(torch) -> None:
    # 514 tied logits: 514 is not a bfloat16 (8 significant bits), so the count travels in
    # float32; the loss is log 514, not log 512
    z = torch.zeros((1, 514), dtype=torch.bfloat16)
    losses, grad, _ = parallel.simulate(z, torch.tensor([3]), 2)
    assert float(torch.tensor(514.0).to(torch.bfloat16)) != 514.0
    assert float(losses[0]) == pytest.approx(np.log(514), rel=2**-23)
    assert grad.dtype == torch.bfloat16
