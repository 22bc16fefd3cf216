"""The track catalogue's verifier: ask the provider about ids listeners requested (see verify.py)."""
