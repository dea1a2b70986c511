#!/usr/bin/python3
"""recipes.py WORKDIR PORT: docs/shipping.md's recipes, run as written.

Docker cannot build here, so this does what `docker build` would, in a
fresh Debian 12 root made by debootstrap from Debian's archive: the
Dockerfile instructions the recipes use (FROM, ARG, ENV, WORKDIR, COPY,
RUN, USER, ENTRYPOINT, CMD) over chroot, `FROM scratch` as an empty
directory. What it runs is read from the docs and contrib/docker/, never
copied here:

 1. the ```sh block that builds retort's image (make deb, docker build -f
    contrib/docker/Dockerfile): run by bash in the tree with `docker` a
    function that hands its arguments to this script, which then builds the
    image: debootstrap, COPY of the .deb, the RUN lines (apt install);
 2. a user's repository (git) with src/backend/db/alembic holding a copy of
    migrations/, and the ```sh block's `docker build -f Dockerfile.migrate`
    run there the same way, building the ```dockerfile block of the page:
    the RUN retort build in the image root, then the FROM scratch stage;
 3. the migrator image run as the Kubernetes manifests say: each container's
    args, in order, as user 65532 in the scratch root (only /migrate in
    it), against the throwaway cluster started on PORT;
 4. every `run:` step of the GitHub Actions workflow and every `script:`
    line of .gitlab-ci.yml, in the image root, in a clone of the user's
    repository, with DATABASE_URL pointing at that cluster and a tag set;
    `uses:` steps are listed, not run (the checkout is the clone);
 5. the release migrators of Docker, GitHub and GitLab: the same bytes.

Downloads are kept in WORKDIR/cache: debootstrap's root as it came (a
tarball), and the .debs apt fetched; remove it to start from the archive.
"""
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mdcheck  # noqa: E402

TREE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PAGE = os.path.join(TREE, "docs", "shipping.md")
SUITE, MIRROR = "bookworm", "http://deb.debian.org/debian"
START = time.monotonic()


def say(msg):
    print(f"[{time.monotonic() - START:6.1f}s] {msg}", flush=True)


def fail(msg):
    print(f"recipes: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sh(cmd, **kw):
    p = subprocess.run(cmd, **kw)
    if p.returncode != 0:
        fail(f"exit {p.returncode}: {cmd if isinstance(cmd, str) else shlex.join(cmd)}")
    return p


class Recipes:
    def __init__(self, work, port):
        self.work, self.port = os.path.abspath(work), port
        self.cache = os.path.join(self.work, "cache")
        self.images = {}  # tag -> {"root", "user", "entrypoint", "cmd"}
        self.mounts = []
        self.db = "postgresql://postgres:postgres@127.0.0.1:%d/%%s" % port

    # ---- the page ---------------------------------------------------------
    def block(self, lang, contains):
        """The one fenced block of the page in LANG whose text has CONTAINS."""
        found = [(n, "\n".join(lines)) for n, info, lines in mdcheck.blocks(PAGE)
                 if info.split()[:1] == [lang] and contains in "\n".join(lines)]
        if len(found) != 1:
            fail(f"{PAGE}: {len(found)} ```{lang} blocks hold '{contains}', want one")
        return found[0]

    def docker_calls(self, text, cwd, env=None):
        """Runs TEXT with bash in CWD, `docker` a function recording its
        arguments; returns them, one list per call."""
        rec = os.path.join(self.work, "docker-calls")
        if os.path.exists(rec):
            os.unlink(rec)
        prog = ("set -e\ndocker() { printf '%s\\0' \"$@\" >>" + shlex.quote(rec) +
                "; printf '\\1' >>" + shlex.quote(rec) + "; }\n" + text)
        sh(["bash", "-c", prog], cwd=cwd, env=env)
        data = open(rec, "rb").read().decode() if os.path.exists(rec) else ""
        return [c.split("\0")[:-1] for c in data.split("\1")[:-1]]

    # ---- roots -------------------------------------------------------------
    def debian12(self, root):
        """A fresh Debian 12 root: debootstrap's, kept as a tarball in the
        cache as it came (nothing of ours in it) for the next run."""
        tarball = os.path.join(self.cache, f"{SUITE}-minbase.tar")
        os.makedirs(root)
        if not os.path.exists(tarball):
            say(f"debootstrap {SUITE} (minbase) from {MIRROR}")
            os.makedirs(os.path.join(self.cache, "debootstrap"), exist_ok=True)
            fresh = os.path.join(self.work, "debootstrap")
            sh(["debootstrap", "--variant=minbase", f"--cache-dir={self.cache}/debootstrap",
                SUITE, fresh, MIRROR], stdout=subprocess.DEVNULL)
            sh(["tar", "-C", fresh, "-cf", tarball + ".tmp", "."])
            os.rename(tarball + ".tmp", tarball)
            shutil.rmtree(fresh)
        sh(["tar", "-C", root, "-xf", tarball])
        # As Docker does: the host's resolver. As Docker's debian:12 does:
        # dpkg skips fsync (/etc/dpkg/dpkg.cfg.d/docker-apt-speedup).
        shutil.copy("/etc/resolv.conf", os.path.join(root, "etc/resolv.conf"))
        with open(os.path.join(root, "etc/dpkg/dpkg.cfg.d/docker-apt-speedup"), "w") as f:
            f.write("force-unsafe-io\n")
        say(f"a fresh {SUITE} root in {root}")

    def mount_proc(self, root):
        proc = os.path.join(root, "proc")
        if proc not in self.mounts:
            sh(["mount", "-t", "proc", "proc", proc])
            self.mounts.append(proc)

    def unmount(self):
        for m in reversed(self.mounts):
            subprocess.run(["umount", m])
        self.mounts = []

    def apt_cache(self, root, into_root):
        archives = os.path.join(root, "var/cache/apt/archives")
        mine = os.path.join(self.cache, "apt")
        os.makedirs(mine, exist_ok=True)
        src, dst = (mine, archives) if into_root else (archives, mine)
        if os.path.isdir(src) and os.path.isdir(dst):
            for f in glob.glob(os.path.join(src, "*.deb")):
                if not os.path.exists(os.path.join(dst, os.path.basename(f))):
                    shutil.copy(f, dst)

    # ---- docker build, over chroot ----------------------------------------
    def build(self, argv, cwd):
        """`docker build ARGS`: -f FILE, -t TAG, --build-arg K=V, CONTEXT."""
        dockerfile, tag, args, context = None, None, {}, None
        i = 0
        while i < len(argv):
            a = argv[i]
            if a in ("-f", "--file", "-t", "--tag", "--build-arg"):
                v = argv[i + 1]
                i += 1
                if a in ("-f", "--file"):
                    dockerfile = v
                elif a in ("-t", "--tag"):
                    tag = v
                else:
                    k, _, val = v.partition("=")
                    args[k] = val
            elif a.startswith("-"):
                fail(f"docker build: option '{a}' is not known here")
            else:
                context = a
            i += 1
        if context is None:
            fail("docker build: no context")
        context = os.path.join(cwd, context)
        dockerfile = os.path.join(cwd, dockerfile or os.path.join(context, "Dockerfile"))
        text = open(dockerfile).read()
        say(f"docker build -f {os.path.relpath(dockerfile, cwd)} -t {tag} "
            f"{' '.join('--build-arg %s=%s' % kv for kv in args.items())}")
        self.images[tag] = self.run_dockerfile(text, context, args, tag)

    def run_dockerfile(self, text, context, build_args, tag):
        lines, cont = [], ""
        for line in text.split("\n"):
            if line.lstrip().startswith("#") and not cont:
                continue
            if line.endswith("\\"):
                cont += line[:-1]  # as Docker: the lines joined
                continue
            line, cont = cont + line, ""
            if line.strip():
                lines.append(line.strip())
        stages, st, global_args = {}, None, {}
        n = 0
        for line in lines:
            op, _, rest = line.partition(" ")
            op = op.upper()
            env = (st or {}).get("env", {})
            if op == "ARG":
                k, eq, default = rest.partition("=")
                val = build_args.get(k, default if eq else None)
                (st["env"] if st else global_args)[k] = val
            elif op == "FROM":
                m = re.match(r"^(\S+)(?:\s+AS\s+(\S+))?$", rest, re.I)
                image = self.expand(m.group(1), global_args)
                n += 1
                root = os.path.join(self.work, f"{tag.split('/')[-1].replace(':', '-')}-stage{n}")
                if image == "scratch":
                    os.makedirs(root)
                    base = {"root": root, "user": None, "entrypoint": [], "cmd": []}
                elif image == "debian:12":
                    self.debian12(root)
                    base = {"root": root, "user": None, "entrypoint": [], "cmd": []}
                elif image in self.images:
                    base = dict(self.images[image])
                else:
                    fail(f"FROM {image}: no such image here")
                st = dict(base, env={}, workdir="/")
                stages[m.group(2) or str(n)] = st
            elif op == "WORKDIR":
                st["workdir"] = os.path.join(st["workdir"], self.expand(rest, st["env"]))
                os.makedirs(st["root"] + st["workdir"], exist_ok=True)
            elif op == "ENV":
                k, _, v = rest.partition("=")
                st["env"][k] = self.expand(v, st["env"])
            elif op == "COPY":
                words = shlex.split(rest)
                src_root = context
                if words[0].startswith("--from="):
                    src_root = stages[words.pop(0)[7:]]["root"]
                *srcs, dest = words
                self.copy(src_root, srcs, st, dest)
            elif op == "RUN":
                self.run_in(st, rest)
            elif op == "USER":
                st["user"] = rest
            elif op in ("ENTRYPOINT", "CMD"):
                st[op.lower()] = json.loads(rest)
            else:
                fail(f"Dockerfile: '{op}' is not known here")
        return {k: st[k] for k in ("root", "user", "entrypoint", "cmd")}

    @staticmethod
    def expand(word, env):
        return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1)) or "", word)

    def copy(self, src_root, srcs, st, dest):
        dest_path = st["root"] + os.path.join(st["workdir"], dest)
        for s in srcs:
            matched = glob.glob(os.path.join(src_root, s.lstrip("/")))
            if not matched:
                fail(f"COPY {s}: nothing matches in {src_root}")
            for m in matched:
                if os.path.isdir(m):
                    # As Docker: a directory's contents, into DEST.
                    shutil.copytree(m, dest_path, dirs_exist_ok=True, symlinks=True)
                else:
                    to = dest_path if not dest.endswith("/") else os.path.join(dest_path, "")
                    os.makedirs(os.path.dirname(to) if not dest.endswith("/") else to,
                                exist_ok=True)
                    shutil.copy2(m, to)

    def run_in(self, st, cmd, cwd=None, extra=None, show=True):
        root = st["root"]
        self.mount_proc(root)
        self.apt_cache(root, True)
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               "HOME": "/root", "DEBIAN_FRONTEND": "noninteractive"}
        env.update({k: v for k, v in st["env"].items() if v is not None})
        env.update(extra or {})
        if show:
            say(f"RUN {cmd}")
        # Docker runs RUN as sh -c; `set -e` is the line's own business.
        p = subprocess.run(["/usr/sbin/chroot", root, "/bin/sh", "-c",
                            f"cd {shlex.quote(cwd or st['workdir'])} && {cmd}"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.apt_cache(root, False)
        if p.returncode != 0:
            fail(f"exit {p.returncode} in {root}: {cmd}\n{p.stdout[-4000:]}")
        return p.stdout

    # ---- running the migrator image -----------------------------------------
    def run_image(self, tag, args, db):
        img = self.images[tag]
        user = img["user"] or "0:0"
        argv = img["entrypoint"] + (args if args is not None else img["cmd"])
        say(f"run {tag} {shlex.join(argv[1:])} as {user}")
        p = subprocess.run(["/usr/sbin/chroot", f"--userspec={user}", img["root"]] + argv,
                           env={"DATABASE_URL": self.db % db}, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        if p.returncode != 0:
            fail(f"{shlex.join(argv)} in {img['root']}: exit {p.returncode}\n{p.stdout}")
        return p.stdout

    def createdb(self, name):
        sh(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", self.db % "postgres",
            "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
           env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))

    # ---- the whole story ------------------------------------------------------
    def main(self):
        os.makedirs(self.work, exist_ok=True)
        # A run that was killed may have left /proc mounted in its roots.
        for line in open("/proc/mounts"):
            point = line.split()[1]
            if point.startswith(self.work + "/"):
                sh(["umount", point])
        for d in glob.glob(os.path.join(self.work, "*")):
            if os.path.basename(d) != "cache":
                shutil.rmtree(d) if os.path.isdir(d) else os.unlink(d)
        try:
            self.story()
        finally:
            self.unmount()
        say("all recipes ran")

    def story(self):
        # 1. retort's image, from the tree.
        n, text = self.block("sh", "contrib/docker/Dockerfile")
        calls = self.docker_calls(text, TREE)
        for c in calls:
            if c[0] == "build":
                self.build(c[1:], TREE)
            elif c[0] != "push":
                fail(f"{PAGE}:{n}: docker {c[0]} is not known here")
        if not self.images:
            fail(f"{PAGE}:{n}: no docker build")
        retort_tag = list(self.images)[0]
        img = self.images[retort_tag]
        say("in the image: " + self.run_in(dict(img, env={}, workdir="/"),
                                           "retort version | head -1", show=False).strip())

        # 2. A user's repository, and its Dockerfile.migrate.
        repo = os.path.join(self.work, "myapp")
        alembic = os.path.join(repo, "src/backend/db/alembic")
        shutil.copytree(os.path.join(TREE, "migrations"), alembic)
        dn, dockerfile = self.block("dockerfile", f"FROM {retort_tag} AS build")
        name = dockerfile.split("\n")[0].split()[1].rstrip(",")  # "# Dockerfile.migrate, ..."
        with open(os.path.join(repo, name), "w") as f:
            f.write(dockerfile + "\n")
        genv = dict(os.environ, GIT_AUTHOR_NAME="Recipes", GIT_AUTHOR_EMAIL="r@example.com",
                    GIT_COMMITTER_NAME="Recipes", GIT_COMMITTER_EMAIL="r@example.com",
                    GIT_AUTHOR_DATE="2026-01-02T03:04:05Z",
                    GIT_COMMITTER_DATE="2026-01-02T03:04:05Z", HOME=self.work)
        sh("git init -q && git add -A && git commit -qm 'migrations'", shell=True, cwd=repo,
           env=genv)
        n, text = self.block("sh", f"docker build -f {name}")
        calls = self.docker_calls(text, repo, genv)
        if [c[0] for c in calls] != ["build"]:
            fail(f"{PAGE}:{n}: want one docker build, got {calls}")
        self.build(calls[0][1:], repo)
        mig_tag = [t for t in self.images if t != retort_tag][0]
        mig = self.images[mig_tag]
        files = sorted(os.listdir(mig["root"]))
        if files != ["migrate"]:
            fail(f"the FROM scratch image holds {files}, want only 'migrate'")

        # 3. Kubernetes: the containers' args of each manifest, in order.
        heads = None
        for n, info, lines in mdcheck.blocks(PAGE):
            text = "\n".join(lines)
            if info != "yaml" or mig_tag not in text or "completionMode" in text:
                continue
            db = f"recipes_k8s_{n}"
            self.createdb(db)
            steps = re.findall(r"image: (\S+)\n\s+args: (\[.*\])", text)
            for image, args in steps:
                if image != mig_tag:
                    fail(f"{PAGE}:{n}: image {image}, want {mig_tag}")
                self.run_image(mig_tag, json.loads(args), db)
            cur = self.run_image(mig_tag, ["current"], db)
            say(f"{PAGE}:{n}: {len(steps)} containers ran; current: {cur.strip()}")
            if "(head)" not in cur:
                fail(f"{PAGE}:{n}: not at head after the manifest: {cur}")
            heads = cur
        if heads is None:
            fail(f"{PAGE}: no Kubernetes manifest runs {mig_tag}")

        # 4. CI: GitHub Actions' run: steps, GitLab's script: lines.
        shas = {"docker": self.sha(os.path.join(mig["root"], "migrate"))}
        ci = {"github": self.github_steps(), "gitlab": self.gitlab_steps()}
        for which, (n, jobs) in ci.items():
            clone = f"/builds/{which}/myapp"
            sh(["git", "clone", "-q", repo, img["root"] + clone])
            db = f"recipes_{which}"
            self.createdb(db)
            extra = {"DATABASE_URL": self.db % db, "GITHUB_WORKSPACE": clone,
                     "GITHUB_REF_NAME": "v1.2.3", "CI_COMMIT_TAG": "v1.2.3",
                     "CI_PROJECT_DIR": clone}
            for job, cmds in jobs:
                for cmd in cmds:
                    if cmd.startswith("uses: "):
                        say(f"{which} {job}: not run: {cmd}")
                        continue
                    say(f"{which} {job}: {cmd.splitlines()[0]}")
                    out = self.run_in(dict(img, env={}, workdir=clone),
                                      "set -e\n" + cmd, extra=extra, show=False)
                    for line in out.strip().splitlines()[-3:]:
                        print(f"           | {line}")
            shas[which] = self.sha(img["root"] + clone + "/myapp-migrate")
            listed = open(img["root"] + clone + "/myapp-migrate.sha256").read().split()[0]
            if listed != shas[which]:
                fail(f"{which}: myapp-migrate.sha256 says {listed}, the file is {shas[which]}")

        # 5. One commit, one release name: one file.
        for k, v in shas.items():
            say(f"sha256 {v}  {k}")
        if len(set(shas.values())) != 1:
            fail("the recipes built different migrators for the same commit and release")

    @staticmethod
    def sha(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def github_steps(self):
        """[(job, [command or 'uses: ...'])] of the workflow, in order."""
        n, text = self.block("yaml", "# .github/workflows/")
        jobs, job, in_jobs, lines = [], None, False, text.split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("jobs:"):
                in_jobs = True
            m = re.match(r"^  (\w[\w-]*):\s*$", line)
            if in_jobs and m:
                job = m.group(1)
                jobs.append((job, []))
            m = re.match(r"^(\s*)- (run|uses): ?(.*)$", line)
            if m and job:
                if m.group(2) == "uses":
                    jobs[-1][1].append("uses: " + m.group(3))
                elif m.group(3) == "|":
                    body, ind = [], len(m.group(1)) + 2
                    while i + 1 < len(lines) and (lines[i + 1][:ind + 1].strip() == "" and
                                                  lines[i + 1].strip()):
                        i += 1
                        body.append(lines[i][ind + 2:])
                    jobs[-1][1].append("\n".join(body))
                else:
                    jobs[-1][1].append(m.group(3))
            i += 1
        if not jobs or not any(c for _, c in jobs):
            fail(f"{PAGE}:{n}: no run: steps found")
        return n, jobs

    def gitlab_steps(self):
        n, text = self.block("yaml", "# .gitlab-ci.yml")
        jobs, job, in_script = [], None, False
        for line in text.split("\n"):
            m = re.match(r"^(\w[\w-]*):\s*$", line)
            if m:
                job, in_script = m.group(1), False
                jobs.append((job, []))
                continue
            if re.match(r"^  script:\s*$", line):
                in_script = True
                continue
            m = re.match(r"^    - (.*)$", line)
            if in_script and m:
                jobs[-1][1].append(m.group(1))
            elif not line.startswith("    "):
                in_script = False
        if not any(c for _, c in jobs):
            fail(f"{PAGE}:{n}: no script: lines found")
        return n, jobs


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    Recipes(sys.argv[1], int(sys.argv[2])).main()
