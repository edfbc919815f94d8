#!/usr/bin/python3
"""Train a two-tower model in PyTorch and write what `recfw import two-tower` takes.

Input: a Parquet training export (`recfw export --out DIR`: the folder holding schema.json; every
event with `positive` true is a training pair, read with parquet_export_reader.py beside this
script, so no pyarrow is needed), a CSV of `user_id,item_id,timestamp` (e.g. the train part written
by `dotnet run -c Release --project bench -- onnx-tower --write-train train.csv`), or an ML-100K
folder (`u.data` is read directly; every rating is a positive, as RecFramework's loader does, and
each user's latest 20% are held out like RecFramework's TemporalSplit — ties broken by file order).

Model: user tower = user-id embedding (row 0 = unknown user) -> Linear -> ReLU -> Linear -> L2
norm; item tower = item-id embedding -> Linear -> L2 norm; in-batch softmax with temperature.

Output folder: user_tower.onnx (input `user_slot` int64 [batch], output `user_vector` float32
[batch, d]), contract.json, user_ids.txt (line n = embedding row n), item_vectors.npy (float32
[n, d]) and item_ids.txt.

Needs torch (Debian: python3-torch) and numpy; run with /usr/bin/python3.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_events(path):
    if os.path.isfile(os.path.join(path, "schema.json")):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from parquet_export_reader import read_events as read_parquet_events

        pairs = []
        for _, columns in read_parquet_events(path):
            pairs.extend((u, i) for u, i, p in zip(columns["user_id"], columns["item_id"], columns["positive"]) if p)
        return pairs
    if os.path.isdir(path):
        rows = []
        with open(os.path.join(path, "u.data")) as f:
            for index, line in enumerate(f):
                u, i, _, t = line.split("\t")
                rows.append((int(u), int(i), int(t), index))
        by_user = {}
        for row in rows:
            by_user.setdefault(row[0], []).append(row)
        train = []
        for events in by_user.values():
            events.sort(key=lambda r: (r[2], r[3]))
            n = len(events)
            held = max(1, int(n * 0.2)) if n >= 2 else 0
            train.extend(events[: n - held])
        return [(u, i) for u, i, _, _ in train]
    pairs = []
    with open(path) as f:
        header = f.readline().strip().split(",")
        cu, ci = header.index("user_id"), header.index("item_id")
        for line in f:
            parts = line.strip().split(",")
            pairs.append((int(parts[cu]), int(parts[ci])))
    return pairs


class Tower(nn.Module):
    def __init__(self, rows, dim, hidden, out):
        super().__init__()
        self.emb = nn.Embedding(rows, dim)
        nn.init.normal_(self.emb.weight, 0, 0.05)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, out)) if hidden else nn.Linear(dim, out)

    def forward(self, slot):
        return F.normalize(self.mlp(self.emb(slot)), p=2.0, dim=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a Parquet training export folder, a train CSV (user_id,item_id,timestamp) or an ML-100K folder")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--temperature", type=float, default=0.07)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (1: no OpenMP spinning on a busy machine)")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    pairs = read_events(args.data)
    users = sorted({u for u, _ in pairs})
    items = sorted({i for _, i in pairs})
    user_row = {u: n + 1 for n, u in enumerate(users)}
    item_row = {i: n for n, i in enumerate(items)}
    u = torch.tensor([user_row[p[0]] for p in pairs], dtype=torch.long)
    i = torch.tensor([item_row[p[1]] for p in pairs], dtype=torch.long)
    counts = torch.bincount(i, minlength=len(items)).float()
    log_q = torch.log(counts / counts.sum())

    user_tower = Tower(len(users) + 1, 64, 128, args.dim)
    item_tower = Tower(len(items), 64, 0, args.dim)
    optimizer = torch.optim.Adam(list(user_tower.parameters()) + list(item_tower.parameters()), lr=args.lr)
    for epoch in range(args.epochs):
        order = torch.randperm(len(pairs))
        total = 0.0
        for start in range(0, len(pairs), args.batch):
            batch = order[start : start + args.batch]
            ub, ib = u[batch], i[batch]
            logits = user_tower(ub) @ item_tower(ib).T / args.temperature - log_q[ib][None, :]
            same = ib[None, :] == ib[:, None]
            logits = logits.masked_fill(same & ~torch.eye(len(batch), dtype=torch.bool), -1e9)
            loss = F.cross_entropy(logits, torch.arange(len(batch)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / len(pairs):.4f}", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    user_tower.eval()
    item_tower.eval()
    with torch.no_grad():
        torch.onnx.export(
            user_tower, torch.tensor([1, 2], dtype=torch.long), os.path.join(args.out, "user_tower.onnx"),
            input_names=["user_slot"], output_names=["user_vector"],
            dynamic_axes={"user_slot": {0: "batch"}, "user_vector": {0: "batch"}}, opset_version=13)
        vectors = item_tower(torch.arange(len(items))).numpy().astype(np.float32)
    np.save(os.path.join(args.out, "item_vectors.npy"), np.ascontiguousarray(vectors))
    with open(os.path.join(args.out, "item_ids.txt"), "w") as f:
        f.write("\n".join(str(x) for x in items) + "\n")
    with open(os.path.join(args.out, "user_ids.txt"), "w") as f:
        f.write("\n".join(str(x) for x in users) + "\n")
    contract = {
        "output": "user_vector",
        "dimension": args.dim,
        "inputs": [{"name": "user_slot", "source": "user_id", "dtype": "int64", "shape": [-1], "vocabulary": "user_ids.txt"}],
    }
    with open(os.path.join(args.out, "contract.json"), "w") as f:
        json.dump(contract, f, indent=2)
    print(f"wrote {args.out}: {len(users)} users, {len(items)} items, dimension {args.dim}")


if __name__ == "__main__":
    main()
