"""PyTorch reference of `bench train-scale`'s full update, for its interleaved speed ratio at catalogue scale.

`train-scale --pairs N` writes the synthetic data set it trains on as .npy files (bench/NpyFolder.cs) and runs this
script after each of its full updates. Written from our own code, like two_tower_reference.py, whose Tower (with
sparse=True) and StreamingFrequency this script reuses:

* Data: every event of events.npy ([n, 3] int64: user id, item id, timestamp; all positive) is an example, as in
  our full update (train-scale: 10,000,000 examples on both sides); the figure compared is examples per second.
  Vocabularies: the users / items of the events (sorted ids, slot 0 = out of vocabulary).
* Features (Features/FeatureEncoder.cs): PREFIX_ids.npy [P] int64 profile ids; PREFIX_categorical.npy [P, C] int32
  value codes (-1 = missing), one shared 16-d table with per-field offsets and slot 0 of each field = unknown;
  PREFIX_multi.npy [P, L] int32 codes (-1 = padding), a 16-d table with padding slot 0, mean over present values;
  PREFIX_continuous.npy [P, K] float32, (x - mean) / std over the profiled rows. Synthetic users: gender, region,
  interests (multi), age; items: category, tags (multi), price.
* Model (Model/Tower.cs): per tower concat [id 64 | categorical | multi | continuous] -> Linear(w, 128) -> ReLU ->
  Linear(128, 64) -> L2 normalise; every embedding table sparse (SparseEmbeddings = true in train-scale).
* Training (Training/Trainer.cs, SparseAdagrad.cs, DenseAdam.cs): one epoch over a seeded shuffle of the examples,
  batches of 512, user-id dropout 0.02, in-batch softmax over cos / 0.1 minus log p_j (streaming estimator),
  same-item columns masked; Adagrad (lr 0.05, eps 1e-10) on the embedding tables' sparse gradients and Adam
  (lr 5e-3) on the MLPs, as ours in a full update. Ours starts from the previous version's weights (a full update),
  this one from the initialisation: the work per batch is the same.
* Threads: torch.set_num_threads(T), set_num_interop_threads(1).

Timing: from after the shuffle to after the last batch's optimiser step and loss.item() (Trainer.Train's epoch
stopwatch); loading and encoding are reported apart (prepare_s).

usage: /usr/bin/python3 two_tower_scale_reference.py --data DIR [--threads T] [--seed S]
Prints one JSON object (the last line of stdout).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see two_tower_reference.py

import numpy as np  # noqa: E402
import torch  # noqa: E402

from two_tower_reference import BATCH, ID_DROPOUT, LEARNING_RATE, StreamingFrequency, Tower, in_batch_loss  # noqa: E402

SPARSE_LEARNING_RATE = 0.05


def encode(directory, prefix, ids):
    """Rows r + 1 = the entity ids[r] (sorted); row 0 = unknown. Returns the tower's row tensors and table sizes."""
    profile_ids = np.load(os.path.join(directory, f"{prefix}_ids.npy"))
    order = np.argsort(profile_ids, kind="stable")
    at = np.minimum(np.searchsorted(profile_ids[order], ids), len(order) - 1)
    found = profile_ids[order][at] == ids
    row = np.where(found, order[at], -1)
    known = row >= 0

    codes = np.load(os.path.join(directory, f"{prefix}_categorical.npy"))
    categorical = np.zeros((len(ids) + 1, codes.shape[1]), dtype=np.int64)
    offset = 0
    for f in range(codes.shape[1]):
        values = np.where(known, codes[row, f], -1)
        categorical[1:, f] = offset + values + 1  # code -1 (missing or no profile) -> the field's unknown slot
        offset += int(codes[:, f].max(initial=-1)) + 2
    categorical[0, :] = 0
    categorical_slots = max(offset, 1)

    multi_codes = np.load(os.path.join(directory, f"{prefix}_multi.npy"))
    multi = np.zeros((len(ids) + 1, 1, max(1, multi_codes.shape[1])), dtype=np.int64)
    if multi_codes.shape[1] > 0:
        values = np.where(known[:, None], multi_codes[row], -1)
        multi[1:, 0, :] = values + 1  # padding -1 -> slot 0
    multi_slots = int(multi_codes.max(initial=-1)) + 2

    raw = np.load(os.path.join(directory, f"{prefix}_continuous.npy")).astype(np.float64)
    continuous = np.zeros((len(ids) + 1, raw.shape[1]), dtype=np.float32)
    for f in range(raw.shape[1]):
        mean, std = raw[:, f].mean(), raw[:, f].std()
        std = std if std * std > 1e-12 else 1.0
        continuous[1:, f] = np.where(known, (raw[row, f] - mean) / std, 0.0)

    rows = {"ids": torch.arange(len(ids) + 1, dtype=torch.int64), "categorical": torch.from_numpy(categorical),
            "multi": torch.from_numpy(multi), "continuous": torch.from_numpy(continuous)}
    return rows, codes.shape[1], categorical_slots, multi_slots, raw.shape[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    started = time.perf_counter()
    events = np.load(os.path.join(args.data, "events.npy"))
    user_ids, example_users = np.unique(events[:, 0], return_inverse=True)
    item_ids, example_items = np.unique(events[:, 1], return_inverse=True)
    example_users = (example_users + 1).astype(np.int64)
    example_items = (example_items + 1).astype(np.int64)
    user_rows, user_fields, user_cat_slots, user_multi_slots, user_continuous = encode(args.data, "user", user_ids)
    item_rows, item_fields, item_cat_slots, item_multi_slots, item_continuous = encode(args.data, "item", item_ids)
    user_tower = Tower(len(user_ids) + 1, user_fields, user_cat_slots, user_multi_slots, user_continuous, sparse=True)
    item_tower = Tower(len(item_ids) + 1, item_fields, item_cat_slots, item_multi_slots, item_continuous, sparse=True)
    towers = (user_tower, item_tower)
    tables = [m.weight for t in towers for m in (t.ids, t.categorical, t.multi) if m is not None]
    dense = [p for t in towers for p in t.mlp.parameters()]
    adagrad = torch.optim.Adagrad(tables, lr=SPARSE_LEARNING_RATE, eps=1e-10)
    adam = torch.optim.Adam(dense, lr=LEARNING_RATE)
    frequency = StreamingFrequency(len(item_ids) + 1)
    user_multi = user_rows["multi"] if user_tower.multi is not None else None
    item_multi = item_rows["multi"] if item_tower.multi is not None else None
    prepare_s = time.perf_counter() - started

    order = rng.permutation(len(example_users))
    start_time = time.perf_counter()
    loss_sum, batches, examples = 0.0, 0, 0
    for start in range(0, len(order), BATCH):
        at = order[start:start + BATCH]
        if len(at) < 2:
            break
        users = torch.from_numpy(example_users[at])
        item_slots = example_items[at]
        items = torch.from_numpy(item_slots)
        ids = user_rows["ids"][users].masked_fill(torch.rand(len(at)).lt(ID_DROPOUT), 0)
        u = user_tower(ids, user_rows["categorical"][users], None if user_multi is None else user_multi[users], user_rows["continuous"][users])
        v = item_tower(item_rows["ids"][items], item_rows["categorical"][items], None if item_multi is None else item_multi[items], item_rows["continuous"][items])
        loss = in_batch_loss(u, v, items, torch.from_numpy(frequency.update_and_log_probability(item_slots)))
        adagrad.zero_grad()
        adam.zero_grad()
        loss.backward()
        adagrad.step()
        adam.step()
        loss_sum += loss.item()
        batches += 1
        examples += len(at)
    epoch_s = time.perf_counter() - start_time
    print(json.dumps({
        "examples_per_s": examples / max(1e-9, epoch_s),
        "examples": examples,
        "users": len(user_ids),
        "items": len(item_ids),
        "epoch_s": [epoch_s],
        "epoch_loss": [loss_sum / max(1, batches)],
        "prepare_s": prepare_s,
        "threads": args.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
