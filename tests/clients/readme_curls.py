#!/usr/bin/env python3
"""Runs every `$ curl ...` line of the README's "Service" section as it is written, against
a server on 127.0.0.1:7878 (with $TOKEN set to its update token). A curl that fails
(connection or HTTP status >= 400, via --fail from a .curlrc) fails the run.

Usage: readme_curls.py README.md
"""
import os
import re
import subprocess
import sys
import tempfile

text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Service", 1)[1].split("\n## ", 1)[0]
commands = [m.group(1) for m in re.finditer(r"^\$ (curl .+)$", section, re.M)]
home = tempfile.mkdtemp()
with open(os.path.join(home, ".curlrc"), "w") as f:
    f.write("fail\nsilent\nshow-error\n")
env = dict(os.environ, CURL_HOME=home)
failed = 0
for cmd in commands:
    r = subprocess.run(["bash", "-c", cmd], env=env, capture_output=True, text=True, cwd=os.path.dirname(os.path.abspath(sys.argv[1])))
    ok = r.returncode == 0
    failed += not ok
    print(("ok   " if ok else "FAIL ") + cmd + ("" if ok else f"\n     {r.stderr.strip()}"))
print(f"{len(commands) - failed} passed, {failed} failed")
sys.exit(1 if failed or not commands else 0)
