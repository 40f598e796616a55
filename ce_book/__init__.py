"""ce_book: the code behind every number, derivation and figure in the cross-entropy book.

Modules, one idea each:

- :mod:`ce_book.info`: surprisal, entropy, cross-entropy, KL divergence (information theory).
- :mod:`ce_book.activations`: sigmoid, log-sigmoid, softmax, log-softmax, logsumexp.
- :mod:`ce_book.losses`: binary / categorical cross-entropy and NLL with PyTorch semantics.
- :mod:`ce_book.gradients`: analytic gradients and Jacobians, central differences.
"""

__version__ = "0.1.0"
