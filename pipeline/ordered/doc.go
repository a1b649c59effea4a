// Package ordered runs work on a stream of items on every core and hands
// the results back in input order.
//
// Run is the one worker pool of the project: pipeline.Ingest cleans and
// splits documents with it, and pipeline/batch splits and classifies
// chunks of sentences with it. The input is read by one goroutine, the
// work done by a bounded pool, and the results emitted by the caller's
// goroutine in the order the items were read, so the output does not
// depend on the number of workers. At most a few items per worker are in
// flight, so memory stays flat however long the input is. Channels stay
// inside Run; callers see an iterator in and a function out.
//
// The package imports nothing of the project.
package ordered
