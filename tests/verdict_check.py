#!/usr/bin/env python3
"""verdict_check.py — the checker tests/verify_ci.sh runs on what `nlif verify` and `nlif judge` write.

  verdict_check.py junit FILE.xml VERDICTS.json   the JUnit file parses (xml.etree: strict XML), has one
        testcase per cell in the record's order (classname CASE.SCHEME, name CHECK), a <failure> for
        every FAIL whose message carries the measured figure, the bound and the reason (and says
        "known failure" exactly for the cells listed in ci/known_failures), a <skipped> with the reason
        for every n.a., and counts equal to the record's pass / FAIL / n.a.
  verdict_check.py same A.json B.json [FROM TO]   two verdict records judge the same: equal cells,
        convergence records, runs and choices (after replacing FROM by TO in B's paths).
  verdict_check.py count A.json VERDICT CHECK      print how many cells of check CHECK have VERDICT.
Exits 1 with what differs.
"""
import json
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print("verdict_check: " + msg)
    sys.exit(1)


def junit(xml_path, record_path):
    root = ET.parse(xml_path).getroot()
    cells = json.load(open(record_path))["cells"]
    n_fail = sum(c["verdict"] == "FAIL" for c in cells)
    n_na = sum(c["verdict"] == "n.a." for c in cells)
    if root.tag != "testsuites" or len(root.findall("testsuite")) != 1:
        fail("%s: want <testsuites> holding one <testsuite>" % xml_path)
    suite = root.find("testsuite")
    for el in (root, suite):
        got = (int(el.get("tests")), int(el.get("failures")), int(el.get("skipped")), int(el.get("errors")))
        if got != (len(cells), n_fail, n_na, 0):
            fail("%s: <%s> counts tests/failures/skipped/errors %s, the record %s" %
                 (xml_path, el.tag, got, (len(cells), n_fail, n_na, 0)))
    cases = suite.findall("testcase")
    if len(cases) != len(cells):
        fail("%s: %d testcases for %d cells" % (xml_path, len(cases), len(cells)))
    seconds = json.load(open(record_path)).get("cell_seconds") or [None] * len(cells)
    for tc, c, secs in zip(cases, cells, seconds):
        where = "%s %s.%s %s" % (xml_path, c["case"], c["scheme"], c["check"])
        if tc.get("classname") != c["case"] + "." + c["scheme"] or tc.get("name") != c["check"]:
            fail("%s: testcase %s / %s" % (where, tc.get("classname"), tc.get("name")))
        # the test case's time is the cell's seconds (0 for a cell that records none)
        if abs(float(tc.get("time", "nan")) - max(secs or 0.0, 0.0)) > 1e-6:
            fail("%s: time %r, the cell's seconds %r" % (where, tc.get("time"), secs))
        failures, skipped = tc.findall("failure"), tc.findall("skipped")
        if c["verdict"] == "pass":
            if len(tc):
                fail("%s: a pass with children" % where)
        elif c["verdict"] == "FAIL":
            if len(failures) != 1 or skipped:
                fail("%s: a FAIL without exactly one <failure>" % where)
            msg, known = failures[0].get("message"), c["known_failure"]
            head = "known failure (ci/known_failures" if known else c["check"] + ": measured "
            if not msg.startswith(head) or (failures[0].get("type") == "known_failure") != known:
                fail("%s: message %r, type %r (known: %s)" % (where, msg, failures[0].get("type"), known))
            if ("bound " + (c["bound"] or "none")) not in msg or not msg.endswith(c["reason"]):
                fail("%s: message %r lacks the bound %r or the reason %r" % (where, msg, c["bound"], c["reason"]))
        else:
            if len(skipped) != 1 or failures or skipped[0].get("message") != c["reason"]:
                fail("%s: an n.a. without one <skipped> carrying the reason %r" % (where, c["reason"]))
    print("junit ok: %d tests, %d failures, %d skipped" % (len(cells), n_fail, n_na))


def same(a_path, b_path, frm=None, to=None):
    a = json.load(open(a_path))
    text = open(b_path).read()
    if frm is not None:
        text = text.replace(json.dumps(frm)[1:-1], json.dumps(to)[1:-1])
    b = json.loads(text)
    for key in ("cells", "convergence", "runs", "choices", "summary", "jobs", "mode"):
        if a.get(key) != b.get(key):
            if key == "cells":
                for x, y in zip(a["cells"], b["cells"]):
                    if x != y:
                        fail("%s and %s: first different cell:\n  %s\n  %s" % (a_path, b_path, x, y))
            fail("%s and %s differ in %s" % (a_path, b_path, key))
    print("same: %d cells" % len(a["cells"]))


def count(path, verdict, check):
    print(sum(c["verdict"] == verdict and c["check"] == check for c in json.load(open(path))["cells"]))


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "junit":
        junit(args[1], args[2])
    elif len(args) in (3, 5) and args[0] == "same":
        same(*args[1:])
    elif len(args) == 4 and args[0] == "count":
        count(*args[1:])
    else:
        fail("usage: junit FILE.xml VERDICTS.json | same A.json B.json [FROM TO] | count A.json VERDICT CHECK")
