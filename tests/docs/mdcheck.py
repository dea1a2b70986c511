#!/usr/bin/python3
"""mdcheck.py: the docs cannot rot (tests/check_e2e_docs.c runs it).

  mdcheck.py links PAGE...   every relative link and #anchor resolves, and
                             each page opens with '# Title' and a line
                             saying what it covers
  mdcheck.py run PAGE DIR    runs PAGE's ```sh blocks, in order, in DIR
  mdcheck.py skipped PAGE... lists the ```sh no-run blocks, with reasons

The markup of shell blocks:

  ```sh                 run. Without prompts the block is a script: it
                        must exit 0. With '$ ' prompts, each prompt line is
                        a command and the lines under it are its output
                        (stdout and stderr), compared exactly; a line '...'
                        stands for any number of lines.
  ```sh no-run REASON   not run here (docker, kubectl, apt, retort's own
                        make targets); listed with its reason.

Other shell fences (bash, shell, console) are refused, so no command slips
past unrun. A page's blocks share one bash process (cd and export carry
over) in DIR, with `set -e -o pipefail`: the first failing block stops the
page.
"""
import os
import re
import subprocess
import sys
import unicodedata

SHELL_FENCES = ("sh", "bash", "shell", "console", "shell-session", "zsh")


def blocks(path):
    """(line, info, lines) of every fenced block of PATH."""
    out, cur = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if cur is None:
                m = re.match(r"^(```+|~~~+)\s*(.*)$", line)
                # CommonMark: a backtick fence's info has no backtick
                # (```` ```sh ```` opening a line is a code span).
                if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                    cur = (n, m.group(2).strip(), [], m.group(1))
            elif line.startswith(cur[3]) and line.strip() == cur[3]:
                out.append(cur[:3])
                cur = None
            else:
                cur[2].append(line)
    if cur is not None:
        sys.exit(f"{path}:{cur[0]}: error: code block never closed")
    return out


def prose(path):
    """PATH's lines outside fenced blocks, as (line number, text)."""
    inside, fence = False, ""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.match(r"^(```+|~~~+)(.*)", line)
            if m and m.group(1)[0] == "`" and "`" in m.group(2):
                m = None
            if m and (not inside or line.strip() == fence):
                inside, fence = not inside, m.group(1)
                continue
            if not inside:
                yield n, line.rstrip("\n")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = text.strip().lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in " -_" or cat[0] in "LN" or cat == "Mn":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(path):
    seen, out = {}, set()
    for _, line in prose(path):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        s = slug(m.group(1))
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f"{s}-{n}")
    for _, line in prose(path):  # <a id="..."> and <a name="...">
        out.update(re.findall(r'<a\s+(?:id|name)="([^"]+)"', line))
    return out


def check_links(pages):
    bad = []
    for page in pages:
        first = open(page, encoding="utf-8").read().split("\n")
        if not first[0].startswith("# "):
            bad.append(f"{page}:1: error: a page starts with its '# Title'")
        elif len(first) < 3 or first[1] != "" or not first[2].strip() or \
                first[2].startswith(("#", "```", "|", "- ", "* ", "<", ">")):
            bad.append(f"{page}:3: error: the line after the title says what the page covers")
        level = 1
        for n, line in prose(page):
            m = re.match(r"^(#{1,6})\s", line)
            if m:
                if len(m.group(1)) > level + 1:
                    bad.append(f"{page}:{n}: error: heading level {len(m.group(1))} under "
                               f"level {level}")
                level = len(m.group(1))
        for n, line in prose(page):
            line = re.sub(r"`[^`]*`", "", line)  # code spans hold no links
            for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue  # https:, mailto:
                file, _, frag = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(page), file)) if file else page
                if not os.path.exists(dest):
                    bad.append(f"{page}:{n}: error: link to '{target}': no file '{dest}'")
                    continue
                if frag and dest.endswith(".md") and frag not in anchors(dest):
                    bad.append(f"{page}:{n}: error: link to '{target}': no heading "
                               f"'#{frag}' in {dest}")
    for b in bad:
        print(b)
    return 1 if bad else 0


def shell_blocks(page):
    """(line, info words, lines) of PAGE's shell blocks; refuses odd fences."""
    out = []
    for n, info, lines in blocks(page):
        words = info.split()
        if not words or words[0] not in SHELL_FENCES:
            continue
        if words[0] != "sh":
            sys.exit(f"{page}:{n}: error: shell blocks are ```sh (run) or ```sh no-run REASON")
        if len(words) > 1 and (words[1] != "no-run" or len(words) < 3):
            sys.exit(f"{page}:{n}: error: '```{info}': write ```sh no-run REASON")
        out.append((n, words, lines))
    return out


def skipped(pages):
    count = 0
    for page in pages:
        for n, words, _ in shell_blocks(page):
            if len(words) > 1:
                count += 1
                print(f"  {page}:{n}: {' '.join(words[2:])}")
    print(f"{count} shell blocks not run")
    return 0


def units(page):
    """What to run, in order: (line, command, expected output or None)."""
    out = []
    for n, words, lines in shell_blocks(page):
        if len(words) > 1:
            continue
        if not any(l.startswith("$ ") for l in lines):
            out.append((n + 1, "\n".join(lines), None))
            continue
        if not lines[0].startswith("$ "):
            sys.exit(f"{page}:{n + 1}: error: output before the first '$ ' command")
        i = 0
        while i < len(lines):
            l = lines[i]
            if l.startswith("$ "):
                line, cmd = n + 1 + i, [l[2:]]
                # A command continues over lines ending in '\\'.
                while cmd[-1].endswith("\\") and i + 1 < len(lines):
                    i += 1
                    cmd.append(lines[i])
                out.append((line, "\n".join(cmd), []))
            else:
                out[-1][2].append(l)
            i += 1
    return out


def matches(want, got):
    """Lines `got` match `want`, where a '...' line matches any lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])


def run(page, workdir):
    todo = units(page)
    state = os.path.join(workdir, ".mdcheck")
    os.makedirs(state, exist_ok=True)
    script = ["set -e -o pipefail"]
    for i, (n, cmd, _) in enumerate(todo):
        script.append(f"echo {i} >'{state}/at'")
        script.append(f"{{\n{cmd}\n}} >'{state}/out.{i}' 2>&1")
    script.append(f"echo done >'{state}/at'")
    p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=workdir)
    at = open(os.path.join(state, "at")).read().strip()
    status = 0
    for i, (n, cmd, want) in enumerate(todo):
        outfile = os.path.join(state, f"out.{i}")
        if not os.path.exists(outfile):
            break
        got = open(outfile, encoding="utf-8", errors="replace").read()
        if at == str(i):
            print(f"{page}:{n}: error: exit {p.returncode} from:\n{cmd}\n--- its output:\n{got}")
            return 1
        if want is not None and not matches(want, got.rstrip("\n").split("\n") if got else []):
            print(f"{page}:{n}: error: the output of '{cmd}' differs from the page's\n"
                  f"--- the page:\n" + "\n".join(want) + f"\n--- the command:\n{got}")
            status = 1
    if at != "done" and status == 0:
        print(f"{page}: error: the blocks stopped (exit {p.returncode})")
        status = 1
    print(f"{page}: {len(todo)} commands run")
    return status


def main(argv):
    if len(argv) >= 2 and argv[0] == "links":
        return check_links(argv[1:])
    if len(argv) >= 2 and argv[0] == "skipped":
        return skipped(argv[1:])
    if len(argv) == 3 and argv[0] == "run":
        return run(argv[1], argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
