#!/usr/bin/python3
# Renders `drnn bench search` results (its JSON on stdin) as a PNG: median
# best-so-far validation fitness against epochs spent, one line per contender,
# the inter-quartile band shaded. Usage: plot.py OUT.png < results.json
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

data = json.load(sys.stdin)
fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
for name, c in data["contenders"].items():
    xs = [p["epochs"] for p in c["curve"]]
    ax.plot(xs, [p["median"] for p in c["curve"]], label=f"{name} (final {c['finalMedian']:.3f})")
    ax.fill_between(xs, [p["q1"] for p in c["curve"]], [p["q3"] for p in c["curve"]], alpha=0.15)
ax.set_xlabel("training epochs spent")
ax.set_ylabel("best-so-far validation fitness (median over seeds)")
ax.set_title(f"drnn bench search: {data['seeds']} seeds, {data['budgetEpochs']} epochs per run, R = {data['maxEpochs']}")
ax.grid(alpha=0.3)
ax.legend(loc="lower right")
fig.tight_layout()
fig.savefig(sys.argv[1])
