#!/usr/bin/python3
# Renders `drnn online replay` (its JSON on stdin) as a PNG: hit@1 on each
# new batch, scored before training on it, for the live model and for the
# frozen first version, with S-POP on the same samples as the bar; batches
# whose candidate was kept are marked.
# Usage: replay-plot.py OUT.png < replay.json
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

data = json.load(sys.stdin)
rows = data["batches"]
xs = [r["seq"] for r in rows]
fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
ax.plot(xs, [r["liveHit1"] for r in rows], marker="o", label=f"live model (mean {data['meanLive']:.3f})")
ax.plot(xs, [r["frozenHit1"] for r in rows], marker="s", label=f"frozen first version (mean {data['meanFrozen']:.3f})")
spop = [r.get("spopHit1") for r in rows]
if all(isinstance(v, (int, float)) for v in spop):
    ax.plot(xs, spop, marker="^", linestyle="--", color="gray", label=f"S-POP, no training (mean {data['meanSpop']:.3f})")
kept = [r for r in rows if r["outcome"] == "kept"]
if kept:
    ax.scatter([r["seq"] for r in kept], [r["liveHit1"] for r in kept], s=120, facecolors="none", edgecolors="red", label="candidate kept out (guard)")
ax.set_xlabel(f"batch of {data['m']} purchase sessions, in time order")
ax.set_ylabel("hit@1 on the batch, before training on it")
ax.set_title(f"prequential replay of {data['dataset']}: first {data['firstShare'] * 100:.0f} % trains version 1")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.grid(alpha=0.3)
ax.legend(loc="best")
fig.tight_layout()
fig.savefig(sys.argv[1])
