package main

import (
	"context"
	"errors"
)

// runCV is a placeholder until its issue lands.
func runCV(ctx context.Context, env *Env, args []string) error {
	return errors.New("cv: not implemented yet")
}
