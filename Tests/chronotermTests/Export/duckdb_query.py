"""Runs each SQL statement given on the command line with DuckDB (from PyPI, in the
tests' private environment) in the current folder, and prints what each answered as one
JSON array: a list of rows per statement, each row a list of values as text."""

import json
import sys

import duckdb

answers = []
connection = duckdb.connect()
for statement in sys.argv[1:]:
    rows = connection.execute(statement).fetchall()
    answers.append([[None if value is None else str(value) for value in row] for row in rows])
print(json.dumps(answers))
