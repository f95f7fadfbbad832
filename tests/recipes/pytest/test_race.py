"""Tests that write a script and run it at once, from many threads, as a
suite that generates its fixtures does. Python opens files close-on-exec,
but a child that another thread forks while a script is still open for
writing holds a copy of the descriptor until its own exec, and until then
the kernel refuses to run the script: "Text file busy". Each test fails if
any of its launches did, and says how many. tests/recipes.bats runs this
with python3 -m pytest, directly and under runscript --tree.
"""
import errno
import os
import subprocess
import threading

import pytest

THREADS = 32
RUNS = 20


def race(directory, name):
    busy, other = [], []

    def job(t):
        for i in range(RUNS):
            path = os.path.join(directory, f"{name}-{t}-{i}.sh")
            with open(path, "w") as f:
                f.write("#!/bin/sh\nexit 0\n")
            os.chmod(path, 0o755)
            try:
                subprocess.run([path], check=True)
            except OSError as e:
                (busy if e.errno == errno.ETXTBSY else other).append(f"{path}: {e}")
            except subprocess.CalledProcessError as e:
                other.append(str(e))
            os.unlink(path)

    threads = [threading.Thread(target=job, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not other, other
    assert not busy, f"{len(busy)} of {THREADS * RUNS} launches failed: Text file busy"


@pytest.mark.parametrize("name", "abcd")
def test_race(tmp_path, name):
    race(tmp_path, name)
