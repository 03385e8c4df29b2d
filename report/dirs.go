package report

import (
	"fmt"
	"os"
	"path/filepath"
)

// ensureDir creates the parent directory of path if it is missing.
func ensureDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: create directory for %s: %w", path, err)
	}
	return nil
}
