package main

import (
	"context"
	"errors"
)

// runIngest is a placeholder until its issue lands.
func runIngest(ctx context.Context, env *Env, args []string) error {
	return errors.New("ingest: not implemented yet")
}
