"""The engine: compiling rule conditions into durable-rules' format and driving its C engine.
Nothing outside this package knows that format.

Public: `compiler` (compile_rulebase, CompiledStage, encode_fact, engine_for), `adapter`
(RuleEngine, the production `pipeline.evaluator.Evaluator`), and `native` (load_engine,
EngineBuildError: durable-rules' C extension, or the command that rebuilds it). Private:
`_fact_format` (the discriminator and name hash both share) and `_memo` (the adapter's bounded
memo of decisions).
"""
