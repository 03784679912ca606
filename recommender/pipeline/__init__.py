"""The pipeline: running the stages in order over one engine and composing the contract's
recommendation from what fired.

Public: `stages` (run_pipeline, PipelineResult) and `evaluator` (Evaluator, what the pipeline
needs from an engine). Private: `_compose` (the facade's Composer).
"""
