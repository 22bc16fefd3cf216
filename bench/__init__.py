"""Benchmarks (`make bench`): production-shaped load on a local cluster; results in docs/benchmarks.md."""
