#!/usr/bin/env python3
"""Measure the truth of the corpus scripts with real PyTorch and write it into the manifests.

    /usr/bin/python3 corpus/measure.py [--write] [ids or id prefixes...]
    /usr/bin/python3 corpus/measure.py --list

The scripts are public code and are not in this repository: corpus/manifest/*.json names each one (repository, commit,
path, workspace folder). They are extracted from a folder of git mirrors (env FLOPLENS_CORPUS_MIRRORS, default
/work/.mirror; one `<owner>+<name>` folder per repository, as the fetch tool makes them) into a cache folder, and each
script's driver (corpus/drivers/*.py, our own code) mirrors one iteration of its loop body. Counting is the
dispatch-mode FLOP counter of test/fixtures/measure.py. Hub models (transformers etc. are not installed here) are given
in closed form by their drivers, cross-checked against a plain-PyTorch re-implementation where the driver has one.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import glob
import importlib.util
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus_driver as D  # noqa: E402
import torch  # noqa: E402

M = D.M
CACHE = Path(os.environ.get("FLOPLENS_CORPUS_CACHE", Path.home() / ".cache" / "floplens" / "corpus"))


def mirrors_dir() -> Path:
    return Path(os.environ.get("FLOPLENS_CORPUS_MIRRORS", "/work/.mirror"))


def git_dir(repo: str) -> Path | None:
    base = mirrors_dir() / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


MAX_FILE_BYTES = 4 << 20  # larger files are data, not code (and fetched snapshots may not hold them)


def extract(entry: dict) -> Path:
    """The repository's files under the entry's workspace folder at its commit, in a cache folder (made once).

    Every blob up to 4 MiB is read with `git cat-file --batch`; blobs the snapshot lacks are skipped. corpus/run.ts
    extracts the same way into the same folder.
    """
    out = CACHE / f"{entry['id']}-{entry['commit'][:10]}"
    done = out / ".extracted"
    if done.is_file():
        return out
    g = git_dir(entry["repo"])
    if g is None:
        raise FileNotFoundError(f"no mirror of {entry['repo']} under {mirrors_dir()}")
    paths = [entry.get("root") or "", os.path.dirname(entry["path"])]
    spec = sorted(set(paths)) if all(paths) else []
    listing = subprocess.run(["git", f"--git-dir={g}", "ls-tree", "-r", "-z", "--long", entry["commit"], "--", *spec],
                             check=True, capture_output=True).stdout.decode("utf-8")
    blobs = []
    for rec in listing.split("\0"):
        meta, _, path = rec.partition("\t")
        parts = meta.split()
        if len(parts) == 4 and parts[1] == "blob" and parts[3].isdigit() and int(parts[3]) <= MAX_FILE_BYTES:
            blobs.append((parts[2], path))
    data = subprocess.run(["git", f"--git-dir={g}", "cat-file", "--batch"], check=True, capture_output=True,
                          input=("\n".join(sha for sha, _ in blobs) + "\n").encode()).stdout
    at = 0
    for sha, path in blobs:
        nl = data.index(b"\n", at)
        header = data[at:nl].decode()
        at = nl + 1
        if header.endswith(" missing"):
            continue
        size = int(header.split()[2])
        f = out / path
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(data[at:at + size])
        at += size + 1
    out.mkdir(parents=True, exist_ok=True)
    done.write_text(entry["commit"])
    return out


def manifests() -> dict[str, tuple[Path, dict, dict]]:
    """id -> (manifest file, its document, the entry)."""
    found = {}
    for f in sorted(glob.glob(str(HERE / "manifest" / "*.json"))):
        doc = json.loads(Path(f).read_text(encoding="utf-8"))
        for e in doc.get("scripts", []):
            if e["id"] in found:
                raise ValueError(f"duplicate corpus id {e['id']}")
            found[e["id"]] = (Path(f), doc, e)
    return found


def load_drivers() -> None:
    for f in sorted(glob.glob(str(HERE / "drivers" / "*.py"))):
        spec = importlib.util.spec_from_file_location(f"corpus_drivers_{Path(f).stem}", f)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)


def counted(spec: dict, mode: str) -> dict:
    c, calls = M.count(spec)
    fwd, bwd = c.total("fwd"), c.total("bwd")
    return {
        "params": M.unique_params(spec["models"], trainable_only=False),
        "trainableParams": M.unique_params(spec["models"], trainable_only=True),
        "forwardFlops": fwd,
        "backwardFlops": bwd if mode == "train" else 0,
        "modelCallsPerIteration": calls,
        "forwardFlopsByOp": dict(sorted(c.by_op["fwd"].items())),
        "uncountedOps": dict(c.uncounted),
    }


def measure(entry: dict) -> dict:
    extracted = extract(entry)
    ctx = D.Ctx(entry, extracted)
    fn = D.DRIVERS.get(entry["id"])
    if fn is None:
        raise KeyError(f"no driver for {entry['id']}")
    torch.manual_seed(0)
    D.STUBBED_IMPORTS.clear()
    try:
        spec = fn(ctx)
    finally:
        D.forget_local_modules(extracted)
    mode = spec["mode"]
    truth: dict = {"mode": mode}
    closed = spec.get("closed")
    if spec.get("models") and spec.get("step"):
        got = counted(spec, mode)
    else:
        got = None
    if closed:
        truth.update(params=int(closed["params"]), forwardFlops=int(closed["forwardFlops"]),
                     trainableParams=int(closed.get("trainableParams", closed["params"])),
                     method="closed form: " + closed.get("formula", ""))
        if got:
            truth["crossCheck"] = {k: got[k] for k in ("params", "forwardFlops", "modelCallsPerIteration")}
            truth["crossCheck"]["what"] = spec.get("crossCheckWhat", "plain-PyTorch re-implementation")
    elif got:
        truth.update(got)
        truth["method"] = "measured: the script's own objects, one iteration under the dispatch-mode FLOP counter"
    else:
        raise ValueError("the driver returned neither models+step nor closed")
    truth.update(
        batch=spec.get("batch"),
        seqLen=spec.get("seqLen"),
        microBatches=spec.get("microBatches", 1),
        steps=spec.get("steps"),
        stepsFormula=spec.get("stepsFormula"),
        **({"unknowable": spec["unknowable"]} if spec.get("unknowable") else {}),
        notes=([spec["notes"]] if isinstance(spec.get("notes"), str) else list(spec.get("notes") or [])) + ctx.notes,
        stubbedImports=sorted(D.STUBBED_IMPORTS),
        torch=torch.__version__,
        blas=M.blas_in_use(),
        measured=_dt.date.today().isoformat(),
    )
    return truth


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ids", nargs="*", help="ids or id prefixes (default: all)")
    ap.add_argument("--write", action="store_true", help="write the truth into the manifests")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    D.prepare()
    load_drivers()
    found = manifests()
    chosen = [i for i in found if not args.ids or any(i == p or i.startswith(p) for p in args.ids)]
    if args.list:
        for i in chosen:
            e = found[i][2]
            print(f"{i:40s} {e['repo']:40s} {e['path']}  {'driver' if i in D.DRIVERS else 'NO DRIVER'}")
        return 0
    failed = 0
    touched: dict[Path, dict] = {}
    for i in chosen:
        f, doc, e = found[i]
        t0 = time.time()
        try:
            truth = measure(e)
        except Exception as ex:  # report and go on with the others
            traceback.print_exc()
            print(f"FAILED {i}: {type(ex).__name__}: {ex}", file=sys.stderr)
            failed += 1
            continue
        xc = truth.get("crossCheck")
        print(f"{i:36s} {truth['mode']:5s} params {truth['params']:>14,}  fwd {truth['forwardFlops']:>20,}  "
              f"batch {truth['batch']}  steps {truth['steps']}"
              + (f"  crossCheck params {xc['params']:,} fwd {xc['forwardFlops']:,}" if xc else "")
              + (f"  uncounted {truth['uncountedOps']}" if truth.get("uncountedOps") else "")
              + f"  ({time.time() - t0:.1f}s)")
        if args.write:
            e["truth"] = truth
            touched[f] = doc
    # Re-read each manifest before writing: entries added or edited while this ran are kept.
    for f, doc in touched.items():
        measured = {e["id"]: e["truth"] for e in doc["scripts"] if e["id"] in chosen and "truth" in e}
        fresh = json.loads(f.read_text(encoding="utf-8"))
        for e in fresh.get("scripts", []):
            if e["id"] in measured and measured[e["id"]] is not None:
                e["truth"] = measured[e["id"]]
        f.write_text(json.dumps(fresh, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
