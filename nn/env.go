package nn

import (
	"fmt"
	"os"
)

// CheckEnv reports an environment variable of this package that is set
// to a value it does not know: ARGMAXVAE_BF16 (off, on or amx, and their
// synonyms 0, fp32, false, 1, bf16, true) and ARGMAXVAE_KERNELS (avx2).
// The package reads them once at start-up and ignores such a value,
// keeping its default, so a misspelt setting would otherwise go unnoticed;
// commands call CheckEnv before any work and refuse to start.
func CheckEnv() error {
	if v, ok := os.LookupEnv(bf16Env); ok && v != "" && bf16Setting(v) == "" {
		return fmt.Errorf("environment variable %s=%q: want off, on or amx (or leave it unset)", bf16Env, v)
	}
	if v, ok := os.LookupEnv(kernelsEnv); ok && v != "" && v != "avx2" {
		return fmt.Errorf("environment variable %s=%q: want avx2 (or leave it unset)", kernelsEnv, v)
	}
	return nil
}
