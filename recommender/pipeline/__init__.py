"""The pipeline: running the stages in order over one engine and composing the contract's
recommendation from what fired.
"""
