"""Reads a munet state directory into pandas DataFrames, for the notebooks in this folder.

Only the state's own files are read, with json, numpy and pandas (Debian's python3-pandas,
python3-numpy), nothing of munet's Java code:

    <state>/manifest/<N>.json        version N whole (a checkpoint: task ends and the first version):
                                     live components and paths (format munet-state-v2, or v1 in old states)
    <state>/manifest/<N>.delta.json  version N as changes from the newest checkpoint below it
    <state>/history/<N>.jsonl        what version N created, one JSON document a line:
                                     {"path": {...}} or {"component": {...}}, kept or not; kept for
                                     every version, also those whose manifest the state's retention dropped
    <state>/components/<id>.safetensors  a component's tensors: an 8-byte little-endian header
                                     length, a JSON header, the raw little-endian bytes

Only canonical names count (``12.json``, not ``012.json`` or ``.12.json.crc``), and a history file
counts only up to the latest committed version, as in munet's StateStore.

The numbers match munet's: :meth:`State.leaderboard_json` is what ``munet status --json`` prints
(org.munet.run.Leaderboard), which the notebook test checks.
"""

import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: The task name of the root path (the pretrained or random root; not a task).
ROOT_TASK = "NOT_TRAINABLE"

_MANIFEST = re.compile(r"(0|[1-9][0-9]{0,18})\.json")
_DELTA = re.compile(r"(0|[1-9][0-9]{0,18})\.delta\.json")
_FORMATS = ("munet-state-v1", "munet-state-v2")
_HISTORY = re.compile(r"(0|[1-9][0-9]{0,18})\.jsonl")
_COMPONENT = re.compile(r"(0|[1-9][0-9]{0,18})\.safetensors")


def state_path(variable="MUNET_STATE", default="../state/quickstart"):
    """The state directory named by an environment variable, else ``default``.

    A relative path is looked up from the directory the notebook was started from (``$PWD``, so that
    ``MUNET_STATE=state/quickstart jupyter-nbconvert ... notebooks/analysis.ipynb`` works from the
    repository root), then from the notebook's folder (the kernel's working directory), then from the
    repository root. The default, ``../state/quickstart`` from this folder, is the quickstart's state.
    """
    given = Path(os.environ.get(variable) or default).expanduser()
    candidates = [given] if given.is_absolute() else [
        Path(os.environ.get("PWD", ".")) / given, Path.cwd() / given, Path(__file__).resolve().parent.parent / given]
    for path in candidates:
        if (path / "manifest").is_dir():
            return path.resolve()
    raise FileNotFoundError(
        f"{given} is not a munet state (no manifest/ in it; looked in {', '.join(str(c) for c in candidates)}): "
        f"set {variable} to a state directory, e.g. {variable}=state/quickstart after 'deploy/munet evolve "
        f"--config deploy/configs/quickstart.yaml --state state/quickstart'")


def _numbered(directory, pattern):
    out = []
    if directory.is_dir():
        for f in directory.iterdir():
            m = pattern.fullmatch(f.name)
            if m:
                out.append(int(m.group(1)))
    return sorted(out)


def read_safetensors(file):
    """A safetensors file as (metadata dict, {tensor name: numpy array}); F32, F16, BF16 and integer dtypes."""
    data = Path(file).read_bytes()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        raw = data[base + begin:base + end]
        dtype = t["dtype"]
        if dtype == "BF16":
            a = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4",
                                    "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}[dtype])
        tensors[name] = a.reshape(t["shape"])
    return metadata, tensors


def _apply_delta(base, delta):
    """A delta manifest applied to its checkpoint, as munet's ManifestDelta does: entries of the
    checkpoint keep their places (changed ones in place, removed ones dropped), new ones follow."""
    if delta.get("base") != base["version"]:
        raise ValueError(f"delta {delta.get('version')} was written against {delta.get('base')}, not {base['version']}")
    out = {k: v for k, v in delta.items() if not k.endswith(("_set", "_removed")) and k not in ("base", "kind")}
    for key in ("components", "paths"):
        entries = {e["id"]: e for e in base[key]}
        for gone in delta[key + "_removed"]:
            del entries[gone]
        for e in delta[key + "_set"]:
            entries[e["id"]] = e
        out[key] = list(entries.values())
    names = dict(base.get("class_names", {}))
    names.update(delta.get("class_names_set", {}))
    if names:
        out["class_names"] = names
    out["kind"] = "delta"
    return out


class State:
    """One state directory; every file is read once, lazily."""

    def __init__(self, path):
        self.path = Path(path)
        self._checkpoints = [v for v in _numbered(self.path / "manifest", _MANIFEST) if v >= 1]
        self._deltas = set(v for v in _numbered(self.path / "manifest", _DELTA) if v >= 1)
        self.versions = sorted(set(self._checkpoints) | self._deltas)
        if not self.versions:
            raise ValueError(f"{self.path} holds no committed system version")
        self._manifests = {}
        self._history = None

    # ------------------------------------------------------------------ raw files

    @property
    def version(self):
        """The latest committed version."""
        return self.versions[-1]

    def manifest(self, version=None):
        """A version's manifest as a dict (the latest by default), a delta applied to its checkpoint."""
        v = self.version if version is None else version
        if v not in self._manifests:
            if v in self._deltas:
                base = max(c for c in self._checkpoints if c < v)
                m = _apply_delta(self.manifest(base), json.loads((self.path / "manifest" / f"{v}.delta.json").read_text()))
            else:
                m = json.loads((self.path / "manifest" / f"{v}.json").read_text())
            if m.get("format") not in _FORMATS:
                raise ValueError(f"manifest {v}: format {m.get('format')!r}, not one of {_FORMATS}")
            self._manifests[v] = m
        return self._manifests[v]

    def history(self):
        """Every history record of the committed versions, oldest first: list of (version, kind, record)."""
        if self._history is None:
            records = []
            for v in _numbered(self.path / "history", _HISTORY):
                if v > self.version:
                    continue  # a crashed attempt's history: describes nothing in the state
                for line in (self.path / "history" / f"{v}.jsonl").read_text().splitlines():
                    if line.strip():
                        doc = json.loads(line)
                        for kind in ("path", "component"):
                            if kind in doc:
                                records.append((v, kind, doc[kind]))
            self._history = records
        return self._history

    # ------------------------------------------------------------------ tables

    @staticmethod
    def _path_row(p, **extra):
        m = p.get("metrics") or {}
        row = dict(id=p["id"], task=p["task"], parent=p.get("parent"), components=list(p["components"]),
                   quality=m.get("quality"), test=m.get("testQuality"), evals=list(m.get("evals") or []),
                   generation=m.get("generation", 0), new_params=m.get("numTrainableParams", 0),
                   train_seconds=m.get("trainSeconds", 0.0), loop=m.get("loop", 0),
                   generation_index=m.get("generationIndex", 0), new_best=m.get("newBest", False),
                   mutations=m.get("mutations") or {}, failure=m.get("failure"))
        row.update(extra)
        return row

    def paths(self, version=None):
        """The live paths of a version, in population order."""
        rows = [self._path_row(p) for p in self.manifest(version)["paths"]]
        df = pd.DataFrame(rows, columns=list(self._path_row({"id": 0, "task": "", "components": []})))
        for c in ("quality", "test"):
            df[c] = pd.to_numeric(df[c]).astype(float)
        return df

    def components(self, version=None):
        """The live components of a version: id, name, shape, params, created_by_path, locks, trained_by."""
        comps = self.manifest(version)["components"]
        df = pd.DataFrame([dict(id=c["id"], name=c["name"], shape=c["shape"], params=c["params"],
                                created_by_path=c["created_by_path"], locks=list(c["locks"]), sha256=c["sha256"])
                           for c in comps],
                          columns=["id", "name", "shape", "params", "created_by_path", "locks", "sha256"])
        task_of = self.path_task()
        df["trained_by"] = [task_of.get(p, ROOT_TASK) for p in df["created_by_path"]]
        return df.set_index("id", drop=False)

    def history_paths(self):
        """Every path ever created (kept or not), with the version that created it; oldest first."""
        rows = [self._path_row(r, version=v) for v, kind, r in self.history() if kind == "path"]
        columns = list(self._path_row({"id": 0, "task": "", "components": []}, version=0))
        df = pd.DataFrame(rows, columns=columns)
        for c in ("quality", "test"):
            df[c] = pd.to_numeric(df[c]).astype(float)  # None (not trained, not tested) as NaN
        return df

    def history_components(self):
        """Every component ever created, with the version that created it."""
        rows = [dict(id=c["id"], name=c["name"], params=c["params"], created_by_path=c["created_by_path"], version=v)
                for v, kind, c in self.history() if kind == "component"]
        return pd.DataFrame(rows, columns=["id", "name", "params", "created_by_path", "version"])

    def all_paths(self):
        """Every path known, by id: the history's records, replaced by the live manifest's (newer metrics)."""
        out = {}
        for v, kind, r in self.history():
            if kind == "path":
                out[r["id"]] = r
        for p in self.manifest()["paths"]:
            out[p["id"]] = p
        return out

    def path_task(self):
        """Path id to its task, over every path known."""
        return {i: p["task"] for i, p in self.all_paths().items()}

    def component_params(self):
        """Component id to parameter count, over every component known (live or not)."""
        out = {c["id"]: c["params"] for v, kind, c in self.history() if kind == "component"}
        out.update({c["id"]: c["params"] for c in self.manifest()["components"]})
        return out

    def tasks(self, version=None):
        """The tasks of a version in the order they came into the population (the root left out)."""
        seen = []
        for p in self.manifest(version)["paths"]:
            if p["task"] != ROOT_TASK and p["task"] not in seen:
                seen.append(p["task"])
        return seen

    # ------------------------------------------------------------------ munet's numbers

    def best_paths(self, version=None):
        """Per task its best live path (highest validation quality; ties to the newest), as manifest dicts."""
        best = {}
        for p in self.manifest(version)["paths"]:
            q = p["metrics"].get("quality")
            s = -math.inf if q is None else q
            task = p["task"]
            if task not in best or s > best[task][0] or (s == best[task][0] and p["id"] > best[task][1]["id"]):
                best[task] = (s, p)
        return {t: best[t][1] for t in self.tasks(version)}

    def compute_by_task(self):
        """Summed candidate training seconds per task, from the history (as munet's leaderboard)."""
        out = {}
        for v, kind, r in self.history():
            if kind == "path":
                t = (r.get("metrics") or {}).get("trainSeconds")
                if isinstance(t, (int, float)) and not isinstance(t, bool):
                    out[r["task"]] = out.get(r["task"], 0.0) + float(t)
        return out

    def leaderboard(self):
        """Per task its best path: validation, test, components, activated / new / shared params, compute."""
        comps = {c["id"]: c for c in self.manifest()["components"]}
        compute = self.compute_by_task()
        rows = []
        for task, p in self.best_paths().items():
            activated = own = 0
            for cid in p["components"]:
                c = comps[cid]
                activated += c["params"]
                if all(lock == task for lock in c["locks"]):
                    own += c["params"]
            m = p["metrics"]
            rows.append(dict(task=task, pathId=p["id"], validation=m.get("quality"), test=m.get("testQuality"),
                             components=len(p["components"]), activatedParams=activated, newParams=own,
                             sharedParams=activated - own, generation=m.get("generation", 0),
                             computeSeconds=compute.get(task, 0.0)))
        df = pd.DataFrame(rows, columns=["task", "pathId", "validation", "test", "components", "activatedParams",
                                         "newParams", "sharedParams", "generation", "computeSeconds"])
        for c in ("validation", "test", "computeSeconds"):
            df[c] = pd.to_numeric(df[c]).astype(float)  # None (the task not tested yet) as NaN
        return df

    def stored_params(self, version=None):
        return int(sum(c["params"] for c in self.manifest(version)["components"]))

    def compute_seconds(self, version=None):
        return float(self.manifest(version)["progress"].get("computeSeconds", 0.0))

    def leaderboard_json(self):
        """The leaderboard in the shape of ``munet status --json``."""
        rows = []
        for r in self.leaderboard().to_dict("records"):
            rows.append({k: _plain(v) for k, v in r.items()})
        return dict(rows=rows, storedParams=self.stored_params(), tasks=len(rows),
                    computeSeconds=self.compute_seconds(), version=self.version)

    def stats(self):
        """The system's totals as a one-column table."""
        hp = self.history_paths()
        trained = hp[hp["task"] != ROOT_TASK] if len(hp) else hp
        m = self.manifest()
        return pd.Series({
            "state": str(self.path),
            "version": self.version,
            "tasks": len(self.tasks()),
            "live paths": len(m["paths"]),
            "live components": len(m["components"]),
            "stored params": self.stored_params(),
            "root params": m.get("root_params"),
            "paths trained (history)": len(trained),
            "compute seconds": self.compute_seconds(),
            "continued from": m.get("continued_from"),
        }, name="value")

    # ------------------------------------------------------------------ lineage, growth, tensors

    def lineage(self, path_id):
        """A path and its ancestors, root first, as path dicts."""
        known = self.all_paths()
        chain = []
        i = path_id
        while i is not None and i in known:
            chain.append(known[i])
            i = known[i].get("parent")
        return chain[::-1]

    def learning_curve(self, task):
        """The validation evals along the task's best path's lineage, in training order:
        one row per eval (step, ancestor path id, its task, eval); and the best path's test accuracy."""
        best = self.best_paths()[task]
        rows = []
        step = 0
        for p in self.lineage(best["id"]):
            for e in (p.get("metrics") or {}).get("evals") or []:
                step += 1
                rows.append(dict(step=step, path=p["id"], task=p["task"], eval=e))
        return pd.DataFrame(rows, columns=["step", "path", "task", "eval"]), best["metrics"].get("testQuality")

    def growth(self):
        """Per committed version: stored params, live components and paths, tasks, compute seconds."""
        rows = []
        for v in self.versions:
            m = self.manifest(v)
            rows.append(dict(version=v, stored_params=self.stored_params(v), components=len(m["components"]),
                             paths=len(m["paths"]), tasks=len(self.tasks(v)),
                             compute_seconds=self.compute_seconds(v), task=m["progress"].get("task")))
        return pd.DataFrame(rows)

    def component_file(self, component_id):
        return self.path / "components" / f"{component_id}.safetensors"

    def parameter_norms(self):
        """Per live component the L2 norm of its parameters (``param/*`` tensors) from its safetensors file."""
        rows = []
        comps = self.components()
        for cid, c in comps.iterrows():
            f = self.component_file(cid)
            if not f.is_file():
                continue
            _, tensors = read_safetensors(f)
            params = [t for n, t in tensors.items() if not n.startswith("momentum/")]
            norm = float(np.sqrt(sum(float(np.sum(np.square(t, dtype=np.float64))) for t in params)))
            count = int(sum(t.size for t in params))
            rows.append(dict(id=cid, name=c["name"], trained_by=c["trained_by"], params=count, norm=norm,
                             rms=norm / math.sqrt(count) if count else 0.0))
        return pd.DataFrame(rows, columns=["id", "name", "trained_by", "params", "norm", "rms"])


def task_colours(tasks):
    """One colour per task: matplotlib's turbo map limited to 0.16-0.84, as the reference's graph."""
    import matplotlib
    cmap = matplotlib.colormaps["turbo"]
    n = max(len(tasks), 1)
    colours = {t: cmap(0.16 + 0.68 * (i / (n - 1) if n > 1 else 0.5)) for i, t in enumerate(tasks)}
    colours[ROOT_TASK] = (0.82, 0.82, 0.82, 1.0)
    return colours


def draw_paths(state, ax=None):
    """A PathNet-style graph: every component of a best path is a node, filled with the colour of the task
    that trained it (grey: the root's), at the height of its position in the model; each task's best path
    is a line in its colour through its components; each head is labelled with its validation accuracy."""
    import matplotlib.pyplot as plt
    best = state.best_paths()
    tasks = list(best)
    comps = state.components()
    colours = task_colours(tasks)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 1.6 * len(tasks) + 3), 7))
    # The model's levels: component names in path order (every path lists them bottom to top).
    levels = []
    for p in best.values():
        names = [comps.loc[c, "name"] for c in p["components"]]
        for i, n in enumerate(names):
            if n not in levels:
                # after the previous name of this path, to keep the model order
                at = levels.index(names[i - 1]) + 1 if i and names[i - 1] in levels else len(levels)
                levels.insert(at, n)
    # Nodes: the distinct components at each level, side by side.
    at_level = {}
    for p in best.values():
        for c in p["components"]:
            lvl = levels.index(comps.loc[c, "name"])
            if c not in at_level.setdefault(lvl, []):
                at_level[lvl].append(c)
    pos = {}
    for lvl, ids in at_level.items():
        for j, c in enumerate(ids):
            pos[c] = (j - (len(ids) - 1) / 2, lvl)
    for k, (task, p) in enumerate(best.items()):
        off = (k - (len(tasks) - 1) / 2) * 0.06
        xs = [pos[c][0] + off for c in p["components"]]
        ys = [pos[c][1] for c in p["components"]]
        ax.plot(xs, ys, "-", color=colours[task], lw=2.5, alpha=0.85, label=task, zorder=1)
        q = p["metrics"].get("quality")
        head = p["components"][-1]
        ax.annotate(f"{task}\n{q:.3f}" if q is not None else task, pos[head], textcoords="offset points",
                    xytext=(0, 14), ha="center", fontsize=8)
    for c, (x, y) in pos.items():
        ax.scatter([x], [y], s=260, color=colours.get(comps.loc[c, "trained_by"], colours[ROOT_TASK]),
                   edgecolors="black", linewidths=0.8, zorder=2)
        ax.annotate(str(c), (x, y), ha="center", va="center", fontsize=6, zorder=3)
    ax.set_yticks(range(len(levels)))
    ax.set_yticklabels(levels, fontsize=7)
    ax.set_xticks([])
    ax.set_ylim(-0.7, len(levels) + 0.3)
    ax.set_title("Components of each task's best path (node colour: task that trained it; grey: root)")
    ax.legend(loc="lower right", fontsize=8, title="task path")
    return ax


def _plain(v):
    """A JSON-ready value: numpy scalars to Python, NaN to None."""
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else float(v)
    return v


def write_json(obj, variable="MUNET_NOTEBOOK_OUT"):
    """Writes ``obj`` as JSON to the file named by an environment variable, when it is set (the tests set it)."""
    out = os.environ.get(variable)
    if out:
        Path(out).write_text(json.dumps(obj, indent=2, default=_plain))
    return out
