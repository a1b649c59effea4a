package main

import (
	"context"
	"errors"
)

// runNeighbours is a placeholder until its issue lands.
func runNeighbours(ctx context.Context, env *Env, args []string) error {
	return errors.New("neighbours: not implemented yet")
}
