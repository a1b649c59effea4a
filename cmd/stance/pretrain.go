package main

import (
	"context"
	"errors"
)

// runPretrain is a placeholder until its issue lands.
func runPretrain(ctx context.Context, env *Env, args []string) error {
	return errors.New("pretrain: not implemented yet")
}
