"""Services: the platform's behaviour as plain functions over a session and plain values.

They know nothing of Flask. Views, the API, the CLI and tests all call these.
"""
