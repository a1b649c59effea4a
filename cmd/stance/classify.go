package main

import (
	"context"
	"errors"
)

// runClassify is a placeholder until its issue lands.
func runClassify(ctx context.Context, env *Env, args []string) error {
	return errors.New("classify: not implemented yet")
}
