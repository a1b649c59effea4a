package main

import (
	"context"
	"errors"
)

// runLabels is a placeholder until its issue lands.
func runLabels(ctx context.Context, env *Env, args []string) error {
	return errors.New("labels: not implemented yet")
}
