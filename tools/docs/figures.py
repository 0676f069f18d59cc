#!/usr/bin/env python3
"""figures.py — every figure in the docs from the command that measures it.

The docs say where each figure comes from with HTML comments, which Markdown does not show:

  <!-- run bf: simulate -q -o out/docs/bf scenarios/black-friday.yaml => out/docs/bf/report.json -->
      declares run `bf`: a shell command, run once from the project's root with `simulate`
      meaning the built binary ($SIMULATE_BIN, else build/simulate). After `=>`, a JSON file the
      command writes (report.json, compare.json), read as `r` by the figures below. Its standard
      output is kept for blocks. A run is declared once, in any file; the others use its id.

  <!-- fig bf: {fig('monthly_cost'):,.0f} -->533,125<!-- /fig -->
      a figure: the text between the comment and <!-- /fig --> is the Python format string
      after the colon, evaluated against run bf's JSON (`r`, and the helpers below).

  <!-- block bf: ^simulate|requests|throughput -->
  ```
  ...
  ```
  <!-- /block -->
      an excerpt of run bf's standard output: the lines matching the regular expression (all
      of them when it is empty), in a fenced block.

Helpers in a figure: fig(name) the mean of report figure `name`, half(name) its 95% half-width,
line(component, item=None) the monthly USD of the bill's lines of a component (whose item
contains `item`), variant(name) a compare variant's figures as a dict of means, r the whole JSON.

tools/gen-docs rewrites the docs; tools/gen-docs --check only compares, prints each figure that
differs (file:line, the docs' text, what the command prints now) and exits 1 — CI runs it.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN_RE = re.compile(r"<!-- run (\w[\w-]*): ([^\n]*?)(?: => (\S+))? -->")
FIG_RE = re.compile(r"<!-- fig (\w[\w-]*): ([^\n]*?) -->(.*?)<!-- /fig -->", re.S)
BLOCK_RE = re.compile(r"(<!-- block (\w[\w-]*)( raw)?: ?([^\n]*?) ?-->\n)(.*?)(<!-- /block -->)",
                      re.S)


class Run:
    def __init__(self, rid, cmd, out):
        self.rid, self.cmd, self.out = rid, cmd, out
        self.stdout = None
        self.json = None

    def go(self, binary):
        if self.stdout is not None:
            return
        cmd = re.sub(r"(^|[\s;|&(])simulate(?=\s)", lambda m: m.group(1) + binary, self.cmd)
        p = subprocess.run(["/bin/sh", "-c", cmd], cwd=ROOT, capture_output=True, text=True)
        # exit 1 is an objective missed: a figure the docs may well quote
        if p.returncode not in (0, 1):
            sys.exit(f"gen-docs: run {self.rid} ({self.cmd}) exited {p.returncode}:\n{p.stderr}")
        self.stdout = p.stdout
        if self.out:
            with open(os.path.join(ROOT, self.out)) as f:
                self.json = json.load(f)


RUNS = {}


def helpers(run):
    r = run.json

    def of(rid):
        """Another run's JSON (a figure comparing two runs)."""
        if rid not in RUNS or RUNS[rid].json is None:
            raise KeyError(f"run {rid} (with a JSON file)")
        return RUNS[rid].json

    def fig(name, rid=None):
        return (of(rid) if rid else r)["figures"][name]["mean"]

    def half(name, rid=None):
        return (of(rid) if rid else r)["figures"][name]["ci95_half_width"]

    def line(component, item=None, rid=None):
        return sum(l["monthly_usd"] for l in (of(rid) if rid else r)["cost"]["lines"]
                   if l["component"] == component and (item is None or item in l["item"]))

    def variant(name):
        for v in r["variants"]:
            if v["name"] == name:
                return {k: f["mean"] for k, f in v["figures"].items()}
        raise KeyError(name)

    def diff(name, minus, figure):
        for d in r["differences"]:
            if d["variant"] == name and d["minus"] == minus:
                return d[figure]["mean"], d[figure]["ci95_half_width"]
        raise KeyError(f"{name} - {minus}")

    def point(load):
        for p in r["sweep"]["points"]:
            if abs(p["peak_load"] - load) < 1e-9:
                return p
        raise KeyError(load)

    def crossover(below, above, daily=False):
        """Where `below` stops being the cheaper of the two; on the daily profile's bill with
        daily=True (compare.json's `cost_crossovers_daily`)."""
        for c in r["sweep"]["cost_crossovers_daily" if daily else "cost_crossovers"]:
            if c["cheaper_below"] == below and c["cheaper_above"] == above:
                return c["peak_load"]
        raise KeyError(f"{below}/{above}")

    def last_met(name):
        """The largest sweep load at which `name` meets the objectives, and the next one."""
        pts = r["sweep"]["points"]
        ok = [i for i, p in enumerate(pts) if p["variants"][name]["objectives_met"]]
        i = ok[-1] if ok else -1
        nxt = pts[i + 1]["peak_load"] if i + 1 < len(pts) else float("nan")
        return (pts[i]["peak_load"] if i >= 0 else float("nan")), nxt

    def sweep_table(daily=False):
        """The sweep as a Markdown table: each variant's monthly bill ± its interval, whether it
        meets the objectives, and the cheapest that does; with daily=True the bill of the daily
        profile's month (`monthly_cost_daily`: the objectives are judged at the peak, the same)."""
        sfx = "_daily" if daily else ""
        names = [v["name"] for v in r["variants"]]
        out = ["| peak load | " + " | ".join(names) + " | cheapest that meets the objectives |",
               "|---:|" + "---:|" * len(names) + "---|"]
        for p in r["sweep"]["points"]:
            cells = []
            for n in names:
                v = p["variants"][n]
                ok = "ok" if v["objectives_met"] else "**misses**"
                cells.append(f"${v['monthly_cost' + sfx]:,.0f}"
                             f" ±{v['monthly_cost' + sfx + '_ci95_half_width']:,.0f} {ok}")
            out.append(f"| {p['peak_load']:,.0f} | " + " | ".join(cells) +
                       f" | {p['cheapest_meeting_objectives' + sfx] or 'none'} |")
        return "\n".join(out)

    def database_table(loads):
        """The database's share of the bill and its CPU at some sweep loads."""
        names = [v["name"] for v in r["variants"]]
        out = ["| peak load | " + " | ".join(f"{n} $/mo (CPU)" for n in names) + " |",
               "|---:|" + "---:|" * len(names)]
        for load in loads:
            p = point(load)
            cells = [f"{p['variants'][n]['database_monthly_cost']:,.0f} "
                     f"({p['variants'][n]['database_utilisation']:.0f}%)" for n in names]
            out.append(f"| {load:,.0f} | " + " | ".join(cells) + " |")
        return "\n".join(out)

    def tier_table(component, prefix, unit_label):
        """The bill's lines of a tiered item as a Markdown table: each tier's quantity, price and
        monthly cost, and their total."""
        rows = [l for l in r["cost"]["lines"]
                if l["component"] == component and l["item"].startswith(prefix)]
        out = [f"| line | {unit_label} | $/{unit_label} | monthly |", "|---|---:|---:|---:|"]
        for l in rows:
            tier = l["item"][len(prefix):].lstrip(", ") or l["item"]
            out.append(f"| {tier} | {l['quantity']:,.1f} | ${l['unit_price_usd']:g} "
                       f"| ${l['monthly_usd']:,.2f} |")
        q = sum(l["quantity"] for l in rows)
        m = sum(l["monthly_usd"] for l in rows)
        out.append(f"| **{component} {prefix.split(' (')[0]}** | {q:,.1f} | | **${m:,.2f}** |")
        return "\n".join(out)

    return {"r": r, "of": of, "tier_table": tier_table, "fig": fig, "half": half, "line": line, "variant": variant,
            "diff": diff,
            "point": point, "crossover": crossover, "last_met": last_met,
            "sweep_table": sweep_table, "database_table": database_table}


def render(run, template):
    try:
        names = {"__builtins__": {"abs": abs, "min": min, "max": max, "round": round, "len": len,
                                  "sum": sum}}
        names.update(helpers(run))  # globals, so that a comprehension sees them too
        return eval("f" + repr(template), names)
    except Exception as e:  # a template that no longer fits the JSON: say which
        sys.exit(f"gen-docs: figure '{template}' of run {run.rid}: {type(e).__name__}: {e}")


def main():
    check = "--check" in sys.argv[1:]
    binary = os.environ.get("SIMULATE_BIN", os.path.join(ROOT, "build", "simulate"))
    files = [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(ROOT, "docs", f) for f in os.listdir(os.path.join(ROOT, "docs"))
        if f.endswith(".md"))
    texts = {f: open(f).read() for f in files}
    runs = RUNS
    for f, t in texts.items():
        for m in RUN_RE.finditer(t):
            rid, cmd, out = m.group(1), m.group(2), m.group(3)
            if rid in runs and (runs[rid].cmd, runs[rid].out) != (cmd, out):
                sys.exit(f"gen-docs: {os.path.relpath(f, ROOT)}: run {rid} declared twice, "
                         "differently")
            runs.setdefault(rid, Run(rid, cmd, out))
    # every run now, in the order declared (README first, then docs/ by name): a run may read
    # what an earlier one wrote
    for run in runs.values():
        run.go(binary)
    stale = []
    for f, t in texts.items():
        rel = os.path.relpath(f, ROOT)

        def get(rid, what):
            if rid not in runs:
                sys.exit(f"gen-docs: {rel}: {what} uses run {rid}, declared nowhere")
            runs[rid].go(binary)
            return runs[rid]

        def fig_sub(m):
            run = get(m.group(1), "a figure")
            new = render(run, m.group(2))
            if "\n" in new:  # a table: on lines of its own, or Markdown would not see it
                new = "\n" + new.strip("\n") + "\n"
            if new != m.group(3):
                line_no = t.count("\n", 0, m.start()) + 1
                stale.append(f"{rel}:{line_no}: '{m.group(3)}' -> '{new}' ({m.group(2)})")
            return f"<!-- fig {m.group(1)}: {m.group(2)} -->{new}<!-- /fig -->"

        def block_sub(m):
            run = get(m.group(2), "a block")
            pat = re.compile(m.group(4)) if m.group(4) else None
            lines = [l for l in run.stdout.splitlines() if pat is None or pat.search(l)]
            body = "\n".join(lines) + "\n"
            new = body if m.group(3) else "```\n" + body + "```\n"  # raw: Markdown as is
            if new != m.group(5):
                line_no = t.count("\n", 0, m.start()) + 1
                stale.append(f"{rel}:{line_no}: the block of run {m.group(2)} differs")
            return m.group(1) + new + m.group(6)

        out = BLOCK_RE.sub(block_sub, FIG_RE.sub(fig_sub, t))
        if not check and out != t:
            with open(f + ".tmp", "w") as w:
                w.write(out)
            os.replace(f + ".tmp", f)
    if check and stale:
        print("gen-docs: these docs figures no longer match what their commands print "
              "(tools/gen-docs rewrites them):", file=sys.stderr)
        for s in stale:
            print("  " + s, file=sys.stderr)
        sys.exit(1)
    if check:
        print(f"gen-docs: every docs figure matches its command ({len(runs)} runs)")


if __name__ == "__main__":
    main()
