"""The engine: compiling rule conditions into durable-rules' format and driving its C engine.
Nothing outside this package knows that format.

Public: `compiler` (compile_rulebase, CompiledStage, encode_fact, engine_for) and `adapter`
(RuleEngine, the production `pipeline.evaluator.Evaluator`). Private: `_fact_format` (the
discriminator and name hash both share).
"""
