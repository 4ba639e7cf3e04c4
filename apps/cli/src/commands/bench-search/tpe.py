#!/usr/bin/python3
# Optuna TPE over the DRNN search space for `drnn bench search`, driven
# through Optuna's ask/tell API: this script only asks and tells; the node
# side trains each trial with the same trainer the GA contenders use.
# Protocol (JSON lines): node sends {"dims": [...], "seed": S, "startup": N};
# the script answers with a trial's params; node sends {"value": fit} (the
# script tells and answers with the next params) or {"stop": true}.
import json
import sys

try:
    import optuna
except ImportError:
    print(json.dumps({"error": "python3-optuna is missing (apt-get install python3-optuna)"}), flush=True)
    sys.exit(3)

optuna.logging.set_verbosity(optuna.logging.WARNING)


def suggest(trial, d):
    kind = d["kind"]
    if kind == "int":
        return trial.suggest_int(d["name"], d["low"], d["high"], log=d.get("log", False))
    if kind == "float":
        return trial.suggest_float(d["name"], d["low"], d["high"], log=d.get("log", False))
    return trial.suggest_categorical(d["name"], d["choices"])


def main():
    init = json.loads(sys.stdin.readline())
    sampler = optuna.samplers.TPESampler(seed=init["seed"], n_startup_trials=init.get("startup", 10))
    study = optuna.create_study(direction="maximize", sampler=sampler)
    while True:
        trial = study.ask()
        params = {d["name"]: suggest(trial, d) for d in init["dims"]}
        print(json.dumps({"params": params, "version": optuna.__version__}), flush=True)
        line = sys.stdin.readline()
        if not line:
            return
        msg = json.loads(line)
        if msg.get("stop"):
            return
        study.tell(trial, msg["value"])


main()
