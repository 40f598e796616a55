# %% [markdown]
# # Lab: misconceptions and errata
#
# Companion to the chapter [Misconceptions and errata](../errata.md). Every entry of the
# errata list names a claim of the ledger; this lab re-runs each check, then lets you poke at
# a few of the corrections with your own numbers.

# %%
import numpy as np

from ce_book import activations, claims, errata, info, losses

# %% [markdown]
# ## Every correction, re-checked
# One line per entry: its ID, its source, and its claim's value after the check passed.
# (Checks that need PyTorch are run only if it is installed.)

# %%
try:
    import torch  # noqa: F401

    have_torch = True
except ImportError:
    have_torch = False

for entry in errata.all_errata():
    entry_claim = claims.get(entry.claim)
    if "torch" in entry_claim.needs and not have_torch:
        print(f"{entry.id:40s} (needs torch)")
        continue
    entry_claim.verify()
    source = entry.source or "reader"
    print(f"{entry.id:40s} {source:7s} {entry_claim.format()}")

# %% [markdown]
# ## Cross-entropy is not a distance
# Pick any distribution `p`: its cross-entropy with itself is its entropy, not 0, and KL is 0.

# %%
p = np.array([0.5, 0.25, 0.125, 0.125])
print("H(p, p) =", float(info.cross_entropy(p, p, base=2)), "bits")
print("KL(p || p) =", float(info.kl_divergence(p, p, base=2)))

# %% [markdown]
# ## A slightly bigger logit
# How big must the lead of one logit over nine others be before its probability passes 0.9?

# %%
for lead in (0.1, 0.5, 1.0, 2.0, 4.0, 5.0, 6.0):
    z = np.zeros(10)
    z[0] = lead
    print(f"lead {lead:4.1f}: p = {float(activations.softmax(z)[0]):.3f}")

# %% [markdown]
# ## Loss versus accuracy
# Change the two models' probabilities on the true class and compare.

# %%
for name, p_true in (("timid", [0.45, 0.45, 0.45, 0.45]), ("bold", [0.6, 0.6, 0.6, 0.01])):
    p_true = np.array(p_true)
    loss = float(losses.binary_cross_entropy(p_true, np.ones_like(p_true)))
    print(f"{name}: mean loss {loss:.3f}, accuracy {np.mean(p_true > 0.5):.0%}")
