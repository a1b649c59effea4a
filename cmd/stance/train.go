package main

import (
	"context"
	"errors"
)

// runTrain is a placeholder until its issue lands.
func runTrain(ctx context.Context, env *Env, args []string) error {
	return errors.New("train: not implemented yet")
}
