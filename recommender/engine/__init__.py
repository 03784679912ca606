"""The engine: compiling rule conditions into durable-rules' format and driving its C engine.
Nothing outside this package knows that format.
"""
