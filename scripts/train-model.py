#!/usr/bin/python3
"""Trains the lab's churn model the way SageMaker's built-in XGBoost 1.7-1 does, on this machine.

Run with Debian's /usr/bin/python3 and python3-xgboost 1.7.4 (the release line of the 1.7-1
container). Reads the training export (train/ and validation/ CSV: no header, label first), the
default hyperparameters (lib/core/model-defaults/xgboost-hyperparameters.json, the one source of
truth), trains with early stopping on the validation AUC, and writes:

- model.tar.gz holding one file, `xgboost-model`, saved with Booster.save_model: the container's
  training writes exactly that, and its serving code (serve_utils.get_loaded_booster) tries
  pickle.load first and then Booster.load_model on every file of the model directory;
- metrics.json: validation and test AUC, rows per split, seed, best iteration, xgboost version.

Deterministic: seeded, one thread, and a tarball with fixed metadata (same inputs, same bytes).

    train-model.py train --export DIR --out DIR [--data-json JSON]
    train-model.py score --model model.tar.gz --csv test.csv     (prints the AUC)
"""
import argparse
import gzip
import io
import json
import os
import pickle
import sys
import tarfile
import tempfile

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HYPERPARAMETERS = os.path.join(ROOT, "lib", "core", "model-defaults", "xgboost-hyperparameters.json")
MODEL_FILE = "xgboost-model"


def read_split(path):
    """A CSV split (no header, label first) as a DMatrix; a folder means every CSV in it."""
    files = [os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith(".csv")] if os.path.isdir(path) else [path]
    data = np.vstack([np.loadtxt(f, delimiter=",", ndmin=2) for f in files])
    return xgb.DMatrix(data[:, 1:], label=data[:, 0]), data[:, 0]


def auc(labels, scores):
    """Area under the ROC curve by ranks (ties share their mean rank), as XGBoost reports it."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def hyperparameters():
    with open(HYPERPARAMETERS) as f:
        raw = json.load(f)
    num_round = int(raw.pop("num_round"))
    early = raw.pop("early_stopping_rounds", None)
    params = {k: v for k, v in raw.items()}
    params["nthread"] = 1
    return params, num_round, int(early) if early is not None else None


def train(args):
    params, num_round, early = hyperparameters()
    dtrain, _ = read_split(os.path.join(args.export, "train"))
    dval, _ = read_split(os.path.join(args.export, "validation"))
    dtest, test_labels = read_split(os.path.join(args.export, "test"))
    booster = xgb.train(params, dtrain, num_boost_round=num_round, evals=[(dtrain, "train"), (dval, "validation")],
                        early_stopping_rounds=early, verbose_eval=False)
    best = booster.best_iteration if early else num_round - 1
    # Keep only the trees up to the best round: the container predicts with every tree it loads.
    booster = booster[: best + 1]
    val_auc = auc(dval.get_label(), booster.predict(dval))
    test_auc = auc(test_labels, booster.predict(dtest))
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, MODEL_FILE)
        booster.save_model(model_path)
        write_tarball(model_path, os.path.join(args.out, "model.tar.gz"))
    metrics = {
        "validation_auc": round(val_auc, 6),
        "test_auc": round(test_auc, 6),
        "best_iteration": best,
        "rows": {"train": dtrain.num_row(), "validation": dval.num_row(), "test": dtest.num_row()},
        "features": dtrain.num_col(),
        "seed": params.get("seed"),
        "xgboost": xgb.__version__,
    }
    if args.data_json:
        metrics["data"] = json.loads(args.data_json)
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(metrics))


def write_tarball(model_path, tar_path):
    """model.tar.gz with one member, `xgboost-model`, and no varying metadata (mtime, owner)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tar.gettarinfo(model_path, arcname=MODEL_FILE)
        info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
        with open(model_path, "rb") as f:
            tar.addfile(info, f)
    with open(tar_path, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz:
            gz.write(raw.getvalue())


def load_like_the_container(model_dir):
    """serve_utils.get_loaded_booster of the 1.7-1 container: pickle first, then Booster.load_model."""
    path = os.path.join(model_dir, MODEL_FILE)
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:
        booster = xgb.Booster()
        booster.load_model(path)
        return booster


def score(args):
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(args.model, "r:gz") as tar:
            names = tar.getnames()
            if names != [MODEL_FILE]:
                sys.exit("model.tar.gz must hold exactly %s, holds %s" % (MODEL_FILE, names))
            tar.extractall(tmp)
        booster = load_like_the_container(tmp)
    dtest, labels = read_split(args.csv)
    print(json.dumps({"auc": auc(labels, booster.predict(dtest)), "rows": dtest.num_row(), "trees": len(booster.get_dump())}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--export", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--data-json")
    s = sub.add_parser("score")
    s.add_argument("--model", required=True)
    s.add_argument("--csv", required=True)
    args = parser.parse_args()
    train(args) if args.command == "train" else score(args)


if __name__ == "__main__":
    main()
