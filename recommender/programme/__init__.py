"""The exercise programme: building it from the plan's choices, its session time, and the printable
text, PDF and calendar files.
"""
