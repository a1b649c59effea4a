package main

import (
	"context"
	"errors"
)

// runTokenize is a placeholder until its issue lands.
func runTokenize(ctx context.Context, env *Env, args []string) error {
	return errors.New("tokenize: not implemented yet")
}
