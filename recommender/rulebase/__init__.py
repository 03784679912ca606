"""The rule base as data: its schema, the YAML reader, loading and load-time checks, wording
checks, drawings, sign-off records, the fingerprint and the rule base cache.

Public: `loader.load_rulebase`, `model` (RuleBase, Stage, LoadedRule), `schema` (the rule
files' models), `conditions` (conditions in plain Python), `wording`, `yamlio`, `signoff` and
`signoff_record`, `fingerprint` (`fingerprint_of`, `manifest_files`) and `cache`
(`load_cached`). Private: the loader's reader and checks (`_reader`, `_rule_checks`,
`_stage_loading`, `_catalogue_checks`) and `_illustrations` (checking and drawing the SVGs).
"""
