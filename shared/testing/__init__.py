"""Test support shared by every service's tests: databases per backend, fakes, tokens."""
