#!/usr/bin/env python3
"""squawk_compare.py RETORT SQUAWK: retort lint and squawk, side by side.

Runs both on every case of tests/lint/ (not part of 'make test'): retort on
the case as a migration folder ('retort lint --json'), squawk on each .sql
file of it, as a file-by-file linter sees them (--assume-in-transaction:
retort revisions are transactional unless their header says otherwise).
Prints a Markdown table: the rules each one reported, with counts. squawk
reads no .py files: those cases show n/a. squawk-cli comes from npm:

    npm install --prefix build/squawk squawk-cli
    bench/squawk_compare.py build/retort build/squawk/node_modules/.bin/squawk
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

CASES = "tests/lint"


def files_of(case):
    base = os.path.join(CASES, case)
    if os.path.isdir(base):
        return [os.path.join(base, f) for f in sorted(os.listdir(base))]
    return [base + ext for ext in (".sql", ".py") if os.path.exists(base + ext)]


def summary(rules):
    if not rules:
        return "-"
    c = collections.Counter(rules)
    return ", ".join(f"{r}" + (f" ×{n}" if n > 1 else "") for r, n in sorted(c.items()))


def run_retort(retort, files):
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "versions"))
        args = []
        for f in files:
            name = os.path.basename(f)
            if name.endswith((".sql", ".py")):
                shutil.copy(f, os.path.join(d, "versions", name))
            elif name == "retort.ini":
                shutil.copy(f, os.path.join(d, name))
            elif name == "args":
                args = [a for a in open(f).read().split("\n") if a and a != "--json"]
        p = subprocess.run([retort, "lint", d, "--json"] + args, capture_output=True, text=True)
        try:
            return [x["rule"] for x in json.loads(p.stdout)["findings"]]
        except ValueError:
            return ["(" + (p.stderr.strip().splitlines() or ["?"])[0] + ")"]


def run_squawk(squawk, files):
    sql = [f for f in files if f.endswith(".sql")]
    if not sql or any(f.endswith(".py") for f in files):
        return None
    p = subprocess.run([squawk, "--reporter", "json", "--assume-in-transaction"] + sql,
                       capture_output=True, text=True)
    try:
        return [x["rule_name"] for x in json.loads(p.stdout or "[]")]
    except ValueError:
        return ["(" + p.stderr.strip()[:60] + ")"]


def main():
    retort, squawk = sys.argv[1], sys.argv[2]
    cases = sorted({os.path.splitext(n)[0] for n in os.listdir(CASES)
                    if not n.endswith(".expected")})
    ver = subprocess.run([squawk, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"| case | retort | {ver} |")
    print("| --- | --- | --- |")
    for case in cases:
        files = files_of(case)
        sq = run_squawk(squawk, files)
        print(f"| {case} | {summary(run_retort(retort, files))} | "
              f"{'n/a (.py)' if sq is None else summary(sq)} |")


if __name__ == "__main__":
    main()
