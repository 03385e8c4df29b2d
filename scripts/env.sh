# Sourced by run.sh and test.sh: installs the system packages the build and
# the default experiments need when they are missing (Debian/Ubuntu), and
# exports the cgo flags for lp_solve (package qip) and OpenBLAS (package nn).
# Set ARGMAXVAE_NO_APT=1 to skip the package check.

need=()
[ -f /usr/include/lpsolve/lp_lib.h ] || need+=(liblpsolve55-dev)
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so ] || ls /usr/lib/*/libopenblas.so >/dev/null 2>&1 || need+=(libopenblas-dev)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -gt 0 ] && [ -z "${ARGMAXVAE_NO_APT:-}" ]; then
  echo "installing ${need[*]} with apt-get" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2
fi

# golp's cgo code includes lp_lib.h, which Debian keeps in a subdirectory;
# the link flags are in qip/cgo.go and nn/blas_openblas.go.
export CGO_ENABLED=1
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -I/usr/include/lpsolve"
