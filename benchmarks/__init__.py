"""facesym's benchmarks: run from a checkout (`python -m benchmarks.<name>`), never shipped.

They print figures and assert nothing about speed; see README.md here for each command.
"""
