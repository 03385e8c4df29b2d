// Package experiment holds what the training commands (cmd/categorical,
// cmd/structured, cmd/table1, cmd/figure3) share: loading a data set into
// matrices, building a VAE and estimator from flags, the epoch loop with
// progress, metrics, checkpoints and Ctrl-C handling, and the pictures.
// It sits at the end of the data flow and is not meant for library users.
package experiment
