// Package runfolder is the one owner of a training run's folder: the lock
// that keeps two processes out of the same folder, the atomic write every
// file goes through, the checkpoint that commits a run's state and history
// together, and the two questions a command asks of a folder before it
// trains — is it the same run (Diff, CheckConfig) and is it finished
// (Finished).
//
// One idea per file:
//
//   - lock.go, alive_*.go: [Lock] (a pid file, taken over when its process
//     is gone; the liveness test is per platform; once held, the
//     temporary files a killed writer left are removed).
//   - write.go: [WriteFile], [WriteJSON] (temporary file, fsync, rename;
//     the temporary file is removed on every failure).
//   - checkpoint.go: [Commit], [Load], [ReadState] (checkpoint.bin: state,
//     best state and history in one checksummed file).
//   - config.go: [Diff], [CheckConfig], [Finished].
//
// The training driver (internal/driver) is its main user; package report,
// the grid commands and internal/semirun use the writes and the checks:
// every file of a run folder goes through [WriteFile].
package runfolder
