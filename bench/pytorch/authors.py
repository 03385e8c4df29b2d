#!/usr/bin/python3
"""Run the authors' direct-optimization VAE (GuyLor/Direct-VAE,
run_direct_gsm.py --method direct) for a given number of epochs, as a timing
peer of cmd/categorical. Used by bench/compare_authors.sh; not part of the Go
build or tests.

Their run_direct_gsm.py hard-codes 300 epochs, so this wrapper builds the
same params dict (same keys and values, num_epochs from --epochs) and calls
their DVAE.training_procedure, which trains and evaluates (validation and
test sets) every epoch. Their datas.py imports mat4py (for Omniglot only),
which Debian does not package: a stub stands in. torchvision would download
MNIST into ./data/MNIST; compare_authors.sh prepares the raw files there
instead, and this script runs in that directory (--workdir).

Usage: authors.py --repo DIR --workdir DIR --k K --epochs E [--threads T]
"""
import argparse
import os
import sys
import types

p = argparse.ArgumentParser()
p.add_argument("--repo", required=True, help="checkout of github.com/GuyLor/Direct-VAE")
p.add_argument("--workdir", required=True, help="directory holding data/MNIST/MNIST/raw")
p.add_argument("--k", type=int, default=10)
p.add_argument("--n", type=int, default=1)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seed", type=int, default=775)
a = p.parse_args()

# One thread budget, set before torch loads (Debian's torch uses OpenMP and
# OpenBLAS).
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(a.threads)

stub = types.ModuleType("mat4py")
stub.loadmat = lambda *args, **kw: (_ for _ in ()).throw(RuntimeError("mat4py stub: Omniglot is not used"))
sys.modules["mat4py"] = stub

import torch  # noqa: E402

torch.set_num_threads(a.threads)
sys.path.insert(0, a.repo)
os.chdir(a.workdir)
from discrete_vae import DVAE  # noqa: E402

params = {'num_epochs': a.epochs,
          'composed_decoder': True,
          'batch_size': 100,
          'learning_rate': 0.001,
          'gumbels': 1,
          'N_K': (a.n, a.k),
          'eps_0': 1.0,
          'anneal_rate': 1e-5,
          'method': 'direct',
          'min_eps': 0.1,
          'random_seed': a.seed,
          'dataset': 'mnist',
          'split_valid': True,
          'binarize': True,
          'ST-estimator': True,
          'save_images': False,
          'print_result': True}
train, test, best_test, _, _ = DVAE.training_procedure(params)
print("authors: train %s test %s best test %.3f" % (["%.2f" % x for x in train], ["%.2f" % x for x in test], best_test))
