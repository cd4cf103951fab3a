"""Runs named checks and prints one line for each: PASS name, or
FAIL name: message. Shared by the Python client programs."""

import os
import traceback


def dsn_parts():
    env = os.environ
    return dict(host=env["JUNCTION_HOST"], port=env["JUNCTION_PORT"], user=env["JUNCTION_USER"],
                password=env["JUNCTION_PASSWORD"], dbname=env["JUNCTION_DATABASE"])


def dsn():
    return " ".join("%s=%s" % kv for kv in dsn_parts().items())


def expect(got, want, what="result"):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def run(checks, after_failure=None):
    """checks is a list of (name, function). after_failure is called after
    a failed check (to roll back the connection)."""
    for name, fn in checks:
        try:
            fn()
            print("PASS " + name, flush=True)
        except Exception as e:  # every failure is reported, none stops the run
            msg = ("%s: %s" % (type(e).__name__, e)).replace("\n", " | ")
            print("FAIL %s: %s" % (name, msg), flush=True)
            if os.environ.get("CLIENT_TRACEBACK"):
                traceback.print_exc()
            if after_failure:
                after_failure()
