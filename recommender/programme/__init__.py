"""The exercise programme: building it from the plan's choices, its session time, and the printable
text, PDF and calendar files.

Public: `pdf` and `ics` (the files the CLI and the site hand out). Private: `_model` (building
the programme for the composer), `_session_time` and `_text` (wording shared by the files).
"""
