package main

import (
	"context"
	"errors"
)

// runReport is a placeholder until its issue lands.
func runReport(ctx context.Context, env *Env, args []string) error {
	return errors.New("report: not implemented yet")
}
