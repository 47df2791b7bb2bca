"""The verifier: decides each claim true, false (with a counterexample) or inconclusive."""
