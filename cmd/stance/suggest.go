package main

import (
	"context"
	"errors"
)

// runSuggest is a placeholder until its issue lands.
func runSuggest(ctx context.Context, env *Env, args []string) error {
	return errors.New("suggest: not implemented yet")
}
