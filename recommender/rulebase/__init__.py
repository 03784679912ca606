"""The rule base as data: its schema, the YAML reader, loading and load-time checks, wording
checks, drawings and sign-off records.
"""
