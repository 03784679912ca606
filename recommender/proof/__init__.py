"""The proof tools: verify walks the whole answer space of a rule base against the contract's
invariants; diff compares two rule bases over it.

Public: `verify` (verify, Report, render), `diff` (diff, render, DiffReport, and
CoarseSpaceError, which it raises instead of walking a space too coarse to prove anything),
`progress` (the walks' progress events), `rule_examples` (every rule's own examples through the
engine), `client_check` (the scan of what a client sees, also used by the web app before it
shows a result) and `random_answers` (the one generator of random valid questionnaires, for
samples and benchmarks). Private: the walk and its parts (`_space`, the field classes; `_walk`,
`_plan`, `_step_queries`, `_components`, `_fold`, `_group_outcomes`, `_transitions`, `_floors`,
`_endings`, `_skips`, `_stage_key`, `_walk_types`), the pure-Python oracle (`_oracle`),
`_summary`, `_partition`, `_report` and `_end_check`.
"""
