package nn

import (
	"strings"
	"testing"
)

// Every value bf16Env's reader knows passes CheckEnv; a misspelt one, or
// an unknown ARGMAXVAE_KERNELS, is reported naming the variable.
func TestCheckEnv(t *testing.T) {
	for _, v := range []string{"", "off", "0", "fp32", "false", "on", "1", "bf16", "true", "amx"} {
		t.Setenv(bf16Env, v)
		if err := CheckEnv(); err != nil {
			t.Errorf("%s=%q: %v", bf16Env, v, err)
		}
	}
	t.Setenv(bf16Env, "garbage")
	if err := CheckEnv(); err == nil || !strings.Contains(err.Error(), bf16Env+`="garbage"`) {
		t.Errorf("%s=garbage: %v", bf16Env, err)
	}
	t.Setenv(bf16Env, "")
	for v, ok := range map[string]bool{"": true, "avx2": true, "avx512": false, "AVX2": false} {
		t.Setenv(kernelsEnv, v)
		if err := CheckEnv(); (err == nil) != ok {
			t.Errorf("%s=%q: %v", kernelsEnv, v, err)
		}
	}
}
