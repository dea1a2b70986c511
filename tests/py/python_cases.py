#!/usr/bin/python3
"""Checks the expected output of the plain-Python cases of tests/py/ against
real Python.

Cases named in-operator-NN, builtins-NN and str-methods-NN hold one
`op.execute(str(EXPR))` each: their `expected` must be what CPython prints
for str(EXPR), as the statement retort emits. Exit status 1 on a mismatch.

    tests/py/python_cases.py          check
    tests/py/python_cases.py --write  rewrite the expected files
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
write = '--write' in sys.argv[1:]
bad = 0
for name in sorted(os.listdir(here)):
    if not re.match(r'(in-operator|builtins|str-methods)-\d+$', name):
        continue
    src = open(os.path.join(here, name, 'versions', 'x.py')).read()
    m = re.search(r'^    op\.execute\(str\((.*)\)\)$', src, re.M)
    want = '%s;\n(no downgrade)\n' % str(eval(m.group(1)))
    path = os.path.join(here, name, 'expected')
    if write:
        open(path, 'w').write(want)
    elif open(path).read() != want:
        print('%s: expected differs from Python: %r' % (name, want))
        bad = 1
sys.exit(bad)
