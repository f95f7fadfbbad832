#!/usr/bin/env python3
"""Job control through runscript --supervise, in a pseudo-terminal.

An interactive bash runs in a pty and is sent what a user types: each
step sends a line or a key and waits for the text the terminal must show.
Exits 0 when every step saw its text; otherwise prints the step that
failed and the terminal's output so far, and exits 1.

usage: jobctl.py RUNSCRIPT
"""
import os
import pty
import select
import sys
import time

RUNSCRIPT = sys.argv[1]
CTRL_C, CTRL_Z = b"\x03", b"\x1a"

# (what to send, what the terminal must then show); a number sleeps.
STEPS = [
    ("PS1='$ '; stty -echoctl\n", "$ "),
    # COMMAND is in the terminal's foreground: it reads the terminal.
    (f"{RUNSCRIPT} --supervise sh -c 'read x; echo got=$x'\n", None),
    (0.5, None),
    ("hello\n", "got=hello"),
    # Ctrl-Z stops the job, fg continues it, and its status is COMMAND's.
    (f"{RUNSCRIPT} --tree --supervise sh -c 'sleep 1; echo woke; exit 7'\n", None),
    (0.5, None),
    (CTRL_Z, "Stopped"),
    ("jobs -l\n", "Stopped"),
    ("fg\n", "woke"),
    ("echo status=$?\n", "status=7"),
    # Ctrl-C reaches COMMAND, which dies of it; so does runscript: 130.
    (f"{RUNSCRIPT} --supervise sleep 30\n", None),
    (0.5, None),
    (CTRL_C, None),
    ("echo status=$?\n", "status=130"),
    # A stopped job is continued in the background and waited for.
    (f"{RUNSCRIPT} --supervise sh -c 'sleep 1; echo done'\n", None),
    (0.5, None),
    (CTRL_Z, "Stopped"),
    ("bg; wait; echo waited=$?\n", "waited=0"),
]


def main():
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "dumb"
        os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
    seen = b""
    for send, want in STEPS:
        if isinstance(send, float):
            time.sleep(send)
            continue
        os.write(fd, send if isinstance(send, bytes) else send.encode())
        start = len(seen)
        deadline = time.time() + 10
        while want is not None and want.encode() not in seen[start:]:
            left = deadline - time.time()
            if left <= 0:
                print(f"jobctl: sent {send!r}, never saw {want!r}")
                print(seen.decode(errors="replace"))
                os.kill(pid, 9)
                return 1
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break
    if os.environ.get("JOBCTL_SHOW"):
        print(seen.decode(errors="replace"))
    os.write(fd, b"exit\n")
    os.waitpid(pid, 0)
    return 0


sys.exit(main())
