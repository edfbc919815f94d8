"""PyTorch reference of RecFramework's DEFAULT two-tower training, for `bench train`'s interleaved speed ratio.

Written from our own code (src/Channels.TwoTower), not from any other reference; each part names what it mirrors:

* Data (Framework/Data/MovieLens100K.cs, Evaluation/TemporalSplit.cs, Training/TrainingSet.cs): every rating of
  u.data is a positive. Outer split: per user ordered by (timestamp, file line), users with >= 2 events hold their
  last max(1, floor(0.2 n)) out as test. Training set: train positives ordered by (timestamp, user, item); users
  with >= 5 positives hold their latest max(1, int(0.2 n)) out for validation; the rest are the examples.
  Vocabularies: users / items of the train positives (sorted ids, slot 0 = out of vocabulary).
* Features (Features/FeatureEncoder.cs, TwoTowerOptions defaults: ContinuousEncoding=Normalize, nothing excluded):
  user = gender, age_bucket, occupation, zip_prefix (categorical, one shared 16-d table with per-field offsets,
  slot 0 of each field = unknown) + age (continuous, (x - mean) / std); item = year_bucket (categorical) + genres
  (multi-valued, 16-d table with padding slot 0, mean over present values) + release_year (continuous, 0 when
  missing).
* Model (Model/Tower.cs, TwoTowerModel.cs): per tower concat [id 64 | categorical | genres | continuous] ->
  Linear(w, 128) -> ReLU -> Linear(128, 64) -> L2 normalise; embeddings N(0, 0.05), padding rows zero.
  User tower 64 + 4*16 + 1 = 129 wide, item tower 64 + 16 + 16 + 1 = 97.
* Training (Training/Trainer.cs, Losses.cs, StreamingFrequencyEstimator.cs): seeded shuffle of the examples every
  epoch, batches of 512 (a last batch of fewer than 2 is dropped), user-id dropout 0.02 (id -> slot 0),
  in-batch softmax over cos / 0.1 minus log p_j, p_j from the streaming estimator (per item: last step A and gap
  B in examples, B <- 0.95 B + 0.05 (t - A), first sighting B = t; p = min(1, 1 / B), updated with the batch
  before its logQ is read); same-item columns off the diagonal masked with -1e9; one Adam (lr 5e-3, torch
  defaults otherwise) over every parameter, learning rate x0.9 after every epoch; loss.item() every batch.
  Difference: our estimator hashes item keys into 2^20 slots (XxHash3); here a slot per item (no collisions;
  with 1,682 items collisions are practically absent there too). The shuffle's random stream differs (numpy vs
  System.Random), its distribution does not.
* Threads: torch.set_num_threads(T) and set_num_interop_threads(1), as Trainer.ConfigureThreads (T = Threads = 2).

Timing (the same boundaries as Trainer.Train's per-epoch stopwatch): from after the epoch's shuffle to after the
last batch's optimiser step and loss.item(). Data loading, encoding, model construction and the (untimed on both
sides) validation pass are outside; examples_per_s = examples of all timed epochs / their summed seconds.

usage: /usr/bin/python3 two_tower_reference.py --data DIR [--epochs N] [--threads T] [--seed S]
Prints one JSON object (the last line of stdout).
"""
import argparse
import json
import math
import os
import time

# Debian's torch calls OpenBLAS for matmul: its own thread pool on top of torch's intra-op threads oversubscribes the
# cores (measured: ~300 examples/s under load); torch's threads are the ones set_num_threads governs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

BATCH = 512
TEMPERATURE = 0.1
LEARNING_RATE = 5e-3
DECAY = 0.9
ID_DROPOUT = 0.02
ID_DIM = 64
FEATURE_DIM = 16
HIDDEN = 128
DIM = 64
FREQUENCY_ALPHA = 0.05
GENRES = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
          "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"]


def age_bucket(age):
    for limit, name in ((17, "<18"), (24, "18-24"), (34, "25-34"), (44, "35-44"), (49, "45-49"), (55, "50-55")):
        if age <= limit:
            return name
    return "56+"


def read_lines(path):
    with open(path, encoding="latin-1") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def load(directory):
    ratings = [tuple(int(x) for x in line.split("\t")) for line in read_lines(os.path.join(directory, "u.data"))]
    users = {}
    for line in read_lines(os.path.join(directory, "u.user")):
        uid, age, gender, occupation, zipcode = line.split("|")
        users[int(uid)] = {"gender": gender, "age": float(age), "age_bucket": age_bucket(int(age)),
                           "occupation": occupation, "zip_prefix": zipcode[:2]}
    items = {}
    for line in read_lines(os.path.join(directory, "u.item")):
        parts = line.split("|")
        year = float(parts[2][-4:]) if len(parts[2]) >= 4 else None
        genres = [GENRES[g] for g, flag in enumerate(parts[5:24]) if flag == "1"]
        items[int(parts[0])] = {"genres": genres, "release_year": year,
                                "year_bucket": f"{int(year) // 10 * 10}s" if year is not None else "unknown"}
    return ratings, users, items


def training_examples(ratings):
    """TemporalSplit.Split's train part, then TrainingSet's validation carve: (user id, item id) examples in time order."""
    by_user = {}
    for line, (u, i, _, t) in enumerate(ratings):
        by_user.setdefault(u, []).append((t, line))
    held = set()
    for rows in by_user.values():
        rows.sort()
        if len(rows) >= 2:
            held.update(line for _, line in rows[len(rows) - max(1, math.floor(len(rows) * 0.2)):])
    train = sorted(((t, u, i) for line, (u, i, _, t) in enumerate(ratings) if line not in held))
    per_user = {}
    for position, (_, u, _) in enumerate(train):
        per_user.setdefault(u, []).append(position)
    validation = set()
    for positions in per_user.values():
        if len(positions) >= 5:
            validation.update(positions[len(positions) - max(1, int(len(positions) * 0.2)):])
    examples = [(u, i) for position, (_, u, i) in enumerate(train) if position not in validation]
    return examples, sorted({u for _, u, _ in train}), sorted({i for _, _, i in train})


def encode(ids, profiles, categorical, multi, continuous):
    """FeatureEncoder.Fit + Encode: id slots, categorical slots (shared table), multi slots, normalised continuous."""
    known = [profiles[i] for i in ids if i in profiles]
    cat_rows = np.zeros((len(ids) + 1, len(categorical)), dtype=np.int64)
    offset = 0
    for f, name in enumerate(categorical):
        vocab = {v: k + 1 for k, v in enumerate(sorted({p[name] for p in known if p[name]}))}
        for r, i in enumerate(ids):
            cat_rows[r + 1, f] = offset + vocab.get(profiles.get(i, {}).get(name), 0)
        offset += len(vocab) + 1
    cat_slots = offset
    multi_rows, multi_slots = None, 1
    for name in multi:
        vocab = {v: k + 1 for k, v in enumerate(sorted({v for p in known for v in p[name] if v}))}
        length = max(len(p[name]) for p in known)
        multi_rows = np.zeros((len(ids) + 1, 1, length), dtype=np.int64)
        for r, i in enumerate(ids):
            values = [multi_slots + vocab[v] for v in profiles.get(i, {}).get(name, []) if v in vocab][:length]
            multi_rows[r + 1, 0, :len(values)] = values
        multi_slots += len(vocab) + 1
    cont_rows = np.zeros((len(ids) + 1, len(continuous)), dtype=np.float32)
    for f, name in enumerate(continuous):
        values = np.array([p[name] for p in known if p[name] is not None], dtype=np.float64)
        mean, std = values.mean(), values.std()
        std = std if std * std > 1e-12 else 1.0
        for r, i in enumerate(ids):
            v = profiles.get(i, {}).get(name)
            cont_rows[r + 1, f] = 0.0 if v is None else (v - mean) / std
    # Row r + 1 is the entity at dense position r; its id slot is r + 1 (sorted vocabulary, slot 0 = unknown).
    rows = {"ids": torch.arange(len(ids) + 1, dtype=torch.int64), "categorical": torch.from_numpy(cat_rows),
            "multi": torch.from_numpy(multi_rows) if multi_rows is not None else None,
            "continuous": torch.from_numpy(cont_rows)}
    return rows, cat_slots, multi_slots


class Tower(nn.Module):
    def __init__(self, id_slots, cat_fields, cat_slots, multi_slots, continuous, sparse=False):
        super().__init__()
        self.ids = nn.Embedding(id_slots, ID_DIM, sparse=sparse)
        nn.init.normal_(self.ids.weight, 0, 0.05)
        self.categorical = nn.Embedding(cat_slots, FEATURE_DIM, sparse=sparse)
        nn.init.normal_(self.categorical.weight, 0, 0.05)
        self.multi = None
        width = ID_DIM + cat_fields * FEATURE_DIM + continuous
        if multi_slots > 1:
            self.multi = nn.Embedding(multi_slots, FEATURE_DIM, padding_idx=0, sparse=sparse)
            with torch.no_grad():
                nn.init.normal_(self.multi.weight, 0, 0.05)
                self.multi.weight[0].zero_()
            width += FEATURE_DIM
        self.mlp = nn.Sequential(nn.Linear(width, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, DIM))

    def forward(self, ids, categorical, multi, continuous):
        batch = ids.shape[0]
        parts = [self.ids(ids), self.categorical(categorical).reshape(batch, -1)]
        if self.multi is not None:
            count = multi.gt(0).sum(2, keepdim=True, dtype=torch.float32).clamp_min(1)
            parts.append((self.multi(multi).sum(2) / count).reshape(batch, -1))
        parts.append(continuous)
        return F.normalize(self.mlp(torch.cat(parts, 1)), p=2, dim=1)


class StreamingFrequency:
    """StreamingFrequencyEstimator with a slot per item position; a batch's occurrences are applied in order."""

    def __init__(self, items):
        self.last = np.zeros(items, dtype=np.int64)
        self.gap = np.zeros(items, dtype=np.float64)
        self.step = 0

    def update_and_log_probability(self, items):
        steps = self.step + 1 + np.arange(len(items))
        self.step += len(items)
        # Occurrence k of an item within the batch depends on occurrence k - 1: apply rank by rank.
        order = np.argsort(items, kind="stable")
        sorted_items = items[order]
        starts = np.r_[0, np.flatnonzero(sorted_items[1:] != sorted_items[:-1]) + 1]
        rank = np.arange(len(items)) - np.repeat(starts, np.diff(np.r_[starts, len(items)]))
        for k in range(rank.max() + 1):
            at = order[rank == k]
            slot, t = items[at], steps[at]
            first = self.last[slot] == 0
            self.gap[slot] = np.where(first, t, (1 - FREQUENCY_ALPHA) * self.gap[slot] + FREQUENCY_ALPHA * (t - self.last[slot]))
            self.last[slot] = t
        return np.log(np.minimum(1.0, 1.0 / self.gap[items])).astype(np.float32)


def in_batch_loss(u, v, items, log_q):
    """In-batch softmax over cos / TEMPERATURE minus log p_j, other rows' copies of a row's item masked (Losses.cs)."""
    logits = u.matmul(v.t()).mul_(1.0 / TEMPERATURE) - log_q.unsqueeze(0)
    same = items.unsqueeze(1).eq(items.unsqueeze(0)).logical_and(torch.eye(len(items), dtype=torch.bool).logical_not())
    return F.cross_entropy(logits.masked_fill(same, -1e9), torch.arange(len(items)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--warmup-batches", type=int, default=0,
                        help="untimed batches on a throwaway model first (the C# side warms up in-process the same way)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    ratings, user_profiles, item_profiles = load(args.data)
    examples, user_ids, item_ids = training_examples(ratings)
    user_rows, user_cat_slots, _ = encode(user_ids, user_profiles, ["gender", "age_bucket", "occupation", "zip_prefix"], [], ["age"])
    item_rows, item_cat_slots, item_multi_slots = encode(item_ids, item_profiles, ["year_bucket"], ["genres"], ["release_year"])
    user_position = {u: k for k, u in enumerate(user_ids)}
    item_position = {i: k for k, i in enumerate(item_ids)}
    example_users = np.array([user_position[u] + 1 for u, _ in examples], dtype=np.int64)
    example_items = np.array([item_position[i] + 1 for _, i in examples], dtype=np.int64)

    if args.warmup_batches > 0:
        train(args, 1, user_rows, item_rows, user_cat_slots, item_cat_slots, item_multi_slots, len(user_ids), len(item_ids),
              example_users, example_items, np.random.default_rng(args.seed + 1), args.warmup_batches)
    torch.manual_seed(args.seed)
    epoch_seconds, epoch_losses, total_examples = train(
        args, args.epochs, user_rows, item_rows, user_cat_slots, item_cat_slots, item_multi_slots, len(user_ids),
        len(item_ids), example_users, example_items, rng, None)
    print(json.dumps({
        "examples_per_s": total_examples / max(1e-9, sum(epoch_seconds)),
        "epochs": args.epochs,
        "examples": total_examples,
        "epoch_s": epoch_seconds,
        "epoch_loss": epoch_losses,
        "threads": args.threads,
        "warmup_batches": args.warmup_batches,
        "torch": torch.__version__,
    }))


def train(args, epochs, user_rows, item_rows, user_cat_slots, item_cat_slots, item_multi_slots, user_count, item_count,
          example_users, example_items, rng, max_batches):
    """Trains a fresh model; returns (timed seconds per epoch, mean loss per epoch, examples)."""
    user_tower = Tower(user_count + 1, 4, user_cat_slots, 1, 1)
    item_tower = Tower(item_count + 1, 1, item_cat_slots, item_multi_slots, 1)
    parameters = list(user_tower.parameters()) + list(item_tower.parameters())
    optimizer = torch.optim.Adam(parameters, lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, DECAY)
    frequency = StreamingFrequency(item_count + 1)
    user_tower.train()
    item_tower.train()

    epoch_seconds, epoch_losses, total_examples = [], [], 0
    for _ in range(epochs):
        order = rng.permutation(len(example_users))
        start_time = time.perf_counter()
        loss_sum, batches = 0.0, 0
        for start in range(0, len(order), BATCH):
            at = order[start:start + BATCH]
            if len(at) < 2 or (max_batches is not None and batches == max_batches):
                break
            users = torch.from_numpy(example_users[at])
            item_slots = example_items[at]
            items = torch.from_numpy(item_slots)
            user_ids_in = user_rows["ids"][users]
            user_ids_in = user_ids_in.masked_fill(torch.rand(len(at)).lt(ID_DROPOUT), 0)
            u = user_tower(user_ids_in, user_rows["categorical"][users], None, user_rows["continuous"][users])
            v = item_tower(item_rows["ids"][items], item_rows["categorical"][items], item_rows["multi"][items], item_rows["continuous"][items])
            loss = in_batch_loss(u, v, items, torch.from_numpy(frequency.update_and_log_probability(item_slots)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
            batches += 1
            total_examples += len(at)
        epoch_seconds.append(time.perf_counter() - start_time)
        epoch_losses.append(loss_sum / max(1, batches))
        scheduler.step()
    return epoch_seconds, epoch_losses, total_examples


if __name__ == "__main__":
    main()
